/**
 * socket, bind, listen, accept, connect: the C library's calls on the actor's real
 * descriptors. Each returns what the kernel returned; the lab adds only its own rules
 * (loopback addresses only, a limit of descriptors per actor) and says so in `detail`.
 */
import { msg, type CallArgs, type Errno } from '../../contract/schema';
import type { Actor } from '../actor';
import { asErrno, ebadf, type CallContext, type CallResult } from './result';
import type { Engine } from '../engine';
import { checkLoopback, showEndpoint } from '../net-util';

/** socket(AF_INET or AF_INET6, SOCK_STREAM, 0): the lowest free descriptor number. */
export function socketCall(e: Engine, actor: Actor, args: CallArgs['socket']): CallResult {
  const limit = e.fdLimit(actor);
  if (limit) return limit;
  const r = e.sys.socket(args.family);
  if (r.ret === -1) return { ret: -1, errno: asErrno(r.errno) };
  const s = e.newSocket(actor, args.family, r.ret);
  const fd = e.openFd(actor, s);
  // The kernel's word from the start: a new socket is CLOSED (TCP_INFO says so).
  e.facts.observe(s);
  return { ret: fd };
}

/** bind(fd, host, port): the kernel reserves the address, or says EADDRINUSE. */
export function bindCall(e: Engine, actor: Actor, args: CallArgs['bind']): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const h = checkLoopback(args.host, s.family, 'EADDRNOTAVAIL');
  if (!h.ok) return { ret: -1, errno: h.errno, detail: h.detail };
  const r = e.sys.bind(s.fd, { family: s.family, host: h.host, port: args.port });
  if (r.ret === -1) {
    const errno = asErrno(r.errno);
    if (errno !== 'EADDRINUSE') return { ret: -1, errno };
    const at = { host: h.host, port: args.port };
    for (const o of e.sockets.values()) {
      if (o !== s && !o.dead && o.fd >= 0 && o.local && o.local.port === args.port) {
        return { ret: -1, errno, detail: msg('note.inUse', { at: showEndpoint(at), socket: o.id }) };
      }
    }
    return { ret: -1, errno };
  }
  e.learnAddresses(s);
  return { ret: 0 };
}

/**
 * listen(fd, backlog). A socket that was never bound is bound to the loopback address
 * first (port 0: the kernel picks one): C would bind it to every interface, and the lab
 * stays on loopback.
 */
export async function listenCall(e: Engine, actor: Actor, args: CallArgs['listen']): Promise<CallResult> {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  if (!s.local && !s.listening) {
    const b = e.sys.bind(s.fd, {
      family: s.family,
      host: s.family === 'inet' ? '127.0.0.1' : '::1',
      port: 0,
    });
    if (b.ret === -1) return { ret: -1, errno: asErrno(b.errno) };
  }
  // The tracepoint watches the port before the kernel can report anything on it.
  const port = e.sys.getsockname(s.fd).addr?.port;
  if (e.facts.traced && port) await e.facts.traced.watchPorts([port]);
  if (s.dead) return { ret: -1, errno: 'EBADF', detail: msg('note.labReset') };
  const r = e.sys.listen(s.fd, args.backlog);
  if (r.ret === -1) return { ret: -1, errno: asErrno(r.errno) };
  const again = s.listening;
  s.listening = true;
  e.learnAddresses(s);
  e.facts.observe(s, msg('cause.listen'));
  return again ? { ret: 0, detail: msg('note.alreadyListening') } : { ret: 0 };
}

/**
 * accept(fd): a connection from the kernel's accept queue, as a new descriptor; blocks
 * while the queue is empty (EAGAIN for a program that set O_NONBLOCK).
 */
