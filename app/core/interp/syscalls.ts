/**
 * The socket calls of a C program, made for real: each reads its arguments from the
 * program's memory as the kernel would (a sockaddr's family, port and address in network
 * order, a pollfd array, an fd_set's bits), makes the call through the lab's engine, and
 * writes back what the kernel wrote (the bytes read, revents, the ready sets, the peer's
 * address). A failing call sets errno to the kernel's errno.
 */
import { msg, POLL_EVENTS, type Call, type PollEventName, type SockOptName } from '../../contract/schema';
import { readSockaddr, writeSockaddr } from './addresses';
import { callText } from './call-text';
import { Args, CONSTANTS, errnoNumber, type SysReturn } from './clib';
import type { Machine } from './machine';
import { check, fault, fillBytes, getBytes, putBytes, readInt, writeInt, type Pointer } from './memory';
import { T } from './types';
import { intVal, type Value } from './values';
import { own } from '../../contract/own';

/** The calls that go to the kernel (what a lesson's "step to the next call" counts). */
export const SYSCALLS = new Set([
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'read',
  'write',
  'recv',
  'send',
  'shutdown',
  'close',
  'setsockopt',
  'getsockopt',
  'fcntl',
  'poll',
  'select',
  'getsockname',
  'getpeername',
  'FD_ZERO',
  'FD_SET',
  'FD_CLR',
  'FD_ISSET',
]);

/** The FD_ macros work on memory only: they are not system calls. */
export const FD_MACROS = new Set(['FD_ZERO', 'FD_SET', 'FD_CLR', 'FD_ISSET']);

/** Most bytes one read() or write() of a program may ask for (the engine's limit). */
const MAX_IO = 16 * 1024 * 1024;

const C = CONSTANTS as Record<string, number>;
const OPTS: Record<string, SockOptName> = {
  [`${C.SOL_SOCKET}:${C.SO_REUSEADDR}`]: 'SO_REUSEADDR',
  [`${C.SOL_SOCKET}:${C.SO_REUSEPORT}`]: 'SO_REUSEPORT',
  [`${C.SOL_SOCKET}:${C.SO_LINGER}`]: 'SO_LINGER',
  [`${C.SOL_SOCKET}:${C.SO_RCVBUF}`]: 'SO_RCVBUF',
  [`${C.SOL_SOCKET}:${C.SO_SNDBUF}`]: 'SO_SNDBUF',
  [`${C.SOL_SOCKET}:${C.SO_ERROR}`]: 'SO_ERROR',
  [`${C.SOL_SOCKET}:${C.SO_KEEPALIVE}`]: 'SO_KEEPALIVE',
  [`${C.SOL_SOCKET}:${C.SO_TYPE}`]: 'SO_TYPE',
  [`${C.IPPROTO_TCP}:${C.TCP_NODELAY}`]: 'TCP_NODELAY',
};

const POLL_BITS: Record<PollEventName, number> = {
  POLLIN: C.POLLIN!,
  POLLOUT: C.POLLOUT!,
  POLLPRI: C.POLLPRI!,
  POLLRDHUP: C.POLLRDHUP!,
  POLLERR: C.POLLERR!,
  POLLHUP: C.POLLHUP!,
  POLLNVAL: C.POLLNVAL!,
};

/** Make the call `a.fn`: its return value, errno set on -1. */
export async function callSys(m: Machine, a: Args): Promise<Value> {
  if (FD_MACROS.has(a.fn)) return fdMacro(a);
  const r = await make(m, a);
  if (r.ret === -1 && r.errno) m.setErrno(errnoNumber(r.errno));
  const t = a.fn === 'read' || a.fn === 'write' || a.fn === 'recv' || a.fn === 'send' ? T.ssize_t : T.int;
  return intVal(r.ret, t);
}

