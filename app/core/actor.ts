/**
 * An actor of the lab (the server, a client): its descriptor table, its program and the
 * call it is in. Plain state; the engine and the lab change it.
 */
import type { ActorId, BlockReason, CallName, Program } from '../contract/schema';
import type { Runner } from './interp/runner';
import type { LabSocket } from './lab-socket';

/** The call an actor is in (running or blocked). */
export interface CurrentCall {
  callId: string;
  call: CallName;
  /** Set once the call has blocked. */
  blocked: BlockReason | null;
  /** Makes the blocked call return -1 EINTR; null until the call can be interrupted. */
  interrupt: (() => void) | null;
  /** Resolves when the call has returned. */
  done: Promise<unknown>;
  /** The kernel released the call: it is returning (its events follow in this turn). */
  returning?: boolean;
}

/** One actor. */
export class Actor {
  /** Descriptor table: fd → socket. */
  readonly fds = new Map<number, LabSocket>();
  program: Program | null = null;
  /** Bumped on every program load, so a late return of an older program's call is told apart. */
  programVersion = 0;
  /** The program running, stopped between statements or in a call; null before one is loaded. */
  runner: Runner | null = null;
  current: CurrentCall | null = null;
  /** Set when the lab is reset or disposed: late completions of its calls are dropped. */
  dead = false;
  /** Settles a parked call at once (set while one is parked; used by a reset). */
  wake: (() => void) | null = null;
  /** Makes a parked call again now, without waiting for the poller (set while one is parked). */
  poke: (() => void) | null = null;

  /** A new actor with an empty descriptor table. */
  constructor(
    readonly id: ActorId,
    readonly kind: 'server' | 'client',
  ) {}

  /**
   * Resolves once a call the kernel has already released has returned (at once otherwise).
   * A parked call is made again first: the kernel may have made it ready a moment ago, before
   * the poller's thread said so, and a command must see what the kernel sees now.
   */
  async settled(): Promise<void> {
    this.poke?.();
    const c = this.current;
    if (c?.returning) await c.done.catch(() => undefined);
  }

  /** The lowest descriptor number not in use, from 3 (0–2 are stdin, stdout, stderr), as C does. */
  lowestFreeFd(): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    return fd;
  }
}
