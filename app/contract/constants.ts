/**
 * The contract's names and limits that need no schema: TCP states, capture and source kinds,
 * call names, errnos, block reasons, socket options, poll events, program limits. Their
 * schemas are beside them in basics.ts, calls.ts and program.ts, which re-export these. The
 * window reads these before its first paint, so this module imports no zod (the window's
 * start-up graph is checked: test/node/window/startup-graph.test.ts). No Node or DOM import.
 */

/** The eleven TCP states of RFC 793, spelled as Linux spells them in its docs and ss(8). */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;
/** One of the eleven TCP states. */
export type TcpState = (typeof TCP_STATES)[number];

/** How a packet capture stands: on, off (not asked for), unavailable (no tool or permission), failed. */
export const CAPTURE_STATES = ['on', 'off', 'unavailable', 'failed'] as const;
export type CaptureState = (typeof CAPTURE_STATES)[number];
/** Who saw a state: a kernel source, or the state machine between two of its readings. */
export const STATE_SOURCES = ['kernel', 'inferred'] as const;
export type StateSource = (typeof STATE_SOURCES)[number];
/** Who saw a segment: a packet capture on the wire, or the state machine. */
export const SEGMENT_SOURCES = ['captured', 'inferred'] as const;
export type SegmentSource = (typeof SEGMENT_SOURCES)[number];

/** Largest payload of one write() command, in bytes. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;
/** Largest read() request, in bytes. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** The POSIX-like calls an actor can make. */
export const CALL_NAMES = [
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'read',
  'write',
  'shutdown',
  'close',
  'setsockopt',
  'getsockopt',
  'fcntl',
  'poll',
  'select',
  'getsockname',
  'getpeername',
] as const;
/** errno names the lab's calls can return, as C names them (the kernel's, see app/core/sys/errno.ts). */
export const ERRNOS = [
  'EAGAIN',
  'EINPROGRESS',
  'ENOTSOCK',
  'ENOPROTOOPT',
  'EPERM',
  'ENOMEM',
  'EFAULT',
  'ENFILE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ESHUTDOWN',
  'EDESTADDRREQ',
  'EMSGSIZE',
  'EPROTONOSUPPORT',
  'ENOSYS',
  'EIO',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EBADF',
  'EINVAL',
  'ENOTCONN',
  'EISCONN',
  'EALREADY',
  'EINTR',
  'EMFILE',
  'ENOBUFS',
  'EOPNOTSUPP',
  'ETIMEDOUT',
  'EACCES',
  'EAFNOSUPPORT',
] as const;
/** Why a call is blocked; each names the kernel-side condition that will release it. */
export const BLOCK_REASONS = [
  'no-connection', // accept: the accept queue is empty; released by a completed handshake
  'recv-empty', // read: the receive buffer is empty; released by bytes or a FIN
  'send-full', // write: the send buffer is full; released by the peer reading
  'handshake', // connect: SYN sent, waiting for SYN-ACK
  'poll-wait', // poll/select: no descriptor is ready yet; released by one becoming ready or the timeout
] as const;
/** Socket options the lab offers, by their C names. */
export const SOCKOPT_NAMES = [
  'SO_REUSEADDR',
  'SO_REUSEPORT',
  'SO_LINGER',
  'SO_RCVBUF',
  'SO_SNDBUF',
  'SO_ERROR',
  'SO_KEEPALIVE',
  'SO_TYPE',
  'TCP_NODELAY',
] as const;
export type SockOptName = (typeof SOCKOPT_NAMES)[number];
/** poll(2) events, by their POSIX names. */
export const POLL_EVENTS = [
  'POLLIN',
  'POLLOUT',
  'POLLPRI',
  'POLLRDHUP',
  'POLLERR',
  'POLLHUP',
  'POLLNVAL',
] as const;

/** Most characters of a program's C source. */
export const MAX_PROGRAM_CHARS = 100_000;
/** Most characters of one output event (a longer printf is split). */
export const MAX_OUTPUT_CHUNK = 4096;
/** Most frames a program.pc event carries (the innermost ones). */
export const MAX_FRAMES = 16;
/** Most variables a frame carries. */
export const MAX_VARS = 48;

/** What a step or run command did when it made no call that is still going on. */
export const STOP_REASONS = [
  'paused', // one statement done (step), the next one is shown
  'breakpoint', // run reached a breakpoint's line
  'budget', // run executed its budget of statements without a call
  'ended', // the program exited or faulted
] as const;
export type StopReason = (typeof STOP_REASONS)[number];
