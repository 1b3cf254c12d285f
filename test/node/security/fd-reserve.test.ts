/**
 * Descriptors held in reserve (issue 12): under a low RLIMIT_NOFILE, a program's socket() loop
 * gets -1 EMFILE with the reserve's note while DESCRIPTOR_RESERVE descriptors are still free,
 * and browser mode still answers an HTTP request. Without the reserve the loop took every
 * descriptor the limit left (272 of 300), after which the process could not even list
 * /proc/self/fd. Run in a child process (bash's ulimit sets both limits, so Node cannot raise
 * the soft one).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_RESERVE } from '../../../app/core/fd-budget';

const CHILD = fileURLToPath(new URL('./fd-reserve-child.mts', import.meta.url));
const LIMIT = 300;

interface Report {
  limit: number | null;
  opened: number;
  failed: {
    value?: { ret: number; errno?: string };
    detail?: { code: string; params?: Record<string, number> };
  };
  headroom: number | null;
  port: number;
}

/** The status of GET / on 127.0.0.1:port (404 here: no renderer is built for the child). */
function getStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', headers: { host: `127.0.0.1:${port}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('descriptor reserve', () => {
  it.runIf(process.platform === 'linux')(
    `with RLIMIT_NOFILE ${LIMIT}, socket() stops at the reserve and the window can still connect`,
    async () => {
      const child = spawn(
        'bash',
        ['-c', `ulimit -n ${LIMIT} && exec "$0" --import tsx "$1"`, process.execPath, CHILD],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      try {
        const report = await new Promise<Report>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const nl = out.indexOf('\n');
            if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Report);
          });
          child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its report`)));
        });
        expect(report.limit).toBe(LIMIT);
        expect(report.opened).toBeGreaterThan(100);
        expect(report.failed.value).toMatchObject({ ret: -1, errno: 'EMFILE' });
        expect(report.failed.detail).toMatchObject({
          code: 'note.fdReserve',
          params: { reserve: DESCRIPTOR_RESERVE },
        });
        expect(report.headroom).toBeGreaterThanOrEqual(DESCRIPTOR_RESERVE);
        // The window reaches the lab: the HTTP server answers (404: the child serves no build).
        expect(await getStatus(report.port)).toBe(404);
      } finally {
        child.stdin.end();
      }
      expect(await exited).toBe(0);
    },
  );
});
