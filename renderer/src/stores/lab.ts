/**
 * The lab as the window knows it: the event log received so far, the live view reduced from
 * it, and the timeline cursor. The view at event N is always `reduceAll(events, N)`; snapshots
 * every SNAPSHOT_EVERY events keep stepping back cheap. Stepping back changes only what is
 * shown: the real sockets stay where they are.
 *
 * Replay: `startReplay` shows a saved trace instead of the lab. Its events become the store's
 * events (the timeline, the log and every panel step through them); the live lab's events
 * keep arriving and are kept aside, and `stopReplay` (or `goLive`) brings the live log back
 * with them applied. Commands are not sent while replaying (`live` is false).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { refuse } from '@contract/messages';
import { initialViewState, reduceMany } from '@contract/reducer';
import type { ActorId, Call, Command, CommandResult, LabApi, LabEvent, Sayable, ViewState } from '@contract';

/**
 * Events a student steps between with Shift+←/→: calls, state changes and segments (not the
 * buffer and kernel updates that come in hundreds during a transfer).
 */
const MILESTONES: ReadonlySet<LabEvent['type']> = new Set([
  'call.started',
  'call.blocked',
  'call.returned',
  'socket.state',
  'segment',
  'lab.reset',
]);

/** A snapshot of the view is kept after every this many events. */
export const SNAPSHOT_EVERY = 256;

/**
 * Reduce `list[from..]` onto `view` (the view after `from` events), pushing a snapshot onto
 * `snapshots` at every multiple of SNAPSHOT_EVERY; the view after the whole list.
 */
function reduceInto(
  view: ViewState,
  list: readonly LabEvent[],
  from: number,
  snapshots: ViewState[],
): ViewState {
  let n = from;
  while (n < list.length) {
    // Up to the next snapshot boundary (or the end) in one run of the reducer.
    const to = Math.min(list.length, (Math.floor(n / SNAPSHOT_EVERY) + 1) * SNAPSHOT_EVERY);
    view = reduceMany(view, list, n, to);
    n = to;
    if (n % SNAPSHOT_EVERY === 0) snapshots.push(view);
  }
  return view;
}

/** The trace being replayed: its file name and when it was saved. */
export interface ReplayInfo {
  /** The file name, as shown in the banner. */
  name: string;
  /** When the trace was saved (ISO 8601), as written in the file. */
  savedAt: string;
  /** The lesson and step it was saved in, when it was. */
  lesson?: { id: string; step: number };
}

/** Where the connection to the lab stands. */
export type LabStatus = 'idle' | 'connecting' | 'ready' | 'error';

