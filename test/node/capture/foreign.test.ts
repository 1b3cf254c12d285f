/**
 * Capture keeps only the lab's own connections: a segment is the lab's when both its
 * endpoints are the ends of a lab socket's connection. Another program on loopback that
 * reuses a port the lab used — a server bound (SO_REUSEADDR, as node:net does) to the port
 * the lab's server had, once the lab closed it; a client connecting from outside to a lab
 * listener that never accepts it — never reaches the log, nor the .pcap export. Once the lab
 * accepts a connection from outside, it is the lab's, its handshake included.
 *
 * Each test waits for a segment of the lab that passed after the other program's traffic:
 * the capture tool hands packets over in order, so by then every earlier one was judged.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../app/contract';
import { findTool } from '../../../app/core/capture/capture';
import type { Lab } from '../../../app/core/lab';
import { call, newLab, ok, ret, returned, sockOf, waitFor } from '../engine/helpers';

const tcpdump = findTool('tcpdump');
const canCapture = process.platform === 'linux' && tcpdump !== null && process.getuid?.() === 0;
type Seg = Extract<LabEvent, { type: 'segment' }>;

/** The captured segments in the log that have an end at `port`. */
const capturedAt = (lab: Lab, port: number): Seg[] =>
  lab
    .events()
    .filter((e): e is Seg => e.type === 'segment' && e.source === 'captured')
    .filter((g) => g.src.port === port || g.dst.port === port);

/** Resolves once `s` emitted `event`. */
const once = (s: net.Socket | net.Server, event: string) =>
  new Promise<void>((resolve, reject) => {
    s.once(event, () => resolve());
    s.once('error', reject);
  });

/** A lab with capture on. */
async function capturingLab(): Promise<Lab> {
  const lab = await newLab({ capture: true });
  await waitFor(lab, (v) => v.capture.status === 'on', 'capture on');
  return lab;
}

/** Waits for the captured SYN-ACK sent to the client socket (actor, fd): the lab's own marker. */
async function synAckTo(lab: Lab, actor: string, fd: number): Promise<void> {
  await waitFor(
    lab,
    (v) => {
      const local = sockOf(v, actor, fd).local;
      return v.segments.some(
        (g) =>
          g.source === 'captured' &&
          g.flags.includes('SYN') &&
          g.flags.includes('ACK') &&
          g.dst.port === local?.port,
      );
    },
    `the SYN-ACK to ${actor}'s fd ${fd}, captured`,
  );
}

/** Runs the default echo programs to their end (as the window's Run buttons would). */
async function runEcho(lab: Lab): Promise<void> {
  const run = (actor: string) => ok(lab, lab.handle({ type: 'run', actor }));
  await run('server'); // socket, bind, listen, accept (blocks)
  await run('client'); // socket, connect, write "hello", read (blocks until the echo)
  await run('server'); // accept returns, read "hello", write it back, read blocks
  await waitFor(lab, (v) => v.actors.client?.last?.call.call === 'read', 'the echo read');
  await run('client'); // close(sockfd): FIN, the program ends
  await waitFor(lab, (v) => v.actors.server?.last?.ret === 0, 'the server reads 0');
  await run('server'); // close(connfd), close(listenfd)
  await waitFor(lab, (v) => v.actorOrder.every((id) => v.actors[id]!.end !== null), 'both programs ended');
}

/** The .pcap export's lines, as tcpdump reads them. */
async function pcapLines(lab: Lab): Promise<string[]> {
  const r = await lab.handle({ type: 'exportPcap' });
  if (!r.ok || typeof r.value !== 'string') throw new Error(`export failed: ${JSON.stringify(r)}`);
  const file = join(mkdtempSync(join(tmpdir(), 'tcplab-')), 'lab.pcap');
  writeFileSync(file, Buffer.from(r.value, 'base64'));
  const { stdout } = await promisify(execFile)(tcpdump!, ['-r', file, '-nn'], { timeout: 10_000 });
  return stdout.trim().split('\n');
}

