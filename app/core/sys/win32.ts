/**
 * Windows: Winsock 2 (ws2_32.dll) through koffi. Constants from <winsock2.h>, <ws2def.h>,
 * <ws2ipdef.h>, <mstcpip.h> (SIO_TCP_INFO, TCP_INFO_v0, TCPSTATE); errors from
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
import { win32TcpState } from './tcp-states';
import type {
  PollBuffer,
  SockAddr,
  SockOptName,
  SockOptValue,
  Sys,
  SysConstants,
  SysResult,
  TcpInfo,
} from './types';

const SOL_SOCKET = 0xffff;

/** Windows's values of the constants the lab uses. */
export const WIN32_CONSTANTS: SysConstants = Object.freeze({
  AF_INET: 2,
  AF_INET6: 23,
  SOCK_STREAM: 1,
  IPPROTO_TCP: 6,
  SOL_SOCKET,
  SHUT_RD: 0, // SD_RECEIVE
  SHUT_WR: 1, // SD_SEND
  SHUT_RDWR: 2, // SD_BOTH
  // Windows has no fcntl: these stay 0, and getNonBlocking/setNonBlocking use ioctlsocket.
  F_GETFL: 0,
  F_SETFL: 0,
  O_NONBLOCK: 0,
  POLL: Object.freeze({
    POLLIN: 0x0300, // POLLRDNORM | POLLRDBAND
    POLLPRI: 0x0400,
    POLLOUT: 0x0010, // POLLWRNORM
    POLLERR: 0x0001,
    POLLHUP: 0x0002,
    POLLNVAL: 0x0004,
    POLLRDHUP: 0, // Linux only
  }),
  OPT: Object.freeze({
    SO_REUSEADDR: { level: SOL_SOCKET, name: 0x0004 },
    SO_KEEPALIVE: { level: SOL_SOCKET, name: 0x0008 },
    SO_LINGER: { level: SOL_SOCKET, name: 0x0080 },
    // Windows has no SO_REUSEPORT: 0 marks it, and the calls answer ENOPROTOOPT.
    SO_REUSEPORT: { level: SOL_SOCKET, name: 0 },
    SO_SNDBUF: { level: SOL_SOCKET, name: 0x1001 },
    SO_RCVBUF: { level: SOL_SOCKET, name: 0x1002 },
    SO_ERROR: { level: SOL_SOCKET, name: 0x1007 },
    SO_TYPE: { level: SOL_SOCKET, name: 0x1008 },
    TCP_NODELAY: { level: 6, name: 0x0001 },
  }),
  SOCKADDR_IN_SIZE: 16,
  SOCKADDR_IN6_SIZE: 28,
});

/** Other Winsock numbers the calls need, by their header names. */
export const WIN32_EXTRA = Object.freeze({
  /** WSAStartup's version: MAKEWORD(2, 2). */
  WINSOCK_VERSION: 0x0202,
  /** <winsock2.h>: _IOW('f', 126, u_long) and _IOR('f', 127, u_long). */
  FIONBIO: 0x8004667e,
  FIONREAD: 0x4004667f,
  /** <mstcpip.h>: _WSAIORW(IOC_VENDOR, 39). */
  SIO_TCP_INFO: 0xd8000027,
  /** sizeof(TCP_INFO_v0). */
  TCP_INFO_V0_SIZE: 88,
  /** <winsock2.h> WSASocketW flags. */
  WSA_FLAG_OVERLAPPED: 0x01,
  WSA_FLAG_NO_HANDLE_INHERIT: 0x80,
  /** The request bits WSAPoll accepts in `events`; any other bit fails with WSAEINVAL. */
  POLL_REQUEST_MASK: 0x0100 | 0x0200 | 0x0010 | 0x0020, // RDNORM | RDBAND | WRNORM | WRBAND
  /** <winsock2.h>: recv without taking the bytes. */
  MSG_PEEK: 0x2,
  WSAEWOULDBLOCK: 10035,
  WSAESHUTDOWN: 10058,
});
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

/**
 * WSAPOLLFD[] (<winsock2.h>): SOCKET fd (pointer-sized); SHORT events; SHORT revents, padded
 * to the pointer's alignment: 16 bytes an entry on 64-bit (events at 8, revents at 10), 8 on
 * 32-bit. POSIX's struct pollfd is 8 bytes with fd an int, so the layouts differ.
 */
