/**
 * `npm run lessons:check [folder…]`: validate every lesson file (default: resources/lessons)
 * — JSON, schema, both languages in every text, the C program files each lesson names
 * (resources/programs, or the folder's own *.c), checkpoints and actions that refer to
 * actors, descriptors and programs that exist — and exit non-zero with file:line messages.
 * Every program a lesson names, and every shipped one, is parsed with the lab's C grammar and
 * checked against the subset the lab runs (docs/programs.md): a problem is printed as
 * `file.c:line:column: message`. It also checks the shipped programs folder: every *.c there
 * has a name a lesson can write, and the engine's defaults (echo-server.c, echo-client.c) are
 * there. A teacher's lesson whose id is a bundled lesson's is refused, as the window refuses it.
 *
 * A `programAt` checkpoint must name a line the actor's program has at that step (its line
 * number within the program, its text on a line: app/core/lessons/program-at.ts).
 *
 * With `--run`, each lesson that passes is then replayed on a real lab (app/core/lessons/
 * run-check.ts): a checkpoint that already holds before its action, or that is never reached,
 * is printed as `file:line: message` at the step's checkpoint; a step that needs TIME_WAIT
 * (`needsTimeWait`) whose steps before leave no such socket, at its `needsTimeWait`.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_PROGRAM_FILES, PROGRAM_FILE_RE } from '../app/contract/lesson';
import type { Program, ProgramProblem } from '../app/contract/schema';
import { bundledClash } from '../app/contract/lesson-clash';
import { compile } from '../app/core/interp/runner';
import { programAtProblems } from '../app/core/lessons/program-at';
import { runCheck } from '../app/core/lessons/run-check';
import { readFile } from 'node:fs/promises';
import {
  BUNDLED_PROGRAMS_DIR,
  formatLessonError,
  loadLessons,
  programFileMap,
} from '../app/core/lessons/load';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const run = args.includes('--run');
const dirs = args.filter((a) => a !== '--run');
const unknown = dirs.filter((a) => a.startsWith('-'));
if (unknown.length) {
  console.error(`lessons:check: unknown option ${unknown[0]} (usage: lessons:check [--run] [folder…])`);
  process.exit(2);
}
const bundledDir = resolve(root, 'resources/lessons');
if (dirs.length === 0) dirs.push(bundledDir);

let failed = 0;

/**
 * The window's English catalog of C problems (renderer/src/i18n/c-problems-en.ts), read at run
 * time: it belongs to the window's project, which this script's does not compile.
 */
const cProblemsEn = (
  (await import(pathToFileURL(resolve(root, 'renderer/src/i18n/c-problems-en.ts')).href)) as {
    cProblemsEn: Record<string, string>;
  }
).cProblemsEn;

/** A problem's text in English (the window's catalog), its code where the catalog has none. */
function problemText(p: ProgramProblem): string {
  if (typeof p.text === 'string') return p.text;
  const params = (p.text.params ?? {}) as Record<string, unknown>;
  const template = cProblemsEn[p.text.code];
  if (!template) return `${p.text.code} ${JSON.stringify(params)}`;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(params, k) ? String(params[k]) : m));
}

/** The programs already checked, by where they are written (each is checked once). */
const checked = new Set<string>();

/** Parse and check one program against the subset; `where` names it in the messages. */
async function checkProgram(where: string, p: Program): Promise<void> {
  if (checked.has(where)) return;
  checked.add(where);
  const r = await compile(p);
  if (r.ok) return;
  for (const pr of r.problems) console.error(`${where}:${pr.line}:${pr.col}: ${problemText(pr)}`);
  failed += r.problems.length;
}

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
  const before = failed;
  for (const [file, source] of Object.entries(await programFileMap(BUNDLED_PROGRAMS_DIR)))
    await checkProgram(join(BUNDLED_PROGRAMS_DIR, file), { name: file, source, file });
  if (failed === before) console.log(`ok   ${BUNDLED_PROGRAMS_DIR}  (${names.length} programs)`);
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
  const { errors } = result;
  let { lessons } = result;
  // A teacher's folder: an id of a bundled lesson is refused, as the window refuses it.
  if (resolve(dir) !== bundledDir) {
    const bundled = (await loadLessons(bundledDir)).lessons.map((l) => ({ id: l.lesson.id, file: l.file }));
    const kept: typeof lessons = [];
    for (const l of lessons) {
      const clash = bundledClash(l.file, await readFile(l.file, 'utf8'), l.lesson, bundled);
      if (clash) errors.push(clash);
      else kept.push(l);
    }
    lessons = kept;
  }
  // The folder's own program files (they stand before the shipped ones of the same name).
  const own = await programFileMap(dir).catch(() => ({}) as Record<string, string>);
  for (const l of lessons) {
    const before = failed;
    for (const [key, p] of Object.entries(l.lesson.programs)) {
      const where = p.file
        ? join(Object.hasOwn(own, p.file) ? dir : BUNDLED_PROGRAMS_DIR, p.file)
        : `${l.file}: programs.${key}`;
      await checkProgram(where, p);
    }
    if (failed !== before) {
      console.error(`${l.file}:0: a program of this lesson is outside the subset (above)`);
      continue;
    }
    // A programAt checkpoint names a line its program has.
    const at = programAtProblems(l.lesson, await readFile(l.file, 'utf8').catch(() => null));
    for (const p of at) console.error(`${l.file}:${p.line}: ${p.message}`);
    failed += at.length;
    if (at.length) continue;
    if (run) {
      const problems = await runCheck(l.lesson, l.file);
      for (const p of problems) console.error(`${l.file}:${p.line}: ${p.message}`);
      failed += problems.length;
      if (problems.length) continue;
    }
    console.log(
      `ok   ${l.file}  (${l.lesson.id}: ${l.lesson.steps.length} steps${run ? ', replayed on a real lab' : ''})`,
    );
  }
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
