/**
 * What the kernel observer reports: rows of the kernel's own socket table
 * (sock_diag or /proc/net/tcp{,6} on Linux, `netstat` elsewhere), matched to lab sockets by
 * address.
 */
import type { Endpoint, TcpState } from '../../contract/schema';

/** One row of the kernel's socket table. */
export interface KernelRow {
  local: Endpoint;
  /** 0.0.0.0:0 (or [::]:0) for a listening socket. */
  remote: Endpoint;
  state: TcpState;
  /**
   * Send queue (tx_queue) in bytes. For LISTEN sockets sock_diag (and ss) give the backlog
   * here (listen()'s, capped at somaxconn); /proc/net/tcp gives 0.
   */
  sendQ: number;
  /** Receive queue (rx_queue) in bytes; for LISTEN sockets, the connections in the accept queue. */
  recvQ: number;
  /** Time left on the socket's timer in ms when one runs (TIME_WAIT, retransmit…), else null. */
  timerMs: number | null;
  /** Socket inode (Linux) or 0 where unknown. */
  inode: number;
}

/** A lab socket the observer should watch: matched by its local and remote endpoints. */
export interface WatchKey {
  local: Endpoint;
  /** null for a listening socket (matched with state LISTEN). */
  remote: Endpoint | null;
}

/** A source of kernel rows (sock_diag or procfs on Linux, netstat elsewhere, or a fake in tests). */
export interface KernelTableSource {
  readonly kind: 'sockdiag' | 'procfs' | 'netstat' | 'none';
  /** Read the whole table once. Rejects only for an unexpected failure. */
  read(): Promise<KernelRow[]>;
}
