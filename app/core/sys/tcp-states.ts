/**
 * The kernels' TCP state numbers in the lab's spelling (the contract's TCP_STATES).
 * Linux <netinet/tcp.h> / include/net/tcp_states.h; macOS <netinet/tcp_fsm.h> (TCPS_*);
 * Windows TCPSTATE (<mstcpip.h>, what SIO_TCP_INFO reports).
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

/**
 * Windows TCPSTATE_CLOSED = 0 … TCPSTATE_TIME_WAIT = 10 (<mstcpip.h>). Its order differs from
 * macOS's from FIN_WAIT_1 on. Written from the header; not checked on Windows.
 */
const WIN32: readonly string[] = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED', // TCPSTATE_SYN_RCVD
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];

/** The lab's name of Windows TCPSTATE `n`. */
export function win32TcpState(n: number): string {
  return WIN32[n] ?? 'CLOSED';
}
