/**
 * macOS: libSystem's socket calls through koffi. Constants from <sys/socket.h>,
 * <netinet/in.h>, <netinet/tcp.h>, <sys/fcntl.h>, <poll.h>, <sys/filio.h>; struct
 * tcp_connection_info from <netinet/tcp.h>; errno from <sys/errno.h> (DARWIN_ERRNO).
 *
 * UNTESTED ON A REAL MAC: written from the headers (xnu's bsd/ tree). The tests here check
 * the constants against the header values, the sockaddr and pollfd layouts, and the
 * tcp_connection_info decoder on hand-made buffers; nothing here has been loaded on macOS.
 *
 * Where macOS differs from Linux: no SOCK_NONBLOCK/SOCK_CLOEXEC, accept4 or pipe2 (each new
 * descriptor gets fcntl O_NONBLOCK and FD_CLOEXEC after it is made); no MSG_NOSIGNAL in older
 * SDKs (SO_NOSIGPIPE on every socket instead); FIONREAD for the receive queue and SO_NWRITE for
 * the send queue; TCP_CONNECTION_INFO instead of TCP_INFO, which has no accept-queue fields.
 */
import koffi from 'koffi';
import { DARWIN_ERRNO, errnoName, errnoNumber } from './errno';
import { decodeOpt, encodeOpt, PosixPollBuffer } from './linux';
import { decodeSockAddr, encodeSockAddr } from './sockaddr';
import { darwinTcpState } from './tcp-states';
import type { SockAddr, Sys, SysConstants, SysResult, TcpInfo } from './types';

/** macOS's values of the constants the lab uses (from the headers named above). */
export const DARWIN_CONSTANTS: SysConstants = Object.freeze({
  AF_INET: 2,
  AF_INET6: 30,
  SOCK_STREAM: 1,
  IPPROTO_TCP: 6,
  SOL_SOCKET: 0xffff,
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  O_NONBLOCK: 0x0004,
  POLL: Object.freeze({
    POLLIN: 0x0001,
    POLLPRI: 0x0002,
    POLLOUT: 0x0004,
    POLLERR: 0x0008,
    POLLHUP: 0x0010,
    POLLNVAL: 0x0020,
    POLLRDHUP: 0, // Linux only
  }),
  OPT: Object.freeze({
    SO_REUSEADDR: { level: 0xffff, name: 0x0004 },
    SO_KEEPALIVE: { level: 0xffff, name: 0x0008 },
    SO_LINGER: { level: 0xffff, name: 0x0080 },
    SO_REUSEPORT: { level: 0xffff, name: 0x0200 },
    SO_SNDBUF: { level: 0xffff, name: 0x1001 },
    SO_RCVBUF: { level: 0xffff, name: 0x1002 },
    SO_ERROR: { level: 0xffff, name: 0x1007 },
    SO_TYPE: { level: 0xffff, name: 0x1008 },
    TCP_NODELAY: { level: 6, name: 0x01 },
  }),
  SOCKADDR_IN_SIZE: 16,
  SOCKADDR_IN6_SIZE: 28,
});

/** Other macOS numbers the calls need, by their header names. */
export const DARWIN_EXTRA = Object.freeze({
  /** <sys/fcntl.h> */
  F_SETFD: 2,
  FD_CLOEXEC: 1,
  /** <sys/socket.h>: no SIGPIPE on EPIPE (set on every socket: there is no MSG_NOSIGNAL). */
  SO_NOSIGPIPE: 0x1022,
  /** <sys/socket.h>: bytes in the send buffer, sent-unacknowledged and unsent (SIOCOUTQ's role). */
  SO_NWRITE: 0x1024,
  /** <sys/socket.h>: SO_LINGER with l_linger in seconds (plain SO_LINGER counts clock ticks). */
  SO_LINGER_SEC: 0x1080,
  /** <sys/socket.h>: recv without taking the bytes. */
  MSG_PEEK: 0x2,
  /** <sys/filio.h>: _IOR('f', 127, int). */
  FIONREAD: 0x4004667f,
  /** <netinet/tcp.h> */
  TCP_CONNECTION_INFO: 0x106,
  /** sizeof(struct tcp_connection_info). */
  TCP_CONNECTION_INFO_SIZE: 112,
});

