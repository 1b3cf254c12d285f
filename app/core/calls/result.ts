/**
 * What a call gives back and what it may ask of the engine while it runs: shared by the
 * calls (calls/*.ts), the engine and parking (blocking/park.ts), apart so that none of them
 * imports another for it.
 */
import { ERRNOS, msg, type BlockReason, type CallOut, type Errno, type Message } from '../../contract/schema';
import type { Actor } from '../actor';

/** What a call returns: C's return value, errno on failure, and a sentence for the log. */
export interface CallResult {
  ret: number;
  errno?: Errno;
  /** What explains the result, as a code with parameters (the window says it). */
  detail?: Message;
  /** read(): the bytes read. */
  bytes?: Buffer;
  /** Out-parameters (poll's revents, getsockopt's value, …). */
  out?: CallOut;
}

/** What a call implementation may tell the engine while it runs. */
export interface CallContext {
  /** The call now waits for the kernel: emit call.blocked and answer the command. */
  block(reason: BlockReason): void;
  /** What an interrupt does to this call. */
  onInterrupt(fn: () => void): void;
  /** The actor making the call. */
  readonly actor: Actor;
  /** The call got its result and is returning (no longer blocked). */
  returning(): void;
}

/** A parked call's interest: a descriptor and poll events (one or several). */
export interface ParkOn {
  fds: { fd: number; events: number }[];
}

export const EINTR: CallResult = {
  ret: -1,
  errno: 'EINTR',
  detail: msg('note.interrupted'),
};
export const RESET: CallResult = { ret: -1, errno: 'EBADF', detail: msg('note.labReset') };

/** -1 EBADF for a number that is not one of the actor's descriptors. */
export function ebadf(fd: number): CallResult {
  return { ret: -1, errno: 'EBADF', detail: msg('note.notOpen', { fd }) };
}

/** A kernel errno name as the contract knows it (EIO for one the lab has no name for). */
export function asErrno(name: string | null): Errno {
  return name !== null && (ERRNOS as readonly string[]).includes(name) ? (name as Errno) : 'EIO';
}
