/**
 * The lab's sockets' states from the kernel's own record: the sock:inet_sock_set_state
 * tracepoint (StateTracer, tracepoint.ts), where it may be used. While it runs, every
 * transition a lab socket shows is one the kernel made, in the kernel's order, with the
 * kernel's timestamp; the engine's TCP_INFO readings still give the queues, but no longer
 * move states (kernel/facts.ts asks `tracing`).
 *
 * Matching a kernel event to a lab socket: by the socket's identity (`skaddr`) once known,
 * else by its four-tuple. A connect's first event (CLOSED → SYN_SENT) may carry source port 0:
 * it is matched by its destination to the lab socket connecting there. Events of a socket the
 * lab does not know yet (a connection in the accept queue, before accept) wait, a few
 * seconds at most, for the socket to appear. TIME_WAIT has no event (a time-wait socket
 * replaces the closing one): FIN_WAIT_1, FIN_WAIT_2 or CLOSING → CLOSED is left to the
 * kernel's table, which shows the TIME_WAIT socket or nothing.
 */
import type { TcpState } from '../../contract/schema';
import type { LabSocket } from '../lab-socket';
import { endpointKey } from './address';
import type { StateTracer, StateTransition } from './tracepoint';

/** How long an event of a socket the lab does not know yet is kept for it, in ms. */
const WAIT_MS = 5000;
/** Most such events kept. */
const WAITING_MAX = 512;
/** From these, CLOSED means the time-wait socket took over (or a reset): the table decides. */
const TIME_WAIT_BEFORE: ReadonlySet<TcpState> = new Set(['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING']);

/** What the tracer integration needs of the engine. */
export interface TracedHost {
  /** The lab's sockets. */
  sockets(): Iterable<LabSocket>;
  /** Move `s` to `to`, seen by the kernel at `tsUs`. */
  move(s: LabSocket, to: TcpState, tsUs: number): void;
  /** The kernel's table should follow `s` (its TIME_WAIT socket, or nothing). */
  followInTable(s: LabSocket): void;
}

/** Kernel transitions applied to the lab's sockets. */
export class TracedStates {
  private readonly bySk = new Map<string, LabSocket>();
  private readonly waiting: { t: StateTransition; at: number }[] = [];
  private readonly ports = new Set<number>();
  private writing: Promise<void> = Promise.resolve();
  private readonly off: () => void;

  /** Applies `tracer`'s transitions to `host`'s sockets. */
  constructor(
    private readonly tracer: StateTracer,
    private readonly host: TracedHost,
  ) {
    this.off = tracer.onTransition((t) => this.onTransition(t));
  }

  /**
   * The tracer also watches `ports` (a listener's, a connect's destination); resolves once
   * the kernel's filter includes them, so no transition on them is missed.
   */
  watchPorts(ports: Iterable<number>): Promise<void> {
    let added = false;
    for (const p of ports) {
      if (p > 0 && !this.ports.has(p)) {
        this.ports.add(p);
        added = true;
      }
    }
    if (!added) return this.writing;
    const list = [...this.ports];
    this.writing = this.writing.then(() => this.tracer.setPorts(list)).catch(() => undefined);
    return this.writing;
  }

  /** A socket appeared or learned its addresses: events that waited for it are applied now. */
  adopt(s: LabSocket): void {
    const now = performance.now();
    for (let i = 0; i < this.waiting.length;) {
      const w = this.waiting[i]!;
      if (now - w.at > WAIT_MS) this.waiting.splice(i, 1);
      else if (this.matches(s, w.t)) {
        this.waiting.splice(i, 1);
        this.apply(s, w.t);
      } else i++;
    }
  }

  /** The lab was reset: no socket of before is followed, no port watched. */
  reset(): void {
    this.bySk.clear();
    this.waiting.length = 0;
    this.ports.clear();
    this.writing = this.writing.then(() => this.tracer.setPorts([])).catch(() => undefined);
  }

  /** Stop applying transitions. */
  dispose(): void {
    this.off();
    this.bySk.clear();
    this.waiting.length = 0;
  }

  private onTransition(t: StateTransition): void {
    const s = this.find(t);
    if (s) this.apply(s, t);
    else {
      if (this.waiting.length >= WAITING_MAX) this.waiting.shift();
      this.waiting.push({ t, at: performance.now() });
    }
  }

  private find(t: StateTransition): LabSocket | null {
    // The identity alone is not enough: a freed socket's address is reused by the next one.
    const known = t.skaddr ? this.bySk.get(t.skaddr) : undefined;
    if (known && !known.dead && (t.sport === 0 || this.matches(known, t))) return known;
    // A socket the program still holds before one it let go: a server that exits and starts
    // again listens on the same port, and the new listener's events are its own.
    let released: LabSocket | null = null;
    for (const s of this.host.sockets()) {
      if (s.dead || !this.matches(s, t)) continue;
      if (!s.released) return s;
      released ??= s;
    }
    return released;
  }

  /** `t` is of `s`: same four-tuple (a listener: its address), or a connect's first event. */
  private matches(s: LabSocket, t: StateTransition): boolean {
    if (s.family !== t.family) return false;
    // A listening socket's events have no peer (destination port 0).
    if (s.listening) return t.dport === 0 && s.local?.port === t.sport;
    if (!s.remote) return false;
    const remote = endpointKey({ host: t.daddr, port: t.dport });
    if (endpointKey(s.remote) !== remote) return false;
    if (t.sport === 0) return t.newstate === 'SYN_SENT' && (s.state === 'CLOSED' || s.state === 'SYN_SENT');
    return s.local !== null && endpointKey(s.local) === endpointKey({ host: t.saddr, port: t.sport });
  }

  private apply(s: LabSocket, t: StateTransition): void {
    // In the kernel's order each event starts where the last ended; a new socket's first
    // starts from CLOSED (a connect) or its listener's LISTEN (an accepted connection).
    const fresh = s.state === 'CLOSED' && (t.oldstate === 'LISTEN' || t.oldstate === 'CLOSED');
    if (s.tableDecides || (s.state !== t.oldstate && !fresh)) return;
    if (t.skaddr) {
      if (t.newstate === 'CLOSED') this.bySk.delete(t.skaddr);
      else this.bySk.set(t.skaddr, s);
    }
    if (t.newstate === 'CLOSED' && TIME_WAIT_BEFORE.has(t.oldstate)) {
      this.host.followInTable(s);
      return;
    }
    this.host.move(s, t.newstate, t.tsUs);
  }
}
