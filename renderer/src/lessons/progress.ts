/**
 * Lesson progress: which steps of which lesson are done, and per step the answer first chosen
 * to its question (and whether it was right), how long the step took and when it passed,
 * kept in localStorage (in browser mode that is the browser's; in Electron, localStorage
 * persists too, in the app's userData folder). The value is written whole each time (one
 * setItem is atomic). Version 1 (the steps done only) is still read. A damaged value is set
 * aside under another key, with a message for the window, and progress starts afresh: never
 * a crash. Reading it back needs zod, which the window loads after its first paint: that is
 * ./progress-read.ts, in the bundled lessons' chunk (./bundled.ts); this module has no zod.
 */
import type { StepRecord } from './progress-read';

export type { StepRecord } from './progress-read';

/** The localStorage key of the progress. */
export const PROGRESS_KEY = 'tcplab.lessons.progress';
/** Where a damaged value is set aside. */
export const DAMAGED_KEY = 'tcplab.lessons.progress.damaged';

/** Lesson id → the completed steps' indices. */
export type Progress = Record<string, number[]>;
/** Lesson id → step index → what is kept of it. */
export type StepRecords = Record<string, Record<string, StepRecord>>;

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

/** Save the whole progress and the steps' records. Returns false when storage refused it (full, disabled). */
export function saveProgress(
  progress: Progress,
  records: StepRecords,
  store: KeyValueStorage | null = storage(),
): boolean {
  if (!store) return false;
  try {
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 2, lessons: progress, steps: records }));
    return true;
  } catch {
    return false;
  }
}
