/**
 * A static check of a lesson (lessons:check, without running it): every `programAt`
 * checkpoint names a line that the actor's program has at that step — its `line` within the
 * program, its `text` on some line (on its `line`, when both are given). The actor's program
 * at a step is the one the lesson gave it last: `server` and `client` at the start, then
 * each loadProgram and addClient action and each step's solution, in the steps' order. An
 * actor whose program the lesson does not name (a client added with the engine's default)
 * is not checked.
 */
import type { Checkpoint } from '../../contract/checkpoints';
import type { Lesson, LessonStep } from '../../contract/lesson';
import { parseJsonWithLines } from '../../contract/lesson-file';
import { own } from '../../contract/own';
import type { Program } from '../../contract/schema';
import type { RunProblem } from './run-check';

type Action = LessonStep['action'];

/** The programs `action` gives actors, in order, into `current`. */
function give(lesson: Lesson, action: Action, current: Map<string, Program | null>): void {
  const program = (key: string | undefined): Program | null =>
    key === undefined ? null : (own(lesson.programs, key) ?? null);
  switch (action.kind) {
    case 'loadProgram':
      current.set(action.actor, program(action.program));
      return;
    case 'addClient':
      current.set(action.actor, program(action.program ?? action.actor));
      return;
    case 'together':
    case 'sequence':
      for (const a of action.of) give(lesson, a, current);
      return;
  }
}

/** Every programAt of a checkpoint, with the path of each below the checkpoint ('' for itself). */
function programAts(
  cp: Checkpoint,
  path: string,
  out: { cp: Checkpoint & { kind: 'programAt' }; path: string }[],
) {
  if (cp.kind === 'programAt') out.push({ cp, path });
  else if (cp.kind === 'all' || cp.kind === 'any')
    cp.of.forEach((c, i) => programAts(c, `${path}.of.${i}`, out));
  else if (cp.kind === 'not') programAts(cp.of, `${path}.of`, out);
  return out;
}

/** What is wrong with `cp` against `program` (null: nothing). */
function against(cp: Checkpoint & { kind: 'programAt' }, program: Program): string | null {
  const lines = program.source.split('\n');
  const name = program.file ?? program.name;
  const q = cp.text === undefined ? '' : JSON.stringify(cp.text);
  if (cp.line !== undefined && cp.line > lines.length)
    return `programAt: ${cp.actor}'s program ${name} has ${lines.length} lines, not a line ${cp.line}`;
  if (cp.text === undefined) return null;
  if (cp.line !== undefined && !lines[cp.line - 1]!.includes(cp.text))
    return `programAt: line ${cp.line} of ${cp.actor}'s program ${name} does not contain ${q}`;
  if (!lines.some((l) => l.includes(cp.text!)))
    return `programAt: no line of ${cp.actor}'s program ${name} contains ${q}`;
  return null;
}

/** The programAt checkpoints of `lesson` that name a line its program does not have. */
export function programAtProblems(lesson: Lesson, text: string | null): RunProblem[] {
  let lines = new Map<string, number>();
  try {
    if (text !== null) lines = parseJsonWithLines(text).lines;
  } catch {
    // The file parsed when it loaded: a failure here only loses the line numbers.
  }
  const current = new Map<string, Program | null>();
  for (const a of ['server', 'client']) current.set(a, own(lesson.programs, a) ?? null);
  const problems: RunProblem[] = [];
  lesson.steps.forEach((step, i) => {
    give(lesson, step.action, current);
    if (step.solution) current.set(step.solution.actor, own(lesson.programs, step.solution.program) ?? null);
    for (const { cp, path } of programAts(step.checkpoint, `steps.${i}.checkpoint`, [])) {
      const program = current.get(cp.actor);
      const wrong = program ? against(cp, program) : null;
      if (wrong)
        problems.push({
          line: lines.get(path) ?? lines.get(`steps.${i}`) ?? 1,
          message: `step ${i + 1}: ${wrong}`,
        });
    }
  });
  return problems;
}
