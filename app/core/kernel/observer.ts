/**
 * The kernel observer: polls the kernel's socket table while lab sockets are watched, finds
 * each watched socket's row, and reports a row only when it changed, so the event log gets
 * one `socket.kernel` event per real change rather than 25 a second.
 */
import { endpointKey } from './address';
import type { KernelRow, KernelTableSource, WatchKey } from './types';

/** Called with a watched id and its row now, or null when the kernel has no row for it. */
export type KernelChangeListener = (id: string, row: KernelRow | null) => void;

/** Options of {@link KernelObserver}. */
export interface KernelObserverOptions {
  /**
   * Pause between the end of one poll and the start of the next, in ms (default 40: 25/s).
   * When a poll itself took longer (a table of thousands of sockets, a slow netstat), the
   * pause is as long as that poll, so the observer never takes more than half a core.
   */
  pollMs?: number;
  /**
   * A change of the timer alone (TIME_WAIT counting down, a retransmit timer re-armed) is
   * reported at most once per this many ms for a given id (default 500). Any other change
   * (state, queues, a timer starting or stopping) is reported at the next poll.
   */
  timerIntervalMs?: number;
  /** Told when a read of the table fails; polling goes on. */
  onError?: (err: unknown) => void;
  /** Clock in ms for the timer interval and poll durations (tests); default performance.now. */
  now?: () => number;
}

interface Watch {
  key: WatchKey;
  /** Canonical match key: local + remote (or 'LISTEN'). */
  match: string;
  /** What was last reported: undefined before the first report. */
  last: KernelRow | null | undefined;
  lastAt: number;
}

/** The match key of a watch, or of a row (as LISTEN row or as connection row). */
function watchKey(key: WatchKey): string {
  return key.remote === null
    ? `L ${endpointKey(key.local)}`
    : `C ${endpointKey(key.local)} ${endpointKey(key.remote)}`;
}

/** True when two observations differ in anything but the timer. */
export function differsBesideTimer(a: KernelRow, b: KernelRow): boolean {
  return (
    a.state !== b.state ||
    a.sendQ !== b.sendQ ||
    a.recvQ !== b.recvQ ||
    (a.timerMs === null) !== (b.timerMs === null)
  );
}

/**
 * Polls a {@link KernelTableSource} while at least one socket is watched; never two reads at
 * once (the next poll is scheduled when the last one ends, so a slow `netstat` lowers the
 * rate instead of piling up processes).
 *
 * Matching: a watch with `remote: null` matches the LISTEN row on its local endpoint; any
 * other watch matches the row with the same local and remote endpoints, whatever its state.
 * 127.0.0.1 and ::ffff:127.0.0.1 are the same host. When several rows match (a new
 * connection reusing the 4-tuple of one in TIME_WAIT), the row with the inode last seen for
 * that watch wins, otherwise the first that is not in TIME_WAIT.
 *
 * Reports: the first poll after `watch()` always reports (the row, or null if the kernel has
 * none); afterwards only changes, and null once when the row disappears.
 */
export class KernelObserver {
  private readonly watches = new Map<string, Watch>();
  private readonly listeners = new Set<KernelChangeListener>();
  private readonly pollMs: number;
  private readonly timerIntervalMs: number;
  private readonly onError: ((err: unknown) => void) | undefined;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<void> | null = null;
  private lastPollMs = 0;
  private disposed = false;

  /** Creates an idle observer over `source`; it starts polling with the first watch. */
  constructor(
    readonly source: KernelTableSource,
    options: KernelObserverOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 40;
    this.timerIntervalMs = options.timerIntervalMs ?? 500;
    this.onError = options.onError;
    this.now = options.now ?? (() => performance.now());
  }

  /** Subscribes to changes; returns the function that unsubscribes. */
  onChange(listener: KernelChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or replaces) the watch for `id`. Polling starts if it was idle. */
  watch(id: string, key: WatchKey): void {
    if (this.disposed) return;
    this.watches.set(id, { key, match: watchKey(key), last: undefined, lastAt: -Infinity });
    this.schedule();
  }

  /** Stops watching `id`; polling stops with the last watch. */
  unwatch(id: string): void {
    this.watches.delete(id);
    if (this.watches.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /**
   * Reads the table once now and reports changes (also used by tests and the benchmark).
   * If a poll is running, waits for it instead of starting a second one.
   */
  pollNow(): Promise<void> {
    if (this.polling) return this.polling;
    const started = this.now();
    this.polling = this.pollOnce().finally(() => {
      this.lastPollMs = this.now() - started;
      this.polling = null;
      this.schedule();
    });
    return this.polling;
  }

  /** Stops polling for good and forgets every watch and listener. */
  dispose(): void {
    this.disposed = true;
    this.watches.clear();
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.disposed || this.timer || this.polling || this.watches.size === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.pollNow();
      },
      Math.max(this.pollMs, Math.min(this.lastPollMs, 1000)),
    );
    // The observer must never keep a process alive on its own.
    this.timer.unref?.();
  }

  private async pollOnce(): Promise<void> {
    if (this.watches.size === 0) return;
    let rows: KernelRow[];
    try {
      rows = await this.source.read();
    } catch (err) {
      this.onError?.(err);
      return;
    }
    this.match(rows);
  }

  /** Matches rows of one table read against every watch and reports what changed. */
  match(rows: readonly KernelRow[]): void {
    const byKey = new Map<string, KernelRow[]>();
    const add = (k: string, row: KernelRow): void => {
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    };
    for (const row of rows) {
      if (row.state === 'LISTEN') add(`L ${endpointKey(row.local)}`, row);
      else add(`C ${endpointKey(row.local)} ${endpointKey(row.remote)}`, row);
    }
    const now = this.now();
    for (const [id, w] of this.watches) {
      const candidates = byKey.get(w.match);
      const row = candidates ? this.pick(candidates, w.last) : null;
      if (!this.shouldReport(w, row, now)) continue;
      w.last = row;
      w.lastAt = now;
      for (const l of this.listeners) l(id, row);
    }
  }

  private pick(candidates: KernelRow[], last: KernelRow | null | undefined): KernelRow {
    if (candidates.length > 1 && last && last.inode !== 0) {
      const same = candidates.find((r) => r.inode === last.inode);
      if (same) return same;
    }
    return candidates.find((r) => r.state !== 'TIME_WAIT') ?? (candidates[0] as KernelRow);
  }

  private shouldReport(w: Watch, row: KernelRow | null, now: number): boolean {
    const last = w.last;
    if (last === undefined) return true;
    if (last === null || row === null) return last !== row;
    if (differsBesideTimer(last, row)) return true;
    return row.timerMs !== last.timerMs && now - w.lastAt >= this.timerIntervalMs;
  }
}
