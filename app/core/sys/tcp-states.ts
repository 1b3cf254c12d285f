/**
 * The kernels' TCP state numbers in the lab's spelling (the contract's TCP_STATES).
 * Linux <netinet/tcp.h> / include/net/tcp_states.h; macOS <netinet/tcp_fsm.h> (TCPS_*);
 * Windows MIB_TCP_STATE (<tcpmib.h>) and TCPSTATE (<mstcpip.h>) are in win32.ts.
 */

/** Linux: TCP_ESTABLISHED = 1 … TCP_CLOSING = 11, TCP_NEW_SYN_RECV = 12. */
const LINUX: readonly string[] = [
  'CLOSED', // 0 is unused; shown as CLOSED
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECEIVED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'TIME_WAIT',
  'CLOSED', // TCP_CLOSE
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'SYN_RECEIVED', // TCP_NEW_SYN_RECV: a request socket, before the full socket exists
];

/** The lab's name of Linux TCP state `n`. */
export function linuxTcpState(n: number): string {
  return LINUX[n] ?? 'CLOSED';
}

/** macOS TCPS_CLOSED = 0 … TCPS_TIME_WAIT = 10 (<netinet/tcp_fsm.h>). */
const DARWIN: readonly string[] = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'CLOSE_WAIT',
  'FIN_WAIT_1',
  'CLOSING',
  'LAST_ACK',
  'FIN_WAIT_2',
  'TIME_WAIT',
];

/** The lab's name of macOS TCP state `n`. */
export function darwinTcpState(n: number): string {
  return DARWIN[n] ?? 'CLOSED';
}
