/**
 * The view the state diagram draws, kept while what it shows is unchanged: each socket's
 * state, whether it is marked, its owner, and its last transition. Every batch of a transfer
 * makes a new view (queues and segments change); the diagram, which shows none of those,
 * is then not drawn again.
 */
import { computed, type ComputedRef } from 'vue';
import type { ViewState } from '@contract';
import { own } from '@contract/own';
import { socketOwner } from '@contract/selectors';

/** What the diagram shows of `view`, as one string. */
export function diagramKey(view: ViewState): string {
  let key = '';
  for (const id of view.socketOrder) {
    const s = own(view.sockets, id)!;
    const actor = socketOwner(view, s);
    const kind = actor ? own(view.actors, actor)?.kind : '';
    const tr = s.transitions[s.transitions.length - 1];
    const last = tr ? `${tr.seq}:${tr.from}:${tr.to}:${JSON.stringify(tr.cause)}` : '';
    key += `${id}:${s.state}:${s.released ? 1 : 0}:${s.kernel?.state ?? ''}:${actor ?? ''}:${kind ?? ''}:${last}|`;
  }
  return key;
}

/** `view`, or the last one returned while its diagramKey is the same. */
export function useDiagramView(view: () => ViewState): ComputedRef<ViewState> {
  let lastKey = '';
  return computed<ViewState>((prev) => {
    const v = view();
    const key = diagramKey(v);
    if (prev && key === lastKey) return prev;
    lastKey = key;
    return v;
  });
}
