/**
 * A socket of the lab: one real descriptor of this process (made by socket(2) or accept(2)
 * through app/core/sys), and what the lab knows of it: the actor holding it, addresses, the
 * state the kernel last reported, the peer when it is a lab socket too, and the bytes of a
 * blocked write not yet copied into the kernel. Plain state; the engine drives it.
 */
import type { ActorId, Buffers, Endpoint, Message, SocketId, TcpState } from '../contract/schema';
import type { KernelRow } from './kernel/types';

/** The kernel's last word on a socket with a descriptor (TCP_INFO and the queue ioctls). */
export interface KernelReading {
  state: TcpState;
  sendQ: number;
  recvQ: number;
}

/** One lab socket. */
export class LabSocket {
  /** The state the lab shows: the kernel's, as last read (see engine's observe()). */
  state: TcpState = 'CLOSED';
  /** The process's real descriptor; -1 once closed. */
  fd: number;
  local: Endpoint | null = null;
  remote: Endpoint | null = null;
  /** The lab socket on the other end, when the peer is a lab socket. */
  peer: LabSocket | null = null;
  /** listen() succeeded (the kernel's accept queue exists). */
  listening = false;
  /** The kernel's accept queue as last read: length and limit (TCP_INFO on a LISTEN socket). */
  queue: { length: number; backlog: number } | null = null;
  /** The program asked for O_NONBLOCK itself (fcntl): calls that would block return EAGAIN. */
  nonBlocking = false;
  /** A connect() was started (EINPROGRESS) and not yet reported. */
  connecting = false;
  /** The socket has been connected once. */
  connected = false;
  /** Bytes of the write in progress not yet copied into the kernel (shown as the program's). */
  sendApp = 0;
  /** Descriptors (actor, fd) referring to this socket. */
  refs = 0;
  released = false;
  /** The kernel's latest reading through the descriptor. */
  reading: KernelReading | null = null;
  /** The latest row of the kernel's table, for a socket without a descriptor. */
  kernelRow: KernelRow | null = null;
  kernelSeen = false;
  watched = false;
  /** The tracepoint handed this socket to the kernel's table (its TIME_WAIT socket). */
  tableDecides = false;
  /**
   * With the tracepoint: the step a call (close, connect) makes, from the state it was made
   * in (a listener's: LISTEN) to the state it leads to, and the call's cause, given to the
   * kernel's event of that step when it comes (the tracer's events come a moment after the
   * call: the lab's state may still be behind it then).
   */
  callCause: { from: TcpState; to: TcpState; cause: Message } | null = null;
  /** The lab socket a connect()'s SYN went to (a lab listener), for the ladder. */
  synTo: string | null = null;
  /** shutdown(SHUT_WR) or close() sent this side's FIN. */
  finSent = false;
  /** This side reset the connection (close with unread bytes, or SO_LINGER {1, 0}). */
  rstSent = false;
  /** The program set SO_LINGER {1, 0}: close() sends RST. */
  lingerZero = false;
  /** A FIN from the peer has been seen (the receive side has ended). */
  finReceived = false;
  /** Inferred sequence numbers (relative: ISN 0 on both sides; a capture shows the real ones). */
  snd = 0;
  rcv = 0;
  /** Recent writes, for the send-buffer preview (trimmed to the bytes still outstanding). */
  sendLog: Buffer[] = [];
  sendLogBytes = 0;
  /** Buffer event coalescing. */
  buffersLast: Buffers | null = null;
  buffersAt = -Infinity;
  buffersTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set at reset or dispose: every late callback of this socket is ignored. */
  dead = false;

  /** A socket on real descriptor `fd`, in CLOSED. `actor` null: not owned by a lab actor. */
  constructor(
    readonly id: SocketId,
    readonly actor: ActorId | null,
    readonly family: 'inet' | 'inet6',
    fd: number,
    readonly listener: LabSocket | null = null,
  ) {
    this.fd = fd;
  }
}
