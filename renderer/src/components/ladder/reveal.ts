/**
 * Live, the ladder's new items appear one after another, at the replay's pace (`pace`: the
 * time between two items, stores/playback.ts's REVEAL_MS at 1×, and whether it is paused), so the
 * microsecond-long states of loopback can be followed; when more than MAX_BACKLOG wait, the
 * older ones appear at once (a bulk transfer). Paused, nothing new appears until it goes on.
 * Items are revealed in their order on the ladder, whatever order they arrived in (a
 * captured segment lands after state changes the lab saw earlier). Not animating (the past,
 * tests), everything shows at once.
 *
 * What was shown is a set of event numbers (an item's `seq`), never a string per row: a
 * fold is shown once it or any of its rows was (it grew out of rows already drawn), and the
 * rows of an expanded fold once the fold was. A transfer's fold holds thousands of rows, and
 * the set is read at every batch.
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { LadderItem } from './fold';

/** When more items than this wait, the older ones appear at once. */
export const MAX_BACKLOG = 8;
/** The shown set is pruned to the items on the ladder when it grows past this. */
const PRUNE_AT = 1024;

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

/** What an item is known by in the shown set: its event number; the one dropped row by its kind. */
type Mark = number | 'dropped';
const markOf = (i: LadderItem): Mark => (i.kind === 'dropped' ? 'dropped' : i.seq);

/** Which of `items` (in the ladder's order) count as shown, given the marks in `seen`. */
export function shownFlags(items: readonly LadderItem[], seen: ReadonlySet<Mark>): boolean[] {
  const out: boolean[] = new Array<boolean>(items.length);
  // The rows of an expanded fold follow its header: they are shown with it.
  let openRows = 0;
  let openShown = false;
  for (let n = 0; n < items.length; n++) {
    const i = items[n]!;
    let shown = seen.has(markOf(i));
    if (openRows > 0) {
      openRows--;
      shown ||= openShown;
    } else if (i.kind === 'fold-open') {
      openRows = i.fold.rows.length;
      openShown = shown;
    } else if (i.kind === 'fold' && !shown) {
      for (const r of i.rows)
        if (seen.has(r.seq)) {
          shown = true;
          break;
        }
    }
    out[n] = shown;
  }
  return out;
}

/** The marks of everything on the ladder: its items and the rows of its folds. */
function marksOn(items: readonly LadderItem[]): Set<Mark> {
  const keep = new Set<Mark>();
  for (const i of items) {
    keep.add(markOf(i));
    if (i.kind === 'fold') for (const r of i.rows) keep.add(r.seq);
  }
  return keep;
}

/** The items drawn so far, of `items` (in order), at `pace`. */
export function useReveal(
  items: Ref<readonly LadderItem[]>,
  animate: Ref<boolean>,
  pace: Ref<RevealPace>,
): Reveal {
  const all = ref(!animate.value);
  // Not reactive itself (a reactive Set tracks every lookup): `version` says it changed.
  let seen = new Set<Mark>(animate.value ? items.value.map(markOf) : []);
  const version = shallowRef(0);
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;

  const flags = computed(() => {
    void version.value;
    return shownFlags(items.value, seen);
  });
  const pending = () => items.value.filter((_, n) => !flags.value[n]);
  function reveal(list: readonly LadderItem[]): void {
    if (seen.size > PRUNE_AT) {
      // Keep only the marks of items still on the ladder (a transfer pushes thousands through).
      const keep = marksOn(items.value);
      seen = new Set([...seen].filter((k) => keep.has(k)));
    }
    for (const i of list) seen.add(markOf(i));
    version.value++;
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
  const shown = computed(() => (all.value ? [...items.value] : items.value.filter((_, n) => flags.value[n])));
  const waiting = computed(() => (all.value ? 0 : items.value.length - shown.value.length));
  return { shown, waiting };
}
