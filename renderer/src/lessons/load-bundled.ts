/**
 * The bundled lessons in the lesson store (stores/lessons.ts), loaded after the window's
 * first paint: their texts, their check and the checks of a teacher's files are a chunk of
 * their own (./bundled.ts), imported once the first frame is drawn (a hidden window, which
 * draws nothing, loads it at once). Until then the list says it is loading; a failed load
 * (the chunk could not be fetched) is said so, and `ready()` tries again.
 */
import { computed, ref, shallowRef } from 'vue';
import type { LessonEntry } from './catalog';
import type { TeacherChecks } from './teacher-files';

/** Where the bundled lessons stand: loading, in, or their chunk could not be loaded. */
export type CatalogStatus = 'loading' | 'ready' | 'failed';

/** Run `fn` once the window has drawn its first frame (at once where nothing is drawn). */
export function afterFirstPaint(fn: () => void): void {
  const raf = globalThis.requestAnimationFrame;
  if (typeof raf !== 'function' || globalThis.document?.visibilityState === 'hidden') {
    setTimeout(fn, 0);
    return;
  }
  // A frame's callback runs just before it is painted: the timer after that paint.
  raf(() => setTimeout(fn, 0));
}

/** The bundled lessons, where they stand, and the checks that come with them. */
export function useBundledLessons() {
  /** The bundled lesson files: loaded, or not with their errors (none until the chunk is in). */
  const bundled = shallowRef<LessonEntry[]>([]);
  /** Where the bundled lessons stand. */
  const catalog = ref<CatalogStatus>('loading');
  /** The chunk's module, once in. */
  const loaded = shallowRef<typeof import('./bundled') | null>(null);
  /** The checks of a teacher's files, once in. */
  const checks = computed<TeacherChecks | null>(() => loaded.value);
  let loading: Promise<boolean> | null = null;

  /** Load the bundled lessons (once; again after a failure). Resolves to whether they are in. */
  function ready(): Promise<boolean> {
    if (!loading) {
      catalog.value = 'loading';
      loading = import('./bundled').then(
        (m) => {
          bundled.value = m.bundledLessons();
          loaded.value = m;
          catalog.value = 'ready';
          return true;
        },
        (err: unknown) => {
          console.error('the bundled lessons could not be loaded:', err);
          catalog.value = 'failed';
          loading = null;
          return false;
        },
      );
    }
    return loading;
  }

  /** Replace the bundled lesson list (tests), once the parser is in. */
  async function setFiles(files: Record<string, string>): Promise<void> {
    if (!(await ready())) throw new Error('the bundled lessons could not be loaded');
    bundled.value = loaded.value!.parseLessonFiles(files);
  }

  afterFirstPaint(() => void ready());
  return { bundled, catalog, checks, ready, setFiles };
}
