/**
 * The one socket an actor's side shows in presentation mode: the newest socket that carries
 * (or carried) a connection, else its newest listener. A student watching a projector
 * follows the connection; the listener matters until there is one.
 */
import type { SocketView, ViewState } from '@contract';

/** Of `sockets` (an actor's, any order), the one to show; null when there is none. */
export function mainSocket(view: ViewState, sockets: readonly SocketView[]): SocketView | null {
  const age = (s: SocketView) => view.socketOrder.indexOf(s.id);
  const newest = (list: SocketView[]) =>
    list.reduce<SocketView | null>((best, s) => (best === null || age(s) > age(best) ? s : best), null);
  return newest(sockets.filter((s) => s.state !== 'LISTEN')) ?? newest([...sockets]);
}
