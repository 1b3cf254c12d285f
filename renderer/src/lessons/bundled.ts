/**
 * What the window loads after its first paint, as one chunk of its own (the lesson store
 * imports this module dynamically, stores/lessons.ts): the bundled lessons, parsed and checked
 * (./catalog.ts), with the C programs they name, and the checks of a teacher's own files
 * (./user-lessons.ts), which look programs up among the bundled ones, and the readers of what
 * localStorage keeps (progress, the teacher's files), which need zod. Their texts are about
 * 40 KB of gzip and their check about 100 ms of a loaded machine: neither is needed to draw
 * the lab.
 */
import { bundledLessonFiles, bundledProgramFiles, parseLessonFiles, type LessonEntry } from './catalog';

export { addUserLesson, addUserProgram, userLessonEntries } from './user-lessons';
export { loadProgress } from './progress-read';
export { loadUserLessons } from './user-storage-read';
export { parseLessonFiles } from './catalog';
// The lesson machinery: a checkpoint judged, a step or a lesson replayed on the lab.
export { evaluate, measures } from '@contract/checkpoint-eval';
export { replayAction, replayTo } from '@contract/lesson-replay';

/** The bundled lessons as the list shows them: loaded, or not with their errors. */
export function bundledLessons(): LessonEntry[] {
  return parseLessonFiles(bundledLessonFiles(), bundledProgramFiles());
}
