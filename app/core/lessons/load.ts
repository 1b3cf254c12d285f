/**
 * Loading lesson files from a folder (resources/lessons, or a teacher's own folder).
 * Every `*.json` file is read on its own: a malformed one yields errors naming the file and
 * the line, and the others still load.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLessonFile, type LessonError } from '../../contract/lesson-file';
import type { Lesson } from '../../contract/lesson';

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

/**
 * Load every `*.json` lesson in `dir` (not recursive), sorted by file name (so NN-slug.json
 * gives the order). Errors carry the file's path as given (dir joined with the name).
 * Two lessons with the same id: the second is refused, naming the first.
 * A folder that cannot be read gives one error for the folder itself.
 */
export async function loadLessons(dir: string): Promise<LessonFolder> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    return {
      lessons: [],
      errors: [{ file: dir, line: 0, message: `cannot read the lesson folder: ${(e as Error).message}` }],
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
    const r = parseLessonFile(file, text);
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
