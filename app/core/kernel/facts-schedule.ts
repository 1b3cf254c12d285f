/**
 * When the kernel is asked about a socket again (SocketFacts, facts.ts, does the asking):
 * whenever the poller reports the descriptor ready while no call is parked on it (its idle
 * watch: a FIN, data, a connection in the accept queue, a connect's end), every 10 ms while
 * the socket is changing (a transient state, unacknowledged bytes, or a call touched it or its
 * peer in the last 300 ms), and every 500 ms for what no readiness reports (a listener's
 * accept queue growing past its first connection, a socket whose watch is off).
 */
import type { TcpState } from '../../contract/schema';
import type { Engine } from '../engine';
import type { LabSocket } from '../lab-socket';

/** States the kernel leaves by itself within moments: watched closely. */
const TRANSIENT: ReadonlySet<TcpState> = new Set([
  'SYN_SENT',
  'SYN_RECEIVED',
  'FIN_WAIT_1',
  'CLOSING',
  'LAST_ACK',
]);
const FAST_MS = 10;
const SLOW_MS = 500;
/** A socket stays watched closely this long after a call touched it. */
const HOT_AFTER_CALL_MS = 300;

/** The idle watches and the timers that make `observe` ask the kernel again. */
export class FactsSchedule {
  private readonly hotUntil = new Map<LabSocket, number>();
  /** The poller's idle watch of each socket: its events and how to end it. */
  private readonly idle = new Map<LabSocket, { fd: number; events: number; off: () => void }>();
  private fast: ReturnType<typeof setTimeout> | null = null;
  private slow: ReturnType<typeof setInterval> | null = null;

  /** For `engine`'s sockets; `observe` asks the kernel about one now. */
  constructor(
    private readonly engine: Engine,
    private readonly observe: (s: LabSocket) => void,
  ) {}

  /** Watch `s` closely for a while (a call touched it, or its peer). */
  heat(s: LabSocket): void {
    this.hotUntil.set(s, performance.now() + HOT_AFTER_CALL_MS);
    this.startFast();
  }

  /** The last descriptor of `s` was closed: no watch, no close look any more. */
  forget(s: LabSocket): void {
    this.unarmIdle(s);
    this.hotUntil.delete(s);
  }

  /** A socket the poller watches while no call is parked on it: what would change it. */
  armIdle(s: LabSocket): void {
    const P = this.engine.sys.constants.POLL;
    const st = s.state;
    let events = 0;
    if (s.listening) events = (s.queue?.length ?? 0) === 0 ? P.POLLIN : 0;
    else if (st === 'SYN_SENT') events = P.POLLOUT;
    else if (st !== 'CLOSED' && !s.finReceived) {
      events = P.POLLRDHUP | ((s.reading?.recvQ ?? 0) === 0 ? P.POLLIN : 0);
    }
    const cur = this.idle.get(s);
    // The same watch is kept: replacing it would wake the poller for nothing.
    if (cur && cur.fd === s.fd && cur.events === events) return;
    this.unarmIdle(s);
    if (events === 0 || s.fd < 0) return;
    const key = `${s.state} ${s.reading?.recvQ ?? 0} ${s.finReceived}`;
    const fd = s.fd;
    this.idle.set(s, {
      fd,
      events,
      off: this.engine.poller.add({
        fd,
        events,
        ready: () => {
          this.idle.delete(s);
          if (s.dead || s.fd < 0) return;
          this.observe(s);
          // A readiness that changed nothing (a hang-up that stays set) is not asked again
          // until a call or a tick finds a change: otherwise poll would spin.
          const now = `${s.state} ${s.reading?.recvQ ?? 0} ${s.finReceived}`;
          if (now === key) this.unarmIdle(s);
        },
      }),
    });
  }

  private unarmIdle(s: LabSocket): void {
    const u = this.idle.get(s);
    if (u) {
      u.off();
      this.idle.delete(s);
    }
  }

  /** After a reading of `s`: closely while it is changing, and the slow tick for all. */
  schedule(s: LabSocket): void {
    const changing = TRANSIENT.has(s.state) || (s.reading?.sendQ ?? 0) > 0 || s.sendApp > 0;
    if (changing) {
      this.hotUntil.set(s, Math.max(this.hotUntil.get(s) ?? 0, performance.now() + FAST_MS * 2));
      this.startFast();
    }
    if (!this.slow) {
      this.slow = setInterval(() => {
        // What no readiness reports: a listener's accept queue growing past its first
        // connection, and a socket whose watch is off (its readiness did not change).
        for (const o of this.engine.sockets.values()) {
          if (o.fd >= 0 && !o.dead && (o.listening || !this.idle.has(o))) this.observe(o);
        }
      }, SLOW_MS);
      this.slow.unref?.();
    }
  }

  private startFast(): void {
    if (this.fast) return;
    this.fast = setTimeout(() => {
      this.fast = null;
      const now = performance.now();
      for (const [s, until] of [...this.hotUntil]) {
        if (s.dead || s.fd < 0) this.hotUntil.delete(s);
        else {
          if (until < now) this.hotUntil.delete(s);
          this.observe(s);
        }
      }
      if (this.hotUntil.size > 0) this.startFast();
    }, FAST_MS);
    this.fast.unref?.();
  }

  /** Forget every socket (a reset): no watch, no slow tick. */
  forgetAll(): void {
    for (const u of this.idle.values()) u.off();
    this.idle.clear();
    this.hotUntil.clear();
    if (this.slow) clearInterval(this.slow);
    this.slow = null;
  }

  /** Stop for good: the fast tick too. */
  dispose(): void {
    this.forgetAll();
    if (this.fast) clearTimeout(this.fast);
    this.fast = null;
  }
}
