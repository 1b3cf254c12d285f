/**
 * The engine: each call an actor makes is the C library's own call on a real descriptor
 * (app/core/sys), answered by the kernel. Descriptors are non-blocking underneath; a call
 * that would block parks its actor on the process's poller (blocking/poller.ts) and is made
 * again when the kernel says the descriptor is ready. What the kernel then reports of each
 * socket (its state, queues, accept queue) becomes events through kernel/facts.ts.
 *
 * The calls themselves live in calls/ (one file per group); this file keeps the sockets,
 * the descriptor tables, parking and interrupts, and the lifecycle. See docs/architecture.md.
 */
import type { BlockReason, Call, CallOutcome, Endpoint, LabEventInput, SocketId } from '../contract/schema';
import { callForEvent, previewText } from '../contract/call-preview';
import { msg, type Message } from '../contract/schema';
import type { Actor } from './actor';
import type { CallContext, CallResult, ParkOn } from './calls/result';
import { Parking } from './blocking/park';
import { processPoller, type Poller } from './blocking/poller';
import { connectCall, acceptCall, bindCall, listenCall, socketCall } from './calls/setup';
import { readCall, writeCall } from './calls/data';
import { closeCall, shutdownCall } from './calls/close';
import { fcntlCall, getsockoptCall, setsockoptCall, socknameCall } from './calls/options';
import { pollCall, selectCall } from './calls/poll';
import type { EventLog } from './event-log';
import { DESCRIPTOR_RESERVE, reserveOne } from './fd-budget';
import { SocketFacts } from './kernel/facts';
import { StateTracer } from './kernel/tracepoint';
import type { KernelTableSource } from './kernel/types';
import { LabSocket } from './lab-socket';
import type { Limits } from './limits';
import { errText, sameEndpoint } from './net-util';
import { Segments } from './segments';
import type { Sys } from './sys/types';

export { asErrno, ebadf, EINTR, RESET, type CallContext, type CallResult, type ParkOn } from './calls/result';

/** The sockets, calls and kernel facts of one lab. */
export class Engine {
  readonly sockets = new Map<SocketId, LabSocket>();
  private socketSeq = 0;
  private callSeq = 0;
  readonly poller: Poller;
  private readonly parking: Parking;
  readonly facts: SocketFacts;
  readonly segments: Segments;
  private tracer: StateTracer | null = null;

  /** An engine on `sys`, writing to `log`, finding sockets without a descriptor in `source`. */
  constructor(
    readonly sys: Sys,
    private readonly log: EventLog,
    readonly source: KernelTableSource,
    readonly limits: Limits,
    pollMs: number,
  ) {
    this.poller = processPoller(sys);
    this.parking = new Parking(this.poller);
    this.segments = new Segments((e) => this.emit(e));
    this.facts = new SocketFacts(this, source, pollMs);
  }

  /** Append an event to the log. */
  emit(e: LabEventInput): void {
    this.log.append(e);
  }

  /** A notice in the log. */
  notice(level: 'info' | 'warning' | 'error', text: Message): void {
    this.emit({ type: 'lab.notice', level, text });
  }

  // -------------------------------------------------------------------------------------
  // Calls

