/**
 * Reading a teacher's stored files back (./user-storage.ts keeps the keys and limits and
 * writes them): their schema, and a damaged value set aside. Part of the bundled lessons'
 * chunk (./bundled.ts), loaded after the first paint with zod.
 */
import { z } from 'zod';
import { storage, type KeyValueStorage } from './progress';
import {
  MAX_USER_LESSON_CHARS,
  MAX_USER_LESSONS,
  MAX_USER_PROGRAMS,
  USER_LESSONS_DAMAGED_KEY,
  USER_LESSONS_KEY,
  type UserLessonFile,
} from './user-storage';

const StoredSchema = z
  .object({
    version: z.literal(1),
    files: z
      .array(
        z.object({ file: z.string().min(1).max(255), text: z.string().max(MAX_USER_LESSON_CHARS) }).strict(),
      )
      .max(MAX_USER_LESSONS + MAX_USER_PROGRAMS),
  })
  .strict();

/** What loading found: the stored files, and a message if a damaged value was set aside. */
export interface LoadedUserLessons {
  files: UserLessonFile[];
  damaged: string | null;
}

/** Read the stored lesson files; a damaged value is moved to USER_LESSONS_DAMAGED_KEY and reported. */
export function loadUserLessons(store: KeyValueStorage | null = storage()): LoadedUserLessons {
  if (!store) return { files: [], damaged: null };
  let raw: string | null;
  try {
    raw = store.getItem(USER_LESSONS_KEY);
  } catch {
    return { files: [], damaged: null };
  }
  if (raw === null) return { files: [], damaged: null };
  let why: string;
  try {
    const r = StoredSchema.safeParse(JSON.parse(raw));
    if (r.success) return { files: r.data.files, damaged: null };
    why = r.error.issues[0]?.message ?? 'unexpected shape';
  } catch (e) {
    why = (e as Error).message;
  }
  try {
    store.setItem(USER_LESSONS_DAMAGED_KEY, raw);
    store.setItem(USER_LESSONS_KEY, JSON.stringify({ version: 1, files: [] }));
  } catch {
    /* could not set it aside: still start without them */
  }
  return {
    files: [],
    damaged: `the stored lessons you loaded were damaged (${why}); they were set aside under "${USER_LESSONS_DAMAGED_KEY}"`,
  };
}
