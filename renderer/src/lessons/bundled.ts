/**
 * What the window loads after its first paint, as one chunk of its own (the lesson store
 * imports this module dynamically, stores/lessons.ts): the bundled lessons, parsed and checked
 * (./catalog.ts), with the C programs they name, and the checks of a teacher's own files
 * (./user-lessons.ts), which look programs up among the bundled ones. Their texts are about
 * 40 KB of gzip and their check about 100 ms of a loaded machine: neither is needed to draw
 * the lab.
 */
import { bundledLessonFiles, bundledProgramFiles, parseLessonFiles, type LessonEntry } from './catalog';

export { addUserLesson, addUserProgram, userLessonEntries } from './user-lessons';
export { parseLessonFiles } from './catalog';

/** The bundled lessons as the list shows them: loaded, or not with their errors. */
export function bundledLessons(): LessonEntry[] {
  return parseLessonFiles(bundledLessonFiles(), bundledProgramFiles());
}
