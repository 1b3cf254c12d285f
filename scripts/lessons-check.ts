/**
 * `npm run lessons:check [folder…]`: validate every lesson file (default: resources/lessons)
 * — JSON, schema, both languages in every text, the C program files each lesson names
 * (resources/programs, or the folder's own *.c), checkpoints and actions that refer to
 * actors, descriptors and programs that exist — and exit non-zero with file:line messages.
 * It also checks the shipped programs folder: every *.c there has a name a lesson can write,
 * and the engine's defaults (echo-server.c, echo-client.c) are there.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROGRAM_FILES, PROGRAM_FILE_RE } from '../app/contract/lesson';
import { BUNDLED_PROGRAMS_DIR, formatLessonError, loadLessons } from '../app/core/lessons/load';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dirs = process.argv.slice(2);
if (dirs.length === 0) dirs.push(resolve(root, 'resources/lessons'));

let failed = 0;

/** The shipped programs: names a lesson can write, the defaults present. */
async function checkShippedPrograms(): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(BUNDLED_PROGRAMS_DIR)).filter((n) => n.endsWith('.c'));
  } catch (err) {
    console.error(`${BUNDLED_PROGRAMS_DIR}: cannot read the programs: ${(err as Error).message}`);
    failed++;
    return;
  }
  for (const n of names.filter((n) => !PROGRAM_FILE_RE.test(n))) {
    console.error(`${join(BUNDLED_PROGRAMS_DIR, n)}:0: a program file is named [A-Za-z0-9_-]{1,60}.c`);
    failed++;
  }
  for (const d of Object.values(DEFAULT_PROGRAM_FILES)) {
    if (!names.includes(d)) {
      console.error(`${BUNDLED_PROGRAMS_DIR}:0: the default program ${d} is missing`);
      failed++;
    }
  }
  if (failed === 0) console.log(`ok   ${BUNDLED_PROGRAMS_DIR}  (${names.length} programs)`);
}

await checkShippedPrograms();
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
