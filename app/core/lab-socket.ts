/**
 * A socket of the lab: the model's view of one TCP endpoint (state, addresses, buffers,
 * accept queue) and the real Node handle behind it (a net.Server when listening, a
 * net.Socket when connected). Plain state; the engine drives it.
 */
import type net from 'node:net';
import type { ActorId, Buffers, Endpoint, Errno, SocketId, TcpState } from '../contract/schema';
import type { KernelRow } from './kernel/types';

/** One lab socket. */
export class LabSocket {
  state: TcpState = 'CLOSED';
  /** Local and remote endpoints once known (kept after the handle is gone, for the kernel watch). */
  local: Endpoint | null = null;
  remote: Endpoint | null = null;
  /** The lab socket on the other end, when the peer is a lab socket. */
  peer: LabSocket | null = null;
  /** Set by bind(): where listen() or connect() will put the socket. */
  bound: Endpoint | null = null;
  /** Listening: the real server, its backlog and the lab's accept queue. */
  server: net.Server | null = null;
  backlog = 5;
  pending: LabSocket[] = [];
  /** Connected (or connecting): the real socket. */
  conn: net.Socket | null = null;
  /** connect() has completed once: the socket has (or had) a connection. */
  connected = false;
  /** Descriptors referring to this socket. */
  refs = 0;
  released = false;
  /** Bytes taken from the kernel, not yet read by the program. */
  recvApp: Buffer[] = [];
  recvAppBytes = 0;
  /** Node reported the end of the stream (a FIN after all bytes). */
  eof = false;
  /** An error the socket reported, as errno; reported once by read/write. */
  error: Errno | null = null;
  errorReported = false;
  shutRd = false;
  shutWr = false;
  /**
   * shutdown/close asked for our FIN while Node still held this many unsent bytes: the FIN
   * leaves only after them (Node's 'finish'), so the model stays where the kernel is until
   * then. 0: no FIN waiting.
   */
  finPendingBytes = 0;
  finReceived = false;
  rstReceived = false;
  rstSent = false;
  /** Counts 'drain' events, so a blocked write can tell one happened since it blocked. */
  drains = 0;
  /** The kernel's latest row for this socket, and whether it was ever seen. */
  kernelRow: KernelRow | null = null;
  kernelSeen = false;
  watched = false;
  /**
   * Relative sequence numbers for inferred segments. The lab cannot see the real initial
   * sequence numbers (only a capture can), so inferred segments count from ISN 0 on both
   * sides: `snd` is our next sequence number, `rcv` the next one we expect from the peer.
   */
  snd = 0;
  rcv = 0;
  /** Recent writes, for the send-buffer preview (trimmed to the bytes still outstanding). */
  sendLog: Buffer[] = [];
  sendLogBytes = 0;
  /** Wake-ups of blocked calls waiting on this socket; each re-checks its own condition. */
  readonly waiters = new Set<() => void>();
  /** Buffer event coalescing. */
  buffersLast: Buffers | null = null;
  buffersAt = -Infinity;
  buffersTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set at reset or dispose: every late callback of this socket is ignored. */
  dead = false;

  /** A new socket in CLOSED. `actor` null: not owned by a lab actor. */
  constructor(
    readonly id: SocketId,
    readonly actor: ActorId | null,
    readonly family: 'inet' | 'inet6',
    readonly listener: LabSocket | null = null,
  ) {}

  /** Wake every blocked call waiting on this socket. */
  wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
