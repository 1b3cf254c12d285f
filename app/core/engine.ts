/**
 * The engine: POSIX-like calls over real `node:net` sockets on loopback, each returning what
 * C returns, with the TCP state machine, inferred segments, buffers and the kernel observer
 * feeding the event log. The Lab (lab.ts) adds actors' programs and commands on top.
 *
 * How Node's sockets are made to behave like C's (DESIGN.md §3):
 * - every socket has allowHalfOpen, so a close is always the program's own call;
 * - sockets stay paused while no read() waits, so unread bytes stay in the kernel's receive
 *   queue (the kernel table shows them); a read resumes, takes one chunk, pauses again
 *   (after that, Node may still take up to its high-water mark into its stream buffer:
 *   those bytes show in recvApp);
 * - a FIN asked for while Node still holds unsent bytes leaves after them ('finish'): the
 *   model moves then, with the kernel, not at the call;
 * - Node accepts at once, so the lab keeps its own accept queue of established connections;
 * - close() closes the real descriptor (destroy): the kernel sends FIN, or RST when bytes
 *   are unread, as a C close would; Node reports neither the ACK of our FIN nor a FIN nobody
 *   reads, so those transitions come from the lab peer or the kernel table.
 */
import net from 'node:net';
import type {
  BlockReason,
  Buffers,
  Call,
  CallArgs,
  CallOutcome,
  Endpoint,
  Errno,
  LabEventInput,
  SocketId,
  TcpFlag,
  TcpState,
} from '../contract/schema';
import { callForEvent } from '../contract/call-preview';
import type { Actor } from './actor';
import type { EventLog } from './event-log';
import { differsBesideTimer, KernelObserver } from './kernel/observer';
import { endpointKey } from './kernel/address';
import type { KernelRow, KernelTableSource } from './kernel/types';
import { LabSocket } from './lab-socket';
import type { Limits } from './limits';
import { checkLoopback, errText, probeListen, sameEndpoint, showEndpoint, toErrno } from './net-util';
import { INPUT_CAUSE, inferFromKernel, nextState, type TcpInput } from './tcp-state';

/** What a call returns: C's return value, errno on failure, and a sentence for the log. */
export interface CallResult {
  ret: number;
  errno?: Errno;
  detail?: string;
  /** read(): the bytes read. */
  bytes?: Buffer;
}

/** What a call implementation may tell the engine while it runs. */
interface CallContext {
  /** The call now waits for the kernel: emit call.blocked and answer the command. */
  block(reason: BlockReason): void;
  /** What an interrupt does to this call. */
  onInterrupt(fn: () => void): void;
}

/** Coalescing interval of buffer events per socket, in ms. */
const BUFFERS_EVERY_MS = 16;
/** How long connect() may take before it shows as blocked in the handshake, in ms. */
const CONNECT_GRACE_MS = 50;
/** Preview length of buffer contents, in bytes. */
const PREVIEW_BYTES = 64;

const EINTR: CallResult = {
  ret: -1,
  errno: 'EINTR',
  detail: 'interrupted: the blocked call returned -1 EINTR',
};

function ebadf(fd: number): CallResult {
  return { ret: -1, errno: 'EBADF', detail: `${fd} is not an open descriptor of this actor` };
}

function nextTick(): Promise<void> {
  return new Promise((r) => process.nextTick(r));
}

/** The sockets, calls and kernel watch of one lab. */
export class Engine {
  private readonly sockets = new Map<SocketId, LabSocket>();
  private socketSeq = 0;
  private callSeq = 0;
  private readonly observer: KernelObserver;
  private kernelErrorSaid = false;

  /** An engine writing to `log`, observing the kernel through `source`. */
  constructor(
    private readonly log: EventLog,
    readonly source: KernelTableSource,
    private readonly limits: Limits,
    pollMs: number,
  ) {
    this.observer = new KernelObserver(source, {
      pollMs,
      onError: (err) => {
        // Said once: a table that cannot be read fails at every poll, 25 times a second.
        if (this.kernelErrorSaid) return;
        this.kernelErrorSaid = true;
        this.notice(
          'warning',
          `Reading the kernel's socket table failed (kernel states will be missing): ${errText(err)}`,
        );
      },
    });
    this.observer.onChange((id, row) => this.onKernel(id, row));
  }

  private emit(e: LabEventInput): void {
    this.log.append(e);
  }

