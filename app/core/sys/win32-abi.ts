/**
 * Windows's numbers and structures, as the headers give them: the constants the lab uses and
 * the other Winsock numbers its calls need (<winsock2.h>, <ws2def.h>, <ws2ipdef.h>,
 * <mstcpip.h>), the WSAPOLLFD array, an option's value (int or struct linger) both ways, and
 * the TCP_INFO_v0 decoder (TCPSTATE names in tcp-states.ts). Plain buffers, no ws2_32.dll:
 * this is what the tests check against mingw-w64's headers and hand-made buffers on any
 * platform; win32.ts makes the calls with them.
 */
import { win32TcpState } from './tcp-states';
import type { PollBuffer, SockOptName, SockOptValue, SysConstants, TcpInfo } from './types';

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
    this.mem.writeInt16LE(events & WIN32_EXTRA.POLL_REQUEST_MASK, at + half);
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
