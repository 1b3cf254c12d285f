/**
 * The TCP state machine of RFC 793 (figure 6), pure: which state an input moves a socket to.
 * The engine feeds it with the program's calls and with what the socket, the peer or the
 * kernel's table report, and emits one `socket.state` event per transition.
 */
import { msg, type Message, type TcpState } from '../contract/schema';

/** What can move a socket's state. */
export type TcpInput =
  /** listen(): CLOSED → LISTEN. */
  | 'listen'
  /** connect(): SYN sent; CLOSED → SYN_SENT. */
  | 'connect'
  /** A SYN arrived on a listener: the new connection CLOSED → SYN_RECEIVED (SYN-ACK sent). */
  | 'syn-received'
  /** SYN_SENT → ESTABLISHED (SYN-ACK received, ACK sent). */
  | 'syn-ack-received'
  /** SYN_RECEIVED → ESTABLISHED (the handshake's last ACK). */
  | 'ack-received'
  /** close() or shutdown(SHUT_WR): a FIN is sent (or a socket without connection closes). */
  | 'close'
  /** The peer's FIN arrived. */
  | 'fin-received'
  /** The peer acknowledged our FIN. */
  | 'fin-acked'
  /** An RST was sent or received, or connect() was refused: the connection is gone. */
  | 'rst'
  /** The TIME_WAIT (2MSL) timer expired. */
  | 'timeout';

const TABLE: Partial<Record<TcpState, Partial<Record<TcpInput, TcpState>>>> = {
  CLOSED: { listen: 'LISTEN', connect: 'SYN_SENT', 'syn-received': 'SYN_RECEIVED' },
  LISTEN: { close: 'CLOSED', rst: 'CLOSED' },
  SYN_SENT: { 'syn-ack-received': 'ESTABLISHED', close: 'CLOSED', rst: 'CLOSED' },
  SYN_RECEIVED: { 'ack-received': 'ESTABLISHED', close: 'FIN_WAIT_1', rst: 'CLOSED' },
  ESTABLISHED: { close: 'FIN_WAIT_1', 'fin-received': 'CLOSE_WAIT', rst: 'CLOSED' },
  FIN_WAIT_1: { 'fin-acked': 'FIN_WAIT_2', 'fin-received': 'CLOSING', rst: 'CLOSED' },
  FIN_WAIT_2: { 'fin-received': 'TIME_WAIT', rst: 'CLOSED' },
  CLOSE_WAIT: { close: 'LAST_ACK', rst: 'CLOSED' },
  CLOSING: { 'fin-acked': 'TIME_WAIT', rst: 'CLOSED' },
  LAST_ACK: { 'fin-acked': 'CLOSED', rst: 'CLOSED' },
  TIME_WAIT: { timeout: 'CLOSED', rst: 'CLOSED' },
};

/** The state `input` moves `state` to, or null when the input does not apply in that state. */
export function nextState(state: TcpState, input: TcpInput): TcpState | null {
  return TABLE[state]?.[input] ?? null;
}

/** The default cause shown for a transition by `input`. */
export const INPUT_CAUSE: Readonly<Record<TcpInput, Message>> = {
  listen: msg('cause.listen'),
  connect: msg('cause.connect'),
  'syn-received': msg('cause.synReceived'),
  'syn-ack-received': msg('cause.synAckReceived'),
  'ack-received': msg('cause.ackReceived'),
  close: msg('cause.close'),
  'fin-received': msg('cause.finReceived'),
  'fin-acked': msg('cause.finAcked'),
  rst: msg('cause.rst'),
  timeout: msg('cause.timeout'),
};

/** One step of the state machine: the input and the state it leads to. */
export interface Hop {
  input: TcpInput;
  from: TcpState;
  to: TcpState;
}

/**
 * The shortest way through the state machine from `from` to `to` (breadth first, inputs in
 * the table's order, so ESTABLISHED → TIME_WAIT goes through FIN_WAIT_2 rather than CLOSING),
 * or null when there is none. Used to fill the steps between two kernel readings.
 */
export function pathBetween(
  from: TcpState,
  to: TcpState,
  allow: (input: TcpInput) => boolean = () => true,
): Hop[] | null {
  if (from === to) return [];
  const prev = new Map<TcpState, Hop>();
  const queue: TcpState[] = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const [input, next] of Object.entries(TABLE[at] ?? {}) as [TcpInput, TcpState][]) {
      if (next === from || prev.has(next) || !allow(input)) continue;
      prev.set(next, { input, from: at, to: next });
      if (next === to) {
        const path: Hop[] = [];
        for (let h = prev.get(to); h; h = h.from === from ? undefined : prev.get(h.from)) path.unshift(h);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}