async function make(m: Machine, a: Args): Promise<SysReturn> {
  const text = callText(a);
  const sys = (call: Call, payload?: Uint8Array) => m.io.sys(call, payload, text);
  switch (a.fn) {
    case 'socket': {
      a.count(3);
      const domain = a.int(0);
      if (domain !== C.AF_INET && domain !== C.AF_INET6)
        throw fault(msg('fault.family', { fn: 'socket', family: domain }));
      if ((a.int(1) & 0xf) !== C.SOCK_STREAM)
        throw fault(msg('fault.unsupported', { construct: 'a socket that is not SOCK_STREAM' }));
      return sys({ call: 'socket', args: { family: domain === C.AF_INET6 ? 'inet6' : 'inet' } });
    }
    case 'bind':
    case 'connect': {
      a.count(3);
      const addr = readSockaddr(a.ptr(1), a.int(2), a.fn, a.text(1));
      let host = addr.host;
      if (a.fn === 'bind' && (host === '0.0.0.0' || host === '::')) {
        // The lab binds only on loopback: INADDR_ANY becomes the loopback address, said in a note.
        host = addr.family === 'inet6' ? '::1' : '127.0.0.1';
        m.io.note(msg('note.loopbackOnly', { host: addr.host }));
      }
      return sys({ call: a.fn, args: { fd: a.int(0), host, port: addr.port } });
    }
    case 'listen':
      a.count(2);
      return sys({ call: 'listen', args: { fd: a.int(0), backlog: Math.max(0, Math.min(4096, a.int(1))) } });
    case 'accept': {
      a.count(3);
      const addrp = a.ptr(1);
      const lenp = a.ptr(2);
      const room = addrp && lenp ? readInt(lenp, T.socklen_t, a.text(2)) : 0;
      const r = await sys({ call: 'accept', args: { fd: a.int(0) } });
      if (r.ret >= 0 && addrp && lenp && r.out?.addr) {
        const len = writeSockaddr(addrp, room, r.out.addr, a.text(1));
        writeInt(lenp, T.socklen_t, len, a.text(2));
      }
      return r;
    }
    case 'getsockname':
    case 'getpeername': {
      a.count(3);
      const addrp = check(a.ptr(1), 2, a.text(1));
      const lenp = a.ptr(2);
      const room = readInt(lenp, T.socklen_t, a.text(2));
      const r = await sys({ call: a.fn, args: { fd: a.int(0) } });
      if (r.ret === 0 && r.out?.addr)
        writeInt(lenp, T.socklen_t, writeSockaddr(addrp, room, r.out.addr, a.text(1)), a.text(2));
      return r;
    }
    case 'read':
    case 'recv': {
      a.count(a.fn === 'read' ? 3 : 4);
      if (a.fn === 'recv' && a.int(3) !== 0)
        throw fault(msg('fault.unsupported', { construct: 'recv() flags' }));
      const n = a.int(2);
      if (n > MAX_IO) throw fault(msg('fault.tooBig', { fn: a.fn, n, max: MAX_IO }));
      const buf = check(a.ptr(1), n, a.text(1));
      if (n === 0) return { ret: 0 };
      const r = await sys({ call: 'read', args: { fd: a.int(0), max: n } });
      if (r.ret > 0 && r.bytes) putBytes(buf, r.bytes, a.text(1));
      return r;
    }
    case 'write':
    case 'send': {
      a.count(a.fn === 'write' ? 3 : 4);
      if (a.fn === 'send' && (a.int(3) & ~C.MSG_NOSIGNAL!) !== 0)
        throw fault(msg('fault.unsupported', { construct: 'send() flags' }));
      const n = a.int(2);
      if (n > MAX_IO) throw fault(msg('fault.tooBig', { fn: a.fn, n, max: MAX_IO }));
      const data = getBytes(a.ptr(1), n, a.text(1));
      if (n === 0) return { ret: 0 };
      const r = await sys({ call: 'write', args: { fd: a.int(0), fill: n } }, data);
      // The kernel sends SIGPIPE with EPIPE, and its default action ends the process (the
      // lab's own descriptor is written with MSG_NOSIGNAL, so the signal is the program's here).
      const nosignal = a.fn === 'send' && (a.int(3) & C.MSG_NOSIGNAL!) !== 0;
      if (r.ret === -1 && r.errno === 'EPIPE' && !nosignal) throw fault(msg('fault.sigpipe', { fn: a.fn }));
      return r;
    }
    case 'shutdown': {
      a.count(2);
      const how = ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'][a.int(1)] as
        'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' | undefined;
      if (!how)
        throw fault(msg('fault.argType', { fn: 'shutdown', n: 2, want: 'SHUT_RD, SHUT_WR or SHUT_RDWR' }));
      return sys({ call: 'shutdown', args: { fd: a.int(0), how } });
    }
    case 'close':
      return sys({ call: 'close', args: { fd: a.count(1).int(0) } });
    case 'setsockopt':
    case 'getsockopt':
      return sockopt(m, a);
    case 'fcntl': {
      const cmd = a.int(1);
      if (cmd === C.F_GETFL) {
        if (a.values.length !== 2) a.count(3); // fcntl(fd, F_GETFL) or fcntl(fd, F_GETFL, 0)
        return sys({ call: 'fcntl', args: { fd: a.int(0), cmd: 'F_GETFL' } });
      }
      if (cmd === C.F_SETFL) {
        const flags = a.count(3).int(2);
        return sys({
          call: 'fcntl',
          args: { fd: a.int(0), cmd: 'F_SETFL', flags: flags & C.O_NONBLOCK! ? ['O_NONBLOCK'] : [] },
        });
      }
      throw fault(msg('fault.argType', { fn: 'fcntl', n: 2, want: 'F_GETFL or F_SETFL' }));
    }
    case 'poll':
      return poll(m, a);
    case 'select':
      return select(m, a);
  }
  throw fault(msg('fault.notFunction', { name: a.fn }));
}

