/**
 * Lesson progress: which steps of which lesson are done, kept in localStorage (in browser
 * mode that is the browser's; in Electron, localStorage persists too, in the app's userData
 * folder). The value is written whole each time (one setItem is atomic). A damaged value is
 * set aside under another key, with a message for the window, and progress starts afresh:
 * never a crash.
 */
import { z } from 'zod';

/** The localStorage key of the progress. */
export const PROGRESS_KEY = 'tcplab.lessons.progress';
/** Where a damaged value is set aside. */
export const DAMAGED_KEY = 'tcplab.lessons.progress.damaged';

const ProgressSchema = z
  .object({
    version: z.literal(1),
    /** Lesson id → indices of completed steps. */
    lessons: z.record(z.string(), z.array(z.number().int().min(0)).max(100)),
  })
  .strict();
/** Lesson id → the completed steps' indices. */
export type Progress = Record<string, number[]>;

/** What loading found: the progress, and a message if a damaged value was set aside. */
export interface LoadedProgress {
  progress: Progress;
  damaged: string | null;
}

/** A Storage-like object (localStorage, or a stand-in in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The window's localStorage, or null where it is disabled (privacy settings): nothing is then kept. */
export function storage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Read the saved progress; a damaged value is moved to DAMAGED_KEY and reported. */
export function loadProgress(store: KeyValueStorage | null = storage()): LoadedProgress {
  if (!store) return { progress: {}, damaged: null };
  let raw: string | null;
  try {
    raw = store.getItem(PROGRESS_KEY);
  } catch {
    return { progress: {}, damaged: null };
  }
  if (raw === null) return { progress: {}, damaged: null };
  let why: string;
  try {
    const r = ProgressSchema.safeParse(JSON.parse(raw));
    if (r.success) return { progress: r.data.lessons, damaged: null };
    why = r.error.issues[0]?.message ?? 'unexpected shape';
  } catch (e) {
    why = (e as Error).message;
  }
  try {
    store.setItem(DAMAGED_KEY, raw);
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, lessons: {} }));
  } catch {
    /* could not set it aside: still start afresh */
  }
  return {
    progress: {},
    damaged: `saved lesson progress was damaged (${why}); it was set aside under "${DAMAGED_KEY}" and progress starts afresh`,
  };
}

/** Save the whole progress. Returns false when storage refused it (full, disabled). */
export function saveProgress(progress: Progress, store: KeyValueStorage | null = storage()): boolean {
  if (!store) return false;
  try {
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, lessons: progress }));
    return true;
  } catch {
    return false;
  }
}
