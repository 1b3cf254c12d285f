/**
 * Kernel facts per socket. While a socket has a descriptor, the kernel is asked through it
 * (getsockopt TCP_INFO for the state and, on a LISTEN socket, the accept queue; SIOCINQ and
 * SIOCOUTQ for the queues): after every call, whenever the poller reports the descriptor
 * ready, every 10 ms while the socket is changing (a transient state, unacknowledged bytes),
 * and every 500 ms for what no readiness reports (a listener's accept queue growing). Once the last descriptor is closed, the kernel's socket table
 * (sock_diag or /proc/net/tcp through KernelObserver) follows the orphan until it is gone.
 *
 * The state the lab shows is the kernel's last reading. Steps between two readings that the
 * state machine implies (FIN_WAIT_1 between ESTABLISHED and FIN_WAIT_2, say) are emitted
 * with source 'inferred'. See docs/architecture.md, "Kernel facts". When to ask is
 * facts-schedule.ts.
 */
import type { StateSource } from '../../contract';
import { msg, type Message, type TcpState } from '../../contract/schema';
import { SocketBuffers } from '../buffers';
import type { Engine } from '../engine';
import type { LabSocket } from '../lab-socket';
import { INPUT_CAUSE, pathBetween, type TcpInput } from '../tcp-state';
import { FactsSchedule } from './facts-schedule';
import { differsBesideTimer, KernelObserver } from './observer';
import { TracedStates } from './traced';
import type { StateTracer } from './tracepoint';
import type { KernelRow, KernelTableSource } from './types';

/** States a socket that sent its FIN goes through before TIME_WAIT or CLOSED. */
const CLOSING_SIDE: ReadonlySet<TcpState> = new Set([
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
]);
/** The states a socket the tracepoint handed to the kernel's table may be in (see applyRow). */
const HANDED_OVER: ReadonlySet<TcpState> = new Set(['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT']);

/** The kernel's facts of every lab socket, turned into events. */
export class SocketFacts {
  private readonly table: KernelObserver;
  /** When each socket is asked again (facts-schedule.ts). */
  private readonly when: FactsSchedule;
  private tableErrorSaid = false;
  private readonly buffers: SocketBuffers;

  /** Facts for `engine`'s sockets; orphans are looked up in `source` every `pollMs`. */
  constructor(
    private readonly engine: Engine,
    private readonly source: KernelTableSource,
    pollMs: number,
  ) {
    this.buffers = new SocketBuffers(engine.sys, (e) => engine.emit(e));
    this.when = new FactsSchedule(engine, (s) => this.observe(s));
    this.table = new KernelObserver(source, {
      pollMs,
      onError: (err) => {
        // Said once: a table that cannot be read fails at every poll.
        if (this.tableErrorSaid) return;
        this.tableErrorSaid = true;
        engine.notice('warning', msg('notice.tableFailed', { error: String(err).slice(0, 200) }));
      },
    });
    this.table.onChange((id, row) => {
      const s = engine.sockets.get(id);
      if (s && !s.dead) this.applyRow(s, row);
    });
  }

  /** The tracepoint's record, when it runs: then it alone moves states (see traced.ts). */
  traced: TracedStates | null = null;

  /** Take states from `tracer` from now on. */
  useTracer(tracer: StateTracer): void {
    this.traced = new TracedStates(tracer, {
      sockets: () => this.engine.sockets.values(),
      move: (s, to, tsUs) => {
        // The kernel's step a call made (a close, a connect: out of the state it was made in)
        // says the call, not the state machine's guess (LISTEN → CLOSED is a close, not an RST).
        const c = s.callCause;
        if (c && s.state === c.from) s.callCause = null;
        if (c && s.state === c.from && c.to === to) this.moveTo(s, to, 'kernel', c.cause, true, tsUs);
        else this.moveTo(s, to, 'kernel', undefined, false, tsUs);
      },
      followInTable: (s) => this.handOver(s),
    });
  }

  /**
   * The tracepoint handed `s` to the kernel's table: its last event (the time-wait socket
   * took over) is applied, and every earlier one (the tracer keeps the kernel's order). Only
   * now may the table move `s` (applyRow). A TIME_WAIT it read while those events were on
   * their way (a line waits up to 100 ms for its pair) was kept: the observer reports a row
   * once, so it is applied now.
   */
  private handOver(s: LabSocket): void {
    s.tableDecides = true;
    if (s.watched && s.kernelRow?.state === 'TIME_WAIT') this.moveTo(s, 'TIME_WAIT', 'kernel');
    this.followInTable(s);
  }

