/**
 * Lesson progress: which steps of which lesson are done, and per step the answer first chosen
 * to its question (and whether it was right), how long the step took and when it passed,
 * kept in localStorage (in browser mode that is the browser's; in Electron, localStorage
 * persists too, in the app's userData folder). The value is written whole each time (one
 * setItem is atomic). Version 1 (the steps done only) is still read. A damaged value is set
 * aside under another key, with a message for the window, and progress starts afresh: never
 * a crash.
 */
import { z } from 'zod';

/** The localStorage key of the progress. */
export const PROGRESS_KEY = 'tcplab.lessons.progress';
/** Where a damaged value is set aside. */
export const DAMAGED_KEY = 'tcplab.lessons.progress.damaged';

/** Lesson id → indices of completed steps. */
const DoneSchema = z.record(z.string(), z.array(z.number().int().min(0)).max(100));

/** What is kept of one step, each part once it happened. */
const StepRecordSchema = z
  .object({
    /** The index of the choice first chosen for the step's question (the prediction). */
    answer: z.number().int().min(0).optional(),
    /** Whether that choice was the right one. */
    correct: z.boolean().optional(),
    /** From the step's opening to its checkpoint holding, the first time (ms). */
    ms: z.number().min(0).optional(),
    /** When the checkpoint first held (ms since the epoch). */
    passedAt: z.number().min(0).optional(),
  })
  .strict();
/** What is kept of one step. */
export type StepRecord = z.infer<typeof StepRecordSchema>;

const ProgressSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal(1), lessons: DoneSchema }).strict(),
  z
    .object({
      version: z.literal(2),
      lessons: DoneSchema,
      /** Lesson id → step index → its record. */
      steps: z.record(z.string(), z.record(z.string().regex(/^[0-9]{1,3}$/), StepRecordSchema)),
    })
    .strict(),
]);
/** Lesson id → the completed steps' indices. */
export type Progress = Record<string, number[]>;
/** Lesson id → step index → what is kept of it. */
export type StepRecords = Record<string, Record<string, StepRecord>>;

/** What loading found: the progress, the steps' records, and a message if a damaged value was set aside. */
export interface LoadedProgress {
  progress: Progress;
  records: StepRecords;
  damaged: string | null;
}

const EMPTY = (): LoadedProgress => ({ progress: {}, records: {}, damaged: null });

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
  if (!store) return EMPTY();
  let raw: string | null;
  try {
    raw = store.getItem(PROGRESS_KEY);
  } catch {
    return EMPTY();
  }
  if (raw === null) return EMPTY();
  let why: string;
  try {
    const r = ProgressSchema.safeParse(JSON.parse(raw));
    if (r.success)
      return { progress: r.data.lessons, records: r.data.version === 2 ? r.data.steps : {}, damaged: null };
    why = r.error.issues[0]?.message ?? 'unexpected shape';
  } catch (e) {
    why = (e as Error).message;
  }
  try {
    store.setItem(DAMAGED_KEY, raw);
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 2, lessons: {}, steps: {} }));
  } catch {
    /* could not set it aside: still start afresh */
  }
  return {
    progress: {},
    records: {},
    damaged: `saved lesson progress was damaged (${why}); it was set aside under "${DAMAGED_KEY}" and progress starts afresh`,
  };
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