describe.runIf(canCapture)('capture keeps only the lab’s connections (Linux, tcpdump, root)', () => {
  it('a program that binds the port the lab’s server used, once it closed, never shows', async () => {
    const lab = await capturingLab();
    const port = lab.defaultPort();
    await runEcho(lab); // the default echo programs, to their end: the lab's server closed its port
    const labConn = await waitFor(
      lab,
      (v) =>
        v.segments.filter((g) => g.source === 'captured' && g.flags.includes('FIN')).length === 2 ? v : null,
      'both FINs captured',
    );
    const labPorts = new Set(labConn.segments.flatMap((g) => [g.src.port, g.dst.port]));
    expect(labPorts).toEqual(new Set([port, labConn.segments[0]!.src.port]));

    // Another program takes the port (node:net sets SO_REUSEADDR) and talks to its own client.
    const other = net.createServer((s) => s.pipe(s));
    other.listen(port, '127.0.0.1');
    await once(other, 'listening');
    try {
      const stranger = net.connect({ host: '127.0.0.1', port });
      await once(stranger, 'connect');
      const strangerPort = stranger.localPort!;
      stranger.write('not the lab');
      await once(stranger, 'data');
      stranger.end();
      await once(stranger, 'close');

      // The lab's client connects to the same server: that connection is the lab's.
      expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
      const c = await call(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port });
      if (c.status === 'blocked') expect((await returned(lab, 'client', c.callId)).ret).toBe(0);
      await synAckTo(lab, 'client', 3);
      expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });

      expect(capturedAt(lab, strangerPort)).toEqual([]);
      // Every captured segment in the log has a lab socket at one end at least.
      const all = lab.events().filter((e): e is Seg => e.type === 'segment' && e.source === 'captured');
      expect(all.filter((g) => g.from === null && g.to === null)).toEqual([]);
      const lines = await pcapLines(lab);
      expect(lines.filter((l) => l.includes(`.${strangerPort} `) || l.includes(`.${strangerPort}:`))).toEqual(
        [],
      );
      expect(lines).toHaveLength(all.length);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  }, 30_000);

  it('a client from outside a lab listener never shows until the lab accepts it, then all of it', async () => {
    const lab = await capturingLab();
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });

    // Outside the lab: connect (the kernel completes the handshake into the accept queue),
    // send, close its side. The lab never accepted it.
    const stranger = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    await once(stranger, 'connect');
    const strangerPort = stranger.localPort!;
    stranger.end('from outside');
    await once(stranger, 'finish');
    try {
      // The lab's own client connects to the same listener: shown.
      expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
      expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
      await synAckTo(lab, 'client', 3);
      expect(capturedAt(lab, strangerPort)).toEqual([]);

      // accept() takes the first connection of the queue: the stranger's. Now it is the
      // lab's, and what passed before (held, not shown) comes in capture order.
      expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
      expect(sockOf(lab.view(), 'server', 4).remote).toEqual({ host: '127.0.0.1', port: strangerPort });
      const segs = await waitFor(
        lab,
        (v) => {
          const s = v.segments.filter(
            (g) => g.source === 'captured' && (g.src.port === strangerPort || g.dst.port === strangerPort),
          );
          return s.some((g) => g.flags.includes('FIN')) && s.length >= 6 ? s : null;
        },
        'the accepted connection’s handshake, data and FIN',
      );
      expect(segs.slice(0, 3).map((g) => [...g.flags].sort().join(','))).toEqual(['SYN', 'ACK,SYN', 'ACK']);
      expect(segs.find((g) => g.len > 0)?.len).toBe('from outside'.length);
      for (let i = 1; i < segs.length; i++) expect(segs[i]!.tsUs).toBeGreaterThanOrEqual(segs[i - 1]!.tsUs);
      const server = sockOf(lab.view(), 'server', 4).id;
      expect(segs.filter((g) => g.src.port === port).every((g) => g.from === server)).toBe(true);
    } finally {
      stranger.destroy();
    }
  }, 30_000);
});
