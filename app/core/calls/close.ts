/**
 * shutdown and close. close() of the last descriptor closes the real one: the kernel sends
 * FIN (or RST when bytes are still unread, or SO_LINGER {1, 0} was set) and finishes the
 * connection on its own; the lab follows the orphan in the kernel's table.
 */
import { msg, type CallArgs, type Message, type TcpState } from '../../contract/schema';
import type { Actor } from '../actor';
import { asErrno, ebadf, type CallResult } from './result';
import type { Engine } from '../engine';
import type { LabSocket } from '../lab-socket';

/** shutdown(fd, how): the kernel sends FIN for SHUT_WR and SHUT_RDWR. */
export function shutdownCall(e: Engine, actor: Actor, args: CallArgs['shutdown']): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  const r = e.sys.shutdown(s.fd, args.how);
  if (r.ret === -1) {
    e.facts.observe(s);
    return { ret: -1, errno: asErrno(r.errno) };
  }
  if (args.how !== 'SHUT_RD') s.finSent = true;
  e.facts.observe(s, args.how === 'SHUT_RD' ? undefined : msg('cause.shutdown', { how: args.how }));
  if (s.peer) e.facts.heat(s.peer);
  return { ret: 0 };
}

/**
 * close(fd): the descriptor goes; with the last one, the socket is the kernel's alone.
 * `atExit`: the kernel closes it because the program ended (its causes say so).
 */
export function closeCall(e: Engine, actor: Actor, args: CallArgs['close'], atExit = false): CallResult {
  const s = actor.fds.get(args.fd);
  if (!s) return ebadf(args.fd);
  actor.fds.delete(args.fd);
  s.refs--;
  e.emit({ type: 'fd.closed', actor: actor.id, fd: args.fd, socket: s.id });
  if (s.refs > 0) return { ret: 0, detail: msg('note.otherRefs') };
  // What the kernel holds just before: unread bytes make the close an RST.
  e.facts.observe(s);
  const unread = s.reading?.recvQ ?? 0;
  // The kernel's state now: where the tracepoint moves states, the lab's may be behind it
  // (without, observe() just moved it to this reading).
  const at = e.facts.traced ? (s.reading?.state ?? s.state) : s.state;
  const reset = s.connected && (unread > 0 || s.lingerZero) && at !== 'CLOSED';
  const r = e.sys.close(s.fd);
  s.fd = -1;
  s.released = true;
  e.emit({ type: 'socket.released', socket: s.id });
  if (reset) s.rstSent = true;
  const { state, cause } = atExit ? afterExit(s, at, reset, unread) : afterClose(s, at, reset, unread);
  e.facts.released(s, state, cause, at);
  if (s.peer) e.facts.heat(s.peer);
  if (r.ret === -1) return { ret: -1, errno: asErrno(r.errno) };
  if (reset && unread > 0) return { ret: 0, detail: msg('note.unreadRst', { n: unread }) };
  return { ret: 0 };
}

/** The state a close of `s` in state `at` leaves it in by the state machine, and why. */
function afterClose(
  s: LabSocket,
  at: TcpState,
  reset: boolean,
  unread: number,
): { state: TcpState; cause: Message } {
  if (reset)
    return {
      state: 'CLOSED',
      cause: unread > 0 ? msg('cause.closeUnread', { n: unread }) : msg('cause.rst'),
    };
  // A listener (whose LISTEN the tracepoint may not have reported yet).
  if (s.listening) return { state: 'CLOSED', cause: msg('cause.closeCall') };
  switch (at) {
    case 'ESTABLISHED':
    case 'SYN_RECEIVED':
      s.finSent = true;
      return { state: 'FIN_WAIT_1', cause: msg('cause.close') };
    case 'CLOSE_WAIT':
      s.finSent = true;
      return { state: 'LAST_ACK', cause: msg('cause.close') };
    case 'SYN_SENT':
      return { state: 'CLOSED', cause: msg('cause.closeInHandshake') };
    default:
      return { state: at, cause: msg('cause.closeCall') };
  }
}

/** The state the kernel's close at the program's exit leaves the socket in, and why. */
function afterExit(
  s: LabSocket,
  at: TcpState,
  reset: boolean,
  unread: number,
): { state: TcpState; cause: Message } {
  const { state, cause } = afterClose(s, at, reset, unread);
  if (reset) return { state, cause: unread > 0 ? msg('cause.exitUnread', { n: unread }) : cause };
  return { state, cause: cause.code === 'cause.close' ? msg('cause.exitFin') : msg('cause.exitClose') };
}
