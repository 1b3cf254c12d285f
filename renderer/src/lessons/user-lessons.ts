/**
 * A teacher's own lessons, loaded at run time in the window (a file picker or a drop on the
 * lesson list), so that a packaged app or a classroom browser needs no rebuild. It works the
 * same in browser mode and in Electron: the window reads the file, nothing crosses the IPC.
 *
 * A teacher's files are lessons (`.json`) and the C programs they name (`.c`, added with
 * addUserProgram). A lesson names a program by file: it is looked up among the teacher's
 * `.c` files, then the bundled ones (resources/programs); a teacher's file of a bundled
 * name is used by the teacher's lessons only. A program must be loaded before the lesson
 * that names it (a lesson naming a file that is not there is refused, listing the known
 * ones); a lesson whose program file is removed later is listed as "could not be loaded".
 *
 * Each file's text goes through parseLessonFile (app/contract/lesson-file.ts), the very
 * check `npm run lessons:check` runs; the only extra rules are the ones a folder check makes
 * across files: an id must not be used twice. A lesson whose id is a bundled lesson's is
 * refused (the bundled lessons are the course: they are not replaced from the window); a
 * lesson whose id or file name is one of the teacher's own replaces it (loading an edited
 * copy again).
 *
 * The texts are kept in localStorage (./user-storage.ts), written whole (one setItem is
 * atomic), and checked again at every start, once the bundled lessons are in (./bundled.ts):
 * a stored text that no longer passes (a newer app, a new bundled lesson with its id) is
 * listed as "could not be loaded" and can be removed. A damaged stored value is set aside
 * under another key with a message: never a crash.
 */
import { bundledClash, idLine } from '@contract/lesson-clash';
import { parseLessonFile, type LessonError, type ProgramFiles } from '@contract/lesson-file';
import { PROGRAM_FILE_RE, type Lesson } from '@contract/lesson';
import { MAX_PROGRAM_CHARS } from '@contract/program';
import { bundledProgramFiles, type LessonEntry } from './catalog';
import {
  MAX_USER_LESSON_CHARS,
  MAX_USER_LESSONS,
  MAX_USER_PROGRAMS,
  type UserLessonFile,
} from './user-storage';

export { loadUserLessons, type LoadedUserLessons } from './user-storage-read';
export {
  MAX_USER_LESSON_CHARS,
  MAX_USER_LESSONS,
  MAX_USER_PROGRAMS,
  saveUserLessons,
  USER_LESSONS_DAMAGED_KEY,
  USER_LESSONS_KEY,
  type UserLessonFile,
} from './user-storage';

/** A program file (.c), not a lesson. */
const isProgram = (f: UserLessonFile) => f.file.toLowerCase().endsWith('.c');

/** The programs the teacher's lessons see: the bundled ones, with the teacher's .c files over them. */
export function userProgramFiles(
  files: readonly UserLessonFile[],
  bundledPrograms: ProgramFiles = bundledProgramFiles(),
): Record<string, string> {
  const out: Record<string, string> = { ...bundledPrograms };
  for (const f of files) if (isProgram(f)) out[f.file] = f.text;
  return out;
}

/** The file's name without folders (a drop may bring a path-like name). */
const baseName = (file: string, fallback: string) =>
  file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || fallback;

/** The bundled lessons' ids and files, for the clash rule. */
const bundledIds = (bundled: readonly LessonEntry[]) =>
  bundled.flatMap((e) => (e.lesson ? [{ id: e.lesson.id, file: e.file }] : []));

/** The loaded files as list entries, marked `user`, each checked again (a stored one may no longer pass). */
export function userLessonEntries(
  files: readonly UserLessonFile[],
  bundled: readonly LessonEntry[],
  bundledPrograms: ProgramFiles = bundledProgramFiles(),
): LessonEntry[] {
  const ids = new Set<string>();
  const programs = userProgramFiles(files, bundledPrograms);
  return files
    .filter((f) => !isProgram(f))
    .map((f): LessonEntry => {
      const r = parseLessonFile(f.file, f.text, programs);
      if (!r.ok) return { file: f.file, errors: r.errors, user: true };
      const clash = bundledClash(f.file, f.text, r.lesson, bundledIds(bundled));
      if (clash) return { file: f.file, errors: [clash], user: true };
      if (ids.has(r.lesson.id))
        return {
          file: f.file,
          errors: [
            { file: f.file, line: idLine(f.text), message: `lesson id "${r.lesson.id}" is used twice` },
          ],
          user: true,
        };
      ids.add(r.lesson.id);
      return { file: f.file, lesson: r.lesson, user: true };
    });
}

