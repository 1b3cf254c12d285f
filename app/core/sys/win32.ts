/**
 * Windows: Winsock 2 (ws2_32.dll) through koffi. Constants and structure layouts from
 * <winsock2.h>, <ws2def.h>, <ws2ipdef.h>, <mstcpip.h> are in win32-abi.ts; errors from
 * WSAGetLastError, named by WINSOCK_ERRNO (errno.ts).
 *
 * UNTESTED ON A REAL WINDOWS MACHINE: written from the headers and Microsoft's documentation.
 * The tests check the constants (against mingw-w64's headers where its cross-compiler is
 * installed), the sockaddr, WSAPOLLFD and linger layouts, and the TCP_INFO_v0 decoder on
 * hand-made buffers; nothing here has been loaded on Windows.
 *
 * Where Windows differs: a SOCKET is a pointer-sized handle, not a small int (the lab keeps it
 * as a number; handles fit); there is no fcntl, so non-blocking mode is set with
 * ioctlsocket(FIONBIO) and remembered here (Winsock cannot be asked for it); no pipe that
 * WSAPoll can wait on (the wake pipe is a loopback socket pair); no SIGPIPE at all; no
 * SIOCOUTQ (outq is unknown: -1); SO_REUSEPORT does not exist.
 */
import koffi from 'koffi';
import { errnoName, WINSOCK_ERRNO, winsockErrno } from './errno';
import { decodeSockAddr, encodeSockAddr } from './sockaddr';
import type { SockAddr, Sys, SysResult } from './types';
import {
  decodeWin32Opt,
  decodeWin32TcpInfo,
  encodeWin32Opt,
  Win32PollBuffer,
  WIN32_CONSTANTS,
  WIN32_EXTRA,
} from './win32-abi';

const X = WIN32_EXTRA;