  /**
   * Start `call` on `actor`. `outcome` resolves once the call has returned or blocked;
   * `done` once it has returned. `onReturn` runs before the returned outcome is answered
   * (the lab's program bookkeeping). The actor must not be in another call.
   */
  startCall(
    actor: Actor,
    call: Call,
    line: number | undefined,
    onReturn?: (r: CallResult) => void,
    payload?: Buffer,
    text?: string,
  ): { outcome: Promise<CallOutcome>; done: Promise<CallResult> } {
    const callId = `c${++this.callSeq}`;
    this.emit({
      type: 'call.started',
      actor: actor.id,
      callId,
      call:
        payload && call.call === 'write'
          ? {
              call: 'write',
              args: {
                fd: call.args.fd,
                data: previewText(payload.subarray(0, 256).toString('utf8')),
                bytes: payload.length,
              },
            }
          : callForEvent(call),
      ...(line !== undefined ? { line } : {}),
      ...(text !== undefined ? { text } : {}),
    });
    let answer!: (o: CallOutcome) => void;
    const outcome = new Promise<CallOutcome>((r) => (answer = r));
    let returned = false;
    let interruptFn: (() => void) | null = null;
    const current = {
      callId,
      call: call.call,
      blocked: null as BlockReason | null,
      interrupt: null as (() => void) | null,
      done: outcome as Promise<unknown>,
      returning: false,
    };
    actor.current = current;
    const ctx: CallContext = {
      actor,
      block: (reason) => {
        if (returned || current.blocked || actor.dead) return;
        current.blocked = reason;
        current.interrupt = () => interruptFn?.();
        this.emit({ type: 'call.blocked', actor: actor.id, callId, reason });
        answer({ callId, status: 'blocked', reason });
      },
      onInterrupt: (fn) => {
        interruptFn = fn;
      },
      returning: () => {
        current.returning = true;
      },
    };
    const done = this.dispatch(actor, call, ctx, payload)
      .catch((err: unknown): CallResult => ({
        ret: -1,
        errno: 'EIO',
        detail: msg('note.unexpected', { error: errText(err) }),
      }))
      .then((r) => {
        returned = true;
        if (actor.current === current) actor.current = null;
        if (!actor.dead) {
          this.emit({
            type: 'call.returned',
            actor: actor.id,
            callId,
            call: call.call,
            ret: r.ret,
            ...(r.errno ? { errno: r.errno } : {}),
            ...(r.detail ? { detail: r.detail } : {}),
            ...(r.out ? { out: r.out } : {}),
          });
          onReturn?.(r);
        }
        answer({ callId, status: 'returned', ret: r.ret, ...(r.errno ? { errno: r.errno } : {}) });
        this.parking.pokeOthers(actor);
        return r;
      });
    current.done = done;
    return { outcome, done };
  }

  private dispatch(actor: Actor, call: Call, ctx: CallContext, payload?: Buffer): Promise<CallResult> {
    const now = (r: CallResult): Promise<CallResult> => Promise.resolve(r);
    switch (call.call) {
      case 'socket':
        return now(socketCall(this, actor, call.args));
      case 'bind':
        return now(bindCall(this, actor, call.args));
      case 'listen':
        return listenCall(this, actor, call.args);
      case 'accept':
        return acceptCall(this, ctx, call.args);
      case 'connect':
        return connectCall(this, ctx, call.args);
      case 'read':
        return readCall(this, ctx, call.args);
      case 'write':
        return writeCall(this, ctx, call.args, payload);
      case 'shutdown':
        return now(shutdownCall(this, actor, call.args));
      case 'close':
        return now(closeCall(this, actor, call.args));
      case 'setsockopt':
        return now(setsockoptCall(this, actor, call.args));
      case 'getsockopt':
        return now(getsockoptCall(this, actor, call.args));
      case 'fcntl':
        return now(fcntlCall(this, actor, call.args));
      case 'poll':
        return pollCall(this, ctx, call.args);
      case 'select':
        return selectCall(this, ctx, call.args);
      case 'getsockname':
      case 'getpeername':
        return now(socknameCall(this, actor, call.args, call.call === 'getpeername'));
    }
  }

  /**
   * Make `attempt` until it gives a result (see blocking/park.ts): now, again each time the
   * kernel makes one of `on`'s descriptors ready, or `timeout.onTimeout` after `timeout.ms`.
   */
  park(
    ctx: CallContext,
    reason: BlockReason,
    on: () => ParkOn,
    attempt: () => CallResult | null,
    timeout?: { ms: number; onTimeout: () => CallResult },
  ): Promise<CallResult> {
    return this.parking.park(ctx, reason, on, attempt, timeout);
  }

  // -------------------------------------------------------------------------------------
  // Sockets and descriptors

  /** A new lab socket on real descriptor `fd`, announced with socket.created. */
  newSocket(actor: Actor | null, family: 'inet' | 'inet6', fd: number, listener?: LabSocket): LabSocket {
    const s = new LabSocket(`s${++this.socketSeq}`, actor?.id ?? null, family, fd, listener ?? null);
    this.sockets.set(s.id, s);
    this.emit({
      type: 'socket.created',
      socket: s.id,
      actor: s.actor,
      family,
      ...(listener ? { listener: listener.id } : {}),
    });
    return s;
  }

  /** Give `s` the actor's lowest free descriptor number (as C does) and announce it. */
  openFd(actor: Actor, s: LabSocket): number {
    const fd = actor.lowestFreeFd();
    actor.fds.set(fd, s);
    s.refs++;
    this.emit({ type: 'fd.opened', actor: actor.id, fd, socket: s.id });
    return fd;
  }