  /**
   * A state the state machine implies right now (a call just made it so): shown as inferred,
   * unless the tracepoint runs, which will report it as the kernel made it (with `cause`).
   */
  implied(s: LabSocket, to: TcpState, cause?: Message, byCall = false, from = s.state): void {
    if (!this.traced) this.moveTo(s, to, 'inferred', cause, byCall);
    else if (cause && byCall) s.callCause = { from: s.listening ? 'LISTEN' : from, to, cause };
  }

  /** The kernel's table follows `s` until it has no row for it (TIME_WAIT, an orphan). */
  private followInTable(s: LabSocket): void {
    if (s.watched || this.source.kind === 'none' || !s.local || (!s.remote && !s.listening) || s.dead) return;
    s.watched = true;
    this.tellPorts();
    this.table.watch(s.id, { local: s.local, remote: s.listening ? null : s.remote });
  }

  /**
   * Ask the kernel about `s` now (through its descriptor) and emit what changed. `cause`
   * names what moved the state when it moved (a call); otherwise the state machine's input.
   */
  observe(s: LabSocket, cause?: Message, byCall = cause !== undefined): void {
    if (s.dead || s.fd < 0) return;
    const sys = this.engine.sys;
    const info = sys.tcpInfo(s.fd);
    if (!info) return;
    const state = info.state as TcpState;
    const listening = state === 'LISTEN';
    const sendQ = listening ? 0 : Math.max(0, sys.outq(s.fd));
    const recvQ = listening ? 0 : Math.max(0, sys.inq(s.fd));
    // A connection that finished its close while the program still holds the descriptor:
    // the full socket reads CLOSED, and the kernel's table holds what is left of it (a
    // TIME_WAIT socket, or nothing). The table decides.
    if (state === 'CLOSED' && (s.watched || (CLOSING_SIDE.has(s.state) && !s.rstSent))) {
      this.followInTable(s);
      this.touchBuffers(s);
      return;
    }
    const r = s.reading;
    if (!r || r.state !== state || r.sendQ !== sendQ || r.recvQ !== recvQ) {
      s.reading = { state, sendQ, recvQ };
      this.engine.emit({ type: 'socket.kernel', socket: s.id, state, sendQ, recvQ, timerMs: null });
    }
    if (listening) {
      const q = s.queue;
      if (!q || q.length !== info.unacked || q.backlog !== info.sacked) {
        s.queue = { length: info.unacked, backlog: info.sacked };
        this.engine.emit({ type: 'socket.queue', socket: s.id, length: info.unacked, backlog: info.sacked });
      }
    }
    if (!this.traced) this.moveTo(s, state, 'kernel', cause, byCall);
    this.touchBuffers(s);
    this.when.schedule(s);
    this.when.armIdle(s);
  }

  /** Watch `s` closely for a while (a call touched it, or its peer). */
  heat(s: LabSocket): void {
    this.when.heat(s);
  }

  /**
   * The last descriptor of `s` was closed: its state is now `implied` by the state machine
   * (FIN_WAIT_1, LAST_ACK, CLOSED) until the kernel's table says what it is.
   */
  released(s: LabSocket, implied: TcpState, cause: Message, from = s.state): void {
    this.when.forget(s);
    this.implied(s, implied, cause, true, from);
    this.touchBuffers(s);
    // A closed listener too: its last reading (LISTEN) must give way to the kernel's word that it is gone.
    if (implied !== 'CLOSED' || s.listening) this.followInTable(s);
  }

  /**
   * Move `s` to `to` along the state machine: every step but the last is inferred; the last
   * has `source`. `cause` names what made the first step. A move the machine has no path
   * for is one step.
   */
  moveTo(
    s: LabSocket,
    to: TcpState,
    source: StateSource,
    cause?: Message,
    byCall = false,
    tsUs?: number,
  ): void {
    if (s.state === to) return;
    // A move no call made is the kernel's own: none of its steps is a call (close, listen, connect).
    const own = (i: TcpInput): boolean => i !== 'close' && i !== 'listen' && i !== 'connect';
    const path = (byCall ? null : pathBetween(s.state, to, own)) ??
      pathBetween(s.state, to) ?? [{ input: 'rst' as const, from: s.state, to }];
    path.forEach((hop, i) => {
      const last = i === path.length - 1;
      // The cause (a call) made the first step; the kernel was seen in the last.
      s.state = hop.to;
      if (hop.input === 'fin-received') s.finReceived = true;
      this.engine.emit({
        type: 'socket.state',
        socket: s.id,
        from: hop.from,
        to: hop.to,
        cause: (i === 0 && cause) || INPUT_CAUSE[hop.input],
        source: last ? source : 'inferred',
        ...(last && tsUs !== undefined ? { tsUs } : {}),
      });
      this.engine.segments.onHop(s, hop);
      this.peerFollows(s, hop);
    });
  }

