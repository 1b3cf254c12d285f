/**
 * The shipped programs are real C: every resources/programs/*.c compiles unchanged with
 * `gcc -std=c11 -Wall -Wextra -Werror`, and the default pair (echo-server.c, echo-client.c)
 * built natively works on loopback: the server listens on a free port given as -DPORT=…, the
 * client sends "hello" and prints the echo, both exit 0.
 *
 * Skipped, saying why, where gcc (or ss, to see the server listen) is missing: scripts/test.sh
 * installs them on Debian.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const programsDir = join(root, 'resources/programs');
const programs = (await readdir(programsDir)).filter((n) => n.endsWith('.c')).sort();

const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const hasGcc = has('gcc', '--version');
const hasSs = has('ss', '--version');
const noGcc = !hasGcc ? 'gcc is not installed (scripts/test.sh installs it on Debian)' : '';

const GCC_FLAGS = ['-std=c11', '-Wall', '-Wextra', '-Werror'];

/** Run a command to its end; never rejects. */
function run(
  cmd: string,
  args: string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A free loopback port: bind port 0, read it, close. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => done(port));
    });
  });
}

let dir = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcplab-gcc-'));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('every shipped program compiles with gcc -std=c11 -Wall -Wextra -Werror', () => {
  it('there are programs, the echo pair among them', () => {
    expect(programs).toContain('echo-server.c');
    expect(programs).toContain('echo-client.c');
  });

  for (const file of programs) {
    it.skipIf(!hasGcc)(`${file}${noGcc ? ` (skipped: ${noGcc})` : ''}`, async () => {
      const r = await run('gcc', [
        ...GCC_FLAGS,
        '-o',
        join(dir, file.replace(/\.c$/, '')),
        join(programsDir, file),
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }
});

/** Whether something listens on 127.0.0.1:port, as ss(8) tells. */
async function listening(port: number): Promise<boolean> {
  const r = await run('ss', ['-Htln', `sport = :${port}`], 10_000);
  return r.code === 0 && r.stdout.trim() !== '';
}

/** The child's exit code, once it exits (null if killed by a signal). */
function exited(c: ChildProcess): Promise<number | null> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode);
  return new Promise((done) => c.once('exit', (code) => done(code)));
}

const skipPair = !hasGcc
  ? noGcc
  : !hasSs
    ? 'ss is not installed (scripts/test.sh installs it on Debian)'
    : '';

describe('the echo pair built natively works on loopback', () => {
  it.skipIf(skipPair !== '')(
    `echo-server.c and echo-client.c: "hello" comes back, both exit 0${skipPair ? ` (skipped: ${skipPair})` : ''}`,
    async () => {
      const port = await freePort();
      const build = async (name: string) => {
        const out = join(dir, `${name}-${port}`);
        const r = await run('gcc', [
          ...GCC_FLAGS,
          `-DPORT=${port}`,
          '-o',
          out,
          join(programsDir, `${name}.c`),
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        return out;
      };
      const serverBin = await build('echo-server');
      const clientBin = await build('echo-client');

      const server = spawn(serverBin, [], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(server);
      let serverOut = '';
      let serverErr = '';
      server.stdout!.on('data', (b: Buffer) => (serverOut += b.toString()));
      server.stderr!.on('data', (b: Buffer) => (serverErr += b.toString()));
      const serverExit = exited(server);

      // Wait for its listen(): each look at ss is the wait (no sleep), at most 1,000 looks,
      // and no longer than the server lives.
      let up = false;
      for (let i = 0; i < 1000 && !up && server.exitCode === null; i++) up = await listening(port);
      expect(up, `the server never listened on ${port}: ${serverErr}`).toBe(true);

      const client = await run(clientBin, [], 10_000);
      expect(client.stderr).toBe('');
      expect(client.stdout).toContain(`connected to 127.0.0.1:${port}`);
      expect(client.stdout).toContain('read 5 bytes: hello');
      expect(client.code).toBe(0);

      // The client closed: the server's read() returns 0, it closes both sockets and exits.
      const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      const code = await serverExit;
      clearTimeout(killer);
      expect(serverErr).toBe('');
      expect(code).toBe(0);
      expect(serverOut).toContain('accepted a connection');
      expect(serverOut).toContain('read 5 bytes: hello');
      expect(serverOut).toContain('the client closed its side');
    },
  );
});
