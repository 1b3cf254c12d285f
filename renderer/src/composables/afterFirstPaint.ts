/**
 * Work that must not delay the window's first frame (a chunk of lessons, the validators):
 * run once that frame is drawn, at once where nothing is drawn (a hidden window).
 */
export function afterFirstPaint(fn: () => void): void {
  const raf = globalThis.requestAnimationFrame;
  if (typeof raf !== 'function' || globalThis.document?.visibilityState === 'hidden') {
    setTimeout(fn, 0);
    return;
  }
  // A frame's callback runs just before it is painted: the timer after that paint.
  raf(() => setTimeout(fn, 0));
}
