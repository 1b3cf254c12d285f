/**
 * reduceMany is a faster path to what reduce gives event by event: same view, the states it
 * was given left as they were, and reduceAll(events, n) unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  initialViewState,
  MAX_VIEW_SEGMENTS,
  reduce,
  reduceAll,
  reduceMany,
  type LabEvent,
  type ViewState,
} from '../../../app/contract';

const T0 = 1_700_000_000_000;
const A = { host: '127.0.0.1', port: 5000 };
const B = { host: '127.0.0.1', port: 40312 };
const C = { host: '127.0.0.1', port: 40313 };

/** A log with more than twice MAX_VIEW_SEGMENTS segments between other events, and a reset. */
function bigLog(): LabEvent[] {
  const out: LabEvent[] = [];
  const add = (e: Record<string, unknown>) =>
    out.push({ seq: out.length + 1, t: T0 + out.length, ...e } as LabEvent);
  const setup = () => {
    add({ type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' });
    add({ type: 'actor.added', actor: 'client', kind: 'client' });
    add({ type: 'socket.created', socket: 's1', actor: 'client', family: 'inet' });
  };
  const segment = (i: number, src = B, dst = A) =>
    add({
      type: 'segment',
      source: i % 3 === 0 ? 'captured' : 'inferred',
      src,
      dst,
      from: 's1',
      to: null,
      flags: ['ACK'],
      seqNo: i,
      ackNo: 1,
      len: 100,
      win: 65535,
      ...(i % 2 ? { options: ['nop'] } : {}),
      tsUs: (T0 + i) * 1000,
    });
  setup();
  for (let i = 0; i < 2 * MAX_VIEW_SEGMENTS + 1234; i++) {
    segment(i, i % 7 === 0 ? C : B);
    if (i % 97 === 0)
      add({
        type: 'socket.buffers',
        socket: 's1',
        buffers: {
          sendApp: i,
          sendKernel: 0,
          recvKernel: 0,
          recvApp: 0,
          sendPreview: '',
          recvPreview: '',
          finReceived: false,
        },
      });
    if (i % 1000 === 0) add({ type: 'lab.notice', level: 'info', text: `n${i}` });
  }
  setup();
  for (let i = 0; i < 50; i++) segment(i);
  return out;
}

/** Event by event, as reduce alone does it. */
function oneByOne(prev: ViewState, events: readonly LabEvent[], from: number, to: number): ViewState {
  let s = prev;
  for (let i = from; i < to; i++) s = reduce(s, events[i]!);
  return s;
}

describe('reduceMany', () => {
  const log = bigLog();

  it('gives the view reduce gives, event by event, at every cut', () => {
    const cuts = [0, 1, 3, 4, 777, MAX_VIEW_SEGMENTS, 2 * MAX_VIEW_SEGMENTS + 5, log.length - 60, log.length];
    for (const n of cuts) expect(reduceAll(log, n)).toEqual(oneByOne(initialViewState(), log, 0, n));
    const full = reduceAll(log);
    expect(full.segments.length).toBe(50);
    // Just before the second reset (3 events, then 50 segments).
    const before = reduceAll(log, log.length - 53);
    expect(before.segments.length).toBe(MAX_VIEW_SEGMENTS);
    expect(before.segments.at(-1)!.seqNo).toBe(2 * MAX_VIEW_SEGMENTS + 1233);
  });

  it('leaves the state it starts from untouched, chunk after chunk', () => {
    let s = initialViewState();
    const kept: { view: ViewState; json: string; n: number }[] = [];
    for (let n = 0; n < log.length;) {
      const to = Math.min(log.length, n + 1 + ((n * 7919) % 3000));
      s = reduceMany(s, log, n, to);
      n = to;
      kept.push({ view: s, json: JSON.stringify(s), n });
    }
    // Every view handed out is still what it was, and equals the one-by-one view at its point.
    for (const k of kept) expect(JSON.stringify(k.view)).toBe(k.json);
    for (const k of kept.filter((_, i) => i % 5 === 0))
      expect(k.view).toEqual(oneByOne(initialViewState(), log, 0, k.n));
  });

  it('a run goes on from the list it gave once; from the same list again (the timeline), it starts anew', () => {
    const cut = MAX_VIEW_SEGMENTS + 321;
    const mid = reduceMany(initialViewState(), log, 0, cut);
    // Both start from mid's list: the first goes on with the run that made it, the second not.
    const a = reduceMany(mid, log, cut, cut + 900);
    const b = reduceMany(mid, log, cut, cut + 900);
    const c = reduceMany(a, log, cut + 900, log.length - 60);
    const one = oneByOne(initialViewState(), log, 0, cut + 900);
    expect(a).toEqual(one);
    expect(b).toEqual(one);
    expect(c).toEqual(oneByOne(one, log, cut + 900, log.length - 60));
    expect(mid).toEqual(oneByOne(initialViewState(), log, 0, cut));
  });

  it('copies the segment list once, not per segment: a long captured run stays fast', () => {
    // The best of three runs each, so a busy machine does not decide the outcome.
    const best = (f: () => void) =>
      Math.min(
        ...[0, 1, 2].map(() => {
          const t = performance.now();
          f();
          return performance.now() - t;
        }),
      );
    const many = best(() => reduceAll(log));
    const single = best(() => oneByOne(initialViewState(), log, 0, log.length));
    // ~11k segments: one by one copies up to 5000 entries each time.
    expect(many * 2).toBeLessThan(single);
  });
});

describe('actor ids', () => {
  it('refuse the names every object has, so none shadows a record entry', async () => {
    const { ActorIdSchema } = await import('../../../app/contract');
    for (const name of ['constructor', 'tostring', 'valueof', 'hasownproperty', '__proto__'])
      expect(ActorIdSchema.safeParse(name).success, name).toBe(false);
    for (const name of ['server', 'client2', 'proto', 'builder'])
      expect(ActorIdSchema.safeParse(name).success).toBe(true);
  });
});
