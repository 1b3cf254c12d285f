/**
 * What every part of the Lessons sidebar uses: the stores, the window's language, the
 * sidebar's words in it (./strings.ts), a lesson text in it, and the way to the Sandbox.
 */
import { computed } from 'vue';
import type { LessonText } from '@contract/lesson';
import { textIn } from '@contract/lesson-text';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { ls, type LessonStringKey } from '@/lessons/strings';
import { useLessonStore } from '@/stores/lessons';

/** The sidebar's stores, words and shared actions. */
export function useSidebar() {
  const ui = useUiStore();
  const lab = useLabStore();
  const lessons = useLessonStore();
  const lang = computed(() => ui.lang);
  /** The sidebar's word for `key` in the window's language. */
  const s = (key: LessonStringKey, params?: Record<string, string | number>) => ls(lang.value, key, params);
  /** A lesson's text in the window's language. */
  const tr = (t: LessonText) => textIn(t, lang.value);
  /** Leave the lesson (if any) and open the Sandbox. */
  function openSandbox(): void {
    lessons.leave();
    ui.toggle('sandbox', true);
  }
  return { ui, lab, lessons, lang, s, tr, openSandbox };
}
