/**
 * The ready handshake and event batching shared by both adapters (the Electron IPC bridge in
 * app/main/ipc.ts and the WebSocket bridge in app/web/server.ts): nothing is sent to a window
 * until it says it is ready; then it takes the history part by part (`historyPart()`, each at
 * most MAX_EVENT_BATCH events and about MAX_MESSAGE_ESTIMATE bytes), and every later event
 * follows in batches, flushed once per tick of FLUSH_MS or as soon as LIVE_BATCH events or
 * LIVE_BATCH_BYTES are queued. The live bound is what keeps a window drawing during a transfer:
 * the engine can run a burst of calls without giving its timers a turn (100 MB in 64 KB writes
 * went out as five messages of 5,000 events, each a 20 ms JSON.parse in the window and a
 * backlog behind it); small messages come steadily and each is read between two frames.
 *
 * The history is never copied nor stringified in one piece: a part is read from the log when
 * the adapter asks for it, so a window that reads slowly costs one part at a time (issue 12:
 * a history past V8's largest string crashed the server).
 *
 * Pure Node (timers only), so both adapters and their tests use the same code.
 */
import {
  chunkBySize,
  estimateBytes,
  MAX_EVENT_BATCH,
  MAX_MESSAGE_ESTIMATE,
  type CommandResult,
  type HistoryPart,
  type LabEvent,
} from '../contract';

/** The part of the engine's Lab (app/core/lab.ts) an adapter uses. */
export interface LabPort {
  /** Every event kept, oldest first, in increasing `seq`. */
  events(): readonly LabEvent[];
  /** Synchronous, in-order event callback; returns the unsubscribe function. */
  subscribe(cb: (e: LabEvent) => void): () => void;
  /** Validate and run a command; never throws. */
  handle(input: unknown): Promise<CommandResult>;
  /** Close every socket; idempotent. */
  dispose(): Promise<void>;
}

/** How often queued events are flushed to the window: about one frame. */
export const FLUSH_MS = 16;
/** A live batch goes at once when it holds this many events (about a frame of a transfer)… */
export const LIVE_BATCH = 256;
/** …or about this many bytes (by estimateBytes). */
export const LIVE_BATCH_BYTES = 64 * 1024;

/** Default of {@link EventPumpOptions.maxQueuedBytes}. */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/** Options of {@link EventPump}. */
export interface EventPumpOptions {
  /**
   * Most bytes of live events (by estimateBytes) held for a window still taking its history;
   * past it `onOverflow` is called once and the stream stops. Default MAX_QUEUED_BYTES.
   */
  maxQueuedBytes?: number;
  /** The window fell too far behind (see maxQueuedBytes). */
  onOverflow?: () => void;
}

/**
 * One window's view of the lab's event stream. `ready()` starts it; until then events are not
 * even queued (the history will contain them).
 */
export class EventPump {
  private queue: LabEvent[] = [];
  /** Each queued event's estimateBytes, measured once as it is queued. */
  private queueSizes: number[] = [];
  private queuedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  /** The history being taken: the next seq to give and the last one that belongs to it. */
  private history: { next: number; upTo: number } | null = null;
  private readonly maxQueuedBytes: number;

  /**
   * @param lab the engine
   * @param deliver sends one batch (1 to MAX_EVENT_BATCH events, in order) to the window
   */
  constructor(
    private readonly lab: Pick<LabPort, 'events' | 'subscribe'>,
    private readonly deliver: (batch: LabEvent[]) => void,
    private readonly opts: EventPumpOptions = {},
  ) {
    this.maxQueuedBytes = opts.maxQueuedBytes ?? MAX_QUEUED_BYTES;
  }

  /**
   * The window is ready (again, after a reload): the history is every event so far, taken
   * with historyPart(); later events are queued meanwhile and follow the last part. The bound
   * and the subscription are set in the same synchronous step, so no event is lost or sent
   * twice between them.
   */
  ready(): void {
    if (this.closed) return;
    this.stop();
    const all = this.lab.events();
    this.history = { next: 0, upTo: all.at(-1)?.seq ?? 0 };
    this.unsubscribe = this.lab.subscribe((e) => this.push(e));
  }

  /** Whether a history is being taken (ready() was called and its last part not yet given). */
  takingHistory(): boolean {
    return this.history !== null;
  }

  /**
   * The next part of the history. The last one has `more: false`; the queued live events go
   * out on the next tick after it (the adapter sends the part first). Events the log dropped
   * meanwhile are skipped (its notice is among the live events).
   */
  historyPart(): HistoryPart {
    const h = this.history;
    if (!h || this.closed) return { events: [], more: false };
    const all = this.lab.events();
    let i = firstAtLeast(all, h.next);
    const events: LabEvent[] = [];
    let bytes = 0;
    for (; i < all.length && all[i]!.seq <= h.upTo && events.length < MAX_EVENT_BATCH; i++) {
      const e = all[i]!;
      const n = estimateBytes(e);
      if (events.length > 0 && bytes + n > MAX_MESSAGE_ESTIMATE) break;
      events.push(e);
      bytes += n;
    }
    if (events.length > 0) h.next = events.at(-1)!.seq + 1;
    const more = i < all.length && all[i]!.seq <= h.upTo;
    if (!more) {
      this.history = null;
      if (this.queue.length > 0) this.schedule();
    }
    return { events, more };
  }

  /** Send what is queued now, in batches of at most MAX_EVENT_BATCH (not during a history). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.history || this.closed || this.queue.length === 0) return;
    const queued = this.queue;
    const sizes = this.queueSizes;
    this.queue = [];
    this.queueSizes = [];
    this.queuedBytes = 0;
    for (const batch of chunkBySize(queued, MAX_EVENT_BATCH, MAX_MESSAGE_ESTIMATE, (_, i) => sizes[i]!)) {
      if (this.closed) return;
      this.deliver(batch);
    }
  }

  /** Stop streaming and drop anything queued; `ready()` may start again. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.queueSizes = [];
    this.queuedBytes = 0;
    this.history = null;
  }

  /** Stop for good (the window or connection is gone). */
  close(): void {
    this.stop();
    this.closed = true;
  }

  private push(e: LabEvent): void {
    const n = estimateBytes(e);
    this.queue.push(e);
    this.queueSizes.push(n);
    this.queuedBytes += n;
    if (this.history) {
      // The window is still taking its history: hold, within bounds.
      if (this.queuedBytes > this.maxQueuedBytes) {
        this.stop();
        this.opts.onOverflow?.();
      }
      return;
    }
    // A live batch's worth goes at once; otherwise wait for the tick so bursts share one message.
    if (this.queue.length >= LIVE_BATCH || this.queuedBytes >= LIVE_BATCH_BYTES) this.flush();
    else this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }
}

/** Index of the first event with seq ≥ `seq` (events are in increasing seq). */
function firstAtLeast(all: readonly LabEvent[], seq: number): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