/** The macOS system-call layer (loads libSystem; throws when it cannot). Untested on macOS. */
export function loadDarwin(): Sys {
  const lib = koffi.load('/usr/lib/libSystem.B.dylib');
  const f = {
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, void *, uint32_t)'),
    listen: lib.func('int listen(int, int)'),
    accept: lib.func('int accept(int, void *, void *)'),
    connect: lib.func('int connect(int, void *, uint32_t)'),
    recv: lib.func('intptr_t recv(int, void *, uintptr_t, int)'),
    send: lib.func('intptr_t send(int, void *, uintptr_t, int)'),
    read: lib.func('intptr_t read(int, void *, uintptr_t)'),
    write: lib.func('intptr_t write(int, void *, uintptr_t)'),
    shutdown: lib.func('int shutdown(int, int)'),
    close: lib.func('int close(int)'),
    setsockopt: lib.func('int setsockopt(int, int, int, void *, uint32_t)'),
    getsockopt: lib.func('int getsockopt(int, int, int, void *, void *)'),
    getsockname: lib.func('int getsockname(int, void *, void *)'),
    getpeername: lib.func('int getpeername(int, void *, void *)'),
    strerror: lib.func('const char *strerror(int)'),
    // fcntl and ioctl are variadic: on arm64 macOS variadic arguments go on the stack, so they
    // must be declared with `...` and given their type at each call (koffi does the rest).
    fcntl: lib.func('int fcntl(int, int, ...)'),
    ioctl: lib.func('int ioctl(int, unsigned long, ...)'),
    pipe: lib.func('int pipe(void *)'),
    // nfds_t is unsigned int on macOS (unsigned long on Linux).
    poll: lib.func('int poll(void *, unsigned int, int)'),
  };
  const C = DARWIN_CONSTANTS;
  const X = DARWIN_EXTRA;
  // koffi saves errno right after each native call; the __error() pointer is not needed.
  const errno = (): string => errnoName(DARWIN_ERRNO, koffi.errno());
  const result = (ret: number | bigint): SysResult => {
    const n = Number(ret);
    return n === -1 ? { ret: -1, errno: errno() } : { ret: n, errno: null };
  };
  const one = Buffer.alloc(4);
  one.writeInt32LE(1);
  const intBuf = Buffer.alloc(4);
  const intLen = Buffer.alloc(4);

  /**
   * What socket(SOCK_NONBLOCK | SOCK_CLOEXEC) and accept4 do on Linux: close-on-exec,
   * non-blocking, and no SIGPIPE. A failure closes the new descriptor and reports its errno.
   */
  const prepare = (fd: number, socket: boolean): SysResult => {
    const steps: Array<() => number> = [
      () => Number(f.fcntl(fd, X.F_SETFD, 'int', X.FD_CLOEXEC)),
      () => {
        const fl = Number(f.fcntl(fd, C.F_GETFL));
        return fl === -1 ? -1 : Number(f.fcntl(fd, C.F_SETFL, 'int', fl | C.O_NONBLOCK));
      },
      () => (socket ? Number(f.setsockopt(fd, C.SOL_SOCKET, X.SO_NOSIGPIPE, one, 4)) : 0),
    ];
    for (const step of steps) {
      if (step() === -1) {
        const e = errno();
        f.close(fd);
        return { ret: -1, errno: e };
      }
    }
    return { ret: fd, errno: null };
  };
  const sockaddrCall = (
    fn: (fd: number, sa: Buffer, len: Buffer) => number,
    fd: number,
  ): SysResult & { addr: SockAddr | null } => {
    const sa = Buffer.alloc(128);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(sa.length);
    const r = result(fn(fd, sa, len));
    return { ...r, addr: r.ret === -1 ? null : decodeSockAddr(sa.subarray(0, len.readUInt32LE()), 'darwin') };
  };
  /** SO_LINGER's l_linger is in ticks on macOS; SO_LINGER_SEC takes seconds as POSIX says. */
  const optName = (opt: keyof SysConstants['OPT']): { level: number; name: number } =>
    opt === 'SO_LINGER' ? { level: C.SOL_SOCKET, name: X.SO_LINGER_SEC } : C.OPT[opt];

  const sys: Sys = {
    platform: 'darwin',
    constants: C,
    errnoName: (n) => errnoName(DARWIN_ERRNO, n),
    strerror: (name) => {
      const n = errnoNumber(DARWIN_ERRNO, name);
      return n === null ? name : String(f.strerror(n) ?? name);
    },
    socket(family) {
      const r = result(f.socket(family === 'inet' ? C.AF_INET : C.AF_INET6, C.SOCK_STREAM, 0));
      return r.ret === -1 ? r : prepare(r.ret, true);
    },
    bind(fd, addr) {
      const sa = encodeSockAddr(addr, 'darwin');
      return result(f.bind(fd, sa, sa.length));
    },
    listen(fd, backlog) {
      return result(f.listen(fd, backlog));
    },
    accept(fd) {
      const sa = Buffer.alloc(128);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(sa.length);
      const r = result(f.accept(fd, sa, len));
      if (r.ret === -1) return { ...r, addr: null };
      const p = prepare(r.ret, true);
      if (p.ret === -1) return { ...p, addr: null };
      return { ...p, addr: decodeSockAddr(sa.subarray(0, len.readUInt32LE()), 'darwin') };
    },
    connect(fd, addr) {
      const sa = encodeSockAddr(addr, 'darwin');
      return result(f.connect(fd, sa, sa.length));
    },
    recv(fd, buf, n) {
      return result(f.recv(fd, buf, Math.min(n, buf.length), 0));
    },
    peek(fd, buf, n) {
      return result(f.recv(fd, buf, Math.min(n, buf.length), X.MSG_PEEK));
    },
    send(fd, buf, off, n) {
      const part = off === 0 && n === buf.length ? buf : buf.subarray(off, off + n);
      // No flag: SO_NOSIGPIPE, set when the socket was made, turns SIGPIPE into EPIPE.
      return result(f.send(fd, part, part.length, 0));
    },
    shutdown(fd, how) {
      return result(f.shutdown(fd, C[how]));
    },
    close(fd) {
      return result(f.close(fd));
    },
    setsockopt(fd, opt, value) {
      const { level, name } = optName(opt);
      const v = encodeOpt(opt, value);
      return result(f.setsockopt(fd, level, name, v, v.length));
    },
    getsockopt(fd, opt) {
      const { level, name } = optName(opt);
      const v = Buffer.alloc(opt === 'SO_LINGER' ? 8 : 4);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(v.length);
      const r = result(f.getsockopt(fd, level, name, v, len));
      return { ...r, value: r.ret === -1 ? null : decodeOpt(opt, v) };
    },
    getsockname: (fd) => sockaddrCall(f.getsockname, fd),
    getpeername: (fd) => sockaddrCall(f.getpeername, fd),
    getNonBlocking(fd) {
      const fl = Number(f.fcntl(fd, C.F_GETFL));
      return fl === -1 ? null : (fl & C.O_NONBLOCK) !== 0;
    },
    setNonBlocking(fd, on) {
      const fl = Number(f.fcntl(fd, C.F_GETFL));
      if (fl === -1) return { ret: -1, errno: errno() };
      return result(f.fcntl(fd, C.F_SETFL, 'int', on ? fl | C.O_NONBLOCK : fl & ~C.O_NONBLOCK));
    },
    inq(fd) {
      return Number(f.ioctl(fd, X.FIONREAD, 'void *', intBuf)) === -1 ? -1 : intBuf.readInt32LE(0);
    },
    outq(fd) {
      intLen.writeUInt32LE(4);
      const r = Number(f.getsockopt(fd, C.SOL_SOCKET, X.SO_NWRITE, intBuf, intLen));
      return r === -1 ? -1 : intBuf.readInt32LE(0);
    },
    tcpInfo(fd) {
      const v = Buffer.alloc(X.TCP_CONNECTION_INFO_SIZE);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(v.length);
      if (Number(f.getsockopt(fd, C.IPPROTO_TCP, X.TCP_CONNECTION_INFO, v, len)) === -1) return null;
      return decodeDarwinTcpInfo(v.subarray(0, len.readUInt32LE()));
    },
    pipe() {
      const fds = Buffer.alloc(8);
      const r = result(f.pipe(fds));
      if (r.ret === -1) return { ...r, fds: null };
      const rd = fds.readInt32LE(0);
      const wr = fds.readInt32LE(4);
      const a = prepare(rd, false);
      if (a.ret === -1) {
        f.close(wr);
        return { ...a, fds: null };
      }
      const b = prepare(wr, false);
      if (b.ret === -1) {
        f.close(rd);
        return { ...b, fds: null };
      }
      return { ret: 0, errno: null, fds: [rd, wr] };
    },
    readFd(fd, buf, n) {
      return result(f.read(fd, buf, Math.min(n, buf.length)));
    },
    writeFd(fd, buf, n) {
      return result(f.write(fd, buf, Math.min(n, buf.length)));
    },
    // struct pollfd is laid out as on Linux: int fd; short events; short revents.
    pollBuffer: (n) => new PosixPollBuffer(n),
    poll(buf, timeoutMs) {
      return result(f.poll((buf as PosixPollBuffer).mem, buf.length, timeoutMs));
    },
    pollAsync(buf, timeoutMs) {
      return new Promise((resolve) => {
        f.poll.async((buf as PosixPollBuffer).mem, buf.length, timeoutMs, (err: unknown, ret: number) => {
          // As on Linux: the worker thread's errno is not ours; the poller asks again.
          if (err) resolve({ ret: -1, errno: 'EFAULT' });
          else resolve(ret === -1 ? { ret: -1, errno: 'EINTR' } : { ret, errno: null });
        });
      });
    },
  };
  return sys;
}

