/**
 * The ready handshake and event batching shared by both adapters (the Electron IPC bridge in
 * app/main/ipc.ts and the WebSocket bridge in app/web/server.ts): nothing is sent to a window
 * until it says it is ready; then it gets the history in one answer and every later event in
 * batches of at most MAX_EVENT_BATCH, flushed once per tick of FLUSH_MS.
 *
 * Pure Node (timers only), so both adapters and their tests use the same code.
 */
import { MAX_EVENT_BATCH, type CommandResult, type LabEvent } from '../contract';

/** The part of the engine's Lab (app/core/lab.ts) an adapter uses. */
export interface LabPort {
  /** Every event so far. */
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

/**
 * One window's view of the lab's event stream. `ready()` answers with the history and starts
 * the stream; until then events are not even queued (the history will contain them).
 */
export class EventPump {
  private queue: LabEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  /**
   * @param lab the engine
   * @param deliver sends one batch (1 to MAX_EVENT_BATCH events, in order) to the window
   */
  constructor(
    private readonly lab: Pick<LabPort, 'events' | 'subscribe'>,
    private readonly deliver: (batch: LabEvent[]) => void,
  ) {}

  /**
   * The window is ready (again, after a reload): returns every event so far and streams the
   * rest. Snapshot and subscription happen in the same synchronous step, so no event is lost
   * or sent twice between them.
   */
  ready(): LabEvent[] {
    if (this.closed) return [];
    this.stop();
    const history = this.lab.events().slice();
    this.unsubscribe = this.lab.subscribe((e) => this.push(e));
    return history;
  }

  /** Send what is queued now, in batches of at most MAX_EVENT_BATCH. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.splice(0, MAX_EVENT_BATCH);
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
  }

  /** Stop for good (the window or connection is gone). */
  close(): void {
    this.stop();
    this.closed = true;
  }

  private push(e: LabEvent): void {
    this.queue.push(e);
    // A full batch goes at once; otherwise wait for the tick so bursts share one message.
    if (this.queue.length >= MAX_EVENT_BATCH) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }
}