  /**
   * Before socket() or accept(): the actor's descriptors in use count against the lab's limit,
   * and the process keeps DESCRIPTOR_RESERVE free for the window and the kernel's tables
   * (fd-budget.ts): -1 EMFILE beyond either.
   */
  fdLimit(actor: Actor): CallResult | null {
    if (actor.fds.size >= this.limits.fdsPerActor)
      return {
        ret: -1,
        errno: 'EMFILE',
        detail: msg('note.fdLimit', { actor: actor.id, n: actor.fds.size }),
      };
    const left = reserveOne();
    if (left === null) return null;
    return { ret: -1, errno: 'EMFILE', detail: msg('note.fdReserve', { left, reserve: DESCRIPTOR_RESERVE }) };
  }

  /** The listening lab socket at `at`, if any. */
  listenerAt(at: Endpoint | null): LabSocket | undefined {
    for (const o of this.sockets.values()) {
      if (o.listening && !o.dead && o.fd >= 0 && sameEndpoint(o.local, at)) return o;
    }
    return undefined;
  }

  /** Read both addresses from the kernel, find a lab peer, and announce them when they changed. */
  learnAddresses(s: LabSocket): void {
    if (s.fd < 0) return;
    const l = this.sys.getsockname(s.fd).addr;
    const r = this.sys.getpeername(s.fd).addr;
    // Port 0: the kernel let go of the address (a failed connect); the lab keeps the last one.
    const local = l && l.port !== 0 ? { host: l.host, port: l.port } : s.local;
    const remote = r && r.port !== 0 ? { host: r.host, port: r.port } : s.remote;
    const changed = !sameEndpoint(local, s.local) || !sameEndpoint(remote, s.remote);
    s.local = local;
    s.remote = remote;
    if (!s.peer && local && remote && !s.listening) {
      for (const o of this.sockets.values()) {
        if (
          o !== s &&
          !o.dead &&
          !o.listening &&
          sameEndpoint(o.local, remote) &&
          sameEndpoint(o.remote, local)
        ) {
          s.peer = o;
          o.peer = s;
          this.emitAddress(o);
          break;
        }
      }
    }
    if (changed || s.peer) this.emitAddress(s);
    if (changed) this.facts.traced?.adopt(s);
  }

  /** Announce a socket's addresses and peer. */
  emitAddress(s: LabSocket): void {
    this.emit({
      type: 'socket.address',
      socket: s.id,
      local: s.local,
      remote: s.remote,
      peer: s.peer?.id ?? null,
    });
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle

  /** Interrupt a blocked call (it returns -1 EINTR); false if the actor is not blocked. */
  interrupt(actor: Actor): boolean {
    const c = actor.current;
    if (!c?.blocked || !c.interrupt) return false;
    c.interrupt();
    return true;
  }

  /**
   * Close every socket's real descriptor and forget them: blocked calls return silently
   * (their actors are dead). Afterwards the kernel has no LISTEN or ESTABLISHED socket of
   * the lab; what it keeps (TIME_WAIT, orphans finishing their close) is the kernel's.
   */
  /** The actor's process exited: the kernel closes every descriptor it held. Returns how many. */
  exitActor(actor: Actor): number {
    const fds = [...actor.fds.keys()].sort((x, y) => x - y);
    for (const fd of fds) closeCall(this, actor, { fd }, true);
    return fds.length;
  }

  closeAll(actors: Iterable<Actor>): void {
    for (const a of actors) {
      a.dead = true;
      a.wake?.();
    }
    for (const s of this.sockets.values()) {
      s.dead = true;
      if (s.buffersTimer) clearTimeout(s.buffersTimer);
      s.buffersTimer = null;
      if (s.fd >= 0) this.sys.close(s.fd);
      s.fd = -1;
    }
    this.facts.forgetAll();
    this.facts.traced?.reset();
    this.sockets.clear();
  }

  /**
   * Take states from the kernel's state-change tracepoint from now on, where it may be used;
   * otherwise say why in a notice (states then come from TCP_INFO readings).
   */
  async startTracer(): Promise<void> {
    const o = await StateTracer.open({
      onError: (err) => this.notice('warning', msg('notice.traceFailed', { error: errText(err) })),
    });
    if (!o.ok) {
      this.notice('info', msg('notice.traceOff', { reason: o.reason }));
      return;
    }
    this.tracer = o.tracer;
    this.facts.useTracer(o.tracer);
  }

  /** Close everything and stop observing the kernel for good. */
  async dispose(actors: Iterable<Actor>): Promise<void> {
    this.closeAll(actors);
    this.facts.dispose();
    await this.tracer?.dispose();
  }
}
