/**
 * Which part of the ladder's drawing is in its scroll box. The box is reversed (flex
 * column-reverse: it keeps its bottom, the newest row, in view by CSS alone), so its
 * scrollTop is 0 at the bottom and negative above. Only the rows in the box and OVERSCAN
 * around it are drawn; they are found from the scroll position and the box's height alone,
 * never by measuring the rows. The box's width is measured too: the drawing takes it
 * (geometry.ts), so the ladder grows with the space the window gives it.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { BOX_H, BOX_W, OVERSCAN } from './geometry';

export interface Viewport {
  /** The scroll box (bind with ref="…"). */
  box: Ref<HTMLElement | null>;
  /** The band of the drawing to draw: [y0, y1]. */
  band: Ref<[number, number]>;
  /** The box's inner width (without its scroll bar), in px. */
  width: Ref<number>;
  /** Call on the box's scroll events. */
  onScroll(): void;
  /** Scroll up by `dy` px (down when negative), as after rows grew below what is in view. */
  scrollBy(dy: number): void;
}

/** The viewport of a drawing `height` px high. */
export function useViewport(height: Ref<number>): Viewport {
  const box = ref<HTMLElement | null>(null);
  const scrollTop = ref(0);
  const boxH = ref(BOX_H);
  const boxW = ref(BOX_W);
  let resize: ResizeObserver | null = null;
  const measure = () => {
    const h = box.value?.clientHeight ?? 0;
    const w = box.value?.clientWidth ?? 0;
    if (h > 0) boxH.value = h;
    if (w > 0) boxW.value = w;
  };
  // The box comes and goes with the ladder (none while there are no segments): each one is
  // measured, and watched for as long as it is there.
  watch(
    box,
    (el) => {
      resize?.disconnect();
      resize = null;
      if (!el) return;
      measure();
      if (typeof globalThis.ResizeObserver === 'function') {
        resize = new globalThis.ResizeObserver(measure);
        resize.observe(el);
      }
    },
    { flush: 'post' },
  );
  onBeforeUnmount(() => resize?.disconnect());

  const band = computed<[number, number]>(() => {
    const H = height.value;
    if (H <= boxH.value) return [0, H];
    const top = H - boxH.value + Math.min(0, scrollTop.value);
    return [Math.max(0, top - OVERSCAN), Math.min(H, top + boxH.value + OVERSCAN)];
  });
  const onScroll = () => {
    scrollTop.value = box.value?.scrollTop ?? 0;
  };
  const scrollBy = (dy: number) => {
    const el = box.value;
    if (!el) return;
    el.scrollTop -= dy;
    onScroll();
  };
  return { box, band, width: boxW, onScroll, scrollBy };
}