  /** A notice in the log. */
  notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.emit({ type: 'lab.notice', level, text: text.slice(0, 1000) });
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
  ): { outcome: Promise<CallOutcome>; done: Promise<CallResult> } {
    const callId = `c${++this.callSeq}`;
    this.emit({
      type: 'call.started',
      actor: actor.id,
      callId,
      call: callForEvent(call),
      ...(line !== undefined ? { line } : {}),
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
    };
    actor.current = current;
    const ctx: CallContext = {
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
    };
    const done = this.dispatch(actor, call, ctx)
      .catch((err: unknown): CallResult => ({
        ret: -1,
        errno: toErrno(err),
        detail: `unexpected: ${errText(err)}`,
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
            ...(r.detail ? { detail: r.detail.slice(0, 512) } : {}),
          });
          onReturn?.(r);
        }
        answer({ callId, status: 'returned', ret: r.ret, ...(r.errno ? { errno: r.errno } : {}) });
        return r;
      });
    current.done = done;
    return { outcome, done };
  }

  private dispatch(actor: Actor, call: Call, ctx: CallContext): Promise<CallResult> {
    switch (call.call) {
      case 'socket':
        return Promise.resolve(this.socket(actor, call.args));
      case 'bind':
        return this.bind(actor, call.args);
      case 'listen':
        return this.listen(actor, call.args);
      case 'accept':
        return this.accept(actor, call.args, ctx);
      case 'connect':
        return this.connect(actor, call.args, ctx);
      case 'read':
        return this.read(actor, call.args, ctx);
      case 'write':
        return this.write(actor, call.args, ctx);
      case 'shutdown':
        return this.shutdown(actor, call.args);
      case 'close':
        return this.close(actor, call.args);
    }
  }

  private socket(actor: Actor, args: CallArgs['socket']): CallResult {
    if (actor.fds.size >= this.limits.fdsPerActor) {
      return {
        ret: -1,
        errno: 'EMFILE',
        detail: `${actor.id} has ${actor.fds.size} descriptors open, the lab's limit per actor`,
      };
    }
    const s = this.newSocket(actor.id, args.family);
    return { ret: this.openFd(actor, s) };
  }

  private async bind(actor: Actor, args: CallArgs['bind']): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return ebadf(args.fd);
    if (s.bound || s.server || s.conn || s.connected)
      return { ret: -1, errno: 'EINVAL', detail: 'the socket is already bound' };
    const h = checkLoopback(args.host, s.family, 'EADDRNOTAVAIL');
    if (!h.ok) return { ret: -1, errno: h.errno, detail: h.detail };
    const want: Endpoint = { host: h.host, port: args.port };
    if (args.port !== 0) {
      // A conflict inside the lab first (a socket bound but not yet listening is invisible
      // to the kernel, since Node binds only at listen or connect).
      for (const o of this.sockets.values()) {
        if (o === s || o.released || o.dead) continue;
        if ((o.bound || o.server) && sameEndpoint(o.bound ?? o.local, want)) {
          return {
            ret: -1,
            errno: 'EADDRINUSE',
            detail: `${showEndpoint(want)} is already in use by lab socket ${o.id}`,
          };
        }
      }
    }
    // Then for real, against the kernel: a listen on that address and a close again.
    const probe = await probeListen(h.host, args.port);
    if (!probe.ok) {
      const detail =
        probe.errno === 'EADDRINUSE'
          ? `another socket already listens on ${showEndpoint(want)} (the kernel said EADDRINUSE)`
          : probe.detail;
      return { ret: -1, errno: probe.errno, detail };
    }
    if (s.dead) return { ret: -1, errno: 'EBADF', detail: 'the lab was reset' };
    s.bound = { host: h.host, port: probe.port };
    s.local = s.bound;
    this.emitAddress(s);
    return { ret: 0 };
  }

  private async listen(actor: Actor, args: CallArgs['listen']): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return ebadf(args.fd);
    if (s.server) {
      s.backlog = args.backlog;
      return { ret: 0, detail: 'already listening; backlog updated' };
    }
    if (s.conn || s.connected)
      return { ret: -1, errno: 'EINVAL', detail: 'a connected socket cannot listen' };
    const at = s.bound ?? { host: s.family === 'inet' ? '127.0.0.1' : '::1', port: 0 };
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const err = await new Promise<Error | null>((resolve) => {
      server.once('error', resolve);
      server.listen({ host: at.host, port: at.port, backlog: args.backlog, exclusive: true }, () =>
        resolve(null),
      );
    });
    if (err) return { ret: -1, errno: toErrno(err), detail: errText(err) };
    if (s.dead || s.released) {
      server.close();
      return { ret: -1, errno: 'EBADF', detail: 'the socket was closed meanwhile' };
    }
    server.on('error', (e) => this.notice('warning', `listening socket ${s.id}: ${errText(e)}`));
    server.on('connection', (c) => this.onConnection(s, c));
    const addr = server.address();
    s.server = server;
    s.backlog = args.backlog;
    s.local = { host: at.host, port: typeof addr === 'object' && addr ? addr.port : at.port };
    if (!s.bound) s.bound = s.local;
    this.emitAddress(s);
    this.transition(s, 'listen');
    this.watch(s);
    return { ret: 0 };
  }

  private accept(actor: Actor, args: CallArgs['accept'], ctx: CallContext): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return Promise.resolve(ebadf(args.fd));
    if (!s.server)
      return Promise.resolve({
        ret: -1,
        errno: 'EINVAL',
        detail: 'accept() needs a listening socket: call listen() first',
      });
    const check = (): CallResult | null => {
      if (!s.server) return { ret: -1, errno: 'EBADF', detail: 'the listening socket was closed' };
      const child = s.pending[0];
      if (!child) return null;
      if (actor.fds.size >= this.limits.fdsPerActor) {
        return {
          ret: -1,
          errno: 'EMFILE',
          detail: `${actor.id} has ${actor.fds.size} descriptors open, the lab's limit per actor`,
        };
      }
      s.pending.shift();
      this.emit({ type: 'socket.queue', socket: s.id, pending: s.pending.map((p) => p.id) });
      const fd = this.openFd(actor, child);
      const from = child.remote ? ` from ${showEndpoint(child.remote)}` : '';
      return { ret: fd, detail: `new connection${from}` };
    };
    return this.wait(ctx, s, 'no-connection', check, 'immediate');
  }

  private async connect(actor: Actor, args: CallArgs['connect'], ctx: CallContext): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return ebadf(args.fd);
    if (s.server) return { ret: -1, errno: 'EISCONN', detail: 'a listening socket cannot connect' };
    if (s.state === 'SYN_SENT')
      return { ret: -1, errno: 'EALREADY', detail: 'a connect() is already in progress' };
    if (s.connected) return { ret: -1, errno: 'EISCONN', detail: 'the socket is already connected' };
    const h = checkLoopback(args.host, s.family, 'EACCES');
    if (!h.ok) return { ret: -1, errno: h.errno, detail: h.detail };
    const opts: net.NetConnectOpts = {
      host: h.host,
      port: args.port,
      allowHalfOpen: true,
      family: s.family === 'inet' ? 4 : 6,
      ...(s.bound ? { localAddress: s.bound.host, localPort: s.bound.port } : {}),
    };
    const conn = net.connect(opts);
    // Paused before the connection completes, Node does not start reading on connect: the
    // bytes that arrive stay in the kernel's receive queue until a read() wants them.
    conn.pause();
    s.conn = conn;
    s.remote = { host: h.host, port: args.port };
    this.attach(s, conn, true);
    // Node issues the connect(2) on the next tick: after it the kernel has picked our port.
    await nextTick();
    const a = conn.address();
    if (a && typeof a === 'object' && 'port' in a) s.local = { host: a.address, port: a.port };
    else s.local = s.bound ?? { host: h.host === '::1' ? '::1' : '127.0.0.1', port: 0 };
    s.snd = 0;
    s.rcv = 0;
    this.emitAddress(s);
    this.transition(s, 'connect');
    // The SYN goes to the listening socket (a lab listener, when the lab has one there).
    const listener = [...this.sockets.values()].find(
      (o) => o.server && !o.dead && sameEndpoint(o.local, s.remote),
    );
    this.segment(s, 'out', ['SYN'], 0, listener?.id ?? null);
    const check = (): CallResult | null => {
      if (s.connected) return { ret: 0, detail: `connected to ${showEndpoint(s.remote!)}` };
      if (s.error) {
        const errno = s.error;
        s.errorReported = true;
        return {
          ret: -1,
          errno,
          detail:
            errno === 'ECONNREFUSED'
              ? `nothing listens on ${showEndpoint(s.remote!)}: the kernel answered RST`
              : undefined,
        };
      }
      if (s.dead) return { ret: -1, errno: 'EBADF', detail: 'the lab was reset' };
      return null;
    };
    return this.wait(ctx, s, 'handshake', check, CONNECT_GRACE_MS);
  }

  private read(actor: Actor, args: CallArgs['read'], ctx: CallContext): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return Promise.resolve(ebadf(args.fd));
    if (!s.connected || !s.conn)
      return Promise.resolve({ ret: -1, errno: 'ENOTCONN', detail: 'the socket is not connected' });
    const conn = s.conn;
    const check = (): CallResult | null => {
      if (s.shutRd) return { ret: 0, detail: 'shutdown(SHUT_RD) was called: read returns 0' };
      if (s.recvAppBytes > 0) return this.takeRecv(s, args.max);
      if (s.eof) return { ret: 0, detail: 'end of stream: the peer sent FIN' };
      // A reset is what read reports (once, as Linux does); other socket errors (EPIPE from
      // an earlier write) end the stream for read.
      if ((s.error === 'ECONNRESET' || s.error === 'ETIMEDOUT') && !s.errorReported) {
        s.errorReported = true;
        return {
          ret: -1,
          errno: s.error,
          detail: s.error === 'ECONNRESET' ? 'the peer reset the connection (RST)' : undefined,
        };
      }
      if (s.error || conn.destroyed) return { ret: 0, detail: 'the connection is gone' };
      return null;
    };
    // Data Node already took from the kernel (its stream buffer) comes first, synchronously:
    // read() re-emits it as 'data', which the handler moves to recvApp.
    while (conn.readableLength > 0 && conn.read() !== null) {
      /* moved by the 'data' handler */
    }
    const now = check();
    if (now) return Promise.resolve(now);
    return this.wait(
      ctx,
      s,
      'recv-empty',
      check,
      'immediate',
      () => {
        // Take from the kernel only now that a read waits; the 'data' handler pauses again.
        if (!conn.destroyed) conn.resume();
      },
      () => {
        if (!conn.destroyed) conn.pause();
      },
    );
  }

  private takeRecv(s: LabSocket, max: number): CallResult {
    const parts: Buffer[] = [];
    let n = 0;
    while (n < max && s.recvApp.length > 0) {
      const head = s.recvApp[0]!;
      const take = Math.min(head.length, max - n);
      parts.push(head.subarray(0, take));
      n += take;
      if (take === head.length) s.recvApp.shift();
      else s.recvApp[0] = head.subarray(take);
    }
    s.recvAppBytes -= n;
    const bytes = Buffer.concat(parts, n);
    this.touchBuffers(s);
    const text = bytes.subarray(0, 200).toString('utf8');
    return { ret: n, bytes, detail: JSON.stringify(text).slice(0, 500) + (n > 200 ? '…' : '') };
  }

  private write(actor: Actor, args: CallArgs['write'], ctx: CallContext): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return Promise.resolve(ebadf(args.fd));
    if (!s.connected || !s.conn)
      return Promise.resolve({ ret: -1, errno: 'ENOTCONN', detail: 'the socket is not connected' });
    if (s.shutWr)
      return Promise.resolve({
        ret: -1,
        errno: 'EPIPE',
        detail: 'this side already sent FIN (shutdown or close): writing is EPIPE',
      });
    if (s.rstReceived || s.rstSent || s.conn.destroyed || s.error) {
      return Promise.resolve({
        ret: -1,
        errno: 'EPIPE',
        detail: 'the connection was reset: writing is EPIPE',
      });
    }
    const conn = s.conn;
    const buf = args.data !== undefined ? Buffer.from(args.data, 'utf8') : fillPattern(args.fill ?? 0);
    if (conn.writableLength + buf.length > this.limits.bytesBufferedPerSocket) {
      return Promise.resolve({
        ret: -1,
        errno: 'ENOBUFS',
        detail: `${conn.writableLength} bytes already wait in the lab's send buffer; ${buf.length} more would pass the limit of ${this.limits.bytesBufferedPerSocket}`,
      });
    }
    const n = buf.length;
    const drainsBefore = s.drains;
    const fits = conn.write(buf);
    s.sendLog.push(buf);
    s.sendLogBytes += n;
    if (n > 0) {
      // One inferred data segment per write (the real stack cuts it to the MSS; a capture
      // shows the real segments), then the receiver's ACK: loopback delivers at once.
      this.segment(s, 'out', ['PSH', 'ACK'], n);
      if (s.peer) this.segment(s.peer, 'out', ['ACK'], 0);
      else this.segment(s, 'in', ['ACK'], 0);
    }
    this.touchBuffers(s);
    if (fits) return Promise.resolve({ ret: n });
    const check = (): CallResult | null => {
      if (s.error)
        return {
          ret: -1,
          errno: s.error === 'ECONNRESET' ? 'ECONNRESET' : 'EPIPE',
          detail: 'the connection broke while writing',
        };
      if (conn.destroyed) return { ret: -1, errno: 'EPIPE', detail: 'the socket was closed while writing' };
      if (s.drains > drainsBefore || conn.writableLength === 0) return { ret: n };
      return null;
    };
    return this.wait(ctx, s, 'send-full', check, 'now');
  }

  private async shutdown(actor: Actor, args: CallArgs['shutdown']): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return ebadf(args.fd);
    if (!s.connected || !s.conn) return { ret: -1, errno: 'ENOTCONN', detail: 'the socket is not connected' };
    // After an RST the kernel has dropped the connection (CLOSED): Linux answers ENOTCONN.
    if (s.rstReceived) return { ret: -1, errno: 'ENOTCONN', detail: 'the connection was reset by the peer' };
    await this.refreshKernel(s);
    if (args.how !== 'SHUT_WR') {
      s.shutRd = true;
      s.wake();
    }
    if (args.how !== 'SHUT_RD' && !s.shutWr) {
      s.shutWr = true;
      if (!s.conn.destroyed && !s.rstReceived) {
        const { held, handed } = this.endWrites(s, s.conn, `shutdown(${args.how}): FIN sent`);
        if (held > 0) return { ret: 0, detail: finPendingNote(held) };
        // Nothing queued: Node's shutdown(2) follows within a turn of the event loop; the call
        // returns once the FIN is the kernel's, as a C shutdown does.
        await handed;
      }
    }
    return { ret: 0 };
  }

  private async close(actor: Actor, args: CallArgs['close']): Promise<CallResult> {
    const s = actor.fds.get(args.fd);
    if (!s) return ebadf(args.fd);
    actor.fds.delete(args.fd);
    s.refs--;
    this.emit({ type: 'fd.closed', actor: actor.id, fd: args.fd, socket: s.id });
    if (s.refs > 0) return { ret: 0, detail: 'other descriptors still refer to the socket' };
    const detail = await this.release(s);
    return { ret: 0, ...(detail ? { detail } : {}) };
  }

  /** The last descriptor went: close the real socket as C's close would. */
  private async release(s: LabSocket): Promise<string | undefined> {
    let detail: string | undefined;
    if (s.server) {
      const server = s.server;
      s.server = null;
      server.close();
      // A real close of a listener resets the connections still in its accept queue.
      for (const child of s.pending) this.resetSocket(child, 'listener closed: RST sent');
      if (s.pending.length) this.emit({ type: 'socket.queue', socket: s.id, pending: [] });
      s.pending = [];
      this.transition(s, 'close', 'close()');
      s.wake();
    } else if (s.conn && !s.conn.destroyed && s.connected && !s.rstReceived) {
      const row = await this.refreshKernel(s);
      const unread = s.recvAppBytes + s.conn.readableLength + (row ? row.recvQ : 0);
      if (unread > 0) {
        this.resetSocket(s, `close() with ${unread} unread bytes: RST sent`);
        detail = `${unread} bytes were unread: the kernel sent RST instead of FIN`;
      } else {
        const conn = s.conn;
        if (!s.shutWr) {
          s.shutWr = true;
          if (conn.writableLength > 0) {
            const { held } = this.endWrites(s, conn, 'close(): FIN sent');
            detail = finPendingNote(held);
          } else this.sendFin(s, 'close(): FIN sent');
        } else if (s.finPendingBytes > 0) detail = finPendingNote(s.finPendingBytes);
        // Closing the real descriptor lets the kernel finish the connection (FIN_WAIT_2,
        // TIME_WAIT, LAST_ACK) on its own, as after a C close; bytes Node still holds are
        // written first (and the FIN after them, see endWrites).
        if (conn.writableFinished || (!conn.writableEnded && conn.writableLength === 0)) conn.destroy();
        else {
          if (!conn.writableEnded) conn.end();
          conn.once('finish', () => conn.destroy());
        }
      }
    } else if (s.conn && !s.conn.destroyed) {
      // Connecting (an interrupted connect) or after an RST: nothing to finish.
      s.conn.destroy();
      if (s.state === 'SYN_SENT') this.transition(s, 'close', 'close() during the handshake');
    }
    s.released = true;
    this.emit({ type: 'socket.released', socket: s.id });
    this.touchBuffers(s);
    this.maybeUnwatch(s);
    return detail;
  }

  // -------------------------------------------------------------------------------------
  // Sockets and their events

  private newSocket(
    actor: string | null,
    family: 'inet' | 'inet6',
    listener: LabSocket | null = null,
  ): LabSocket {
    const s = new LabSocket(`s${++this.socketSeq}`, actor, family, listener);
    this.sockets.set(s.id, s);
    this.emit({
      type: 'socket.created',
      socket: s.id,
      actor,
      family,
      ...(listener ? { listener: listener.id } : {}),
    });
    return s;
  }

  private openFd(actor: Actor, s: LabSocket): number {
    const fd = actor.lowestFreeFd();
    actor.fds.set(fd, s);
    s.refs++;
    this.emit({ type: 'fd.opened', actor: actor.id, fd, socket: s.id });
    return fd;
  }

  /** Listeners every lab connection gets, for its whole life. */
  private attach(s: LabSocket, conn: net.Socket, client: boolean): void {
    if (client) conn.on('connect', () => this.onConnected(s, conn));
    // Once a socket has been resumed (a first read), Node keeps taking bytes from the kernel
    // into its own stream buffer while paused, up to its high-water mark, and tells nobody:
    // no 'data' while paused. Those bytes have left the kernel's receive queue, so the view
    // counts them in recvApp: every push into the stream touches the buffers (coalesced).
    // A push of null is the peer's FIN, read by Node before anyone reads the bytes before it.
    const push = conn.push.bind(conn);
    conn.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      const more = push(chunk, encoding);
      if (!s.dead) {
        if (chunk === null) this.finReceived(s, 'FIN received');
        this.touchBuffers(s);
      }
      return more;
    };
    conn.on('data', (chunk: Buffer) => {
      if (s.dead) return;
      s.recvApp.push(chunk);
      s.recvAppBytes += chunk.length;
      if (!s.peer) {
        // A peer outside the lab: its data segment is only seen when the bytes are taken.
        this.segment(s, 'in', ['PSH', 'ACK'], chunk.length);
        this.segment(s, 'out', ['ACK'], 0);
      }
      // One chunk per wanted read: what is not read stays in the kernel.
      conn.pause();
      s.wake();
      this.touchBuffers(s);
    });
    conn.on('end', () => {
      if (s.dead) return;
      s.eof = true;
      this.finReceived(s, 'FIN received');
      s.wake();
    });
    conn.on('drain', () => {
      if (s.dead) return;
      s.drains++;
      s.wake();
      this.touchBuffers(s);
    });
    conn.on('error', (err) => {
      if (s.dead) return;
      const errno = toErrno(err, 'ECONNRESET');
      if (!s.error) s.error = errno;
      if (errno === 'ECONNREFUSED' && s.state === 'SYN_SENT') {
        this.segment(s, 'in', ['RST', 'ACK'], 0);
        this.transition(s, 'rst', 'RST received: connection refused');
        s.conn = null;
      } else if (errno === 'ECONNRESET') {
        this.rstReceived(s, 'RST received');
      }
      s.wake();
    });
    conn.on('close', () => {
      if (s.dead) return;
      s.wake();
      this.touchBuffers(s);
    });
  }

  private onConnected(s: LabSocket, conn: net.Socket): void {
    if (s.dead) {
      conn.destroy();
      return;
    }
    s.connected = true;
    if (conn.localPort !== undefined && conn.localAddress)
      s.local = { host: conn.localAddress, port: conn.localPort };
    this.linkPeer(s);
    this.segment(s, 'in', ['SYN', 'ACK'], 0);
    this.transition(s, 'syn-ack-received');
    this.segment(s, 'out', ['ACK'], 0);
    this.emitAddress(s);
    this.watch(s);
    s.wake();
  }

  private onConnection(listener: LabSocket, conn: net.Socket): void {
    conn.pause();
    if (listener.dead || !listener.server) {
      conn.resetAndDestroy();
      return;
    }
    const child = this.newSocket(listener.actor, listener.family, listener);
    child.conn = conn;
    child.connected = true;
    child.local = {
      host: conn.localAddress ?? listener.local!.host,
      port: conn.localPort ?? listener.local!.port,
    };
    child.remote = { host: conn.remoteAddress ?? '?', port: conn.remotePort ?? 0 };
    this.attach(child, conn, false);
    this.linkPeer(child);
    this.emitAddress(child);
    if (!child.peer) {
      // A client outside the lab: its handshake is only seen from this side.
      child.rcv = 0;
      child.snd = 0;
      this.segment(child, 'in', ['SYN'], 0);
      this.transition(child, 'syn-received');
      this.segment(child, 'out', ['SYN', 'ACK'], 0);
      this.segment(child, 'in', ['ACK'], 0);
      this.transition(child, 'ack-received');
    } else {
      // The lab client emits the handshake's segments; both sides count from ISN 0.
      child.snd = 1;
      child.rcv = 1;
      this.transition(child, 'syn-received');
      this.transition(child, 'ack-received');
    }
    listener.pending.push(child);
    this.emit({ type: 'socket.queue', socket: listener.id, pending: listener.pending.map((p) => p.id) });
    this.watch(child);
    listener.wake();
  }

  /** Pair `s` with the lab socket on the other end of its connection, if any. */
  private linkPeer(s: LabSocket): void {
    if (s.peer || !s.local || !s.remote) return;
    for (const o of this.sockets.values()) {
      if (o === s || o.dead || o.peer || o.server) continue;
      if (sameEndpoint(o.local, s.remote) && sameEndpoint(o.remote, s.local)) {
        s.peer = o;
        o.peer = s;
        this.emitAddress(o);
        return;
      }
    }
  }

  private emitAddress(s: LabSocket): void {
    this.emit({
      type: 'socket.address',
      socket: s.id,
      local: s.local,
      remote: s.remote,
      peer: s.peer?.id ?? null,
    });
  }

  /** Move the model's state by `input`; returns false when the input does not apply. */
  private transition(s: LabSocket, input: TcpInput, cause?: string): boolean {
    const to = nextState(s.state, input);
    if (!to) return false;
    const from = s.state;
    s.state = to;
    this.emit({
      type: 'socket.state',
      socket: s.id,
      from,
      to,
      cause: (cause ?? INPUT_CAUSE[input]).slice(0, 80),
    });
    if (to === 'CLOSED') this.maybeUnwatch(s);
    return true;
  }

  /** Our FIN goes out (close or shutdown): FIN_WAIT_1 or LAST_ACK. */
  private sendFin(s: LabSocket, cause: string): void {
    this.transition(s, 'close', cause);
    this.segment(s, 'out', ['FIN', 'ACK'], 0);
    if (this.source.kind === 'none' && s.peer && !s.peer.dead) {
      // Without a kernel table the lab peer's side is inferred at once: loopback delivers
      // the FIN and the peer's kernel acknowledges it immediately.
      this.finReceived(s.peer, 'FIN received');
    }
  }

  /**
   * End the writing side through Node (conn.end()) and move the model when the FIN is really
   * sent. Node hands its FIN to the kernel (shutdown(2)) only after every byte it still
   * holds, and says so with 'finish'; until then the kernel stays in ESTABLISHED (or
   * CLOSE_WAIT), and so does the model, which must not run ahead of the kernel. `held`: the
   * bytes the FIN waits behind; `handed` settles once the FIN is the kernel's (or the socket
   * closed without it: a reset, or the lab's reset).
   */
  private endWrites(s: LabSocket, conn: net.Socket, cause: string): { held: number; handed: Promise<void> } {
    const held = conn.writableLength;
    s.finPendingBytes = held;
    const handed = new Promise<void>((resolve) => {
      const settle = (finished: boolean): void => {
        conn.off('finish', onFinish);
        conn.off('close', onClose);
        s.finPendingBytes = 0;
        if (finished && !s.dead && !s.rstReceived && !s.rstSent) {
          this.sendFin(s, held > 0 ? `${cause} after ${held} bytes left the lab's queue` : cause);
        }
        this.touchBuffers(s);
        resolve();
      };
      const onFinish = (): void => settle(true);
      const onClose = (): void => settle(conn.writableFinished);
      conn.on('finish', onFinish);
      conn.on('close', onClose);
    });
    conn.end();
    return { held, handed };
  }

  /** The peer's FIN arrived at `s` (seen by Node, the kernel table or the lab peer). */
  private finReceived(s: LabSocket, cause: string): void {
    if (s.finReceived || s.dead) return;
    if (!nextState(s.state, 'fin-received')) return;
    s.finReceived = true;
    if (!s.peer) this.segment(s, 'in', ['FIN', 'ACK'], 0);
    this.transition(s, 'fin-received', cause);
    this.segment(s, 'out', ['ACK'], 0);
    // Our kernel acknowledged the FIN at once: the lab peer has its ACK.
    if (s.peer) this.finAcked(s.peer, 'ACK of FIN received');
    this.touchBuffers(s);
  }

  private finAcked(s: LabSocket, cause: string): void {
    if (s.dead || !nextState(s.state, 'fin-acked')) return;
    if (!s.peer) this.segment(s, 'in', ['ACK'], 0);
    this.transition(s, 'fin-acked', cause);
  }

  private rstReceived(s: LabSocket, cause: string): void {
    if (s.dead || s.rstReceived || s.state === 'CLOSED') return;
    s.rstReceived = true;
    s.finPendingBytes = 0;
    if (!s.peer) this.segment(s, 'in', ['RST'], 0);
    this.transition(s, 'rst', cause);
    s.wake();
  }

  /** Reset a connection for real (RST), and tell a lab peer. */
  private resetSocket(s: LabSocket, cause: string): void {
    s.rstSent = true;
    s.finPendingBytes = 0;
    if (s.conn && !s.conn.destroyed) s.conn.resetAndDestroy();
    this.segment(s, 'out', ['RST'], 0);
    this.transition(s, 'rst', cause);
    if (s.peer) this.rstReceived(s.peer, 'RST received');
    s.wake();
  }

  /**
   * Emit an inferred segment of `s`'s connection: 'out' from s to its remote, 'in' from the
   * remote to s. Sequence numbers are relative (ISN 0 on both sides, see LabSocket.snd).
   */
  private segment(
    s: LabSocket,
    dir: 'out' | 'in',
    flags: TcpFlag[],
    len: number,
    otherId?: SocketId | null,
  ): void {
    if (!s.local || !s.remote) return;
    const M = 0x100000000;
    const ack = flags.includes('ACK');
    const seqNo = (dir === 'out' ? s.snd : s.rcv) % M;
    const ackNo = ack ? (dir === 'out' ? s.rcv : s.snd) % M : null;
    const step = len + (flags.includes('SYN') ? 1 : 0) + (flags.includes('FIN') ? 1 : 0);
    if (dir === 'out') {
      s.snd += step;
      if (s.peer) s.peer.rcv = s.snd;
    } else s.rcv += step;
    const src = dir === 'out' ? s.local : s.remote;
    const dst = dir === 'out' ? s.remote : s.local;
    const other = otherId !== undefined ? otherId : (s.peer?.id ?? null);
    this.emit({
      type: 'segment',
      source: 'inferred',
      src,
      dst,
      from: dir === 'out' ? s.id : other,
      to: dir === 'out' ? other : s.id,
      flags,
      seqNo,
      ackNo,
      len,
      win: null,
      options: [],
      tsUs: Math.round((performance.timeOrigin + performance.now()) * 1000),
    });
  }

  /**
   * Wait for `check` to give a result; the socket's wake-ups re-check it. The call shows as
   * blocked at once ('now'), after the event loop had a turn to deliver what the kernel
   * already holds ('immediate'), or after some milliseconds.
   */
  private wait(
    ctx: CallContext,
    s: LabSocket,
    reason: BlockReason,
    check: () => CallResult | null,
    grace: 'now' | 'immediate' | number,
    start?: () => void,
    stop?: () => void,
  ): Promise<CallResult> {
    return new Promise<CallResult>((resolve) => {
      let finished = false;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const finish = (r: CallResult): void => {
        if (finished) return;
        finished = true;
        s.waiters.delete(waker);
        if (timer) clearTimeout(timer);
        stop?.();
        resolve(r);
      };
      const waker = (): void => {
        const r = check();
        if (r) finish(r);
      };
      s.waiters.add(waker);
      ctx.onInterrupt(() => finish(EINTR));
      waker();
      if (finished) return;
      start?.();
      if (grace === 'now') ctx.block(reason);
      else if (grace === 'immediate') setImmediate(() => setImmediate(() => !finished && ctx.block(reason)));
      else timer = setTimeout(() => !finished && ctx.block(reason), grace);
    });
  }

  // -------------------------------------------------------------------------------------
  // Buffers

  /** Emit the socket's buffers if they changed, at most once per 16 ms (coalesced). */
  private touchBuffers(s: LabSocket): void {
    if (s.dead || s.buffersTimer) return;
    const wait = s.buffersAt + BUFFERS_EVERY_MS - performance.now();
    if (wait > 0) {
      // Node's timers count whole milliseconds from the loop's cached clock and can fire a
      // little early: the callback checks again (the last change is always sent, only later).
      s.buffersTimer = setTimeout(() => {
        s.buffersTimer = null;
        this.touchBuffers(s);
      }, Math.ceil(wait));
    } else this.flushBuffers(s);
  }

  private flushBuffers(s: LabSocket): void {
    if (s.dead) return;
    const b = this.buffersOf(s);
    const l = s.buffersLast;
    if (
      l &&
      l.sendApp === b.sendApp &&
      l.sendKernel === b.sendKernel &&
      l.recvKernel === b.recvKernel &&
      l.recvApp === b.recvApp &&
      l.sendPreview === b.sendPreview &&
      l.recvPreview === b.recvPreview &&
      l.finReceived === b.finReceived
    ) {
      return;
    }
    if (!l && b.sendApp + b.sendKernel + b.recvKernel + b.recvApp === 0 && !b.finReceived) {
      s.buffersLast = b;
      return;
    }
    s.buffersLast = b;
    s.buffersAt = performance.now();
    this.emit({ type: 'socket.buffers', socket: s.id, buffers: b });
  }

  private buffersOf(s: LabSocket): Buffers {
    const conn = s.conn;
    const live = conn && !conn.destroyed;
    const row = s.kernelRow && s.kernelRow.state !== 'LISTEN' ? s.kernelRow : null;
    const sendApp = live ? conn.writableLength : 0;
    const sendKernel = row ? row.sendQ : 0;
    const recvKernel = row ? row.recvQ : 0;
    const recvApp = s.recvAppBytes + (live ? conn.readableLength : 0);
    // The bytes still outstanding are the last `sendApp + sendKernel` bytes written.
    const outstanding = sendApp + sendKernel;
    while (s.sendLog.length > 0 && s.sendLogBytes - s.sendLog[0]!.length >= outstanding) {
      s.sendLogBytes -= s.sendLog.shift()!.length;
    }
    const sendPreview =
      outstanding > 0 ? previewAt(s.sendLog, Math.max(0, s.sendLogBytes - outstanding)) : '';
    const recvPreview = previewAt(live ? [...s.recvApp, ...heldByNode(conn)] : s.recvApp, 0);
    return {
      sendApp,
      sendKernel,
      recvKernel,
      recvApp,
      sendPreview: sendPreview.slice(0, 256),
      recvPreview: recvPreview.slice(0, 256),
      finReceived: s.finReceived || s.eof,
    };
  }

  // -------------------------------------------------------------------------------------
  // The kernel table

  private watch(s: LabSocket): void {
    if (!s.local || s.dead) return;
    s.watched = true;
    this.observer.watch(s.id, { local: s.local, remote: s.server ? null : s.remote });
  }

  private maybeUnwatch(s: LabSocket): void {
    // Released sockets are watched until their row is gone (TIME_WAIT lasts 60 s).
    if (s.watched && s.released && s.state === 'CLOSED' && (!s.kernelSeen || s.kernelRow === null)) {
      s.watched = false;
      this.observer.unwatch(s.id);
    }
  }

  private onKernel(id: string, row: KernelRow | null): void {
    const s = this.sockets.get(id);
    if (!s || s.dead) return;
    if (!row && !s.kernelSeen) return;
    this.applyRow(s, row);
    this.maybeUnwatch(s);
  }

  private applyRow(s: LabSocket, row: KernelRow | null): void {
    if (row) s.kernelSeen = true;
    const prev = s.kernelRow;
    s.kernelRow = row;
    if (!prev || !row || differsBesideTimer(prev, row)) {
      if (prev || row) {
        this.emit({
          type: 'socket.kernel',
          socket: s.id,
          state: row?.state ?? null,
          sendQ: row?.sendQ ?? 0,
          recvQ: row?.recvQ ?? 0,
          timerMs: row?.timerMs ?? null,
        });
      }
    }
    if (!s.server && s.state !== 'LISTEN') {
      for (const input of inferFromKernel(s.state, row?.state ?? null)) {
        if (input === 'fin-received') this.finReceived(s, 'FIN received (kernel table)');
        else if (input === 'fin-acked') this.finAcked(s, 'ACK of FIN received (kernel table)');
        else if (input === 'rst') {
          if (s.released) this.transition(s, 'rst', 'the kernel dropped the connection');
          else this.rstReceived(s, 'RST received (kernel table)');
        } else if (input === 'timeout') this.transition(s, 'timeout', 'TIME_WAIT timer expired (2MSL)');
      }
    }
    this.touchBuffers(s);
  }

  /** Read the kernel's row for `s` now (before close/shutdown decide), and apply it. */
  private async refreshKernel(s: LabSocket): Promise<KernelRow | null> {
    if (this.source.kind === 'none' || !s.local || !s.remote) return null;
    let rows: KernelRow[];
    try {
      rows = await this.source.read();
    } catch {
      return s.kernelRow;
    }
    const lk = endpointKey(s.local);
    const rk = endpointKey(s.remote);
    const row =
      rows.find(
        (r) =>
          r.state !== 'LISTEN' &&
          r.state !== 'TIME_WAIT' &&
          endpointKey(r.local) === lk &&
          endpointKey(r.remote) === rk,
      ) ?? null;
    if (row && !s.dead) this.applyRow(s, row);
    return row;
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
   * Close every socket (servers too) and forget them: blocked calls return silently (their
   * actors are dead), listeners stop, connections close their real descriptors. Afterwards
   * the kernel has no LISTEN or ESTABLISHED socket of the lab; TIME_WAIT is the kernel's.
   */
  closeAll(actors: Iterable<Actor>): void {
    for (const a of actors) {
      a.dead = true;
      a.current?.interrupt?.();
    }
    for (const s of this.sockets.values()) {
      s.dead = true;
      if (s.buffersTimer) clearTimeout(s.buffersTimer);
      s.buffersTimer = null;
      if (s.watched) this.observer.unwatch(s.id);
      s.watched = false;
      if (s.server) {
        s.server.close();
        s.server = null;
      }
      if (s.conn && !s.conn.destroyed) s.conn.destroy();
      // Wake blocked calls so their promises settle (their checks see `dead`/destroyed).
      s.wake();
    }
    this.sockets.clear();
  }

  /** Close everything and stop observing the kernel for good. */
  dispose(actors: Iterable<Actor>): void {
    this.closeAll(actors);
    this.observer.dispose();
  }
}

