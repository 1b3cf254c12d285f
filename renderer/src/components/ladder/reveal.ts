/**
 * Live, the ladder's new items appear one after another (STEP_MS apart), so the
 * microsecond-long states of loopback can be followed; when more than MAX_BACKLOG wait, the
 * older ones appear at once (a bulk transfer). Items are revealed in their order on the
 * ladder, whatever order they arrived in (a captured segment lands after state changes the
 * lab saw earlier). Not animating (the past, tests), everything shows at once.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { itemKey, type LadderItem } from './fold';

/** Time between two items appearing, in ms. */
export const STEP_MS = 400;
/** When more items than this wait, the older ones appear at once. */
export const MAX_BACKLOG = 8;

/** A fold is shown once any of its segments was (it grew out of rows already drawn). */
function keysOf(i: LadderItem): string[] {
  if (i.kind === 'fold') return [itemKey(i), ...i.rows.map((r) => `${r.kind}:${r.seq}`)];
  return [itemKey(i)];
}

/** The items drawn so far, of `items` (in order). */
export function useReveal(items: Ref<readonly LadderItem[]>, animate: Ref<boolean>): Ref<LadderItem[]> {
  const all = ref(!animate.value);
  const shown = ref(new Set<string>(animate.value ? items.value.flatMap(keysOf) : []));
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;

  const isShown = (i: LadderItem) => keysOf(i).some((k) => shown.value.has(k));
  const pending = () => items.value.filter((i) => !isShown(i));
  function reveal(list: readonly LadderItem[]): void {
    // Keep only the keys of items still on the ladder (a transfer pushes thousands through).
    const keep = new Set(items.value.flatMap(keysOf));
    const next = new Set([...shown.value].filter((k) => keep.has(k)));
    for (const i of list) for (const k of keysOf(i)) next.add(k);
    shown.value = next;
  }
  function tick(): void {
    if (timer) return;
    const waiting = pending();
    if (waiting.length === 0) return;
    if (waiting.length > MAX_BACKLOG) reveal(waiting.slice(0, waiting.length - MAX_BACKLOG));
    timer = globalThis.setTimeout(() => {
      timer = null;
      const next = pending()[0];
      if (next) reveal([next]);
      tick();
    }, STEP_MS);
  }
  /** Changes whenever an item is added anywhere. */
  const itemsKey = () => {
    const list = items.value;
    return `${list.length}:${list.reduce((m, i) => Math.max(m, i.seq), 0)}`;
  };
  watch([itemsKey, animate], ([, on]) => {
    if (!on) {
      if (timer) globalThis.clearTimeout(timer);
      timer = null;
      all.value = true;
      return;
    }
    if (all.value) {
      all.value = false;
      reveal(items.value);
    }
    tick();
  });
  onBeforeUnmount(() => {
    if (timer) globalThis.clearTimeout(timer);
  });
  return computed(() => (all.value ? [...items.value] : items.value.filter(isShown)));
}
