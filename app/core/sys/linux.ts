/**
 * Linux: glibc's (or musl's) socket calls through koffi. Constants from <sys/socket.h>,
 * <netinet/in.h>, <netinet/tcp.h>, <asm-generic/fcntl.h>, <poll.h>, <linux/sockios.h>;
 * struct tcp_info from <linux/tcp.h>. Run and tested on this machine (x86_64).
 */
import koffi from 'koffi';
import { errnoName, errnoNumber, LINUX_ERRNO } from './errno';
import { decodeSockAddr, encodeSockAddr } from './sockaddr';
import { linuxTcpState } from './tcp-states';
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

/** Linux's values of the constants the lab uses. */
export const LINUX_CONSTANTS: SysConstants = Object.freeze({
  AF_INET: 2,
  AF_INET6: 10,
  SOCK_STREAM: 1,
  IPPROTO_TCP: 6,
  SOL_SOCKET: 1,
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  O_NONBLOCK: 0o4000,
  POLL: Object.freeze({
    POLLIN: 0x001,
    POLLPRI: 0x002,
    POLLOUT: 0x004,
    POLLERR: 0x008,
    POLLHUP: 0x010,
    POLLNVAL: 0x020,
    POLLRDHUP: 0x2000,
  }),
  OPT: Object.freeze({
    SO_REUSEADDR: { level: 1, name: 2 },
    SO_TYPE: { level: 1, name: 3 },
    SO_ERROR: { level: 1, name: 4 },
    SO_SNDBUF: { level: 1, name: 7 },
    SO_RCVBUF: { level: 1, name: 8 },
    SO_KEEPALIVE: { level: 1, name: 9 },
    SO_LINGER: { level: 1, name: 13 },
    SO_REUSEPORT: { level: 1, name: 15 },
    TCP_NODELAY: { level: 6, name: 1 },
  }),
  SOCKADDR_IN_SIZE: 16,
  SOCKADDR_IN6_SIZE: 28,
});

/** Flags of socket(2)'s type and accept4(2) (<bits/socket_type.h>). */
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
/** pipe2(2) flags (<asm-generic/fcntl.h>). */
const O_CLOEXEC = 0o2000000;
/** send(2): no SIGPIPE (<bits/socket.h>). */
const MSG_NOSIGNAL = 0x4000;
const MSG_PEEK = 0x2;
/** ioctls (<asm-generic/ioctls.h>; SIOCINQ = FIONREAD, SIOCOUTQ = TIOCOUTQ). */
const SIOCINQ = 0x541b;
const SIOCOUTQ = 0x5411;
/** getsockopt(IPPROTO_TCP, TCP_INFO) (<netinet/tcp.h>). */
const TCP_INFO = 11;
/** sizeof(struct pollfd): int fd; short events; short revents. */
const POLLFD_SIZE = 8;
/** Bytes asked of TCP_INFO: the kernel fills what it has (232 up to tcpi_snd_wnd on 6.x). */
const TCP_INFO_ASK = 256;

