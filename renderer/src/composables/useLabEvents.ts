/**
 * The lab's event stream as store updates, at most one per animation frame. A 100 MB
 * transfer emits thousands of buffer events a second; reducing them is cheap, rendering each
 * is not, so events are queued and handed to the store in one batch per frame (the reducer
 * still sees every event, so the view stays exact).
 *
 * When rendering a batch takes longer than a frame (a slow machine, a busy one, a big
 * window), the next batch waits about as many frames as that render took (at most
 * MAX_WAIT_FRAMES), so updates never take the whole main thread and the page keeps
 * answering input and drawing frames during a transfer.
 *
 * A frame's batch is held to what the reducer gets through in about REDUCE_BUDGET_MS, from
 * what the last batches cost per event: after a stall (the WebSocket handed over thousands
 * of events at once, the page waited for a core) the backlog is applied over a few frames,
 * each drawn, rather than in one long one. The events wait in order; none is skipped.
 */
import { getCurrentScope, onScopeDispose, toRef, type Ref } from 'vue';
import type { LabApi, LabEvent } from '@contract';
import { useLabStore, type LabStatus } from '@/stores/lab';

/** Schedules a callback for the next frame; returns a cancel function. */
export type FrameScheduler = (cb: () => void) => () => void;

/** requestAnimationFrame where there is one (the window), else a 16 ms timer. */
export const animationFrame: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => cb());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(cb, 16);
  return () => clearTimeout(id);
};

/** A frame lasts this long at 60 Hz, in ms. */
export const FRAME_MS = 1000 / 60;
/** Most frames a batch waits after a slow update. */
export const MAX_WAIT_FRAMES = 3;
/** About how long a frame's batch may take to reduce, in ms (the rest waits a frame). */
export const REDUCE_BUDGET_MS = 6;
/** The fewest events a frame applies, whatever they cost: the backlog always shrinks. */
export const MIN_BATCH = 64;

/** What useLabEvents gives back. */
export interface LabEventsHandle {
  /** The lab store's connection status: 'connecting' until the history arrived, then 'ready'; 'error' if ready() failed. */
  status: Readonly<Ref<LabStatus>>;
  /** Events waiting for the next frame. */
  queued: () => number;
  /** Apply every queued event now (tests, and before reading the store synchronously). */
  flush: () => void;
  /** Unsubscribe (also done when the calling scope is disposed). */
  stop: () => void;
}

/**
 * Subscribe the lab store to `api`: take the history from `ready()`, then every later batch
 * from `onEvents`, coalesced to at most one store update per frame.
 *
 * @param schedule runs a callback at the next frame (tests pass a manual one)
 * @param now the clock frames are timed with, in ms
 */
export function useLabEvents(
  api: LabApi,
  schedule: FrameScheduler = animationFrame,
  now: () => number = () => performance.now(),
): LabEventsHandle {
  const store = useLabStore();
  let queue: LabEvent[] = [];
  let cancel: (() => void) | null = null;
  // Measures how long the last update took to reach the screen: the next frame's start.
  let cancelProbe: (() => void) | null = null;
  // Frames the next batch still waits (after a slow update).
  let wait = 0;
  let haveHistory = false;
  let stopped = false;
  // What reducing one event cost lately, in ms (0: not known yet, take the whole queue).
  let perEventMs = 0;

  /** Hand the store the first `n` queued events (all by default), timing the reducer. */
  function apply(n = queue.length): void {
    cancel?.();
    cancel = null;
    if (!haveHistory || queue.length === 0) return;
    const batch = n >= queue.length ? queue : queue.slice(0, n);
    queue = n >= queue.length ? [] : queue.slice(n);
    const t0 = now();
    store.append(batch);
    const applied = now();
    // A small batch says little about the cost per event; a big one is averaged in.
    if (batch.length >= MIN_BATCH / 4) {
      const cost = (applied - t0) / batch.length;
      perEventMs = perEventMs === 0 ? cost : 0.7 * perEventMs + 0.3 * cost;
    }
    // Vue renders the change after this task; the next frame comes when that is painted.
    cancelProbe?.();
    cancelProbe = schedule(() => {
      cancelProbe = null;
      const took = now() - applied;
      wait = Math.min(MAX_WAIT_FRAMES, Math.max(0, Math.round(took / FRAME_MS) - 1));
    });
    // What is left goes on next frame, after the probe has said how long this one took.
    if (queue.length) later();
  }

  function later(): void {
    if (cancel || !haveHistory || stopped) return;
    cancel = schedule(() => {
      cancel = null;
      if (wait > 0) {
        wait--;
        later();
        return;
      }
      apply(perEventMs > 0 ? Math.max(MIN_BATCH, Math.floor(REDUCE_BUDGET_MS / perEventMs)) : queue.length);
    });
  }

  function flush(): void {
    apply();
  }

  store.attach(api);
  store.connection('connecting');
  // Subscribe before asking for the history so nothing falls between the two; the store
  // drops the overlap by sequence number.
  const unsubscribe = api.onEvents((batch) => {
    if (stopped) return;
    for (const e of batch) queue.push(e);
    later();
  });

  api.ready().then(
    (history) => {
      if (stopped) return;
      store.append(history);
      haveHistory = true;
      store.connection('ready');
      flush();
    },
    (err: unknown) => {
      store.connection('error', err instanceof Error ? err.message : String(err));
    },
  );

  function stop(): void {
    stopped = true;
    cancel?.();
    cancel = null;
    cancelProbe?.();
    cancelProbe = null;
    unsubscribe();
  }
  if (getCurrentScope()) onScopeDispose(stop);

  return { status: toRef(store, 'status'), queued: () => queue.length, flush, stop };
}
