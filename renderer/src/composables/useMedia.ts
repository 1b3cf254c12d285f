/**
 * Whether a media query matches, kept up to date (the window's layout picks where the
 * Lessons go by its width). False where matchMedia is missing.
 */
import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue';

/** A ref that follows `query` (e.g. '(min-width: 1600px)'). */
export function useMedia(query: string): Ref<boolean> {
  const list = globalThis.matchMedia?.(query);
  const matches = ref(list?.matches ?? false);
  const onChange = (e: { matches: boolean }) => (matches.value = e.matches);
  list?.addEventListener?.('change', onChange);
  if (getCurrentScope()) onScopeDispose(() => list?.removeEventListener?.('change', onChange));
  return matches;
}
