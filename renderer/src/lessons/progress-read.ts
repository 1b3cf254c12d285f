/**
 * Reading the saved lesson progress back (./progress.ts keeps the keys and writes it): its
 * schema, version 1 (the steps done only) and 2, and a damaged value set aside. Part of the
 * bundled lessons' chunk (./bundled.ts), loaded after the first paint with zod.
 */
import { z } from 'zod';
import {
  DAMAGED_KEY,
  PROGRESS_KEY,
  storage,
  type KeyValueStorage,
  type Progress,
  type StepRecords,
} from './progress';

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
/** What loading found: the progress, the steps' records, and a message if a damaged value was set aside. */
export interface LoadedProgress {
  progress: Progress;
  records: StepRecords;
  damaged: string | null;
}

const EMPTY = (): LoadedProgress => ({ progress: {}, records: {}, damaged: null });

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
