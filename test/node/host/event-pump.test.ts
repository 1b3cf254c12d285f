/**
 * The ready handshake and batching shared by both adapters, on a synthetic event source:
 * nothing before ready, history (in bounded parts) and stream without gap or repeat, batches
 * of at most MAX_EVENT_BATCH and about MAX_MESSAGE_ESTIMATE bytes, flushed within a tick, and
 * a live burst sent as it comes in batches of LIVE_BATCH events or LIVE_BATCH_BYTES.
 */
import { describe, expect, it, vi } from 'vitest';
import { estimateBytes, MAX_EVENT_BATCH, MAX_MESSAGE_ESTIMATE, type LabEvent } from '../../../app/contract';
import { EventPump, LIVE_BATCH, LIVE_BATCH_BYTES } from '../../../app/host/event-pump';

/** ready(), then every history part: the events, and how many parts they came in. */
function readyAll(pump: EventPump): LabEvent[] & { parts?: number } {
  pump.ready();
  const all: LabEvent[] & { parts?: number } = [];
  let parts = 0;
  for (;;) {
    const p = pump.historyPart();
    parts++;
    all.push(...p.events);
    if (!p.more) break;
  }
  all.parts = parts;
  return all;
}

function source() {
  const events: LabEvent[] = [];
  const subs = new Set<(e: LabEvent) => void>();
  return {
    events: () => events,
    subscribe(cb: (e: LabEvent) => void) {
      subs.add(cb);
      return () => void subs.delete(cb);
    },
    emit(n: number, text = 'x') {
      for (let i = 0; i < n; i++) {
        const e: LabEvent = { type: 'lab.notice', level: 'info', text, seq: events.length + 1, t: 0 };
        events.push(e);
        for (const s of subs) s(e);
      }
    },
    get subscribers() {
      return subs.size;
    },
  };
}

describe('EventPump', () => {
  it('sends nothing before ready, then the history, then the rest in order', async () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    src.emit(3);
    expect(src.subscribers).toBe(0);
    expect(readyAll(pump).map((e) => e.seq)).toEqual([1, 2, 3]);
    src.emit(2);
    expect(batches).toEqual([]); // not yet: waits for the tick
    await vi.waitFor(() => expect(batches.flat().map((e) => e.seq)).toEqual([4, 5]));
    expect(batches).toHaveLength(1);
  });

  it('sends a live burst in batches of LIVE_BATCH as it comes, without waiting for a tick', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    readyAll(pump);
    // One synchronous burst: the engine's timers get no turn until it ends.
    src.emit(LIVE_BATCH * 3 + 7);
    expect(batches.map((b) => b.length)).toEqual([LIVE_BATCH, LIVE_BATCH, LIVE_BATCH]);
    pump.flush();
    expect(batches.map((b) => b.length)).toEqual([LIVE_BATCH, LIVE_BATCH, LIVE_BATCH, 7]);
    expect(batches.flat().map((e) => e.seq)).toEqual(src.events().map((e) => e.seq));
  });

  it('sends a live batch at once when its bytes reach LIVE_BATCH_BYTES', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    readyAll(pump);
    // Four events of a quarter of the bound each, and a bit more: the fourth sends them.
    src.emit(4, 'x'.repeat(LIVE_BATCH_BYTES / 4));
    expect(batches.map((b) => b.length)).toEqual([4]);
    expect(estimateBytes(batches[0]!)).toBeGreaterThanOrEqual(LIVE_BATCH_BYTES);
  });

  it('splits what waited for a history into batches of at most MAX_EVENT_BATCH', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    pump.ready();
    src.emit(MAX_EVENT_BATCH * 2 + 7); // live, while the (empty) history is taken
    expect(pump.historyPart().more).toBe(false);
    pump.flush();
    expect(batches.map((b) => b.length)).toEqual([MAX_EVENT_BATCH, MAX_EVENT_BATCH, 7]);
    expect(batches.flat().map((e) => e.seq)).toEqual(src.events().map((e) => e.seq));
  });

  it('drops what is queued on stop, restarts on ready, and stays silent after close', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    readyAll(pump);
    src.emit(2);
    pump.stop();
    pump.flush();
    expect(batches).toEqual([]);
    expect(readyAll(pump)).toHaveLength(2);
    expect(src.subscribers).toBe(1);
    pump.close();
    expect(src.subscribers).toBe(0);
    src.emit(1);
    pump.flush();
    expect([...readyAll(pump)]).toEqual([]);
    expect(batches).toEqual([]);
  });

  it('gives a large history in parts of bounded count and bytes, live events after the last', async () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    src.emit(MAX_EVENT_BATCH * 3 + 1);
    pump.ready();
    src.emit(5); // live, while the history is taken: held until its last part
    const parts: LabEvent[][] = [];
    for (;;) {
      const p = pump.historyPart();
      parts.push(p.events);
      if (!p.more) break;
      pump.flush();
      if (batches.length) throw new Error('a live batch went out before the history ended');
    }
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(MAX_EVENT_BATCH);
      expect(estimateBytes(p)).toBeLessThanOrEqual(MAX_MESSAGE_ESTIMATE + 4096);
    }
    expect(parts.flat().map((e) => e.seq)).toEqual(
      src
        .events()
        .slice(0, MAX_EVENT_BATCH * 3 + 1)
        .map((e) => e.seq),
    );
    await vi.waitFor(() => expect(batches.flat().map((e) => e.seq)).toHaveLength(5));
    expect(batches.flat()[0]!.seq).toBe(MAX_EVENT_BATCH * 3 + 2);
  });

  it('cuts by bytes: a few big events take several parts', () => {
    const src = source();
    const big = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 6; i++) {
      const e: LabEvent = { type: 'lab.notice', level: 'info', text: big, seq: i + 1, t: 0 };
      src.events().push(e);
    }
    const pump = new EventPump(src, () => {});
    const got = readyAll(pump);
    expect(got).toHaveLength(6);
    expect(got.parts).toBeGreaterThanOrEqual(3);
  });

  it('skips what the log dropped meanwhile, and calls onOverflow when live events pile up', () => {
    const src = source();
    src.emit(10);
    let overflowed = 0;
    const pump = new EventPump(src, () => {}, { maxQueuedBytes: 1000, onOverflow: () => overflowed++ });
    pump.ready();
    src.events().splice(0, 4); // the log dropped its oldest four
    const p = pump.historyPart();
    expect(p.events.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    pump.ready();
    src.emit(100);
    expect(overflowed).toBe(1);
    expect(src.subscribers).toBe(0);
  });
});
