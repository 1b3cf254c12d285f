/**
 * A teacher's lesson next to the bundled ones: its id must not be a bundled lesson's (the
 * bundled lessons are the course; they are not replaced). One rule for the window (loading a
 * file) and `lessons:check` (a teacher's folder), so both accept exactly the same files.
 */
import { parseJsonWithLines, type LessonError } from './lesson-file';
import type { Lesson } from './lesson';

/** The line of a lesson file's "id" (1 where the text does not parse). */
export function idLine(text: string): number {
  try {
    return parseJsonWithLines(text).lines.get('id') ?? 1;
  } catch {
    return 1;
  }
}

/** A refusal when `lesson`'s id is one of the bundled lessons' (`bundled`: id and file), else null. */
export function bundledClash(
  file: string,
  text: string,
  lesson: Pick<Lesson, 'id'>,
  bundled: readonly { id: string; file: string }[],
): LessonError | null {
  const same = bundled.find((b) => b.id === lesson.id);
  if (!same) return null;
  return {
    file,
    line: idLine(text),
    message: `lesson id "${lesson.id}" is already used by the bundled lesson ${same.file}: give your lesson another "id"`,
  };
}
