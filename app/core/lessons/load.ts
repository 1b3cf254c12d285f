/**
 * Loading lesson files from a folder (resources/lessons, or a teacher's own folder), with the
 * C programs they name. Every `*.json` file is read on its own: a malformed one yields errors
 * naming the file and the line, and the others still load.
 *
 * Programs: a lesson names C files (`"server": "echo-server.c"`). They are looked up among
 * the shipped programs (resources/programs) and the lesson folder's own `*.c` files; a file
 * of the folder replaces a shipped one of the same name, for that folder's lessons.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLessonFile, type LessonError } from '../../contract/lesson-file';
import { PROGRAM_FILE_RE, type Lesson } from '../../contract/lesson';
import { DEFAULT_PROGRAMS_DIR } from '../programs';

/**
 * The shipped programs in this checkout (resources/programs). A packaged app, whose
 * resources are elsewhere, gives its own folder (`programsDir`).
 */
export const BUNDLED_PROGRAMS_DIR = DEFAULT_PROGRAMS_DIR;

/** A lesson that loaded, with the file it came from. */
export interface LoadedLesson {
  file: string;
  lesson: Lesson;
}

/** Every lesson of a folder: those that loaded, in file-name order, and the errors of the others. */
export interface LessonFolder {
  lessons: LoadedLesson[];
  errors: LessonError[];
}

/** Where loadLessons finds the shipped programs. */
export interface LoadLessonsOptions {
  /** The folder of the shipped programs (default: BUNDLED_PROGRAMS_DIR). */
  programsDir?: string;
}

/**
 * The C programs of a folder: every `*.c` file whose name a lesson can write
 * (`[A-Za-z0-9_-]{1,60}.c`), by file name → its text, in name order. Rejects when the folder
 * cannot be read. The engine uses it for its defaults (`echo-server.c`, `echo-client.c`).
 */
export async function programFileMap(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).filter((n) => PROGRAM_FILE_RE.test(n)).sort();
  const out: Record<string, string> = {};
  for (const name of names) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

/**
 * Load every `*.json` lesson in `dir` (not recursive), sorted by file name (so NN-slug.json
 * gives the order), with the programs they name: the shipped ones and `dir`'s own `*.c`.
 * Errors carry the file's path as given (dir joined with the name). Two lessons with the
 * same id: the second is refused, naming the first. A folder that cannot be read gives one
 * error for the folder itself.
 */
export async function loadLessons(dir: string, options: LoadLessonsOptions = {}): Promise<LessonFolder> {
  const programsDir = options.programsDir ?? BUNDLED_PROGRAMS_DIR;
  let names: string[];
  let programs: Record<string, string>;
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    return {
      lessons: [],
      errors: [{ file: dir, line: 0, message: `cannot read the lesson folder: ${(e as Error).message}` }],
    };
  }
  try {
    const shipped = await programFileMap(programsDir);
    programs = { ...shipped, ...(await programFileMap(dir)) };
  } catch (e) {
    return {
      lessons: [],
      errors: [{ file: programsDir, line: 0, message: `cannot read the programs: ${(e as Error).message}` }],
    };
  }
  const lessons: LoadedLesson[] = [];
  const errors: LessonError[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      errors.push({ file, line: 0, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const r = parseLessonFile(file, text, programs);
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    const seen = ids.get(r.lesson.id);
    if (seen !== undefined) {
      errors.push({ file, line: 1, message: `lesson id "${r.lesson.id}" is already used by ${seen}` });
      continue;
    }
    ids.set(r.lesson.id, file);
    lessons.push({ file, lesson: r.lesson });
  }
  return { lessons, errors };
}

/** An error as an editor and a terminal understand it: "file:line: message". */
export function formatLessonError(e: LessonError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}
