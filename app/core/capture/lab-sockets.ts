/**
 * Which captured segments are the lab's: a segment belongs to the lab only when its two
 * endpoints are the two ends of a lab socket's connection (its local and remote address, as
 * the lab learnt them), and that socket had not yet ended when the segment passed. One
 * endpoint is not enough: on a shared loopback another program may use a port the lab used
 * (its server's port once the lab closed it; an ephemeral port the kernel gives out again),
 * or connect to a lab listener from outside without the lab ever accepting it.
 *
 * A segment that touches a live lab socket's address without matching a pair yet (a client
 * connecting to a lab listener, before accept() tells the lab its address) may still become
 * the lab's: the caller holds it until the lab learns the pair, or lets it go.
 */
import type { Endpoint, SocketId } from '../../contract/schema';
import type { SocketView, ViewState } from '../../contract/reducer';
import { endpointKey } from '../kernel/address';
import { own } from '../../contract/own';

/**
 * How long after a lab socket ended (reached CLOSED) segments on its pair are still its own, in
 * µs: the lab hears of the end after the kernel, a last RST may pass just after it.
 */
export const END_GRACE_US = 1_000_000;

interface Pair {
  id: SocketId;
  /** When the socket ended (µs since the epoch), or null while it lives. */
  endUs: number | null;
}

/** When the socket's last transition took it to CLOSED (µs since the epoch), else null. */
function endOf(s: SocketView): number | null {
  const last = s.transitions.at(-1);
  if (!last || last.to !== 'CLOSED') return null;
  return last.tsUs ?? last.t * 1000;
}

const alive = (endUs: number | null, tsUs: number): boolean => endUs === null || tsUs <= endUs + END_GRACE_US;

/** The lab's sockets by address, rebuilt when the view's sockets change. */
export class LabSockets {
  private sockets: ViewState['sockets'] | null = null;
  /** "local>remote" → the socket with these ends (the newest when a pair was used again). */
  private pairs = new Map<string, Pair>();
  /** local → a socket bound there without a remote (a listener), while it lives. */
  private locals = new Map<string, SocketId>();
  /** Every local or remote address of a socket that has not ended. */
  private live = new Set<string>();

  /** Follows the view (cheap when its sockets have not changed). */
  refresh(view: ViewState): void {
    if (view.sockets === this.sockets) return;
    this.sockets = view.sockets;
    this.pairs.clear();
    this.locals.clear();
    this.live.clear();
    for (const id of view.socketOrder) {
      const s = own(view.sockets, id);
      if (!s) continue;
      const endUs = endOf(s);
      if (s.local && s.remote) {
        this.pairs.set(`${endpointKey(s.local)}>${endpointKey(s.remote)}`, { id, endUs });
      } else if (s.local && endUs === null) this.locals.set(endpointKey(s.local), id);
      if (endUs !== null) continue;
      if (s.local) this.live.add(endpointKey(s.local));
      // A client's remote is known at connect(), before its own port.
      if (s.remote) this.live.add(endpointKey(s.remote));
    }
  }

  /** The lab socket whose ends are `local` and `remote`, if it had not ended at `tsUs`. */
  owner(local: Endpoint, remote: Endpoint, tsUs: number): SocketId | null {
    const p = this.pairs.get(`${endpointKey(local)}>${endpointKey(remote)}`);
    return p && alive(p.endUs, tsUs) ? p.id : null;
  }

  /** Whether a segment between `src` and `dst` at `tsUs` is on a lab socket's connection. */
  belongs(src: Endpoint, dst: Endpoint, tsUs: number): boolean {
    return this.owner(src, dst, tsUs) !== null || this.owner(dst, src, tsUs) !== null;
  }

  /**
   * The lab socket at the `local` end of a segment of the lab's (between `local` and
   * `remote`): the connected socket with these ends, else a listener at `local` (a SYN
   * before accept), else null (a peer outside the lab).
   */
  find(local: Endpoint, remote: Endpoint, tsUs: number): SocketId | null {
    return this.owner(local, remote, tsUs) ?? this.locals.get(endpointKey(local)) ?? null;
  }

  /** Whether either endpoint is an address of a lab socket that has not ended. */
  touches(src: Endpoint, dst: Endpoint): boolean {
    return this.live.has(endpointKey(src)) || this.live.has(endpointKey(dst));
  }
}
