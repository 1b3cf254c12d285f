/**
 * The system-call boundary: the C library's socket calls on real descriptors, through an FFI
 * (koffi), one implementation per platform (linux.ts is run and tested here; darwin.ts and
 * win32.ts are written from their headers). Everything above this folder speaks POSIX names
 * (errno names, SHUT_WR, POLLIN…) and plain numbers; each platform maps them to its own.
 *
 * Every call returns what C returns: `ret`, and `errno` (a POSIX name) when ret is -1.
 * No call here blocks: the engine makes lab descriptors non-blocking and waits in the
 * poller (app/core/poller.ts); the one blocking call is `pollAsync`, run off the main thread.
 */

/** What a call returned: C's return value, and errno's POSIX name when it failed. */
export interface SysResult {
  ret: number;
  /** Set when ret is -1: the kernel's errno, as C names it ('EAGAIN', 'EADDRINUSE', …). */
  errno: string | null;
}

/** An IP address and a port, as a sockaddr_in or sockaddr_in6 holds them. */
export interface SockAddr {
  family: 'inet' | 'inet6';
  /** Dotted quad (inet) or RFC 5952 text (inet6), e.g. '127.0.0.1', '::1'. */
  host: string;
  port: number;
}

/** Socket options the lab offers, by their C names. */
export type SockOptName =
  | 'SO_REUSEADDR'
  | 'SO_REUSEPORT'
  | 'SO_LINGER'
  | 'SO_RCVBUF'
  | 'SO_SNDBUF'
  | 'SO_ERROR'
  | 'SO_KEEPALIVE'
  | 'SO_TYPE'
  | 'TCP_NODELAY';

/** A socket option's value: an int, or SO_LINGER's struct linger. */
export type SockOptValue = number | { onoff: number; linger: number };

/** poll(2) event bits, by their POSIX names. */
export type PollEvent = 'POLLIN' | 'POLLPRI' | 'POLLOUT' | 'POLLERR' | 'POLLHUP' | 'POLLNVAL' | 'POLLRDHUP';

/** What the kernel tells of one TCP socket (Linux TCP_INFO; other platforms fill what they have). */
export interface TcpInfo {
  /** The TCP state, in the lab's spelling (LISTEN, SYN_SENT, …, TIME_WAIT, CLOSED). */
  state: string;
  /** Retransmissions of the segment at the head of the queue (tcpi_retransmits). */
  retransmits: number;
  /** All retransmissions on this connection (tcpi_total_retrans). */
  totalRetrans: number;
  /** LISTEN: connections in the accept queue (tcpi_unacked); else unacknowledged segments. */
  unacked: number;
  /** LISTEN: the accept queue's limit, listen()'s backlog (tcpi_sacked); else SACKed segments. */
  sacked: number;
  /** Round-trip time, µs. */
  rttUs: number;
  /** Maximum segment size for sending. */
  sndMss: number;
  /** Window scale shifts (0 when not negotiated). */
  sndWscale: number;
  rcvWscale: number;
  /** Bytes acknowledged by the peer and bytes received (0 where the platform has no such field). */
  bytesAcked: number;
  bytesReceived: number;
  /** Bytes written but not yet sent (tcpi_notsent_bytes). */
  notsentBytes: number;
  /** The peer's advertised window in bytes, where known (tcpi_snd_wnd), else null. */
  sndWnd: number | null;
}

/** Platform numbers the lab's calls need (values of the C headers). */
export interface SysConstants {
  AF_INET: number;
  AF_INET6: number;
  SOCK_STREAM: number;
  IPPROTO_TCP: number;
  SOL_SOCKET: number;
  SHUT_RD: number;
  SHUT_WR: number;
  SHUT_RDWR: number;
  /** fcntl */
  F_GETFL: number;
  F_SETFL: number;
  O_NONBLOCK: number;
  /** poll event bits (0 where the platform has none, e.g. POLLRDHUP off Linux). */
  POLL: Readonly<Record<PollEvent, number>>;
  /** socket options: level and number. */
  OPT: Readonly<Record<SockOptName, { level: number; name: number }>>;
  /** Size of a sockaddr_in / sockaddr_in6. */
  SOCKADDR_IN_SIZE: number;
  SOCKADDR_IN6_SIZE: number;
}

