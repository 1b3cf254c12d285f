/**
 * Where a teacher's own files are kept: their texts in localStorage, written whole (one
 * setItem is atomic), read back at every start with a damaged value set aside, and the
 * limits on them. Read at start-up by the lesson store (./teacher-files.ts); the checks of
 * the files (./user-lessons.ts) load after the first paint with the bundled lessons they
 * need (./bundled.ts).
 */
import { z } from 'zod';
import { storage, type KeyValueStorage } from './progress';

/** The localStorage key of the loaded lessons' texts. */
export const USER_LESSONS_KEY = 'tcplab.lessons.user';
/** Where a damaged stored value is set aside. */
export const USER_LESSONS_DAMAGED_KEY = 'tcplab.lessons.user.damaged';
/** The largest lesson file accepted, in bytes or characters (the bundled ones are under 40 KB; localStorage holds about 5 MB). */
export const MAX_USER_LESSON_CHARS = 512 * 1024;
/** The most lessons a teacher can load at once. */
export const MAX_USER_LESSONS = 30;
/** The most C program files a teacher can load at once (besides the lessons). */
export const MAX_USER_PROGRAMS = 30;

/** A file the teacher loaded, a lesson (.json) or a program (.c): its name (no folders) and its whole text. */
export interface UserLessonFile {
  file: string;
  text: string;
}

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

/** Store the whole list of loaded files. Returns false when storage refused it (full, disabled). */
export function saveUserLessons(
  files: readonly UserLessonFile[],
  store: KeyValueStorage | null = storage(),
): boolean {
  if (!store) return false;
  try {
    store.setItem(USER_LESSONS_KEY, JSON.stringify({ version: 1, files }));
    return true;
  } catch {
    return false;
  }
}