/**
 * struct tcp_connection_info (<netinet/tcp.h>), 112 bytes: u8 tcpi_state (TCPS_*), u8
 * snd_wscale, u8 rcv_wscale, pad; u32 options at 4, flags 8, rto 12 (ms), maxseg 16,
 * snd_ssthresh 20, snd_cwnd 24, snd_wnd 28, snd_sbbytes 32, rcv_wnd 36, rttcur 40 (ms),
 * srtt 44 (ms), rttvar 48, TFO bits 52; u64 (aligned 8) txpackets 56, txbytes 64,
 * txretransmitbytes 72, rxpackets 80, rxbytes 88, rxoutoforderbytes 96,
 * txretransmitpackets 104. macOS has no accept-queue fields, no per-segment retransmit count
 * and no unsent-bytes field: those read 0. Fields past the returned length read 0.
 */
export function decodeDarwinTcpInfo(v: Buffer): TcpInfo {
  const u32 = (off: number): number => (v.length >= off + 4 ? v.readUInt32LE(off) : 0);
  const u64 = (off: number): number => (v.length >= off + 8 ? Number(v.readBigUInt64LE(off)) : 0);
  return {
    state: darwinTcpState(v[0] ?? 0),
    retransmits: 0,
    totalRetrans: u64(104),
    unacked: 0,
    sacked: 0,
    rttUs: u32(44) * 1000,
    sndMss: u32(16),
    sndWscale: v[1] ?? 0,
    rcvWscale: v[2] ?? 0,
    // txbytes counts bytes sent, not bytes acknowledged: there is no acknowledged count.
    bytesAcked: 0,
    bytesReceived: u64(88),
    notsentBytes: 0,
    sndWnd: v.length >= 32 ? v.readUInt32LE(28) : null,
  };
}
