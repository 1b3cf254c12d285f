/**
 * What a checkpoint looks at in the view: an actor's sockets (by descriptor or role), where
 * they are said to be in a verdict, the captured segments numbered relative to their ISNs,
 * and the captured retransmissions. Pure; used by checkpoint-eval.ts and checkpoint-kinds.ts.
 */
import type { SegmentView, SocketView, ViewState } from './reducer';
import type { ActorId, Endpoint } from './schema';
import { vmsg, type VerdictMessage } from './verdicts';
import { own } from './own';
import { socketOwner } from './selectors';

/** The sockets a checkpoint names: by descriptor, by role, or every socket of the actor. */
export interface SocketRef {
  actor: ActorId;
  fd?: number;
  role?: 'listening' | 'connection';
}

/** The sockets of `c`, in the order the lab made them. */
export function socketsOf(view: ViewState, c: SocketRef): SocketView[] {
  if (c.fd !== undefined) {
    const id = own(view.actors, c.actor)?.fds[c.fd];
    const s = id === undefined ? undefined : own(view.sockets, id);
    return s ? [s] : [];
  }
  // By role, over every socket the actor opened or accepted, including those whose
  // descriptor is closed (a socket in TIME_WAIT has none any more) and connections still
  // waiting in the accept queue of one of its listening sockets (accept() not called yet).
  const held = new Set(Object.values(own(view.actors, c.actor)?.fds ?? {}));
  const mine = (s: SocketView) =>
    socketOwner(view, s) === c.actor || held.has(s.id) || (s.listener !== null && held.has(s.listener));
  const all = view.socketOrder.map((id) => own(view.sockets, id)!).filter((s) => s !== undefined && mine(s));
  if (c.role === undefined) return all;
  return all.filter((s) =>
    c.role === 'listening'
      ? isListening(s)
      : !isListening(s) && (s.remote !== null || s.listener !== null || s.transitions.length > 0),
  );
}

/** A socket that listens, or listened. */
export function isListening(s: SocketView): boolean {
  return s.state === 'LISTEN' || s.transitions.some((t) => t.to === 'LISTEN');
}

/** Where the sockets of `c` are, said in a verdict. */
export function where(c: SocketRef): VerdictMessage {
  return c.fd !== undefined
    ? vmsg('where.fd', { actor: c.actor, fd: c.fd })
    : c.role === 'listening'
      ? vmsg('where.listening', { actor: c.actor })
      : c.role === 'connection'
        ? vmsg('where.connection', { actor: c.actor })
        : vmsg('where.any', { actor: c.actor });
}

/** A captured segment with its numbers as the course writes them. */
export interface NumberedSegment {
  segment: SegmentView;
  /** The sequence number minus its sender's ISN; null without that SYN. */
  seq: number | null;
  /** The acknowledgement number minus the peer's ISN (ACK set); null otherwise. */
  ack: number | null;
}

const way = (a: Endpoint, b: Endpoint) => `${a.host}:${a.port}>${b.host}:${b.port}`;

/**
 * The view's captured segments, in order, each numbered relative to the ISNs: a direction's
 * ISN is the sequence number of the latest captured SYN from its source to its destination
 * (the same endpoints) before it, so the SYN itself is 0 and the peer's ACK of it is 1.
 * Inferred segments have no real numbers and are left out; so is a segment whose SYN has
 * left the view (MAX_VIEW_SEGMENTS), which gets null.
 */
export function numberedSegments(view: ViewState): NumberedSegment[] {
  const isn = new Map<string, number>();
  const out: NumberedSegment[] = [];
  for (const g of view.segments) {
    if (g.source !== 'captured') continue;
    const mine = way(g.src, g.dst);
    if (g.flags.includes('SYN') && g.seqNo !== null) isn.set(mine, g.seqNo);
    const own = isn.get(mine);
    const peer = isn.get(way(g.dst, g.src));
    out.push({
      segment: g,
      seq: own !== undefined && g.seqNo !== null ? (g.seqNo - own) >>> 0 : null,
      ack: peer !== undefined && g.ackNo !== null && g.flags.includes('ACK') ? (g.ackNo - peer) >>> 0 : null,
    });
  }
  return out;
}

/**
 * The captured segments that repeat an earlier captured one: the same source, destination,
 * sequence number and flags, carrying a SYN, a FIN or data (a pure ACK repeats legitimately:
 * duplicate ACKs, window updates). Each repeat counts once.
 */
export function retransmissions(view: ViewState): SegmentView[] {
  const seen = new Set<string>();
  const out: SegmentView[] = [];
  for (const g of view.segments) {
    if (g.source !== 'captured' || g.seqNo === null) continue;
    if (!g.flags.includes('SYN') && !g.flags.includes('FIN') && g.len === 0) continue;
    const key = `${way(g.src, g.dst)}#${g.seqNo}#${[...g.flags].sort().join(',')}`;
    if (seen.has(key)) out.push(g);
    else seen.add(key);
  }
  return out;
}

/** Whether a segment was sent by one of the actor's sockets (any segment without an actor). */
export function sentBy(view: ViewState, g: SegmentView, actor: ActorId | undefined): boolean {
  return actor === undefined || (g.from !== null && own(view.sockets, g.from)?.actor === actor);
}
