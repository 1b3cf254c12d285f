/**
 * The view's segment cap (app/contract/segment-cap.ts): a transfer longer than
 * MAX_VIEW_SEGMENTS drops its oldest data segments, never a connection's SYN, FIN or RST nor
 * its handshake's last ACK while another segment can go, and counts what it dropped per
 * connection; reduce (event by
 * event) and reduceMany (a run) drop the same. The events are built through the contract's
 * schema, as the engine sends them.
 */
import { describe, expect, it } from 'vitest';
import {
  droppedOf,
  EventSchema,
  initialViewState,
  isControlSegment,
  MAX_VIEW_SEGMENTS,
  reduce,
  reduceAll,
  reduceMany,
  type LabEvent,
  type SegmentView,
  type TcpFlag,
  type ViewState,
} from '../../../app/contract';
import { appendCapped, CappedRun } from '../../../app/contract/segment-cap';

const T0 = 1_700_000_000_000;
const SERVER = { host: '127.0.0.1', port: 5000 };
const C1 = { host: '127.0.0.1', port: 40312 };
const C2 = { host: '127.0.0.1', port: 40313 };
type End = typeof SERVER;

/** A lab's log built event by event, each one parsed by the contract's schema. */
function logger() {
  const out: LabEvent[] = [];
  const add = (e: Record<string, unknown>) => {
    const n = out.length + 1;
    out.push(EventSchema.parse({ seq: n, t: T0 + n, ...e }) as LabEvent);
  };
  const seg = (src: End, dst: End, flags: TcpFlag[], seqNo: number, ackNo: number, len = 0) =>
    add({
      type: 'segment',
      source: 'captured',
      src,
      dst,
      from: null,
      to: null,
      flags,
      seqNo,
      ackNo,
      len,
      win: 65_483,
      tsUs: (T0 + out.length + 1) * 1000,
    });
  return { out, add, seg };
}

/** A connection's handshake, `n` data segments each acknowledged, and both FINs. */
function connection(l: ReturnType<typeof logger>, client: End, n: number, between?: (i: number) => void) {
  const x = 1000;
  const y = 9000;
  l.seg(client, SERVER, ['SYN'], x, 0);
  l.seg(SERVER, client, ['SYN', 'ACK'], y, x + 1);
  l.seg(client, SERVER, ['ACK'], x + 1, y + 1);
  let s = x + 1;
  for (let i = 0; i < n; i++) {
    l.seg(client, SERVER, ['PSH', 'ACK'], s, y + 1, 100);
    s += 100;
    l.seg(SERVER, client, ['ACK'], y + 1, s);
    between?.(i);
  }
  l.seg(client, SERVER, ['FIN', 'ACK'], s, y + 1);
  l.seg(SERVER, client, ['FIN', 'ACK'], y + 1, s + 1);
  l.seg(client, SERVER, ['ACK'], s + 1, y + 2);
}

const flagsOf = (g: SegmentView) => g.flags.join(',');
const control = (v: ViewState, conn: string) =>
  v.segments.filter((g) => g.conn === conn && isControlSegment(g)).map(flagsOf);
/** The handshake as held: the SYN, the SYN-ACK and the first segment after them. */
const handshake = (v: ViewState, conn: string) =>
  v.segments
    .filter((g) => g.conn === conn)
    .slice(0, 3)
    .map((g) => `${flagsOf(g)} ${g.seqNo}/${g.ackNo}`);

