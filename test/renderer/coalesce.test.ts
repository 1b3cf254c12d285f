import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reduceAll, type LabEvent } from '../../app/contract';
import { useLabEvents } from '../../renderer/src/composables/useLabEvents';
import { useLabStore } from '../../renderer/src/stores/lab';
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
