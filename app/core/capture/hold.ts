/**
 * Segments held while it is not yet known whether they are the lab's: per connection (both
 * endpoints), in capture order, bounded in count and age so that traffic the lab never
 * claims (a program outside the lab connecting to a lab listener that never accepts it)
 * costs little and is let go.
 */
import type { Endpoint } from '../../contract/schema';
import { connKey } from '../../contract/selectors';
import { canonicalEndpoint } from '../kernel/address';

/** Most segments held per connection (a handshake, some data, a close). */
export const HOLD_PER_CONN = 64;
/** Most connections held at once; the oldest is let go for a new one. */
export const HOLD_CONNS = 32;
/** How long a held connection waits for the lab to claim it, in ms. */
export const HOLD_MS = 10_000;

interface Held<T> {
  /** When the first segment was held (performance.now()). */
  since: number;
  items: T[];
}

/** The direction-free key of the connection between `a` and `b`: the contract's, on canonical hosts. */
function pairKey(a: Endpoint, b: Endpoint): string {
  return connKey(canonicalEndpoint(a), canonicalEndpoint(b));
}

/** Held segments by connection. */
export class HoldQueue<T> {
  private readonly conns = new Map<string, Held<T>>();
  /** Segments let go without being claimed (full, or too old). */
  released = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  get size(): number {
    return this.conns.size;
  }

  /** Holds `item` for the connection between `a` and `b`. */
  hold(a: Endpoint, b: Endpoint, item: T): void {
    this.expire();
    const key = pairKey(a, b);
    let h = this.conns.get(key);
    if (!h) {
      if (this.conns.size >= HOLD_CONNS) this.dropOldest();
      h = { since: this.now(), items: [] };
      this.conns.set(key, h);
    }
    if (h.items.length < HOLD_PER_CONN) h.items.push(item);
    else this.released++;
  }

  /** The held segments of the connections for which `claim` holds, removed, in capture order. */
  take(claim: (items: readonly T[]) => boolean): T[] {
    this.expire();
    const out: T[] = [];
    for (const [key, h] of this.conns) {
      if (!claim(h.items)) continue;
      this.conns.delete(key);
      out.push(...h.items);
    }
    return out;
  }

  /** The held segments of the connection between `a` and `b`, removed (none: []). */
  takePair(a: Endpoint, b: Endpoint): T[] {
    const key = pairKey(a, b);
    const h = this.conns.get(key);
    if (!h) return [];
    this.conns.delete(key);
    return h.items;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, h] of this.conns) {
      // Map order is insertion order: the first young one ends the walk.
      if (now - h.since <= HOLD_MS) break;
      this.conns.delete(key);
      this.released += h.items.length;
    }
  }

  private dropOldest(): void {
    const first = this.conns.keys().next();
    if (first.done) return;
    this.released += this.conns.get(first.value)!.items.length;
    this.conns.delete(first.value);
  }
}
