/**
 * setsockopt, getsockopt and fcntl. Options go to the kernel as the program gives them; the
 * lab sets none of its own. fcntl's O_NONBLOCK is the program's view of its descriptor: the
 * real descriptor is non-blocking underneath always (the engine parks blocking calls on the
 * poller), so the flag decides whether a call that would block parks or returns EAGAIN.
 */
import type { CallArgs } from '../../contract/schema';
import type { Actor } from '../actor';
import { asErrno, ebadf, type CallResult } from './result';
import type { Engine } from '../engine';

/** O_RDWR and O_NONBLOCK as Linux's F_GETFL reports them (<asm-generic/fcntl.h>). */
const O_RDWR = 2;
const O_NONBLOCK = 0o4000;

/** setsockopt(fd, level, opt, &value, sizeof value). */
export function setsockoptCall(e: Engine, actor: Actor, args: CallArgs['setsockopt']): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const r = e.sys.setsockopt(s.fd, args.opt, args.value);
  if (r.ret === -1) return { ret: -1, errno: asErrno(r.errno) };
  if (args.opt === 'SO_LINGER' && typeof args.value === 'object') {
    s.lingerZero = args.value.onoff === 1 && args.value.linger === 0;
  }
  e.facts.observe(s);
  return { ret: 0 };
}

/** getsockopt(fd, level, opt, &value, &len): the kernel's value in `out.optval`. */
export function getsockoptCall(e: Engine, actor: Actor, args: CallArgs['getsockopt']): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const r = e.sys.getsockopt(s.fd, args.opt);
  if (r.ret === -1 || r.value === null) return { ret: -1, errno: asErrno(r.errno) };
  return { ret: 0, out: { optval: r.value } };
}

/** fcntl(fd, F_GETFL) → the flags; fcntl(fd, F_SETFL, flags) → 0. */
export function fcntlCall(e: Engine, actor: Actor, args: CallArgs['fcntl']): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  if (args.cmd === 'F_GETFL') {
    // The real descriptor must still be there (the kernel answers EBADF otherwise).
    if (e.sys.getNonBlocking(s.fd) === null) return { ret: -1, errno: 'EBADF' };
    return {
      ret: O_RDWR | (s.nonBlocking ? O_NONBLOCK : 0),
      out: { flags: s.nonBlocking ? ['O_NONBLOCK'] : [] },
    };
  }
  s.nonBlocking = (args.flags ?? []).includes('O_NONBLOCK');
  return { ret: 0 };
}

/** getsockname(fd, …) / getpeername(fd, …): the kernel's address of either end, in `out.addr`. */
export function socknameCall(e: Engine, actor: Actor, args: { fd: number }, peer: boolean): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const r = peer ? e.sys.getpeername(s.fd) : e.sys.getsockname(s.fd);
  if (r.ret === -1 || !r.addr) return { ret: -1, errno: asErrno(r.errno) };
  return { ret: 0, out: { addr: { family: r.addr.family, host: r.addr.host, port: r.addr.port } } };
}