  /**
   * A lab peer without a descriptor and without a kernel table to follow it (kernel 'none')
   * moves as the state machine says this side's step implies, labelled inferred: our
   * acknowledgement of its FIN, our FIN to it.
   */
  private peerFollows(s: LabSocket, hop: { input: TcpInput }): void {
    const p = s.peer;
    if (this.traced || this.source.kind !== 'none') return;
    if (!p || p.dead || p.fd >= 0 || p.watched) return;
    if (hop.input === 'fin-received' && p.state === 'FIN_WAIT_1') {
      this.moveTo(p, 'FIN_WAIT_2', 'inferred', INPUT_CAUSE['fin-acked']);
    } else if (hop.input === 'close' && (p.state === 'FIN_WAIT_2' || p.state === 'FIN_WAIT_1')) {
      this.moveTo(
        p,
        p.state === 'FIN_WAIT_2' ? 'TIME_WAIT' : 'CLOSING',
        'inferred',
        INPUT_CAUSE['fin-received'],
      );
      if (s.fd < 0 && !s.watched && s.state === 'LAST_ACK')
        this.moveTo(s, 'CLOSED', 'inferred', INPUT_CAUSE['fin-acked']);
    }
  }

  private applyRow(s: LabSocket, row: KernelRow | null): void {
    if (row) s.kernelSeen = true;
    const prev = s.kernelRow;
    s.kernelRow = row;
    if (prev === null && row === null && s.kernelSeen) return;
    // A timer counting down alone is not news (the window counts down from the last reading).
    if (!prev || !row || differsBesideTimer(prev, row)) {
      this.engine.emit({
        type: 'socket.kernel',
        socket: s.id,
        state: row?.state ?? null,
        sendQ: row?.sendQ ?? 0,
        recvQ: row?.recvQ ?? 0,
        timerMs: row?.timerMs ?? null,
      });
    }
    // With the tracepoint, the table moves a socket only once the tracepoint handed it over
    // (the TIME_WAIT socket it does not report); before, its rows would run ahead of the
    // tracepoint's events (a row read then is kept for handOver()). The hand-over is the last
    // event, applied only from the state it leaves (FIN_WAIT_1, FIN_WAIT_2, CLOSING), after
    // all its earlier events: the table can take a socket on from there only, never from a
    // state whose events are still to come (ESTABLISHED → TIME_WAIT, its FIN_WAITs inferred),
    // and only to what the time-wait socket can say: TIME_WAIT, or gone (a read begun before
    // the hand-over, answered after it, may still hold the full socket's FIN_WAIT_1).
    const handedOn = row === null || row.state === 'TIME_WAIT';
    const moves = !this.traced || (s.tableDecides && HANDED_OVER.has(s.state) && handedOn);
    if (row) {
      if (moves) this.moveTo(s, row.state, 'kernel');
    } else {
      // The kernel has no such socket any more: TIME_WAIT ran out, LAST_ACK got its ACK, or
      // the connection was reset.
      if (moves) this.moveTo(s, 'CLOSED', 'kernel');
      s.watched = false;
      this.table.unwatch(s.id);
      this.tellPorts();
    }
  }

  /** A table filtered in the kernel (sock_diag) is told the ports of the sockets watched. */
  private tellPorts(): void {
    const src = this.source as Partial<{ setPorts(p: Iterable<number>): void }>;
    if (typeof src.setPorts !== 'function') return;
    const ports = new Set<number>();
    for (const o of this.engine.sockets.values()) if (o.watched && o.local) ports.add(o.local.port);
    src.setPorts(ports);
  }

  /** Emit the socket's buffers if they changed (coalesced; see buffers.ts). */
  touchBuffers(s: LabSocket): void {
    this.buffers.touch(s);
  }

  // -------------------------------------------------------------------------------------

  /** Forget every socket (a reset): nothing is watched any more. */
  forgetAll(): void {
    this.when.forgetAll();
    for (const s of this.engine.sockets.values()) if (s.watched) this.table.unwatch(s.id);
  }

  /** Stop for good. */
  dispose(): void {
    this.forgetAll();
    this.when.dispose();
    this.table.dispose();
    this.traced?.dispose();
  }
}