export function acceptCall(e: Engine, ctx: CallContext, args: CallArgs['accept']): Promise<CallResult> {
  const actor = ctx.actor;
  const s = actor.fds.get(args.fd);
  if (!s) return Promise.resolve(ebadf(args.fd));
  const fd = s.fd;
  const attempt = (): CallResult | null => {
    const limit = e.fdLimit(actor);
    if (limit) return limit;
    const r = e.sys.accept(fd);
    if (r.ret === -1) {
      if (r.errno === 'EAGAIN' && !s.nonBlocking) return null;
      return { ret: -1, errno: asErrno(r.errno) };
    }
    const child = e.newSocket(actor, s.family, r.ret, s);
    child.connected = true;
    const n = e.openFd(actor, child);
    e.learnAddresses(child);
    // The kernel made the connection before accept(): it came through SYN_RECEIVED.
    e.facts.implied(child, 'SYN_RECEIVED');
    e.facts.observe(child);
    e.facts.observe(s);
    if (child.peer) e.facts.heat(child.peer);
    return {
      ret: n,
      ...(child.remote ? { detail: msg('note.newConnection', { from: showEndpoint(child.remote) }) } : {}),
      ...(r.addr ? { out: { addr: { family: r.addr.family, host: r.addr.host, port: r.addr.port } } } : {}),
    };
  };
  return e.park(
    ctx,
    'no-connection',
    () => ({ fds: [{ fd, events: e.sys.constants.POLL.POLLIN }] }),
    attempt,
  );
}

/**
 * connect(fd, host, port): the kernel sends SYN; blocks until the handshake completes or
 * fails (EINPROGRESS for a program that set O_NONBLOCK; it learns the result from poll and
 * SO_ERROR, as in C).
 */
export async function connectCall(
  e: Engine,
  ctx: CallContext,
  args: CallArgs['connect'],
): Promise<CallResult> {
  const s = ctx.actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const h = checkLoopback(args.host, s.family, 'EACCES');
  if (!h.ok) return { ret: -1, errno: h.errno, detail: h.detail };
  const target = { host: h.host, port: args.port };
  if (e.facts.traced) await e.facts.traced.watchPorts([args.port]);
  if (s.dead) return { ret: -1, errno: 'EBADF', detail: msg('note.labReset') };
  const wasConnecting = s.connecting;
  const r = e.sys.connect(s.fd, { family: s.family, host: h.host, port: args.port });
  const P = e.sys.constants.POLL;
  const done = (): CallResult => {
    s.connecting = false;
    const err = e.sys.getsockopt(s.fd, 'SO_ERROR');
    const code = typeof err.value === 'number' ? err.value : 0;
    e.learnAddresses(s);
    e.facts.observe(s, code !== 0 ? msg('cause.refused') : undefined, false);
    if (err.ret === 0 && code === 0) {
      s.connected = true;
      heatListeners(e);
      return { ret: 0, detail: msg('note.connected', { to: showEndpoint(target) }) };
    }
    return failed(asErrno(e.sys.errnoName(code)), target);
  };
  if (r.ret === 0) {
    s.remote = target;
    return done();
  }
  if (r.errno !== 'EINPROGRESS') {
    if (!wasConnecting && r.errno === 'ECONNREFUSED') {
      // Refused at once: the SYN went out and the kernel's RST came back within the call.
      s.remote ??= target;
      e.learnAddresses(s);
      e.facts.implied(s, 'SYN_SENT', msg('cause.connect'), true);
      e.facts.observe(s, msg('cause.refused'), false);
    }
    return failed(asErrno(r.errno), target);
  }
  s.connecting = true;
  s.remote = target;
  s.synTo = e.listenerAt(target)?.id ?? null;
  e.learnAddresses(s);
  e.facts.observe(s, msg('cause.connect'));
  // Refused already (the RST came back within the call): the SYN went out all the same.
  if (s.state === 'CLOSED') e.facts.implied(s, 'SYN_SENT', msg('cause.connect'), true);
  heatListeners(e);
  if (s.nonBlocking) return { ret: -1, errno: 'EINPROGRESS' };
  const probe = e.sys.pollBuffer(1);
  const attempt = (): CallResult | null => {
    probe.set(0, s.fd, P.POLLOUT);
    if (e.sys.poll(probe, 0).ret <= 0) return null;
    return done();
  };
  return e.park(ctx, 'handshake', () => ({ fds: [{ fd: s.fd, events: P.POLLOUT }] }), attempt);
}

/** A connect that failed with `errno` (at once, or as SO_ERROR later). */
function failed(errno: Errno, target: { host: string; port: number }): CallResult {
  return {
    ret: -1,
    errno,
    ...(errno === 'ECONNREFUSED' ? { detail: msg('note.refused', { to: showEndpoint(target) }) } : {}),
  };
}

/** A lab client is connecting: every lab listener's accept queue is about to change. */
function heatListeners(e: Engine): void {
  for (const o of e.sockets.values()) if (o.listening) e.facts.heat(o);
}
