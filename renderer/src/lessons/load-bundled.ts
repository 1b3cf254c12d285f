/**
 * The bundled lessons in the lesson store (stores/lessons.ts), loaded after the window's
 * first paint: their texts, their check and the checks of a teacher's files are a chunk of
 * their own (./bundled.ts), imported once the first frame is drawn (a hidden window, which
 * draws nothing, loads it at once). Until then the list says it is loading; a failed load
 * (the chunk could not be fetched) is said so, and `ready()` tries again.
 */
import { computed, ref, shallowRef } from 'vue';
import { afterFirstPaint } from '@/composables/afterFirstPaint';
import type { LessonEntry } from './catalog';
import type { TeacherChecks } from './teacher-files';

/** Where the bundled lessons stand: loading, in, or their chunk could not be loaded. */
export type CatalogStatus = 'loading' | 'ready' | 'failed';

/** The chunk's module: the bundled lessons, the checks of a teacher's files, the stored readers. */
export type BundledChunk = typeof import('./bundled');

/**
 * The bundled lessons, where they stand, and the checks that come with them. `onLoaded`
 * hears the chunk once it is in, before the list says it is ready (to read what is stored).
 */
export function useBundledLessons(onLoaded: (m: BundledChunk) => void = () => {}) {
  /** The bundled lesson files: loaded, or not with their errors (none until the chunk is in). */
  const bundled = shallowRef<LessonEntry[]>([]);
  /** Where the bundled lessons stand. */
  const catalog = ref<CatalogStatus>('loading');
  /** The chunk's module, once in. */
  const loaded = shallowRef<BundledChunk | null>(null);
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
          onLoaded(m);
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
  return { bundled, catalog, chunk: loaded as Readonly<typeof loaded>, checks, ready, setFiles };
}
