/**
 * The ready handshake and batching shared by both adapters, on a synthetic event source:
 * nothing before ready, history and stream without gap or repeat, batches of at most
 * MAX_EVENT_BATCH, flushed within a tick.
 */
import { describe, expect, it, vi } from 'vitest';
import { MAX_EVENT_BATCH, type LabEvent } from '../../../app/contract';
import { EventPump } from '../../../app/web/event-pump';

function source() {
  const events: LabEvent[] = [];
  const subs = new Set<(e: LabEvent) => void>();
  return {
    events: () => events,
    subscribe(cb: (e: LabEvent) => void) {
      subs.add(cb);
      return () => void subs.delete(cb);
    },
    emit(n: number) {
      for (let i = 0; i < n; i++) {
        const e: LabEvent = { type: 'lab.notice', level: 'info', text: 'x', seq: events.length + 1, t: 0 };
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
    expect(pump.ready().map((e) => e.seq)).toEqual([1, 2, 3]);
    src.emit(2);
    expect(batches).toEqual([]); // not yet: waits for the tick
    await vi.waitFor(() => expect(batches.flat().map((e) => e.seq)).toEqual([4, 5]));
    expect(batches).toHaveLength(1);
  });

  it('splits a burst into batches of at most MAX_EVENT_BATCH', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    pump.ready();
    src.emit(MAX_EVENT_BATCH * 2 + 7);
    pump.flush();
    expect(batches.map((b) => b.length)).toEqual([MAX_EVENT_BATCH, MAX_EVENT_BATCH, 7]);
    expect(batches.flat().map((e) => e.seq)).toEqual(src.events().map((e) => e.seq));
  });

  it('drops what is queued on stop, restarts on ready, and stays silent after close', () => {
    const src = source();
    const batches: LabEvent[][] = [];
    const pump = new EventPump(src, (b) => batches.push(b));
    pump.ready();
    src.emit(2);
    pump.stop();
    pump.flush();
    expect(batches).toEqual([]);
    expect(pump.ready()).toHaveLength(2);
    expect(src.subscribers).toBe(1);
    pump.close();
    expect(src.subscribers).toBe(0);
    src.emit(1);
    pump.flush();
    expect(pump.ready()).toEqual([]);
    expect(batches).toEqual([]);
  });
});