/**
 * At most PREVIEW_BYTES bytes as text, starting `skip` bytes into a list of chunks, without
 * copying the chunks (a fill write can be 16 MB).
 */
function previewAt(chunks: readonly Buffer[], skip: number): string {
  const parts: Buffer[] = [];
  let want = PREVIEW_BYTES;
  for (const c of chunks) {
    if (want <= 0) break;
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    const part = c.subarray(skip, skip + want);
    skip = 0;
    want -= part.length;
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The bytes Node holds in a socket's readable buffer (taken from the kernel, not yet
 * emitted), oldest first, without copying. `readableBuffer` is the stream's own list: an
 * array whose consumed slots are null (Node 20+), or a linked list in older releases; only
 * the last `readableLength` bytes of it are still unread.
 */
function heldByNode(conn: net.Socket): Buffer[] {
  const unread = conn.readableLength;
  if (unread === 0) return [];
  // Not in @types/node, but a public getter of stream.Readable since Node 10.
  const list: unknown = (conn as unknown as { readableBuffer?: unknown }).readableBuffer;
  const chunks: Buffer[] = [];
  if (Array.isArray(list)) {
    for (const c of list) if (Buffer.isBuffer(c)) chunks.push(c);
  } else if (list && typeof list === 'object' && 'head' in list) {
    for (let n = (list as { head: { data: unknown; next: unknown } | null }).head; n;) {
      if (Buffer.isBuffer(n.data)) chunks.push(n.data);
      n = n.next as typeof n;
    }
  }
  let skip = chunks.reduce((a, c) => a + c.length, 0) - unread;
  while (skip > 0 && chunks.length > 0) {
    const head = chunks[0]!;
    if (head.length <= skip) {
      skip -= head.length;
      chunks.shift();
    } else {
      chunks[0] = head.subarray(skip);
      skip = 0;
    }
  }
  return chunks;
}

/** The note of a shutdown or close whose FIN waits behind bytes the lab still holds. */
function finPendingNote(held: number): string {
  return `FIN pending behind ${held} bytes the lab still holds: it is sent once they are handed to the kernel`;
}

/** `n` bytes of a readable repeating pattern (for write's `fill`). */
function fillPattern(n: number): Buffer {
  const unit = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789\n');
  const buf = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i += unit.length) unit.copy(buf, i, 0, Math.min(unit.length, n - i));
  return buf;
}

export type { TcpState };
