/**
 * The poller: one per process, for every lab in it. A call that would block parks on a
 * descriptor and the events it waits for; the poller waits in poll(2) on a worker thread
 * (koffi's async call) for every parked descriptor plus the read end of a wake pipe, and
 * calls each waiter whose descriptor the kernel made ready. Adding or removing a waiter
 * writes a byte to the pipe, so the running poll returns and the next one sees the new set.
 *
 * One process-wide poller keeps the worker threads in use to one, however many labs run
 * (tests make many; libuv's pool has four threads and file I/O needs them too).
 * See docs/architecture.md, "Blocking".
 */
import type { Sys } from '../sys/types';

/** A parked wait: `fd` and the poll bits it waits for; `ready` gets the revents. */
export interface PollWaiter {
  fd: number;
  events: number;
  ready(revents: number): void;
}

/** The process's poller over `sys` (created on first use). */
export class Poller {
  private readonly waiters = new Set<PollWaiter>();
  private wakeR = -1;
  private wakeW = -1;
  private running = false;
  /** A poll is in flight on the worker thread (a change wakes it; the next poll sees it). */
  private inFlight = false;
  private readonly drain = Buffer.alloc(64);
  private readonly one = Buffer.from([1]);
  /** Polls made (for the benchmark and tests). */
  polls = 0;

  /** A poller on `sys`; the wake pipe is made on the first wait. */
  constructor(private readonly sys: Sys) {}

  /** Park `w` until its descriptor is ready; returns the function that unparks it. */
  add(w: PollWaiter): () => void {
    this.waiters.add(w);
    this.changed();
    return () => {
      if (this.waiters.delete(w)) this.changed();
    };
  }

  /** How many waits are parked. */
  get size(): number {
    return this.waiters.size;
  }

  private changed(): void {
    if (!this.ensurePipe()) return;
    if (this.inFlight) {
      this.sys.writeFd(this.wakeW, this.one, 1);
    } else if (!this.running) this.loop();
  }

  private ensurePipe(): boolean {
    if (this.wakeR >= 0) return true;
    const p = this.sys.pipe();
    if (!p.fds) return false;
    [this.wakeR, this.wakeW] = p.fds;
    return true;
  }

  /** Poll while anything is parked; never two polls at once. */
  private loop(): void {
    if (this.running) return;
    this.running = true;
    const next = (): void => {
      if (this.waiters.size === 0) {
        this.running = false;
        return;
      }
      const list = [...this.waiters];
      const buf = this.sys.pollBuffer(list.length + 1);
      buf.set(0, this.wakeR, this.sys.constants.POLL.POLLIN);
      list.forEach((w, i) => buf.set(i + 1, w.fd, w.events));
      this.inFlight = true;
      this.polls++;
      void this.sys.pollAsync(buf, -1).then((r) => {
        this.inFlight = false;
        // Empty the wake pipe (it is non-blocking: reads until EAGAIN).
        while (this.sys.readFd(this.wakeR, this.drain, this.drain.length).ret > 0) {
          /* drained */
        }
        if (r.ret > 0) {
          list.forEach((w, i) => {
            const rev = buf.revents(i + 1);
            if (rev !== 0 && this.waiters.has(w)) {
              this.waiters.delete(w);
              w.ready(rev);
            }
          });
        }
        next();
      });
    };
    next();
  }
}

let shared: Poller | null = null;

/** The one poller of this process. */
export function processPoller(sys: Sys): Poller {
  shared ??= new Poller(sys);
  return shared;
}
