/**
 * The lab with capture on: the classic flow driven through the engine gives captured
 * segments with the kernel's real numbers, they replace the inferred ones in the view, the
 * .pcap export reads back with tcpdump, and an unprivileged tool leaves the lab inferring.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { visibleSegments, type SegmentView } from '../../../app/contract';
import { findTool } from '../../../app/core/capture/capture';
import { newLab, ok, waitFor } from '../engine/helpers';

const tcpdump = findTool('tcpdump');
const isRoot = process.getuid?.() === 0;
const canCapture = process.platform === 'linux' && tcpdump !== null && isRoot;
const add = (a: number, b: number): number => (a + b) >>> 0;
const flags = (g: SegmentView): string => [...g.flags].sort().join(',');

describe.runIf(canCapture)(
  'the lab with capture on (needs Linux, tcpdump and root: skipped otherwise)',
  () => {
    it('shows the real handshake, data and both closes, replacing the inferred segments', async () => {
      const lab = await newLab({ capture: true });
      await waitFor(lab, (v) => v.capture.status === 'on', 'capture on');
      const step = async (actor: string): Promise<void> => {
        await ok(lab, lab.handle({ type: 'step', actor, unit: 'call' }));
      };
      const run = async (actor: string): Promise<void> => {
        await ok(lab, lab.handle({ type: 'run', actor }));
      };
      await run('server'); // socket, bind, listen, accept (blocks)
      await run('client'); // socket, connect, write "hello", read (blocks until the echo)
      await run('server'); // accept returns, read "hello", write it back, read blocks
      await waitFor(
        lab,
        (v) => v.actors.client?.last?.call.call === 'read' && v.actors.client.last.ret === 5,
        'echo',
      );
      await step('client'); // close(sockfd): FIN
      await waitFor(
        lab,
        (v) => v.actors.server?.last?.call.call === 'read' && v.actors.server.last.ret === 0,
        'read 0',
      );
      await run('server'); // close(connfd), close(listenfd)

      const conn = await waitFor(
        lab,
        (v) => {
          const segs = visibleSegments(v).filter((g) => g.source === 'captured' && g.flags.includes('FIN'));
          if (segs.length < 2) return null;
          const all = visibleSegments(v).filter((g) => g.conn === segs[0]!.conn);
          // The last ACK (of the server's FIN) closes the exchange.
          const last = all.at(-1)!;
          return flags(last) === 'ACK' && all.filter((g) => g.flags.includes('FIN')).length === 2
            ? all
            : null;
        },
        'both FINs and the last ACK captured',
      );
      // Only captured segments are visible for this connection: none shown twice.
      expect(conn.every((g) => g.source === 'captured')).toBe(true);
      const [syn, synAck, ack] = conn;
      expect(flags(syn!)).toBe('SYN');
      expect(flags(synAck!)).toBe('ACK,SYN');
      expect(flags(ack!)).toBe('ACK');
      expect(synAck!.ackNo).toBe(add(syn!.seqNo!, 1));
      expect(ack!.ackNo).toBe(add(synAck!.seqNo!, 1));
      // The lab names its own sockets at both ends of every segment after the handshake.
      expect(conn.slice(2).every((g) => g.from !== null && g.to !== null)).toBe(true);
      // Data advances the sequence number by its length; a FIN consumes one.
      const data = conn.filter((g) => g.len > 0);
      expect(data.map((g) => g.len)).toEqual([5, 5]);
      const cData = data[0]!;
      expect(cData.seqNo).toBe(add(syn!.seqNo!, 1));
      const cFin = conn.find((g) => g.flags.includes('FIN') && g.src.port === cData.src.port)!;
      expect(cFin.seqNo).toBe(add(cData.seqNo!, 5));
      const ackOfFin = conn.find((g) => g.src.port !== cFin.src.port && g.ackNo === add(cFin.seqNo!, 1));
      expect(ackOfFin).toBeDefined();

      // The export reads back with tcpdump and lists every captured packet of the lab.
      const r = await lab.handle({ type: 'exportPcap' });
      if (!r.ok || typeof r.value !== 'string') throw new Error(`export failed: ${JSON.stringify(r)}`);
      const dir = mkdtempSync(join(tmpdir(), 'tcplab-'));
      const file = join(dir, 'lab.pcap');
      writeFileSync(file, Buffer.from(r.value, 'base64'));
      const { stdout } = await promisify(execFile)(tcpdump!, ['-r', file, '-nn'], { timeout: 10_000 });
      const lines = stdout.trim().split('\n');
      const captured = lab.view().segments.filter((g) => g.source === 'captured');
      expect(lines.length).toBe(captured.length);
      expect(lines[0]).toMatch(/Flags \[S\]/);
    });

    it('goes on with inferred segments, saying why, when the tool may not capture', async () => {
      const lab = await newLab({ capture: { tool: ['runuser', '-u', 'nobody', '--', tcpdump!] } });
      const status = await waitFor(lab, (v) => v.capture.status !== 'off' && v.capture, 'a capture status');
      expect(status.status).toBe('unavailable');
      expect(status.reason).toMatchObject({ code: 'capture.noPermission' });
      await ok(lab, lab.handle({ type: 'run', actor: 'server' }));
      await ok(lab, lab.handle({ type: 'run', actor: 'client' }));
      const segs = await waitFor(
        lab,
        (v) => (visibleSegments(v).length >= 3 ? visibleSegments(v) : null),
        'inferred handshake',
      );
      expect(segs.every((g) => g.source === 'inferred')).toBe(true);
      expect(segs.slice(0, 3).map(flags)).toEqual(['SYN', 'ACK,SYN', 'ACK']);
      const r = await lab.handle({ type: 'exportPcap' });
      expect(r.ok).toBe(false);
    });
  },
);
