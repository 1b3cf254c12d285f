/**
 * Live loopback capture with tcpdump: the exact segments of a handshake, an exchange of data
 * and both closes; the .pcap export read back by `tcpdump -r`; capture refused to an
 * unprivileged user; a tool that dies while running.
 *
 * Needs tcpdump and root (as CI has). Elsewhere these tests are skipped, and vitest lists them
 * as skipped under the describe titles below, which say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  WindowScaleTracker,
  findTool,
  startCapture,
  type Capture,
  type CaptureStatus,
  type CapturedSegment,
} from '../../../app/core/capture';

const tcpdump = findTool('tcpdump');
const isRoot = process.getuid?.() === 0;

/** Starts a capture of the segments to or from one port. */
async function captureOn(portRef: { port: number }, tool?: string | string[]) {
  const segments: CapturedSegment[] = [];
  const statuses: CaptureStatus[] = [];
  const cap = startCapture({
    filter: (s, d) => s.port === portRef.port || d.port === portRef.port,
    onSegment: (s) => void segments.push(s),
    onStatus: (s) => statuses.push(s),
    ...(tool ? { tool } : {}),
  });
  return { cap, segments, statuses };
}

const running: Capture[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

/** 32-bit sequence arithmetic. */
const add = (a: number, b: number): number => (a + b) >>> 0;

for (const toolName of ['tcpdump', 'dumpcap'] as const) {
  const tool = findTool(toolName) ?? toolName;
  const canCapture = process.platform === 'linux' && findTool(toolName) !== null && isRoot;
  describe.runIf(canCapture)(
    `loopback capture with ${toolName} (needs Linux, ${toolName} and root: skipped otherwise)`,
    () => {
      it('sees SYN, SYN-ACK, ACK, data both ways and both FINs with consistent numbers, and exports a pcap', async () => {
        const ref = { port: -1 };
        const accepted: net.Socket[] = [];
        const server = net.createServer({ allowHalfOpen: true }, (s) => accepted.push(s));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        ref.port = (server.address() as net.AddressInfo).port;
        const { cap, segments, statuses } = await captureOn(ref, tool);
        running.push(cap);
        await vi.waitFor(() => expect(statuses.at(-1)?.status).toBe('on'), { timeout: 10_000 });
        expect(statuses.at(-1)).toEqual({ status: 'on', tool: toolName, reason: null });
        const t0 = Date.now() * 1000;

        const client = net.connect({ host: '127.0.0.1', port: ref.port, allowHalfOpen: true });
        await new Promise<void>((r) => client.once('connect', r));
        const cport = client.localPort!;
        const C = { host: '127.0.0.1', port: cport };
        const S = { host: '127.0.0.1', port: ref.port };
        // Each step waits for its last segment, so delayed ACKs cannot reorder the ladder.
        const waitCount = (n: number) =>
          vi.waitFor(() => expect(segments.length).toBeGreaterThanOrEqual(n), { timeout: 5000 });
        await waitCount(3);
        await vi.waitFor(() => expect(accepted).toHaveLength(1));
        const srv = accepted[0]!;

        const serverGot = new Promise<string>((r) => srv.once('data', (b) => r(b.toString())));
        client.write('hello');
        expect(await serverGot).toBe('hello');
        await waitCount(5);
        const clientGot = new Promise<string>((r) => client.once('data', (b) => r(b.toString())));
        srv.write('world!');
        expect(await clientGot).toBe('world!');
        await waitCount(7);

        const serverEnd = new Promise<void>((r) => srv.once('end', r));
        client.end();
        await serverEnd;
        await waitCount(9);
        const clientEnd = new Promise<void>((r) => client.once('end', r));
        srv.end();
        await clientEnd;
        await waitCount(11);
        await new Promise<void>((r) => server.close(() => r()));

        const x = segments[0]!.seqNo; // client ISN
        const y = segments[1]!.seqNo; // server ISN
        const row = (s: CapturedSegment) => ({
          src: s.src,
          dst: s.dst,
          flags: s.flags,
          seqNo: s.seqNo,
          ackNo: s.ackNo,
          len: s.len,
        });
        expect(segments.map(row)).toEqual([
          { src: C, dst: S, flags: ['SYN'], seqNo: x, ackNo: null, len: 0 },
          { src: S, dst: C, flags: ['SYN', 'ACK'], seqNo: y, ackNo: add(x, 1), len: 0 },
          { src: C, dst: S, flags: ['ACK'], seqNo: add(x, 1), ackNo: add(y, 1), len: 0 },
          { src: C, dst: S, flags: ['ACK', 'PSH'], seqNo: add(x, 1), ackNo: add(y, 1), len: 5 },
          { src: S, dst: C, flags: ['ACK'], seqNo: add(y, 1), ackNo: add(x, 6), len: 0 },
          { src: S, dst: C, flags: ['ACK', 'PSH'], seqNo: add(y, 1), ackNo: add(x, 6), len: 6 },
          { src: C, dst: S, flags: ['ACK'], seqNo: add(x, 6), ackNo: add(y, 7), len: 0 },
          // The FIN takes one sequence number: the peer acknowledges seq + 1.
          { src: C, dst: S, flags: ['ACK', 'FIN'], seqNo: add(x, 6), ackNo: add(y, 7), len: 0 },
          { src: S, dst: C, flags: ['ACK'], seqNo: add(y, 7), ackNo: add(x, 7), len: 0 },
          { src: S, dst: C, flags: ['ACK', 'FIN'], seqNo: add(y, 7), ackNo: add(x, 7), len: 0 },
          { src: C, dst: S, flags: ['ACK'], seqNo: add(x, 7), ackNo: add(y, 8), len: 0 },
        ]);
        // Linux's loopback MTU is 65536: MSS 65495 in both SYNs, with window scaling.
        for (const syn of segments.slice(0, 2)) {
          expect(syn.options).toContain('MSS=65495');
          expect(syn.options).toContain('SACK_PERM');
          expect(syn.wscale).toBeGreaterThanOrEqual(0);
          expect(syn.win).toBeGreaterThan(0);
        }
        // The ACK's window counts in units of 2^wscale of its sender (the client's SYN).
        const scaler = new WindowScaleTracker();
        const wins = segments.map((s) => scaler.window(s));
        expect(wins[2]).toEqual({ win: segments[2]!.win * 2 ** segments[0]!.wscale!, scaled: true });
        // Timestamps: microseconds of the wall clock, in order.
        expect(segments[0]!.tsUs).toBeGreaterThanOrEqual(t0 - 1_000_000);
        expect(segments[0]!.tsUs).toBeLessThanOrEqual(Date.now() * 1000 + 1_000_000);
        segments.forEach((s, i) => i > 0 && expect(s.tsUs).toBeGreaterThanOrEqual(segments[i - 1]!.tsUs));

        const file = cap.exportPcap();
        expect(file).not.toBeNull();
        expect(cap.packets()).toHaveLength(11);
        // Read the export back with tcpdump itself (where it exists).
        if (tcpdump) {
          const dir = mkdtempSync(join(tmpdir(), 'tcplab-pcap-'));
          try {
            const path = join(dir, 'lab.pcap');
            writeFileSync(path, file!);
            const text = execFileSync(tcpdump, ['-r', path, '-nn', '-S'], {
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            const lines = text.trim().split('\n');
            expect(lines).toHaveLength(11);
            expect(lines[0]).toContain(`127.0.0.1.${cport} > 127.0.0.1.${ref.port}: Flags [S], seq ${x}`);
            expect(lines[1]).toContain(`Flags [S.], seq ${y}, ack ${add(x, 1)}`);
            expect(lines[7]).toContain('Flags [F.]');
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }

        await cap.stop();
        expect(statuses.at(-1)).toEqual({ status: 'off', tool: toolName, reason: null });
        client.destroy();
        srv.destroy();
      });

      it('captures IPv6 loopback too', async (ctx) => {
        const ref = { port: -1 };
        const server = net.createServer();
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '::1', resolve);
          });
        } catch {
          ctx.skip('no IPv6 loopback (::1) on this machine');
        }
        ref.port = (server.address() as net.AddressInfo).port;
        const { cap, segments, statuses } = await captureOn(ref, tool);
        running.push(cap);
        await vi.waitFor(() => expect(statuses.at(-1)?.status).toBe('on'), { timeout: 10_000 });
        const client = net.connect({ host: '::1', port: ref.port });
        await new Promise<void>((r) => client.once('connect', r));
        await vi.waitFor(() => expect(segments.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
        expect(segments[0]).toMatchObject({
          src: { host: '::1', port: client.localPort },
          dst: { host: '::1', port: ref.port },
          flags: ['SYN'],
        });
        expect(segments[1]!.ackNo).toBe(add(segments[0]!.seqNo, 1));
        client.destroy();
        server.close();
      });

      it('reports unavailable, with the permission reason and how to enable it, for an unprivileged user', async () => {
        const ref = { port: 1 };
        const { cap, segments, statuses } = await captureOn(ref, ['runuser', '-u', 'nobody', '--', tool]);
        running.push(cap);
        await vi.waitFor(() => expect(statuses.length).toBeGreaterThan(0), { timeout: 10_000 });
        expect(statuses).toHaveLength(1);
        expect(statuses[0]!.status).toBe('unavailable');
        expect(statuses[0]!.tool).toBe(toolName);
        // The reason is a code; how to enable capture is the window's to say (capture.how.*).
        expect(statuses[0]!.reason).toMatchObject({ code: 'capture.noPermission', params: { iface: 'lo' } });
        expect(segments).toEqual([]);
        expect(cap.exportPcap()).toBeNull();
      });

      it('reports failed when the tool dies while capturing', async () => {
        const { cap, statuses } = await captureOn({ port: 1 }, tool);
        running.push(cap);
        await vi.waitFor(() => expect(statuses.at(-1)?.status).toBe('on'), { timeout: 10_000 });
        process.kill(cap.pid!, 'SIGKILL');
        await vi.waitFor(() => expect(statuses.at(-1)?.status).toBe('failed'));
        expect(statuses.at(-1)!.reason).toMatchObject({
          code: 'capture.stopped',
          params: { tool: toolName, how: 'SIGKILL' },
        });
        expect(cap.pid).toBeNull();
      });
    },
  );
}

describe('capture without a tool (runs everywhere)', () => {
  it('reports unavailable with no tool when the tool does not exist', async () => {
    const statuses: CaptureStatus[] = [];
    const cap = startCapture({
      filter: () => true,
      onSegment: () => {},
      onStatus: (s) => statuses.push(s),
      tool: '/nonexistent/tcpdump',
      platform: 'darwin',
    });
    await vi.waitFor(() => expect(statuses).toHaveLength(1));
    expect(statuses[0]).toMatchObject({ status: 'unavailable', tool: null });
    expect(statuses[0]!.reason).toEqual({
      code: 'capture.notFound',
      params: { tool: 'tcpdump', path: '/nonexistent/tcpdump' },
    });
    await cap.stop();
  });
});
