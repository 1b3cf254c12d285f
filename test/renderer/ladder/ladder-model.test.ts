/**
 * The ladder's content without a DOM: the whole history of a connection (no cap), a bulk
 * transfer folded into one item that counts its segments and bytes, SYN/FIN/RST never folded,
 * the numbers relative and absolute and as the lessons name them (x, y), the window, times in
 * ms from the connection's start, state changes in the kernel's order, the rows in a band.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VIEW_SEGMENTS, reduceAll, type LabEvent } from '@contract';
import { foldBytes, foldRows, inBand, isControl, itemKey, layout } from '@/components/ladder/fold';
import { courseLabel, formatMs, segmentLabel, windowLabel } from '@/components/ladder/labels';
import { buildLadder, type LadderSegmentRow } from '@/format/ladder';
import { bulkEvents } from './fixture';

const MB = 16 * 65_536;
const names = (rows: ReturnType<typeof buildLadder>) =>
  rows!.rows.map((r) => (r.kind === 'segment' ? r.flags : `${r.side}:${r.to}`));
const segs = (events: LabEvent[]) =>
  buildLadder(reduceAll(events))!.rows.filter((r): r is LadderSegmentRow => r.kind === 'segment');

describe('the ladder model', () => {
  it('keeps the whole history of a 1 MB transfer: no row is dropped', () => {
    const events = bulkEvents({ n: 16 });
    const ladder = buildLadder(reduceAll(events))!;
    const segments = ladder.rows.filter((r) => r.kind === 'segment');
    expect(segments).toHaveLength(events.filter((e) => e.type === 'segment').length);
    expect(segments.length).toBe(8 + 16 + 8); // the classic 8, 16 data segments, 8 ACKs
    expect(ladder.startDropped).toBe(false);
  });

  it('folds the bulk transfer into one item that says how many segments and bytes it holds', () => {
    const rows = buildLadder(reduceAll(bulkEvents({ n: 16 })))!.rows;
    const items = foldRows(rows, new Set());
    const folds = items.filter((i) => i.kind === 'fold');
    expect(folds).toHaveLength(1);
    const fold = folds[0]!;
    if (fold.kind !== 'fold') throw new Error('not a fold');
    // The handshake's last ACK, the echo's data, the transfer and its ACKs are one run.
    // The echo's data, the transfer and its ACKs are one run (the server's ESTABLISHED ends
    // the handshake's).
    expect(fold.rows).toHaveLength(1 + 16 + 8);
    expect(fold.c2s).toEqual({ segments: 1 + 16, bytes: 5 + MB, resent: 0 });
    expect(fold.s2c).toEqual({ segments: 8, bytes: 0, resent: 0 });
    expect(fold.toMs).toBeGreaterThan(fold.fromMs);
    // SYN, FIN and every state stay visible around it.
    const shown = items.map((i) =>
      i.kind === 'segment' ? i.flags : i.kind === 'state' ? `${i.side}:${i.to}` : i.kind,
    );
    expect(shown.filter((s) => /^(SYN|FIN)/.test(s))).toEqual(['SYN', 'SYN,ACK', 'FIN,ACK', 'FIN,ACK']);
    expect(shown.filter((s) => s.includes(':'))).toHaveLength(10);
    expect(items.every((i) => i.kind !== 'segment' || isControl(i) || !fold.rows.includes(i))).toBe(true);
    // Expanded: its header, then every one of its segments, in order.
    const open = foldRows(rows, new Set([itemKey(fold)]));
    const at = open.findIndex((i) => i.kind === 'fold-open');
    expect(open.slice(at + 1, at + 1 + fold.rows.length)).toEqual(fold.rows);
    expect(open).toHaveLength(items.length - 1 + 1 + fold.rows.length);
  });

  it("counts a fold's bytes once each: a retransmission is said apart, out of order and across 2^32 too", () => {
    const data = segs(bulkEvents({ n: 16 })).filter((r) => r.len > 0 && r.dir === 'c2s');
    const plain = foldBytes(data);
    expect(plain).toEqual({ bytes: 5 + MB, resent: 0 });
    // The kernel sent the 4th and a part of the 9th segment again, and the capture has them late.
    const part = { ...data[9]!, len: 14_875 };
    expect(foldBytes([...data, data[4]!, part])).toEqual({ bytes: 5 + MB, resent: data[4]!.len + 14_875 });
    // Out of order: the same bytes, whatever order they were captured in.
    expect(foldBytes([...data].reverse())).toEqual(plain);
    // Numbers that wrap past 2^32 in the middle of the fold.
    const start = 2 ** 32 - 3 * 65_536;
    const wrapped = data.map((r, i) => ({ ...r, seqNo: (start + i * 65_536) % 2 ** 32, len: 65_536 }));
    expect(foldBytes([...wrapped, wrapped[5]!])).toEqual({ bytes: data.length * 65_536, resent: 65_536 });
    // Without numbers (inferred), each segment's length counts.
    expect(foldBytes(data.map((r) => ({ ...r, seqNo: null })))).toEqual({ bytes: 5 + MB, resent: 0 });
  });

  it('never folds a short exchange, nor a run with SYN, FIN or RST', () => {
    const rows = buildLadder(reduceAll(bulkEvents()))!.rows;
    expect(foldRows(rows, new Set()).filter((i) => i.kind === 'fold')).toEqual([]);
    const withRst = rows.map((r, i) => (r.kind === 'segment' && i === 12 ? { ...r, flags: 'RST' } : r));
    expect(foldRows(withRst, new Set(), 2).some((i) => i.kind === 'fold' && i.rows.some(isControl))).toBe(
      false,
    );
  });

  it('writes the numbers as the lessons do: x, y, x+1, y+1 beside the relative or absolute values', () => {
    const [syn, synAck, ack, data, ...rest] = segs(bulkEvents({ n: 2, size: 1000 }));
    expect([syn, synAck, ack, data].map((r) => courseLabel(r!))).toEqual([
      'seq=x',
      'seq=y ack=x+1',
      'ack=y+1',
      'seq=x+1 ack=y+1',
    ]);
    expect([syn, synAck, ack].map((r) => segmentLabel(r!))).toEqual([
      'SYN seq=0 len=0',
      'SYN,ACK seq=0 ack=1 len=0',
      'ACK seq=1 ack=1 len=0',
    ]);
    expect([syn, synAck].map((r) => segmentLabel(r!, 'absolute'))).toEqual([
      'SYN seq=3000000000 len=0',
      'SYN,ACK seq=123456 ack=3000000001 len=0',
    ]);
    // The transfer moves x on by its bytes; the client's FIN takes one more.
    const fin = rest.find((r) => r.dir === 'c2s' && r.flags.includes('FIN'))!;
    expect(courseLabel(fin)).toBe(`seq=x+${6 + 2000} ack=y+1`);
    const lastAck = rest.at(-1)!;
    expect(courseLabel(lastAck)).toBe('ack=y+2');
    expect(windowLabel(syn!)).toBe('win=65483');
    expect(windowLabel(synAck!)).toBe('win=65536');
  });

  it('gives times in ms from the connection’s first segment', () => {
    const rows = segs(bulkEvents());
    expect(rows.map((r) => r.tMs).slice(0, 3)).toEqual([0, 3, 5]);
    expect(formatMs(rows[0]!.tMs)).toBe('0.000 ms');
    expect(formatMs(0.0412)).toBe('0.041 ms');
    expect(formatMs(195_765.546)).toBe('195\u202f766 ms');
    expect(formatMs(1204.46)).toBe('1\u202f204.5 ms');
  });

  it('places a state with the kernel’s timestamp in the kernel’s order, not where the text book would', () => {
    // Linux makes the server's socket when the handshake's ACK arrives: its SYN_RECEIVED and
    // ESTABLISHED come after that ACK (the tracepoint's times say so).
    const base = bulkEvents({ kernelTimes: true });
    const ackTs = (base.find((e) => e.type === 'segment' && e.flags.join() === 'ACK') as { tsUs: number })
      .tsUs;
    const events = bulkEvents({
      kernelTimes: true,
      stateTsUs: (to, socket, own) => (socket === 's3' && to === 'SYN_RECEIVED' ? ackTs + 5 : own),
    });
    const order = names(buildLadder(reduceAll(events)));
    expect(order.slice(0, 7)).toEqual([
      'client:SYN_SENT',
      'SYN',
      'SYN,ACK',
      'client:ESTABLISHED',
      'ACK',
      'server:SYN_RECEIVED',
      'server:ESTABLISHED',
    ]);
    expect(
      buildLadder(reduceAll(events))!.rows.find((r) => r.kind === 'state' && r.to === 'SYN_RECEIVED'),
    ).toMatchObject({
      kernelTime: true,
    });
    // Without the kernel's times, each state sits at the segment that moved it.
    expect(names(buildLadder(reduceAll(bulkEvents()))).slice(0, 4)).toEqual([
      'client:SYN_SENT',
      'SYN',
      'server:SYN_RECEIVED',
      'SYN,ACK',
    ]);
  });

  it('lets the segment that made a change decide where the two clocks cannot tell them apart', () => {
    const base = bulkEvents({ kernelTimes: true });
    const ackTs = (base.find((e) => e.type === 'segment' && e.flags.join() === 'ACK') as { tsUs: number })
      .tsUs;
    const at = (synRcvUs: number, estUs: number) =>
      names(
        buildLadder(
          reduceAll(
            bulkEvents({
              kernelTimes: true,
              stateTsUs: (to, socket, own) =>
                socket !== 's3' ? own : to === 'SYN_RECEIVED' ? synRcvUs : to === 'ESTABLISHED' ? estUs : own,
            }),
          ),
        ),
      );
    const around = (order: string[]) => order.slice(order.indexOf('ACK') - 1, order.indexOf('ACK') + 3);
    // 3 µs before the ACK's capture stamp: within the clocks' agreement, after the ACK it made.
    expect(around(at(ackTs - 4, ackTs - 3))).toEqual([
      'server:SYN_RECEIVED',
      'ACK',
      'server:ESTABLISHED',
      'PSH,ACK',
    ]);
    // 50 µs before: the kernel's word, though the state machine would put it after the ACK.
    expect(around(at(ackTs - 60, ackTs - 50))).toEqual([
      'server:ESTABLISHED',
      'ACK',
      'PSH,ACK',
      'client:FIN_WAIT_1',
    ]);
  });

  it('past the view’s cap keeps the handshake and both FINs, and says where segments are missing', () => {
    const events = bulkEvents({ n: MAX_VIEW_SEGMENTS, size: 100 });
    const all = events.filter((e) => e.type === 'segment').length;
    const ladder = buildLadder(reduceAll(events))!;
    const flags = ladder.rows.flatMap((r) => (r.kind === 'segment' ? [r.flags] : []));
    expect(flags.slice(0, 3)).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(flags.filter((f) => f.includes('FIN'))).toHaveLength(2);
    expect(flags).toHaveLength(MAX_VIEW_SEGMENTS);
    expect(ladder.startDropped).toBe(false);
    expect(ladder.dropped?.n).toBe(all - MAX_VIEW_SEGMENTS);
    // Folded, the handshake, the missing segments, the kept part of the transfer, the close.
    const items = foldRows(ladder.rows, new Set(), undefined, ladder.dropped);
    const kinds = items.map((i) => (i.kind === 'segment' ? i.flags : i.kind));
    const at = kinds.indexOf('dropped');
    expect(kinds.slice(0, at).filter((k) => /^[A-Z]/.test(k))).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(kinds.slice(at + 1)).toContain('fold');
    expect(kinds.filter((k) => k.includes('FIN'))).toHaveLength(2);
    // The missing ones were the oldest data (the echo, the transfer's start): every data
    // segment drawn comes after them.
    const before = ladder.rows.slice(0, ladder.dropped!.at);
    expect(before.every((r) => r.kind !== 'segment' || r.len === 0)).toBe(true);
    const next = ladder.rows.slice(ladder.dropped!.at).find((r) => r.kind === 'segment' && r.len > 0);
    expect(next).toMatchObject({ len: 100 });
    expect(next!.seq).toBeGreaterThan(ladder.dropped!.seq);
  });

  it('finds the rows in a band of the drawing by position', () => {
    const rows = buildLadder(reduceAll(bulkEvents({ n: 400, size: 100 })))!.rows;
    const fold = foldRows(rows, new Set()).find((i) => i.kind === 'fold')!;
    const items = foldRows(rows, new Set([itemKey(fold)]));
    const { placed, height } = layout(items);
    expect(height).toBeGreaterThan(20_000);
    const band = inBand(placed, 10_000, 11_000);
    expect(band.length).toBeGreaterThan(10);
    expect(band.length).toBeLessThan(50);
    expect(band[0]!.y + band[0]!.h).toBeGreaterThan(10_000);
    expect(band[0]!.y).toBeLessThanOrEqual(10_000);
    expect(band.at(-1)!.y).toBeLessThan(11_000);
    expect(inBand(placed, 0, height)).toHaveLength(placed.length);
  });
});
