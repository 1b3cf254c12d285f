/**
 * The append-only event log: numbers and stamps every event, keeps them, tells subscribers
 * synchronously and in order, and keeps the view state up to date with the contract's
 * reducer (one `reduce` per event, never a replay of the whole log).
 */
import { initialViewState, reduce, type ViewState } from '../contract/reducer';
import type { LabEvent, LabEventInput } from '../contract/schema';

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  /** Most events kept in memory (default 500,000); see {@link EventLog.append}. */
  maxEvents?: number;
}

/** A subscriber: called once per event, synchronously, in log order. */
export type EventListener = (e: LabEvent) => void;

/** The lab's event log. */
export class EventLog {
  private readonly maxEvents: number;
  private store: LabEvent[] = [];
  private state: ViewState = initialViewState();
  private seq = 0;
  private dropped = 0;
  private readonly listeners = new Set<EventListener>();

  /** An empty log. */
  constructor(opts: EventLogOptions = {}) {
    this.maxEvents = Math.max(100, opts.maxEvents ?? 500_000);
  }

  /**
   * Numbers (from 1) and stamps (wall clock in ms, with the microsecond fraction) an event,
   * stores it, updates the view and notifies subscribers. When the store is full the oldest
   * half is dropped from memory (the view and the numbering go on unchanged) and a warning
   * notice says so, once per drop: the log never grows without bound and never throws.
   */
  append(input: LabEventInput): LabEvent {
    if (this.store.length >= this.maxEvents) this.dropOldest();
    const e = this.stamp(input);
    this.commit(e);
    return e;
  }

  /** The events kept, oldest first (all of them unless the limit forced a drop). */
  events(): readonly LabEvent[] {
    return this.store;
  }

  /** How many old events were dropped from memory because of the limit. */
  droppedCount(): number {
    return this.dropped;
  }

  /** The reducer's state after every event so far. */
  view(): ViewState {
    return this.state;
  }

  /** Subscribe to every future event; returns the function that unsubscribes. */
  subscribe(cb: EventListener): () => void {
    this.listeners.add(cb);
    return () => {
      this.listeners.delete(cb);
    };
  }

  private stamp(input: LabEventInput): LabEvent {
    // performance.now() is monotonic with sub-millisecond resolution; adding timeOrigin
    // gives wall-clock milliseconds with the microsecond fraction the contract asks for.
    return { ...input, seq: ++this.seq, t: performance.timeOrigin + performance.now() } as LabEvent;
  }

  private commit(e: LabEvent): void {
    this.store.push(e);
    this.state = reduce(this.state, e);
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A subscriber's bug must not break the log or the other subscribers.
      }
    }
  }

  private dropOldest(): void {
    const n = Math.floor(this.store.length / 2);
    this.store = this.store.slice(n);
    this.dropped += n;
    this.commit(
      this.stamp({
        type: 'lab.notice',
        level: 'warning',
        text: `The event log reached its limit of ${this.maxEvents} events: the oldest ${n} were dropped from memory (${this.dropped} in all). The live view is unaffected; a saved trace starts later.`,
      }),
    );
  }
}