/** The Windows system-call layer (loads ws2_32.dll, WSAStartup 2.2; throws when it cannot). Untested on Windows. */
export function loadWin32(): Sys {
  const lib = koffi.load('ws2_32.dll');
  // SOCKET is UINT_PTR; declared intptr_t so that INVALID_SOCKET (~0) reads as -1. WSAAPI is
  // __stdcall, which matters only on 32-bit x86.
  const fn = (proto: string): ReturnType<typeof lib.func> =>
    lib.func(proto.replace(/^(\w+) /, '$1 __stdcall '));
  const f = {
    WSAStartup: fn('int WSAStartup(uint16_t, void *)'),
    WSAGetLastError: fn('int WSAGetLastError()'),
    WSASocketW: fn('intptr_t WSASocketW(int, int, int, void *, uint32_t, uint32_t)'),
    bind: fn('int bind(intptr_t, void *, int)'),
    listen: fn('int listen(intptr_t, int)'),
    accept: fn('intptr_t accept(intptr_t, void *, void *)'),
    connect: fn('int connect(intptr_t, void *, int)'),
    recv: fn('int recv(intptr_t, void *, int, int)'),
    send: fn('int send(intptr_t, void *, int, int)'),
    shutdown: fn('int shutdown(intptr_t, int)'),
    closesocket: fn('int closesocket(intptr_t)'),
    setsockopt: fn('int setsockopt(intptr_t, int, int, void *, int)'),
    getsockopt: fn('int getsockopt(intptr_t, int, int, void *, void *)'),
    getsockname: fn('int getsockname(intptr_t, void *, void *)'),
    getpeername: fn('int getpeername(intptr_t, void *, void *)'),
    // cmd is a 32-bit `long`; FIONBIO (0x8004667e) does not fit a signed one, so it is declared
    // uint32_t: the same bits in the same register.
    ioctlsocket: fn('int ioctlsocket(intptr_t, uint32_t, void *)'),
    WSAIoctl: fn(
      'int WSAIoctl(intptr_t, uint32_t, void *, uint32_t, void *, uint32_t, void *, void *, void *)',
    ),
    WSAPoll: fn('int WSAPoll(void *, uint32_t, int)'),
  };
  const wsaData = Buffer.alloc(512); // sizeof(WSADATA) is 408 on 64-bit
  const started = Number(f.WSAStartup(X.WINSOCK_VERSION, wsaData));
  if (started !== 0) throw new Error(`WSAStartup failed: ${errnoName(WINSOCK_ERRNO, started)}`);

  const C = WIN32_CONSTANTS;
  const ptrSize = koffi.sizeof('void *');
  // koffi keeps the thread's last-error value across its own work between two native calls,
  // so WSAGetLastError right after a failed call reads that call's code.
  const lastError = (): number => Number(f.WSAGetLastError());
  const fail = (code: number): SysResult => ({ ret: -1, errno: winsockErrno(code) });
  const result = (ret: number | bigint): SysResult => {
    const n = Number(ret);
    return n === -1 ? fail(lastError()) : { ret: n, errno: null };
  };
  /** Non-blocking mode per socket: set here, since Winsock has no call that tells it. */
  const nonBlocking = new Map<number, boolean>();
  const setFionbio = (s: number, on: boolean): SysResult => {
    const arg = Buffer.alloc(4);
    arg.writeUInt32LE(on ? 1 : 0);
    const r = result(f.ioctlsocket(s, X.FIONBIO, arg));
    if (r.ret !== -1) nonBlocking.set(s, on);
    return r;
  };
  const close = (s: number): SysResult => {
    const r = result(f.closesocket(s));
    if (r.ret !== -1) nonBlocking.delete(s);
    return r;
  };
  /** A TCP socket that child processes do not inherit (WSA_FLAG_NO_HANDLE_INHERIT: Windows 7 SP1+). */
  const newSocket = (af: number): SysResult =>
    result(
      f.WSASocketW(
        af,
        C.SOCK_STREAM,
        C.IPPROTO_TCP,
        null,
        0,
        X.WSA_FLAG_OVERLAPPED | X.WSA_FLAG_NO_HANDLE_INHERIT,
      ),
    );
  const nonBlockingSocket = (r: SysResult): SysResult => {
    if (r.ret === -1) return r;
    const nb = setFionbio(r.ret, true);
    if (nb.ret === -1) {
      close(r.ret);
      return nb;
    }
    return r;
  };
  const sockaddrCall = (
    call: (s: number, sa: Buffer, len: Buffer) => number,
    s: number,
  ): SysResult & { addr: SockAddr | null } => {
    const sa = Buffer.alloc(128);
    const len = Buffer.alloc(4);
    len.writeInt32LE(sa.length);
    const r = result(call(s, sa, len));
    return { ...r, addr: r.ret === -1 ? null : decodeSockAddr(sa.subarray(0, len.readInt32LE()), 'win32') };
  };
  const intBuf = Buffer.alloc(4);

  const sys: Sys = {
    platform: 'win32',
    constants: C,
    // SO_ERROR gives WSAE* codes on Windows.
    errnoName: (n) => errnoName(WINSOCK_ERRNO, n),
    // The CRT's strerror knows no socket errors: the name is the text.
    strerror: (name) => name,
    socket: (family) => nonBlockingSocket(newSocket(family === 'inet' ? C.AF_INET : C.AF_INET6)),
    bind(s, addr) {
      const sa = encodeSockAddr(addr, 'win32');
      return result(f.bind(s, sa, sa.length));
    },
    listen: (s, backlog) => result(f.listen(s, backlog)),
    accept(s) {
      const sa = Buffer.alloc(128);
      const len = Buffer.alloc(4);
      len.writeInt32LE(sa.length);
      // The accepted socket is said to share the listener's properties; FIONBIO is set again
      // rather than relied on.
      const r = nonBlockingSocket(result(f.accept(s, sa, len)));
      return { ...r, addr: r.ret === -1 ? null : decodeSockAddr(sa.subarray(0, len.readInt32LE()), 'win32') };
    },
    connect(s, addr) {
      const sa = encodeSockAddr(addr, 'win32');
      if (Number(f.connect(s, sa, sa.length)) === 0) return { ret: 0, errno: null };
      const code = lastError();
      // HERE a non-blocking connect in progress, WSAEWOULDBLOCK on Windows, becomes POSIX's
      // EINPROGRESS (elsewhere WSAEWOULDBLOCK is EAGAIN). A second connect meanwhile gives
      // WSAEALREADY, and one after it succeeded WSAEISCONN, as in POSIX.
      return code === X.WSAEWOULDBLOCK ? { ret: -1, errno: 'EINPROGRESS' } : fail(code);
    },
    recv(s, buf, n) {
      const ret = Number(f.recv(s, buf, Math.min(n, buf.length), 0));
      if (ret !== -1) return { ret, errno: null };
      const code = lastError();
      // After shutdown(SD_RECEIVE) Winsock fails with WSAESHUTDOWN; Linux returns 0 (end of file).
      return code === X.WSAESHUTDOWN ? { ret: 0, errno: null } : fail(code);
    },
    peek: (s, buf, n) => result(f.recv(s, buf, Math.min(n, buf.length), X.MSG_PEEK)),
    send(s, buf, off, n) {
      const part = off === 0 && n === buf.length ? buf : buf.subarray(off, off + n);
      const ret = Number(f.send(s, part, part.length, 0));
      if (ret !== -1) return { ret, errno: null };
      const code = lastError();
      // After shutdown(SD_SEND) Winsock fails with WSAESHUTDOWN; POSIX says EPIPE.
      return code === X.WSAESHUTDOWN ? { ret: -1, errno: 'EPIPE' } : fail(code);
    },
    shutdown: (s, how) => result(f.shutdown(s, C[how])),
    close,
    setsockopt(s, opt, value) {
      const { level, name } = C.OPT[opt];
      if (name === 0) return { ret: -1, errno: 'ENOPROTOOPT' };
      const v = encodeWin32Opt(opt, value);
      return result(f.setsockopt(s, level, name, v, v.length));
    },
    getsockopt(s, opt) {
      const { level, name } = C.OPT[opt];
      if (name === 0) return { ret: -1, errno: 'ENOPROTOOPT', value: null };
      const v = Buffer.alloc(4); // an int (BOOL), or struct linger { u_short; u_short; }
      const len = Buffer.alloc(4);
      len.writeInt32LE(v.length);
      const r = result(f.getsockopt(s, level, name, v, len));
      return { ...r, value: r.ret === -1 ? null : decodeWin32Opt(opt, v) };
    },
    getsockname: (s) => sockaddrCall(f.getsockname, s),
    getpeername: (s) => sockaddrCall(f.getpeername, s),
    getNonBlocking: (s) => nonBlocking.get(s) ?? null,
    setNonBlocking: (s, on) => setFionbio(s, on),
    inq(s) {
      return Number(f.ioctlsocket(s, X.FIONREAD, intBuf)) === -1 ? -1 : intBuf.readUInt32LE(0);
    },
    // Winsock has no count of unacknowledged plus unsent bytes (TCP_INFO_v0's BytesInFlight
    // leaves out what is still unsent).
    outq: () => -1,
    tcpInfo(s) {
      const version = Buffer.alloc(4); // DWORD 0: TCP_INFO_v0 (Windows 10 1703+)
      const out = Buffer.alloc(X.TCP_INFO_V0_SIZE);
      const got = Buffer.alloc(4);
      const r = Number(f.WSAIoctl(s, X.SIO_TCP_INFO, version, 4, out, out.length, got, null, null));
      return r === -1 ? null : decodeWin32TcpInfo(out.subarray(0, got.readUInt32LE()));
    },
    pipe() {
      const p = loopbackPair();
      return p.ret === -1 ? { ...p, fds: null } : { ret: 0, errno: null, fds: p.fds };
    },
    // The wake "pipe" is a socket pair: plain read/write would not work on SOCKET handles.
    readFd: (s, buf, n) => sys.recv(s, buf, n),
    writeFd: (s, buf, n) => sys.send(s, buf, 0, Math.min(n, buf.length)),
    pollBuffer: (n) => new Win32PollBuffer(n, ptrSize),
    poll: (buf, timeoutMs) => result(f.WSAPoll((buf as Win32PollBuffer).mem, buf.length, timeoutMs)),
    pollAsync(buf, timeoutMs) {
      return new Promise((resolve) => {
        f.WSAPoll.async((buf as Win32PollBuffer).mem, buf.length, timeoutMs, (err: unknown, ret: number) => {
          // The worker thread's last error is not ours to read; the poller simply polls again.
          if (err) resolve({ ret: -1, errno: 'EFAULT' });
          else resolve(ret === -1 ? { ret: -1, errno: 'EINTR' } : { ret, errno: null });
        });
      });
    },
  };

  /**
   * Windows has no pipe WSAPoll can wait on, so the poller's wake pipe is a connected pair of
   * TCP sockets on 127.0.0.1, made with the same calls: a listener on port 0, a connect to
   * it, an accept, the listener closed. Blocking while it is made (the connection is queued
   * before accept runs), non-blocking after. The accepted peer must be our own client; a
   * stranger that raced in is refused (as CPython's socketpair does). [read end, write end].
   */
  function loopbackPair(): SysResult & { fds: [number, number] } {
    const none: [number, number] = [-1, -1];
    const lst = newSocket(C.AF_INET);
    if (lst.ret === -1) return { ...lst, fds: none };
    const made: number[] = [lst.ret];
    const abort = (r: SysResult): SysResult & { fds: [number, number] } => {
      for (const s of made) close(s);
      return { ret: -1, errno: r.errno ?? 'EIO', fds: none };
    };
    const loop = { family: 'inet' as const, host: '127.0.0.1', port: 0 };
    let r = sys.bind(lst.ret, loop);
    if (r.ret === -1) return abort(r);
    r = sys.listen(lst.ret, 1);
    if (r.ret === -1) return abort(r);
    const where = sys.getsockname(lst.ret);
    if (!where.addr) return abort(where);
    const wr = newSocket(C.AF_INET);
    if (wr.ret === -1) return abort(wr);
    made.push(wr.ret);
    const sa = encodeSockAddr(where.addr, 'win32');
    if (Number(f.connect(wr.ret, sa, sa.length)) === -1) return abort(fail(lastError()));
    const rd = result(f.accept(lst.ret, null, null));
    if (rd.ret === -1) return abort(rd);
    made.push(rd.ret);
    const mine = sys.getsockname(wr.ret).addr;
    const peer = sys.getpeername(rd.ret).addr;
    if (!mine || !peer || mine.port !== peer.port) return abort({ ret: -1, errno: 'ECONNABORTED' });
    close(lst.ret);
    made.shift();
    for (const s of [rd.ret, wr.ret]) {
      const nb = setFionbio(s, true);
      if (nb.ret === -1) return abort(nb);
    }
    // One wake byte must not wait behind Nagle.
    sys.setsockopt(wr.ret, 'TCP_NODELAY', 1);
    return { ret: 0, errno: null, fds: [rd.ret, wr.ret] };
  }
  return sys;
}