/**
 * The C library's socket calls. Descriptors are the process's real descriptors (the lab
 * maps each actor's C numbers 3, 4, 5… onto them).
 */
export interface Sys {
  /** 'linux', 'darwin' or 'win32'. */
  readonly platform: string;
  readonly constants: SysConstants;
  /** The POSIX name of this platform's errno number `n` (SO_ERROR gives numbers). */
  errnoName(n: number): string;
  /** The C library's own text for an errno, by its POSIX name (what strerror and perror print). */
  strerror(name: string): string;
  /** A TCP socket, non-blocking and close-on-exec underneath. */
  socket(family: 'inet' | 'inet6'): SysResult;
  bind(fd: number, addr: SockAddr): SysResult;
  listen(fd: number, backlog: number): SysResult;
  /** accept(2); `addr` is the peer's address when ret ≥ 0. The new descriptor is non-blocking too. */
  accept(fd: number): SysResult & { addr: SockAddr | null };
  connect(fd: number, addr: SockAddr): SysResult;
  /** recv(2) into `buf[0..n)`. */
  recv(fd: number, buf: Buffer, n: number): SysResult;
  /** recv(2) with MSG_PEEK: the first bytes of the receive queue, left in place (previews). */
  peek?(fd: number, buf: Buffer, n: number): SysResult;
  /** send(2) of `buf[off..off+n)`, without SIGPIPE (EPIPE is returned instead). */
  send(fd: number, buf: Buffer, off: number, n: number): SysResult;
  shutdown(fd: number, how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR'): SysResult;
  close(fd: number): SysResult;
  setsockopt(fd: number, opt: SockOptName, value: SockOptValue): SysResult;
  getsockopt(fd: number, opt: SockOptName): SysResult & { value: SockOptValue | null };
  getsockname(fd: number): SysResult & { addr: SockAddr | null };
  getpeername(fd: number): SysResult & { addr: SockAddr | null };
  /** The descriptor's O_NONBLOCK flag, or null if fcntl failed. */
  getNonBlocking(fd: number): boolean | null;
  setNonBlocking(fd: number, on: boolean): SysResult;
  /** Bytes in the receive queue (SIOCINQ / FIONREAD); -1 on error. */
  inq(fd: number): number;
  /** Bytes in the send queue, sent or not, not yet acknowledged (SIOCOUTQ); -1 where unknown. */
  outq(fd: number): number;
  /** The kernel's TCP facts of the socket, or null when it has none (or the call failed). */
  tcpInfo(fd: number): TcpInfo | null;
  /** A pipe, both ends non-blocking: [read end, write end]. Used to wake the poller. */
  pipe(): SysResult & { fds: [number, number] | null };
  /** read(2)/write(2) on a plain descriptor (the wake pipe). */
  readFd(fd: number, buf: Buffer, n: number): SysResult;
  writeFd(fd: number, buf: Buffer, n: number): SysResult;
  /** An array of `n` struct pollfd. */
  pollBuffer(n: number): PollBuffer;
  /** poll(2) on the calling thread (timeout 0 to ask without waiting). */
  poll(buf: PollBuffer, timeoutMs: number): SysResult;
  /** poll(2) on a worker thread; `buf` must not be touched until it settles. */
  pollAsync(buf: PollBuffer, timeoutMs: number): Promise<SysResult>;
}

/** A struct pollfd[] in native memory layout. */
export interface PollBuffer {
  readonly length: number;
  set(i: number, fd: number, events: number): void;
  fd(i: number): number;
  revents(i: number): number;
}

/** Why the system-call layer could not load here: one line for the user. */
export interface SysUnavailable {
  ok: false;
  reason: string;
}
