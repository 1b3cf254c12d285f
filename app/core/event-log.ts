/**
 * The append-only event log: numbers and stamps every event, keeps them, tells subscribers
 * synchronously and in order, and keeps the view state with the contract's reducer: new
 * events are reduced together (reduceMany) when the view is asked for, or every
 * REDUCE_EVERY events, never by a replay of the whole log.
 */
import { initialViewState, reduceMany, type ViewState } from '../contract/reducer';
import { estimateBytes } from '../contract/event-size';
import { msg, type LabEvent, type LabEventInput } from '../contract/schema';

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  /** Most events kept in memory (default 500,000); see {@link EventLog.append}. */
  maxEvents?: number;
  /**
   * Most bytes of events kept in memory, by the contract's estimateBytes (about their size as
   * JSON; default 64 MiB). A few large events (a program with a long string) reach it long
   * before the count does.
   */
  maxBytes?: number;
}

/** What `seq` and `t` add to an event's estimate (`,"seq":8,"t":8`). */
const STAMP_BYTES = 26;

/** The default of {@link EventLogOptions.maxBytes}. */
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024;

/** Most events held unreduced: nobody may ask for the view during a long transfer. */
const REDUCE_EVERY = 1024;

/** A subscriber: called once per event, synchronously, in log order. */
export type EventListener = (e: LabEvent) => void;

/** The lab's event log. */
export class EventLog {
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private store: LabEvent[] = [];
  /** Each stored event's estimateBytes (measured once, at append), in the store's order. */
  private sizes: number[] = [];
  /** estimateBytes of the events in store, summed. */
  private bytes = 0;
  private state: ViewState = initialViewState();
  /** Events not yet reduced into `state`: reduced together when the view is asked for. */
  private unreduced: LabEvent[] = [];
  private seq = 0;
  private dropped = 0;
  private readonly listeners = new Set<EventListener>();

  /** An empty log. */
  constructor(opts: EventLogOptions = {}) {
    this.maxEvents = Math.max(100, opts.maxEvents ?? 500_000);
    this.maxBytes = Math.max(64 * 1024, opts.maxBytes ?? DEFAULT_MAX_EVENT_BYTES);
  }

  /**
   * Numbers (from 1) and stamps (wall clock in ms, with the microsecond fraction) an event,
   * stores it, updates the view and notifies subscribers. When the store is full (in count or
   * in bytes) the oldest half is dropped from memory (the view and the numbering go on
   * unchanged) and a warning notice says so, once per drop: the log never grows without bound
   * and never throws.
   */
  append(input: LabEventInput): LabEvent {
    // The size before stamping (seq and t add STAMP_BYTES), so a drop's notice comes first.
    const size = estimateBytes(input) + STAMP_BYTES;
    if (this.store.length >= this.maxEvents) this.dropOldest('count');
    else if (this.bytes + size > this.maxBytes && this.store.length > 0) this.dropOldest('bytes', size);
    const e = this.stamp(input);
    this.commit(e, size);
    return e;
  }

  /** About how many bytes the events kept take (the contract's estimateBytes, summed). */
  sizeEstimate(): number {
    return this.bytes;
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
    if (this.unreduced.length > 0) {
      this.state = reduceMany(this.state, this.unreduced);
      this.unreduced = [];
    }
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

  private commit(e: LabEvent, size = estimateBytes(e)): void {
    this.store.push(e);
    this.sizes.push(size);
    this.bytes += size;
    this.unreduced.push(e);
    if (this.unreduced.length >= REDUCE_EVERY) this.view();
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A subscriber's bug must not break the log or the other subscribers.
      }
    }
  }

  /**
   * Drop the oldest half (by count), or (by bytes) the oldest events until the rest and `incoming`
   * fill at most half of maxBytes; then say so in a notice.
   */
  private dropOldest(why: 'count' | 'bytes', incoming = 0): void {
    let n: number;
    if (why === 'count') {
      n = Math.floor(this.store.length / 2);
      for (let i = 0; i < n; i++) this.bytes -= this.sizes[i]!;
    } else {
      n = 0;
      const target = this.maxBytes / 2 - incoming;
      while (n < this.store.length && this.bytes > target) this.bytes -= this.sizes[n++]!;
    }
    this.store = this.store.slice(n);
    this.sizes = this.sizes.slice(n);
    this.dropped += n;
    const mib = Math.round(this.maxBytes / (1024 * 1024));
    this.commit(
      this.stamp({
        type: 'lab.notice',
        level: 'warning',
        text:
          why === 'count'
            ? msg('notice.logFullCount', { max: this.maxEvents, n, all: this.dropped })
            : msg('notice.logFullBytes', { mib, n, all: this.dropped }),
      }),
    );
  }
}