export class Win32PollBuffer implements PollBuffer {
  /** The native memory (passed to WSAPoll). */
  readonly mem: Buffer;
  /** Bytes per entry. */
  readonly entrySize: number;
  /** `n` entries, all fd INVALID_SOCKET (which WSAPoll ignores). */
  constructor(
    readonly length: number,
    readonly pointerSize: number = 8,
  ) {
    this.entrySize = pointerSize === 4 ? 8 : 16;
    this.mem = Buffer.alloc(Math.max(1, length) * this.entrySize);
    for (let i = 0; i < length; i++) this.writeFd(i, -1);
  }
  private writeFd(i: number, fd: number): void {
    const at = i * this.entrySize;
    if (this.pointerSize === 4) this.mem.writeInt32LE(fd, at);
    else this.mem.writeBigInt64LE(BigInt(fd), at);
  }
  /**
   * Entry i asks for `events` on `fd`. Bits WSAPoll refuses in a request (POLLPRI, and the
   * result-only POLLERR/POLLHUP/POLLNVAL) are dropped: with them it fails with WSAEINVAL.
   */
  set(i: number, fd: number, events: number): void {
    const at = i * this.entrySize;
    const half = this.pointerSize === 4 ? 4 : 8;
    this.writeFd(i, fd);
    this.mem.writeInt16LE(events & X.POLL_REQUEST_MASK, at + half);
    this.mem.writeInt16LE(0, at + half + 2);
  }
  /** Entry i's socket (-1 for INVALID_SOCKET). */
  fd(i: number): number {
    const at = i * this.entrySize;
    return this.pointerSize === 4 ? this.mem.readInt32LE(at) : Number(this.mem.readBigInt64LE(at));
  }
  /** What WSAPoll reported for entry i. */
  revents(i: number): number {
    return this.mem.readUInt16LE(i * this.entrySize + (this.pointerSize === 4 ? 6 : 10));
  }
}

/** An option's value as Winsock takes it: an int (BOOL), or struct linger { u_short l_onoff; u_short l_linger; }. */
export function encodeWin32Opt(opt: SockOptName, value: SockOptValue): Buffer {
  const b = Buffer.alloc(4);
  if (opt === 'SO_LINGER') {
    const l = typeof value === 'number' ? { onoff: value, linger: 0 } : value;
    b.writeUInt16LE(l.onoff & 0xffff, 0);
    b.writeUInt16LE(l.linger & 0xffff, 2);
  } else b.writeInt32LE(typeof value === 'number' ? value : value.onoff, 0);
  return b;
}

/** An option's value as Winsock's getsockopt wrote it. */
export function decodeWin32Opt(opt: SockOptName, v: Buffer): SockOptValue {
  if (opt === 'SO_LINGER') return { onoff: v.readUInt16LE(0), linger: v.readUInt16LE(2) };
  return v.readInt32LE(0);
}

/**
 * TCP_INFO_v0 (<mstcpip.h>), 88 bytes: TCPSTATE State (u32) 0; ULONG Mss 4; ULONG64
 * ConnectionTimeMs 8; BOOLEAN TimestampsEnabled 16; ULONG RttUs 20, MinRttUs 24,
 * BytesInFlight 28, Cwnd 32, SndWnd 36, RcvWnd 40, RcvBuf 44; ULONG64 BytesOut 48, BytesIn
 * 56; ULONG BytesReordered 64, BytesRetrans 68, FastRetrans 72, DupAcksIn 76,
 * TimeoutEpisodes 80; UCHAR SynRetrans 84. Windows counts fast retransmits and timeout
 * episodes, not retransmitted segments: totalRetrans is their sum. No accept-queue,
 * window-scale, acknowledged-bytes or unsent-bytes fields: those read 0.
 */
export function decodeWin32TcpInfo(v: Buffer): TcpInfo {
  const u32 = (off: number): number => (v.length >= off + 4 ? v.readUInt32LE(off) : 0);
  const u64 = (off: number): number => (v.length >= off + 8 ? Number(v.readBigUInt64LE(off)) : 0);
  return {
    state: win32TcpState(u32(0)),
    retransmits: 0,
    totalRetrans: u32(72) + u32(80),
    unacked: 0,
    sacked: 0,
    rttUs: u32(20),
    sndMss: u32(4),
    sndWscale: 0,
    rcvWscale: 0,
    bytesAcked: 0,
    bytesReceived: u64(56),
    notsentBytes: 0,
    sndWnd: v.length >= 40 ? v.readUInt32LE(36) : null,
  };
}
