/**
 * The .pcap export of one connection, or of a lesson's run (the packets since an event):
 * real captures (root, tcpdump), read back with the capture's own decoder.
 */
import { describe, expect, it } from 'vitest';
import { connKey } from '../../../app/contract/reducer';
import { decodeTcp, PcapReader } from '../../../app/core/capture/pcap';
import { newLab, waitFor } from '../engine/helpers';
import { runToEnd } from '../interp/run-to-end';
import { findTool } from '../../../app/core/capture/capture';

const canCapture = process.platform === 'linux' && findTool('tcpdump') !== null && process.getuid?.() === 0;

/** The connections (as keys) of the packets in a .pcap answered as base64. */
function connections(b64: string): string[] {
  const r = new PcapReader();
  const packets = r.push(Buffer.from(b64, 'base64'));
  const link = r.header!.linkType;
  return [
    ...new Set(
      packets
        .map((p) => decodeTcp(link, p.data))
        .filter((s) => s !== null)
        .map((s) => connKey(s!.src, s!.dst)),
    ),
  ];
}

describe.runIf(canCapture)('pcap export scope (needs Linux, tcpdump and root)', () => {
  it('keeps one connection, or the packets since a lesson run began', async () => {
    const lab = await newLab({ capture: true });
    try {
      await waitFor(lab, (v) => v.capture.status === 'on', 'capture on');
      await runToEnd(lab, ['server', 'client']);
      await waitFor(
        lab,
        (v) => v.segments.filter((s) => s.source === 'captured').some((s) => s.flags.includes('FIN')),
        'first FIN',
      );
      const first = lab.view().segments.filter((s) => s.source === 'captured');
      // A second run, after a reset (as a lesson starts), on a new port.
      await lab.execute({ type: 'reset' });
      const resetSeq = lab.view().seq;
      await runToEnd(lab, ['server', 'client']);
      await waitFor(
        lab,
        (v) => v.segments.some((s) => s.source === 'captured' && s.flags.includes('FIN') && s.seq > resetSeq),
        'second FIN',
      );
      const all = await lab.execute({ type: 'exportPcap' });
      expect(all.ok).toBe(true);
      const both = connections(all.ok ? String(all.value) : '');
      expect(both.length).toBe(2);
      const one = first[0]!;
      const only = await lab.execute({ type: 'exportPcap', connection: { a: one.src, b: one.dst } });
      expect(connections(only.ok ? String(only.value) : '')).toEqual([connKey(one.src, one.dst)]);
      const run = await lab.execute({ type: 'exportPcap', sinceSeq: resetSeq });
      const since = connections(run.ok ? String(run.value) : '');
      expect(since).toHaveLength(1);
      expect(since[0]).not.toBe(connKey(one.src, one.dst));
      const none = await lab.execute({
        type: 'exportPcap',
        connection: { a: { host: '127.0.0.1', port: 1 }, b: { host: '127.0.0.1', port: 2 } },
      });
      expect(none).toMatchObject({
        ok: false,
        error: expect.stringMatching(/nothing captured of that connection/),
      });
    } finally {
      await lab.dispose();
    }
  }, 60_000);
});