/** The result of loading one more file: the new list, or why the file was refused. */
export type AddUserLessonResult =
  | { ok: true; files: UserLessonFile[]; lesson: Lesson; replaced: UserLessonFile | null }
  | { ok: false; file: string; errors: LessonError[] };

/**
 * Check a file the teacher picked and add it to `files`: the lesson check, then no clash with
 * a bundled id; a loaded lesson with the same id or file name is replaced. `files` is not changed.
 * `size` is the file's size in bytes when known: a file too large is refused without reading it.
 */
export function addUserLesson(
  files: readonly UserLessonFile[],
  bundled: readonly LessonEntry[],
  file: string,
  text: string,
  size = text.length,
  bundledPrograms: ProgramFiles = bundledProgramFiles(),
): AddUserLessonResult {
  // A drop may bring a path-like name or any file at all.
  const name = baseName(file, 'lesson.json');
  const refuse = (message: string, line = 1): AddUserLessonResult => ({
    ok: false,
    file: name,
    errors: [{ file: name, line, message }],
  });
  if (!name.toLowerCase().endsWith('.json')) return refuse('a lesson is a .json file');
  if (Math.max(size, text.length) > MAX_USER_LESSON_CHARS)
    return refuse(`the file is larger than ${MAX_USER_LESSON_CHARS / 1024} KB`);
  const programs = userProgramFiles(files, bundledPrograms);
  const r = parseLessonFile(name, text, programs);
  if (!r.ok) return { ok: false, file: name, errors: r.errors };
  const clash = bundledClash(name, text, r.lesson, bundledIds(bundled));
  if (clash) return { ok: false, file: name, errors: [clash] };
  const idOf = (f: UserLessonFile) => {
    if (isProgram(f)) return null;
    const p = parseLessonFile(f.file, f.text, programs);
    return p.ok ? p.lesson.id : null;
  };
  const replaced = files.find((f) => !isProgram(f) && (f.file === name || idOf(f) === r.lesson.id)) ?? null;
  const rest = files.filter((f) => f !== replaced);
  if (!replaced && rest.filter((f) => !isProgram(f)).length >= MAX_USER_LESSONS)
    return refuse(`at most ${MAX_USER_LESSONS} lessons can be loaded: remove one first`);
  // The replacement takes the old one's place in the list.
  const at = replaced ? files.indexOf(replaced) : files.length;
  const next = [...rest.slice(0, at), { file: name, text }, ...rest.slice(at)];
  return { ok: true, files: next, lesson: r.lesson, replaced };
}

/** The result of loading one C program file: the new list, or why the file was refused. */
export type AddUserProgramResult =
  | { ok: true; files: UserLessonFile[]; file: string; replaced: UserLessonFile | null }
  | { ok: false; file: string; errors: LessonError[] };

/**
 * Add a C program file the teacher picked (`.c`), for the teacher's lessons to name; one of
 * the same name replaces it. Its C is checked when a lesson that names it is run (the lab
 * parses it), not here. `files` is not changed; `size` in bytes, when known.
 */
export function addUserProgram(
  files: readonly UserLessonFile[],
  file: string,
  text: string,
  size = text.length,
): AddUserProgramResult {
  const name = baseName(file, 'program.c');
  const refuse = (message: string): AddUserProgramResult => ({
    ok: false,
    file: name,
    errors: [{ file: name, line: 1, message }],
  });
  if (!PROGRAM_FILE_RE.test(name))
    return refuse('a program file is named with letters, digits, "_" and "-", then ".c" (like my-server.c)');
  if (Math.max(size, text.length) > MAX_PROGRAM_CHARS)
    return refuse(`the file is larger than ${MAX_PROGRAM_CHARS / 1000} KB`);
  if (text.trim() === '') return refuse('the file is empty');
  const replaced = files.find((f) => f.file === name) ?? null;
  if (!replaced && files.filter(isProgram).length >= MAX_USER_PROGRAMS)
    return refuse(`at most ${MAX_USER_PROGRAMS} programs can be loaded: remove one first`);
  const next = replaced
    ? files.map((f) => (f === replaced ? { file: name, text } : f))
    : [...files, { file: name, text }];
  return { ok: true, files: next, file: name, replaced };
}
