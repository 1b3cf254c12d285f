/**
 * The window's validators (./validators.ts, a chunk of their own), loaded once: after the
 * first paint, or at the first check that needs them. A failed load (the chunk could not be
 * fetched) rejects that check and is tried again at the next.
 */
import { afterFirstPaint } from '@/composables/afterFirstPaint';

export type Validators = typeof import('./validators');

let loading: Promise<Validators> | null = null;

/** The validators, loaded on first use (the same promise after: checks keep their order). */
export function validators(): Promise<Validators> {
  if (!loading) {
    loading = import('./validators');
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Start loading them once the first frame is drawn, so that no check waits for them. */
export function preloadValidators(): void {
  afterFirstPaint(() => void validators().catch(() => {}));
}