/** The event log, the live and timeline views, and the commands the window sends. */
export const useLabStore = defineStore('lab', () => {
  /** The api commands go through; set by `attach` (useLabEvents does it). */
  const api = shallowRef<LabApi | null>(null);
  /** Every event received, in order. Appended in place; `triggerRef` marks each batch. */
  const events = shallowRef<LabEvent[]>([]);
  /** The view after the last event. */
  const liveView = shallowRef<ViewState>(initialViewState());
  /** The timeline position (number of events shown), or null when following live. */
  const cursor = ref<number | null>(null);
  /**
   * Where the connection to the lab stands, and the error that stopped it, if any: kept here
   * only, set only through `connection()` (useLabEvents for the handshake, main.ts for the
   * carrier's own status).
   */
  const status = ref<LabStatus>('idle');
  const connectError = ref<string | null>(null);
  /** Why the last command was refused (a code the window says, or a transport's own text); cleared by `dismissError`. */
  const lastError = ref<Sayable | null>(null);
  /** How many batches were applied (one per animation frame at most, see useLabEvents). */
  const updates = ref(0);
  /** The trace shown instead of the live lab, or null when showing the lab. */
  const replay = ref<ReplayInfo | null>(null);

  // snapshots[k] is the view after k * SNAPSHOT_EVERY events. Not reactive: derived data.
  let snapshots: ViewState[] = [initialViewState()];
  // The last view computed for the timeline, so stepping one event forward costs one reduce.
  let memo: { n: number; view: ViewState } | null = null;
  // While replaying: the live log as it was, and the live batches that arrived since.
  let held: {
    events: LabEvent[];
    liveView: ViewState;
    snapshots: ViewState[];
    cursor: number | null;
    incoming: LabEvent[];
  } | null = null;

  /** Append a batch of events (duplicates by seq are dropped) and update the live view once. */
  function append(batch: readonly LabEvent[]): void {
    if (held) {
      for (const e of batch) held.incoming.push(e);
      return;
    }
    const list = events.value;
    const start = list.length;
    for (const e of batch) {
      const last = list[list.length - 1];
      if (last && e.seq <= last.seq) continue; // history and live stream may overlap
      list.push(e);
    }
    if (list.length === start) return;
    liveView.value = reduceInto(liveView.value, list, start, snapshots);
    updates.value++;
    triggerRef(events);
  }
  /** Forget every event (a new connection to the lab starts from its history). */
  function clear(): void {
    if (held) {
      // A new connection to the lab while replaying: forget the live log kept aside.
      held = {
        events: [],
        liveView: initialViewState(),
        snapshots: [initialViewState()],
        cursor: null,
        incoming: [],
      };
      return;
    }
    events.value = [];
    liveView.value = initialViewState();
    snapshots = [initialViewState()];
    memo = null;
    cursor.value = null;
  }

  /** The view after the first `n` events: equal to reduceAll(events, n). */
  function viewAt(n: number): ViewState {
    const list = events.value;
    const target = Math.max(0, Math.min(n, list.length));
    if (target === list.length) return liveView.value;
    let from = Math.min(Math.floor(target / SNAPSHOT_EVERY), snapshots.length - 1) * SNAPSHOT_EVERY;
    let view = snapshots[from / SNAPSHOT_EVERY]!;
    if (memo && memo.n <= target && memo.n >= from) {
      from = memo.n;
      view = memo.view;
    }
    view = reduceMany(view, list, from, target);
    memo = { n: target, view };
    return view;
  }

  /** Whether the window follows the live lab (never while replaying a trace). */
  const live = computed(() => cursor.value === null && replay.value === null);
  /** Number of events shown (the timeline position). */
  const position = computed(() => cursor.value ?? events.value.length);
  /** Number of events received. */
  const total = computed(() => events.value.length);
  /** What the window shows: the live view, or the view at the cursor. */
  const view = computed<ViewState>(() => (cursor.value === null ? liveView.value : viewAt(cursor.value)));

  /** Show the lab as it was after `n` events; the end of the log means live. */
  function seek(n: number): void {
    const len = events.value.length;
    const target = Math.max(0, Math.min(Math.round(n), len));
    cursor.value = target >= len ? null : target;
  }
  /** One event back. */
  function stepBack(): void {
    seek(position.value - 1);
  }
  /** One event forward (reaching the end goes live). */
  function stepForward(): void {
    seek(position.value + 1);
  }
  /** Back to just after the previous milestone event (a call, a state change, a segment). */
  function milestoneBack(): void {
    const list = events.value;
    for (let n = position.value - 1; n > 0; n--) if (MILESTONES.has(list[n - 1]!.type)) return seek(n);
    seek(0);
  }
  /** Forward to just after the next milestone event (the end goes live). */
  function milestoneForward(): void {
    const list = events.value;
    for (let n = position.value + 1; n <= list.length; n++)
      if (MILESTONES.has(list[n - 1]!.type)) return seek(n);
    seek(list.length);
  }
  /** Follow the live lab again (leaving a replay). */
  function goLive(): void {
    if (replay.value) stopReplay();
    cursor.value = null;
  }

  /**
   * Show `trace` (already checked by parseTrace) instead of the lab, at its last event. The
   * live log is kept as it is, and live batches are kept aside until `stopReplay`.
   */
  function startReplay(info: ReplayInfo, trace: readonly LabEvent[]): void {
    held ??= {
      events: events.value,
      liveView: liveView.value,
      snapshots,
      cursor: cursor.value,
      incoming: [],
    };
    const list: LabEvent[] = trace.slice();
    snapshots = [initialViewState()];
    const view = reduceInto(snapshots[0]!, list, 0, snapshots);
    memo = null;
    events.value = list;
    liveView.value = view;
    cursor.value = null;
    replay.value = { ...info };
    updates.value++;
  }

  /** Leave the replay: the live log comes back, with the batches that arrived meanwhile. */
  function stopReplay(): void {
    const h = held;
    if (!h) return;
    held = null;
    replay.value = null;
    memo = null;
    events.value = h.events;
    liveView.value = h.liveView;
    snapshots = h.snapshots;
    cursor.value = h.cursor;
    updates.value++;
    append(h.incoming);
  }

  /** Use this api for commands. */
  function attach(a: LabApi): void {
    api.value = a;
  }

  /** The connection is now `next`; an error says why. Once it failed it stays failed. */
  function connection(next: LabStatus, error?: string): void {
    if (status.value === 'error') return;
    status.value = next;
    if (next === 'error') connectError.value = error ?? '';
  }

  /** Send a command; a refusal is kept in `lastError` and returned, never thrown. */
  async function command(cmd: Command): Promise<CommandResult> {
    const a = api.value;
    if (!a) {
      const r = refuse('refusal.notConnected');
      lastError.value = r.refusal;
      return r;
    }
    let result: CommandResult;
    try {
      result = await a.command(cmd);
    } catch (err) {
      // LabApi.command never rejects by contract; a broken transport still must not be silent.
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    lastError.value = result.ok ? null : (result.refusal ?? result.error);
    return result;
  }

  /** Step an actor's program: one statement, or (unit 'call') up to and including its next call. */
  const step = (actor: ActorId, unit?: 'statement' | 'call') =>
    command(unit ? { type: 'step', actor, unit } : { type: 'step', actor });
  /** Run an actor until a call blocks, its program ends, or one of the breakpoints' lines is next. */
  const run = (actor: ActorId, breakpoints?: readonly number[]) =>
    command(
      breakpoints?.length ? { type: 'run', actor, breakpoints: [...breakpoints] } : { type: 'run', actor },
    );
  /** Interrupt an actor's blocked call (EINTR). */
  const interrupt = (actor: ActorId) => command({ type: 'interrupt', actor });
  /**
   * Close everything and start again. Reset acts on the live lab, so a replay is left first:
   * the window then shows the lab being reset, not a trace that seems unaffected.
   */
  const reset = () => {
    goLive();
    return command({ type: 'reset' });
  };
  /** Add a client with the default program. */
  const addClient = () => command({ type: 'addClient' });
  /** Make one call on an actor (the sandbox). */
  const call = (actor: ActorId, c: Call) => command({ type: 'call', actor, call: c });
  /** Forget the last refusal. */
  function dismissError(): void {
    lastError.value = null;
  }

  return {
    api,
    events,
    liveView,
    cursor,
    status,
    connectError,
    lastError,
    updates,
    replay,
    live,
    position,
    total,
    view,
    append,
    clear,
    viewAt,
    seek,
    stepBack,
    stepForward,
    milestoneBack,
    milestoneForward,
    goLive,
    startReplay,
    stopReplay,
    attach,
    connection,
    command,
    step,
    run,
    interrupt,
    reset,
    addClient,
    call,
    dismissError,
  };
});