async function sockopt(m: Machine, a: Args): Promise<SysReturn> {
  a.count(5);
  const key = `${a.int(1)}:${a.int(2)}`;
  const opt = own(OPTS, key);
  if (!opt) throw fault(msg('fault.sockopt', { level: a.text(1), name: a.text(2) }));
  const p = a.ptr(3);
  if (a.fn === 'setsockopt') {
    const value =
      opt === 'SO_LINGER'
        ? {
            onoff: readInt(p, T.int, `${a.text(3)}.l_onoff`) ? 1 : 0,
            linger: readInt(offset(p, 4), T.int, `${a.text(3)}.l_linger`),
          }
        : readInt(p, T.int, a.text(3));
    return m.io.sys({ call: 'setsockopt', args: { fd: a.int(0), opt, value } }, undefined, callText(a));
  }
  const lenp = a.ptr(4);
  const r = await m.io.sys({ call: 'getsockopt', args: { fd: a.int(0), opt } }, undefined, callText(a));
  if (r.ret === 0 && r.out?.optval !== undefined) {
    const v = r.out.optval;
    if (typeof v === 'object') {
      writeInt(p, T.int, v.onoff, a.text(3));
      writeInt(offset(p, 4), T.int, v.linger, a.text(3));
      writeInt(lenp, T.socklen_t, 8, a.text(4));
    } else {
      writeInt(p, T.int, v, a.text(3));
      writeInt(lenp, T.socklen_t, 4, a.text(4));
    }
  }
  return r;
}

const offset = (p: Pointer | null, n: number): Pointer | null =>
  p ? { block: p.block, off: p.off + n } : null;

