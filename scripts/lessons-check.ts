/**
 * `npm run lessons:check [folder…]`: validate every lesson file (default: resources/lessons)
 * — JSON, schema, both languages in every text, checkpoints and actions that refer to
 * actors, descriptors and programs that exist — and exit non-zero with file:line messages.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLessonError, loadLessons } from '../app/core/lessons/load';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dirs = process.argv.slice(2);
if (dirs.length === 0) dirs.push(resolve(root, 'resources/lessons'));

let failed = 0;
for (const dir of dirs) {
  let result: Awaited<ReturnType<typeof loadLessons>>;
  try {
    result = await loadLessons(dir);
  } catch (err) {
    // Never a stack trace: say which folder and what went wrong, and go on with the next.
    console.error(`${dir}: could not check the lessons: ${err instanceof Error ? err.message : String(err)}`);
    failed++;
    continue;
  }
  const { lessons, errors } = result;
  for (const l of lessons) console.log(`ok   ${l.file}  (${l.lesson.id}: ${l.lesson.steps.length} steps)`);
  for (const e of errors) console.error(formatLessonError(e));
  if (lessons.length === 0 && errors.length === 0) {
    console.error(`${dir}: no lesson files (*.json)`);
    failed++;
  }
  failed += errors.length;
}
if (failed) {
  console.error(`lessons:check: ${failed} problem(s)`);
  process.exit(1);
}
console.log('lessons:check: all lessons valid');