describe('the view’s segment cap', () => {
  // One long transfer (twice the cap), a second connection opened and closed in the middle
  // of it, and a short third one after a reset.
  const l = logger();
  l.add({ type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' });
  connection(l, C1, MAX_VIEW_SEGMENTS, (i) => {
    if (i === 1500) connection(l, C2, 20);
  });
  const all = l.out.filter((e): e is Extract<LabEvent, { type: 'segment' }> => e.type === 'segment');
  const view = reduceAll(l.out);
  const conn1 = view.segments.find((g) => g.src.port === C1.port)!.conn;
  const conn2 = view.segments.find((g) => g.src.port === C2.port)!.conn;

  it('keeps every handshake and FIN of a transfer twice as long as the cap, and the newest data', () => {
    expect(all.length).toBeGreaterThan(2 * MAX_VIEW_SEGMENTS);
    expect(view.segments).toHaveLength(MAX_VIEW_SEGMENTS);
    for (const conn of [conn1, conn2]) {
      expect(control(view, conn)).toEqual(['SYN', 'SYN,ACK', 'FIN,ACK', 'FIN,ACK']);
      expect(handshake(view, conn)).toEqual(['SYN 1000/0', 'SYN,ACK 9000/1001', 'ACK 1001/9001']);
    }
    // What is kept is in the log's order; past the handshakes' ACKs, the newest plain ones.
    const seqs = view.segments.map((g) => g.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const acks = new Set(view.segments.filter((g) => g.seqNo === 1001 && g.ackNo === 9001).map((g) => g.seq));
    expect(acks.size).toBe(2);
    const plain = all.filter(
      (e) => !e.flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST') && !acks.has(e.seq),
    );
    const keptPlain = view.segments.filter((g) => !isControlSegment(g) && !acks.has(g.seq)).map((g) => g.seq);
    expect(keptPlain).toEqual(plain.slice(-keptPlain.length).map((e) => e.seq));
  });

  it('counts what it dropped per connection, with where the last one was', () => {
    const held = (conn: string) => view.segments.filter((g) => g.conn === conn).length;
    const sent = (port: number) => all.filter((e) => e.src.port === port || e.dst.port === port).length;
    const d1 = droppedOf(view, conn1)!;
    const d2 = droppedOf(view, conn2)!;
    expect(d1.n).toBe(sent(C1.port) - held(conn1));
    expect(d2.n).toBe(sent(C2.port) - held(conn2));
    expect(d1.n + d2.n).toBe(all.length - MAX_VIEW_SEGMENTS);
    // The second connection lost all its data and ACKs but kept its handshake and its FINs.
    expect(held(conn2)).toBe(5);
    const newestDropped = Math.max(
      ...all.filter((e) => e.src.port === C1.port || e.dst.port === C1.port).map((e) => e.seq),
    );
    expect(d1.lastSeq).toBeLessThan(newestDropped);
    expect(view.segments.some((g) => g.conn === conn1 && g.seq === d1.lastSeq)).toBe(false);
    const beforeLast = view.segments.filter((g) => g.conn === conn1 && g.seq < d1.lastSeq);
    expect(beforeLast.map(flagsOf)).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(d1.lastTsUs).toBe(all.find((e) => e.seq === d1.lastSeq)!.tsUs);
    // Nothing dropped: no count.
    expect(droppedOf(reduceAll(l.out, 40), conn1)).toBeNull();
  });

  it('starts counting again after a reset', () => {
    const more = logger();
    more.out.push(...l.out);
    more.add({ type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' });
    connection(more, C1, 3);
    const v = reduceAll(more.out);
    expect(v.droppedSegments).toEqual({});
    expect(v.segments.map(flagsOf).slice(0, 3)).toEqual(['SYN', 'SYN,ACK', 'ACK']);
  });

  it('drops the same in reduce, event by event, as in reduceMany, at every cut', () => {
    let one = initialViewState();
    const cuts = [0, 7, 3000, MAX_VIEW_SEGMENTS + 2, 7777, l.out.length];
    let many = initialViewState();
    for (let c = 1; c < cuts.length; c++) {
      for (let i = cuts[c - 1]!; i < cuts[c]!; i++) one = reduce(one, l.out[i]!);
      many = reduceMany(many, l.out, cuts[c - 1], cuts[c]);
      expect(many).toEqual(one);
    }
    expect(one).toEqual(view);
  });

  it('when only what the rule keeps is held, the oldest of it goes; the run drops what reduce does', () => {
    // A small cap, random flags over three connections: a kept segment goes only while
    // nothing else can, and the run and the one-by-one rule agree at every step.
    const max = 10;
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31);
    const base = reduce(
      initialViewState(),
      l.out.find((e) => e.type === 'segment')!,
    ).segments[0]!;
    const segs: SegmentView[] = Array.from({ length: 600 }, (_, i) => ({
      ...base,
      seq: i + 1,
      conn: `c${next() % 3}`,
      flags: next() % 3 === 0 ? ['ACK'] : next() % 2 ? ['RST'] : ['FIN', 'ACK'],
    }));
    /** Plain and not its connection's first plain one held. */
    const droppable = (held: SegmentView[], g: SegmentView) =>
      !isControlSegment(g) && held.find((h) => !isControlSegment(h) && h.conn === g.conn) !== g;
    let list: SegmentView[] = [];
    const run = new CappedRun([], max);
    let fallbacks = 0;
    for (const g of segs) {
      const r = appendCapped(list, g, max);
      expect(run.push(g)).toBe(r.dropped);
      const held = list.concat(g);
      if (r.dropped && !droppable(held, r.dropped)) {
        fallbacks++;
        expect(held.some((h) => droppable(held, h))).toBe(false);
        expect(r.dropped).toBe(held[0]);
      } else if (r.dropped) expect(held.find((h) => droppable(held, h))).toBe(r.dropped);
      list = r.segments;
      expect(list.length).toBeLessThanOrEqual(max);
      expect(run.segments()).toEqual(list);
    }
    expect(fallbacks).toBeGreaterThan(10);
  });
});