async function poll(m: Machine, a: Args): Promise<SysReturn> {
  a.count(3);
  const base = a.ptr(0);
  const n = a.int(1);
  if (n > 64) throw fault(msg('fault.tooBig', { fn: 'poll', n, max: 64 }));
  const fds: { fd: number; events: PollEventName[] }[] = [];
  for (let i = 0; i < n; i++) {
    const at = offset(base, i * 8);
    const fd = readInt(at, T.int, `${a.text(0)}[${i}].fd`);
    const ev = readInt(offset(at, 4), T.short, `${a.text(0)}[${i}].events`);
    fds.push({ fd: fd < 0 ? -1 : fd, events: POLL_EVENTS.filter((e) => ev & POLL_BITS[e]).slice(0, 4) });
  }
  const r = await m.io.sys(
    { call: 'poll', args: { fds, timeout: Math.max(-1, a.int(2)) } },
    undefined,
    callText(a),
  );
  if (r.ret >= 0) {
    fds.forEach((f, i) => {
      const names = r.out?.revents?.[i]?.revents ?? [];
      writeInt(
        offset(base, i * 8 + 6),
        T.short,
        names.reduce((x, e) => x | POLL_BITS[e], 0),
        `${a.text(0)}[${i}].revents`,
      );
    });
  }
  return r;
}

/** The members of the fd_set at p below nfds. */
function setMembers(p: Pointer | null, nfds: number, name: string): number[] {
  if (!p) return [];
  const bytes = getBytes(p, 128, name);
  const out: number[] = [];
  for (let fd = 0; fd < Math.min(nfds, 1024); fd++) if (bytes[fd >> 3]! & (1 << (fd & 7))) out.push(fd);
  return out;
}

function setSet(p: Pointer | null, fds: number[], name: string): void {
  if (!p) return;
  const b = new Uint8Array(128);
  for (const fd of fds) b[fd >> 3]! |= 1 << (fd & 7);
  putBytes(check(p, 128, name), b, name);
}

async function select(m: Machine, a: Args): Promise<SysReturn> {
  a.count(5);
  const nfds = a.int(0);
  const rp = a.ptr(1);
  const wp = a.ptr(2);
  if (a.ptr(3)) {
    if (setMembers(a.ptr(3), nfds, a.text(3)).length)
      throw fault(msg('fault.unsupported', { construct: 'select() exceptfds' }));
  }
  const tv = a.ptr(4);
  const timeout = tv
    ? Math.max(
        0,
        readInt(tv, T.long, `${a.text(4)}.tv_sec`) * 1000 +
          Math.floor(readInt(offset(tv, 8), T.long, `${a.text(4)}.tv_usec`) / 1000),
      )
    : null;
  const readfds = setMembers(rp, nfds, a.text(1));
  const writefds = setMembers(wp, nfds, a.text(2));
  if (readfds.length + writefds.length > 64)
    throw fault(msg('fault.tooBig', { fn: 'select', n: readfds.length + writefds.length, max: 64 }));
  const r = await m.io.sys(
    {
      call: 'select',
      args: { readfds, writefds, timeout: timeout === null ? null : Math.min(timeout, 3_600_000) },
    },
    undefined,
    callText(a),
  );
  if (r.ret >= 0) {
    setSet(rp, r.out?.readfds ?? [], a.text(1));
    setSet(wp, r.out?.writefds ?? [], a.text(2));
    if (a.ptr(3)) setSet(a.ptr(3), [], a.text(3));
  }
  return r;
}

function fdMacro(a: Args): Value {
  if (a.fn === 'FD_ZERO') {
    fillBytes(check(a.count(1).ptr(0), 128, a.text(0)), 0, 128, a.text(0));
    return intVal(0);
  }
  a.count(2);
  const fd = a.int(0);
  if (fd < 0 || fd >= 1024) throw fault(msg('fault.fdSet', { fd }));
  const p = check(a.ptr(1), 128, a.text(1));
  const at = { block: p.block, off: p.off + (fd >> 3) };
  const byte = readInt(at, T.uchar, a.text(1));
  const bit = 1 << (fd & 7);
  if (a.fn === 'FD_ISSET') return intVal(byte & bit ? 1 : 0);
  writeInt(at, T.uchar, a.fn === 'FD_SET' ? byte | bit : byte & ~bit, a.text(1));
  return intVal(0);
}