/** The Linux system-call layer (loads libc; throws when it cannot). */
export function loadLinux(): Sys {
  const lib = koffi.load('libc.so.6');
  const f = {
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, void *, uint32_t)'),
    listen: lib.func('int listen(int, int)'),
    accept4: lib.func('int accept4(int, void *, void *, int)'),
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
    fcntl: lib.func('int fcntl(int, int, ...)'),
    ioctl: lib.func('int ioctl(int, unsigned long, ...)'),
    pipe2: lib.func('int pipe2(void *, int)'),
    poll: lib.func('int poll(void *, unsigned long, int)'),
  };
  const C = LINUX_CONSTANTS;
  const errno = (): string => errnoName(LINUX_ERRNO, koffi.errno());
  const result = (ret: number | bigint): SysResult => {
    const n = Number(ret);
    return n === -1 ? { ret: -1, errno: errno() } : { ret: n, errno: null };
  };
  const sockaddrCall = (
    fn: (fd: number, sa: Buffer, len: Buffer) => number,
    fd: number,
  ): SysResult & { addr: SockAddr | null } => {
    const sa = Buffer.alloc(128);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(sa.length);
    const r = result(fn(fd, sa, len));
    return { ...r, addr: r.ret === -1 ? null : decodeSockAddr(sa.subarray(0, len.readUInt32LE()), 'linux') };
  };
  const intBuf = Buffer.alloc(4);

  const sys: Sys = {
    platform: 'linux',
    constants: C,
    errnoName: (n) => errnoName(LINUX_ERRNO, n),
    strerror: (name) => {
      const n = errnoNumber(LINUX_ERRNO, name);
      return n === null ? name : String(f.strerror(n) ?? name);
    },
    socket(family) {
      const af = family === 'inet' ? C.AF_INET : C.AF_INET6;
      return result(f.socket(af, C.SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    },
    bind(fd, addr) {
      const sa = encodeSockAddr(addr, 'linux');
      return result(f.bind(fd, sa, sa.length));
    },
    listen(fd, backlog) {
      return result(f.listen(fd, backlog));
    },
    accept(fd) {
      const sa = Buffer.alloc(128);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(sa.length);
      const r = result(f.accept4(fd, sa, len, SOCK_NONBLOCK | SOCK_CLOEXEC));
      return {
        ...r,
        addr: r.ret === -1 ? null : decodeSockAddr(sa.subarray(0, len.readUInt32LE()), 'linux'),
      };
    },
    connect(fd, addr) {
      const sa = encodeSockAddr(addr, 'linux');
      return result(f.connect(fd, sa, sa.length));
    },
    recv(fd, buf, n) {
      return result(f.recv(fd, buf, Math.min(n, buf.length), 0));
    },
    peek(fd, buf, n) {
      return result(f.recv(fd, buf, Math.min(n, buf.length), MSG_PEEK));
    },
    send(fd, buf, off, n) {
      const part = off === 0 && n === buf.length ? buf : buf.subarray(off, off + n);
      return result(f.send(fd, part, part.length, MSG_NOSIGNAL));
    },
    shutdown(fd, how) {
      return result(f.shutdown(fd, C[how]));
    },
    close(fd) {
      return result(f.close(fd));
    },
    setsockopt(fd, opt, value) {
      const { level, name } = C.OPT[opt];
      const v = encodeOpt(opt, value);
      return result(f.setsockopt(fd, level, name, v, v.length));
    },
    getsockopt(fd, opt) {
      const { level, name } = C.OPT[opt];
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
      const next = on ? fl | C.O_NONBLOCK : fl & ~C.O_NONBLOCK;
      return result(f.fcntl(fd, C.F_SETFL, 'int', next));
    },
    inq(fd) {
      return Number(f.ioctl(fd, SIOCINQ, 'void *', intBuf)) === -1 ? -1 : intBuf.readInt32LE(0);
    },
    outq(fd) {
      return Number(f.ioctl(fd, SIOCOUTQ, 'void *', intBuf)) === -1 ? -1 : intBuf.readInt32LE(0);
    },
    tcpInfo(fd) {
      const v = Buffer.alloc(TCP_INFO_ASK);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(v.length);
      if (Number(f.getsockopt(fd, C.IPPROTO_TCP, TCP_INFO, v, len)) === -1) return null;
      return decodeLinuxTcpInfo(v.subarray(0, len.readUInt32LE()));
    },
    pipe() {
      const fds = Buffer.alloc(8);
      const r = result(f.pipe2(fds, O_CLOEXEC | C.O_NONBLOCK));
      return { ...r, fds: r.ret === -1 ? null : [fds.readInt32LE(0), fds.readInt32LE(4)] };
    },
    readFd(fd, buf, n) {
      return result(f.read(fd, buf, Math.min(n, buf.length)));
    },
    writeFd(fd, buf, n) {
      return result(f.write(fd, buf, Math.min(n, buf.length)));
    },
    pollBuffer: (n) => new PosixPollBuffer(n),
    poll(buf, timeoutMs) {
      return result(f.poll((buf as PosixPollBuffer).mem, buf.length, timeoutMs));
    },
    pollAsync(buf, timeoutMs) {
      return new Promise((resolve) => {
        f.poll.async((buf as PosixPollBuffer).mem, buf.length, timeoutMs, (err: unknown, ret: number) => {
          // errno of a call on a worker thread is that thread's: only EINTR matters, and a
          // poll that failed is simply asked again by the poller.
          if (err) resolve({ ret: -1, errno: 'EFAULT' });
          else resolve(ret === -1 ? { ret: -1, errno: 'EINTR' } : { ret, errno: null });
        });
      });
    },
  };
  return sys;
}

/** struct pollfd[] as Linux and macOS lay it out: int fd; short events; short revents. */
export class PosixPollBuffer implements PollBuffer {
  /** The native memory (passed to poll). */
  readonly mem: Buffer;
  /** `n` entries, all fd -1 (ignored by poll). */
  constructor(readonly length: number) {
    this.mem = Buffer.alloc(Math.max(1, length) * POLLFD_SIZE);
    for (let i = 0; i < length; i++) this.mem.writeInt32LE(-1, i * POLLFD_SIZE);
  }
  /** Entry i asks for `events` on `fd`. */
  set(i: number, fd: number, events: number): void {
    this.mem.writeInt32LE(fd, i * POLLFD_SIZE);
    this.mem.writeInt16LE(events, i * POLLFD_SIZE + 4);
    this.mem.writeInt16LE(0, i * POLLFD_SIZE + 6);
  }
  /** Entry i's descriptor. */
  fd(i: number): number {
    return this.mem.readInt32LE(i * POLLFD_SIZE);
  }
  /** What poll reported for entry i. */
  revents(i: number): number {
    return this.mem.readUInt16LE(i * POLLFD_SIZE + 6);
  }
}

/** An option's value as the kernel takes it: an int, or struct linger { int l_onoff; int l_linger; }. */
export function encodeOpt(opt: SockOptName, value: SockOptValue): Buffer {
  if (opt === 'SO_LINGER') {
    const l = typeof value === 'number' ? { onoff: value, linger: 0 } : value;
    const b = Buffer.alloc(8);
    b.writeInt32LE(l.onoff, 0);
    b.writeInt32LE(l.linger, 4);
    return b;
  }
  const b = Buffer.alloc(4);
  b.writeInt32LE(typeof value === 'number' ? value : value.onoff, 0);
  return b;
}

/** An option's value as getsockopt wrote it. */
export function decodeOpt(opt: SockOptName, v: Buffer): SockOptValue {
  if (opt === 'SO_LINGER') return { onoff: v.readInt32LE(0), linger: v.readInt32LE(4) };
  return v.readInt32LE(0);
}

/**
 * struct tcp_info (<linux/tcp.h>): eight u8 (state, ca_state, retransmits, probes, backoff,
 * options, snd_wscale:4|rcv_wscale:4, …), then u32 from offset 8 (rto, ato, snd_mss at 16,
 * rcv_mss, unacked at 24, sacked at 28, …, rtt at 68, …, total_retrans at 100), u64
 * pacing_rate at 104, …, bytes_acked at 120, bytes_received at 128, u32 segs_out at 136,
 * segs_in, notsent_bytes at 144, …, snd_wnd at 228 (kernel 5.19+). Fields past the length
 * the kernel returned read as absent.
 */
export function decodeLinuxTcpInfo(v: Buffer): TcpInfo {
  const u32 = (off: number): number => (v.length >= off + 4 ? v.readUInt32LE(off) : 0);
  const u64 = (off: number): number => (v.length >= off + 8 ? Number(v.readBigUInt64LE(off)) : 0);
  const wscale = v.length > 6 ? v[6]! : 0;
  return {
    state: linuxTcpState(v[0] ?? 0),
    retransmits: v[2] ?? 0,
    totalRetrans: u32(100),
    unacked: u32(24),
    sacked: u32(28),
    rttUs: u32(68),
    sndMss: u32(16),
    // Bit-field order on little-endian: snd_wscale is the low nibble.
    sndWscale: wscale & 0x0f,
    rcvWscale: wscale >> 4,
    bytesAcked: u64(120),
    bytesReceived: u64(128),
    notsentBytes: u32(144),
    sndWnd: v.length >= 232 ? v.readUInt32LE(228) : null,
  };
}
