/**
 * Parking a call: a call the kernel answered "would block" waits on the poller for its
 * descriptors and is made again when they are ready, until it gives a result; it shows as
 * blocked with its reason meanwhile. Interrupt: -1 EINTR; a reset of the lab: -1 EBADF.
 * See docs/architecture.md, "Blocking".
 */
import type { BlockReason } from '../../contract/schema';
import type { Actor } from '../actor';
import { EINTR, RESET, type CallContext, type CallResult, type ParkOn } from '../calls/result';
import type { Poller } from './poller';

/** The parked calls of one lab. */
export class Parking {
  /** Actors parked in a call. */
  private readonly parked = new Set<Actor>();

  /** Parks on `poller`. */
  constructor(private readonly poller: Poller) {}

  /**
   * Make `attempt` until it gives a result: now, and again each time the kernel makes one of
   * `on`'s descriptors ready (or `timeoutMs` passes: then `onTimeout` answers). The first
   * time it gives nothing, the call shows as blocked with `reason`. Interrupt: -1 EINTR; a
   * reset of the lab: -1 EBADF.
   */
  park(
    ctx: CallContext,
    reason: BlockReason,
    on: () => ParkOn,
    attempt: () => CallResult | null,
    timeout?: { ms: number; onTimeout: () => CallResult },
  ): Promise<CallResult> {
    const first = attempt();
    if (first) return Promise.resolve(first);
    return new Promise<CallResult>((resolve) => {
      let finished = false;
      let unpark: (() => void)[] = [];
      let timer: ReturnType<typeof setTimeout> | null = null;
      const finish = (r: CallResult): void => {
        if (finished) return;
        finished = true;
        for (const u of unpark) u();
        unpark = [];
        if (timer) clearTimeout(timer);
        ctx.actor.wake = null;
        ctx.actor.poke = null;
        this.parked.delete(ctx.actor);
        ctx.returning();
        resolve(r);
      };
      const arm = (): void => {
        for (const u of unpark) u();
        unpark = on().fds.map((f) =>
          this.poller.add({
            fd: f.fd,
            events: f.events,
            ready: () => {
              if (finished) return;
              if (ctx.actor.dead) return finish(RESET);
              const r = attempt();
              if (r) finish(r);
              else arm();
            },
          }),
        );
      };
      ctx.onInterrupt(() => finish(EINTR));
      // A reset wakes the parked call so its promise settles.
      ctx.actor.wake = () => finish(RESET);
      ctx.actor.poke = () => {
        if (finished || ctx.actor.dead) return;
        const r = attempt();
        if (r) finish(r);
      };
      if (timeout && timeout.ms >= 0) timer = setTimeout(() => finish(timeout.onTimeout()), timeout.ms);
      arm();
      this.parked.add(ctx.actor);
      ctx.block(reason);
      this.pokeOthers(ctx.actor);
    });
  }

  /**
   * Make every other parked call again now. A lab actor's call is what most often makes
   * another's ready (a write fills the peer's receive queue, a read empties the sender's
   * window, a close sends FIN): on loopback the kernel has done it within the call, so the
   * parked call is asked at once instead of after the poller's thread has woken.
   */
  pokeOthers(except: Actor): void {
    for (const a of [...this.parked]) if (a !== except) a.poke?.();
  }
}
