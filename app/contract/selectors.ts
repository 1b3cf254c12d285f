/**
 * What the window, the checkpoints and the engine read off a view, each defined once: the
 * key of a connection, the segments shown, the sockets an actor holds, and the actor a
 * socket belongs to.
 */
import type { ActorId, Endpoint } from './schema';
import type { SegmentView, SocketView, ViewState } from './view';
import { own } from './own';

/** A connection key independent of direction: "127.0.0.1:5000|127.0.0.1:40312" sorted. */
export function connKey(a: Endpoint, b: Endpoint): string {
  const x = `${a.host}:${a.port}`;
  const y = `${b.host}:${b.port}`;
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

/**
 * The segments the ladder shows: captured segments replace the inferred ones of the same
 * connection, so no segment is shown twice.
 */
export function visibleSegments(s: ViewState): SegmentView[] {
  return s.segments.filter((g) => g.source === 'captured' || !own(s.capturedConns, g.conn));
}

/** The sockets an actor holds through its descriptors, in fd order. */
export function actorSockets(s: ViewState, actor: ActorId): { fd: number; socket: SocketView }[] {
  const a = own(s.actors, actor);
  if (!a) return [];
  return Object.entries(a.fds)
    .map(([fd, id]) => ({ fd: Number(fd), socket: own(s.sockets, id)! }))
    .filter((x) => x.socket !== undefined)
    .sort((x, y) => x.fd - y.fd);
}

/**
 * The actor a socket belongs to: the one that opened or accepted it, else, for a connection
 * still waiting in a listener's accept queue (no actor has accepted it yet), the listener's;
 * null for a socket of no actor.
 */
export function socketOwner(view: ViewState, s: SocketView): ActorId | null {
  if (s.actor !== null) return s.actor;
  const listener = s.listener === null ? undefined : own(view.sockets, s.listener);
  return listener?.actor ?? null;
}
