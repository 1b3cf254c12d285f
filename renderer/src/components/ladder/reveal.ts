/**
 * Live, the ladder's new items appear one after another, at the replay's pace (`pace`: the
 * time between two items, stores/playback.ts's REVEAL_MS at 1×, and whether it is paused), so the
 * microsecond-long states of loopback can be followed; when more than MAX_BACKLOG wait, the
 * older ones appear at once (a bulk transfer). Paused, nothing new appears until it goes on.
 * Items are revealed in their order on the ladder, whatever order they arrived in (a
 * captured segment lands after state changes the lab saw earlier). Not animating (the past,
 * tests), everything shows at once.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { itemKey, type LadderItem } from './fold';

/** When more items than this wait, the older ones appear at once. */
export const MAX_BACKLOG = 8;

/** How fast the items appear: ms between two, and whether they wait (paused). */
export interface RevealPace {
  stepMs: number;
  held: boolean;
}

/** What the ladder draws of its items, and how many wait to appear. */
export interface Reveal {
  shown: Ref<LadderItem[]>;
  waiting: Ref<number>;
}

/** A fold is shown once any of its segments was (it grew out of rows already drawn). */
function keysOf(i: LadderItem): string[] {
  if (i.kind === 'fold') return [itemKey(i), ...i.rows.map((r) => `${r.kind}:${r.seq}`)];
  return [itemKey(i)];
}

/** The items drawn so far, of `items` (in order), at `pace`. */
export function useReveal(
  items: Ref<readonly LadderItem[]>,
  animate: Ref<boolean>,
  pace: Ref<RevealPace>,
): Reveal {
  const all = ref(!animate.value);
  const seen = ref(new Set<string>(animate.value ? items.value.flatMap(keysOf) : []));
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;

  const isShown = (i: LadderItem) => keysOf(i).some((k) => seen.value.has(k));
  const pending = () => items.value.filter((i) => !isShown(i));
  function reveal(list: readonly LadderItem[]): void {
    // Keep only the keys of items still on the ladder (a transfer pushes thousands through).
    const keep = new Set(items.value.flatMap(keysOf));
    const next = new Set([...seen.value].filter((k) => keep.has(k)));
    for (const i of list) for (const k of keysOf(i)) next.add(k);
    seen.value = next;
  }
  function stop(): void {
    if (timer) globalThis.clearTimeout(timer);
    timer = null;
  }
  function tick(): void {
    if (timer || pace.value.held) return;
    const waiting = pending();
    if (waiting.length === 0) return;
    if (waiting.length > MAX_BACKLOG) reveal(waiting.slice(0, waiting.length - MAX_BACKLOG));
    timer = globalThis.setTimeout(() => {
      timer = null;
      const next = pending()[0];
      if (next) reveal([next]);
      tick();
    }, pace.value.stepMs);
  }
  /** Changes whenever an item is added anywhere. */
  const itemsKey = () => {
    const list = items.value;
    return `${list.length}:${list.reduce((m, i) => Math.max(m, i.seq), 0)}`;
  };
  watch([itemsKey, animate], ([, on]) => {
    if (!on) {
      stop();
      all.value = true;
      return;
    }
    if (all.value) {
      all.value = false;
      reveal(items.value);
    }
    tick();
  });
  // A new speed applies from the next item (the wait under way starts again at it); paused,
  // the wait under way is dropped, and going on waits one whole step.
  watch(
    () => [pace.value.stepMs, pace.value.held] as const,
    () => {
      stop();
      if (animate.value && !all.value) tick();
    },
  );
  onBeforeUnmount(stop);
  const shown = computed(() => (all.value ? [...items.value] : items.value.filter(isShown)));
  const waiting = computed(() => (all.value ? 0 : items.value.length - shown.value.length));
  return { shown, waiting };
}
