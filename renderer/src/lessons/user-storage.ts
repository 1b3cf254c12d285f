/**
 * Where a teacher's own files are kept: their texts in localStorage, written whole (one
 * setItem is atomic), read back at every start with a damaged value set aside, and the
 * limits on them. Read back (./user-storage-read.ts, with zod) and checked (./user-lessons.ts)
 * once the bundled lessons' chunk is in, after the first paint (./bundled.ts).
 */
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
