import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reduceAll, type LabEvent } from '@contract';
import {
  FRAME_MS,
  MAX_WAIT_FRAMES,
  MIN_BATCH,
  REDUCE_BUDGET_MS,
  useLabEvents,
} from '@/composables/useLabEvents';
import { useLabStore } from '@/stores/lab';
import { classicEvents } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';

/** A frame scheduler the test advances by hand. */
function manualFrames() {
  let queued: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => {
      queued.push(cb);
      return () => {
        queued = queued.filter((f) => f !== cb);
      };
    },
    frame() {
      const run = queued;
      queued = [];
      for (const f of run) f();
    },
    pending: () => queued.length,
  };
}

/** Buffer events as a transfer emits them: one per write chunk. */
function bufferEvents(from: number, n: number): LabEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: from + i,
    t: 1_700_000_100_000 + i,
    type: 'socket.buffers' as const,
    socket: 's3',
    buffers: {
      sendApp: 0,
      sendKernel: 0,
      recvKernel: (i + 1) * 65536,
      recvApp: 0,
      sendPreview: '',
      recvPreview: 'abcd',
      finReceived: false,
    },
  }));
}

describe('useLabEvents', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('takes the history, then coalesces live batches into one store update per frame', async () => {
    const history = classicEvents.slice(0, 40);
    const api = fakeApi(history);
    const frames = manualFrames();
    const lab = useLabStore();
    const h = useLabEvents(api, frames.schedule);
    await vi.waitFor(() => expect(h.status.value).toBe('ready'));
    expect(lab.total).toBe(40);
    const before = lab.updates;

    // 1000 batches of one event, as a busy transfer sends them, within one frame.
    const burst = bufferEvents(classicEvents.length + 1, 1000);
    api.emit(classicEvents.slice(40)); // the rest of the flow first
    for (const e of burst) api.emit([e]);
    expect(lab.updates).toBe(before); // nothing applied before the frame
    expect(frames.pending()).toBe(1); // one frame requested, not a thousand
    frames.frame();
    expect(lab.updates).toBe(before + 1);
    const all = [...classicEvents, ...burst];
    expect(lab.total).toBe(all.length);
    expect(lab.liveView).toEqual(reduceAll(all));
    expect(lab.liveView.sockets.s3!.buffers.recvKernel).toBe(1000 * 65536);
    h.stop();
    expect(api.listeners()).toBe(0);
  });

  it('holds stream events that arrive before the history and drops the overlap', async () => {
    const api = fakeApi(classicEvents.slice(0, 50));
    const frames = manualFrames();
    const lab = useLabStore();
    const h = useLabEvents(api, frames.schedule);
    api.emit(classicEvents.slice(45, 60)); // before ready() resolved
    expect(lab.total).toBe(0);
    await vi.waitFor(() => expect(h.status.value).toBe('ready'));
    frames.frame();
    expect(lab.total).toBe(60);
    expect(lab.liveView).toEqual(reduceAll(classicEvents, 60));
    h.stop();
  });

  it('after an update that took several frames to draw, the next one waits as many (at most 3)', async () => {
    const api = fakeApi(classicEvents);
    const frames = manualFrames();
    let clock = 0;
    const lab = useLabStore();
    const h = useLabEvents(api, frames.schedule, () => clock);
    await vi.waitFor(() => expect(h.status.value).toBe('ready'));
    const burst = bufferEvents(classicEvents.length + 1, 40);
    // Frames come every `ms`; one batch of the burst arrives before each.
    const frame = (ms: number) => {
      clock += ms;
      frames.frame();
    };
    const updatesOver = (n: number, ms: number) => {
      const before = lab.updates;
      for (let i = 0; i < n; i++) {
        const e = burst.shift();
        if (e) api.emit([e]);
        frame(ms);
      }
      return lab.updates - before;
    };
    // Fast renders: one update per frame.
    expect(updatesOver(6, FRAME_MS)).toBe(6);
    // Each update takes 3 frames to show: it is applied one frame in three.
    expect(updatesOver(9, 3 * FRAME_MS)).toBe(3);
    // Very slow ones never hold a batch more than MAX_WAIT_FRAMES frames.
    expect(updatesOver(8, 10 * FRAME_MS)).toBe(8 / (MAX_WAIT_FRAMES + 1));
    // Fast again: every frame.
    updatesOver(MAX_WAIT_FRAMES + 1, FRAME_MS);
    expect(updatesOver(5, FRAME_MS)).toBe(5);
    // Nothing was dropped or reordered on the way.
    h.flush();
    expect(lab.liveView).toEqual(reduceAll(lab.events));
    expect(lab.total).toBe(classicEvents.length + 40 - burst.length);
    h.stop();
    expect(frames.pending()).toBe(0);
  });

  it('holds a frame’s batch to the reducer’s budget: a backlog goes over several frames, in order', async () => {
    const api = fakeApi(classicEvents.slice(0, 40));
    const frames = manualFrames();
    const lab = useLabStore();
    // Frames come every FRAME_MS, and reducing costs COST ms per event.
    const COST = 0.05;
    let frameClock = 0;
    const h = useLabEvents(api, frames.schedule, () => frameClock + lab.total * COST);
    const frame = () => {
      frameClock += FRAME_MS;
      frames.frame();
    };
    await vi.waitFor(() => expect(h.status.value).toBe('ready'));
    // The first live batch is taken whole (nothing is known of the cost yet) and timed.
    api.emit(classicEvents.slice(40));
    frame();
    expect(lab.total).toBe(classicEvents.length);
    const perBatch = Math.max(MIN_BATCH, Math.floor(REDUCE_BUDGET_MS / COST));
    const burst = bufferEvents(classicEvents.length + 1, 1000);
    api.emit(burst);
    const applied: { n: number; at: number }[] = [];
    for (let i = 0; i < 200 && h.queued() > 0; i++) {
      const before = lab.total;
      const updates = lab.updates;
      frame();
      expect(lab.updates - updates).toBeLessThanOrEqual(1);
      if (lab.total > before) applied.push({ n: lab.total - before, at: frameClock });
    }
    expect(h.queued()).toBe(0);
    expect(applied.length).toBeGreaterThan(1000 / perBatch - 1);
    expect(Math.max(...applied.map((a) => a.n))).toBeLessThanOrEqual(perBatch);
    expect(lab.liveView).toEqual(reduceAll([...classicEvents, ...burst]));
    h.stop();
    expect(frames.pending()).toBe(0);
  });

  it('reports a lab that cannot be reached', async () => {
    const api = fakeApi();
    api.ready = () => Promise.reject(new Error('WebSocket closed'));
    const lab = useLabStore();
    const h = useLabEvents(api, manualFrames().schedule);
    await vi.waitFor(() => expect(h.status.value).toBe('error'));
    expect(lab.status).toBe('error');
    expect(lab.connectError).toBe('WebSocket closed');
  });
});
