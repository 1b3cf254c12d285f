/**
 * A view for panels that need not follow a flood frame by frame. A transfer logs hundreds of
 * events a frame and the actors' columns (the program, its last call, the variables, the
 * descriptors, each socket's card) would be drawn again at every one: that was most of what
 * a frame cost, and nobody reads a call that flips 60 times a second. So when the view moved
 * on by FLOOD_EVENTS or more since the columns last followed it, they follow again at most
 * every EVERY_MS, always ending on the latest view; a smaller step (a lesson's, a step of the
 * sandbox) and any move that is not live (the timeline, a replay) show at once.
 */
import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue';
import type { ViewState } from '@contract';

/** A step of the view of at least this many events is a flood. */
export const FLOOD_EVENTS = 64;
/** During a flood, the least time between two views shown, in ms. */
export const EVERY_MS = 250;

/**
 * The view shown of `source`: `live()` says whether it follows the lab (else every change
 * shows at once). `now` is the clock, in ms.
 */
export function usePacedView(
  source: () => ViewState,
  live: () => boolean,
  now: () => number = () => performance.now(),
): ShallowRef<ViewState> {
  const shown = shallowRef(source());
  let at = -Infinity;
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;
  const show = (v: ViewState): void => {
    if (timer) globalThis.clearTimeout(timer);
    timer = null;
    at = now();
    shown.value = v;
  };
  watch(source, (v) => {
    const flood = v.seq - shown.value.seq >= FLOOD_EVENTS;
    if (!live() || !flood || now() - at >= EVERY_MS) return show(v);
    timer ??= globalThis.setTimeout(() => show(source()), Math.max(0, at + EVERY_MS - now()));
  });
  onScopeDispose(() => {
    if (timer) globalThis.clearTimeout(timer);
  });
  return shown;
}
