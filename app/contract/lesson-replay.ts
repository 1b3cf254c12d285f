/**
 * Doing a lesson's actions on the lab, and resetting the lab to where a step begins.
 *
 * How a reset works: the lab is reset with the lesson's programs (the `reset` command), then
 * the actions of every earlier step are done again in order, and after each one the runner
 * waits until that step's checkpoint holds on the real lab before going on. A `step` action
 * is pressed exactly `times` times. A step whose student writes C (its `solution`) gets the
 * lesson's program in the student's stead (replaySolution). So "reset step 4" gives a lab in which steps 1–3 really
 * happened: real sockets in real states, not a saved picture of them.
 *
 * Transport-agnostic: it talks to the lab through a LabDriver, so the window (over its
 * LabApi) and the Node tests (over a Lab) run the very same code.
 */
import { evaluate, verdictText, type VerdictPart } from './checkpoint-eval';
import type { Lesson, LessonAction, LessonStep } from './lesson';
import { msg, type Sayable } from './messages';
import type { Command, CommandResult, Program } from './schema';
import type { ViewState } from './reducer';
import { own } from './own';
import { timeWaitReadings } from './time-wait';

export { timeWaitLeft, timeWaitReadings } from './time-wait';

/** What the runner needs of the lab. */
export interface LabDriver {
  /** Send a command; never rejects. */
  command(cmd: Command): Promise<CommandResult>;
  /** The lab's view now. */
  view(): ViewState;
  /** Resolve true when `pred` holds on the view (checked now and on every change), false after `timeoutMs`. */
  waitFor(pred: (v: ViewState) => boolean, timeoutMs: number): Promise<boolean>;
}

/** How long a replayed step may take to reach its checkpoint (kernel confirmation included). */
export const CHECKPOINT_TIMEOUT_MS = 10_000;
/** How long a `sequence` waits for an actor to be free before sending it a command. */
const ACTOR_FREE_TIMEOUT_MS = 10_000;

/** What the window says of a replay's trouble: a message (a refusal, a replay.* code) or a verdict. */
export type ReplaySay = Sayable | { verdict: VerdictPart };

/**
 * The outcome of doing an action: the errors of the commands that were refused, if any, in
 * English (`errors`, for the lesson check and logs) and as the window says them (`says`).
 */
export interface ActionResult {
  ok: boolean;
  errors: string[];
  says: ReplaySay[];
}

/** A refused command's English and what the window says of it. */
const refused = (r: Extract<CommandResult, { ok: false }>): ReplaySay => r.refusal ?? r.error;

/** A lesson's program by key (its C source, resolved when the lesson was read); null when it has none. */
export function lessonProgram(lesson: Lesson, key: string): Program | null {
  return own(lesson.programs, key) ?? null;
}

/** The reset command that starts a lesson: server and client get the lesson's programs. */
export function resetCommand(lesson: Lesson): Command {
  const programs: Record<string, Program> = {};
  for (const actor of ['server', 'client']) {
    const p = lessonProgram(lesson, actor);
    // An actor the lesson gives no program runs the engine's default (echo-server.c, echo-client.c).
    if (p) programs[actor] = p;
  }
  return { type: 'reset', programs };
}

function commandsOf(
  lesson: Lesson,
  a: Exclude<LessonAction, { kind: 'together' | 'sequence' | 'observe' }>,
): Command {
  switch (a.kind) {
    case 'step':
      // A lesson's step is one system call (printf, memset, htons… run on the way).
      return { type: 'step', actor: a.actor, unit: 'call' };
    case 'run':
      return { type: 'run', actor: a.actor };
    case 'interrupt':
      return { type: 'interrupt', actor: a.actor };
    case 'call':
      return { type: 'call', actor: a.actor, call: a.call };
    case 'addClient': {
      const p = lessonProgram(lesson, a.program ?? a.actor);
      return p ? { type: 'addClient', program: p } : { type: 'addClient' };
    }
    case 'loadProgram': {
      const p = lessonProgram(lesson, a.program);
      if (!p) throw new Error(`the lesson has no program "${a.program}"`);
      return { type: 'loadProgram', actor: a.actor, program: p };
    }
  }
}

function actorFree(v: ViewState, actor: string): boolean {
  const a = own(v.actors, actor);
  return a !== undefined && a.current === null;
}

/**
 * Do one action (one press of its button): a step presses once, whatever its `times`
 * (the student presses again; `replayAction` presses them all).
 */
export async function performAction(
  lesson: Lesson,
  action: LessonAction,
  lab: LabDriver,
  presses = 1,
): Promise<ActionResult> {
  const errors: string[] = [];
  const says: ReplaySay[] = [];
  /** Whether the program ended with the last press (no more presses then). */
  let ended = false;
  const send = async (cmd: Command) => {
    const r = await lab.command(cmd);
    if (!r.ok) {
      errors.push(r.error);
      says.push(refused(r));
    } else if (r.value === 'ended') ended = true;
  };
  switch (action.kind) {
    case 'observe':
      break;
    case 'together':
      // Sent in the same tick, without waiting for any answer in between.
      await Promise.all(
        action.of.map((a) =>
          performAction(lesson, a, lab, presses).then((r) => {
            errors.push(...r.errors);
            says.push(...r.says);
          }),
        ),
      );
      break;
    case 'sequence':
      for (const a of action.of) {
        if (a.kind !== 'interrupt' && a.kind !== 'addClient' && 'actor' in a) {
          if (!(await lab.waitFor((v) => actorFree(v, a.actor), ACTOR_FREE_TIMEOUT_MS))) {
            errors.push(`${a.actor} did not become free (still blocked?)`);
            says.push(msg('replay.notFree', { actor: a.actor }));
            break;
          }
        }
        const r = await replayAction(lesson, a, lab);
        errors.push(...r.errors);
        says.push(...r.says);
        if (!r.ok) break;
      }
      break;
    case 'step':
    case 'run':
      for (let i = 0; i < presses; i++) {
        if (i > 0) {
          if (!(await lab.waitFor((v) => actorFree(v, action.actor), ACTOR_FREE_TIMEOUT_MS))) {
            errors.push(`${action.actor} did not become free`);
            says.push(msg('replay.notFree', { actor: action.actor }));
            break;
          }
          // Pressing again after the program's end would only be refused.
          const a = own(lab.view().actors, action.actor);
          if (a && (a.end !== null || a.pc === null)) break;
        }
        await send(commandsOf(lesson, action));
        // The window's view may not have the end yet: the answer says it first.
        if (errors.length || ended) break;
      }
      break;
    default:
      try {
        await send(commandsOf(lesson, action));
      } catch (e) {
        errors.push((e as Error).message);
        says.push((e as Error).message);
      }
  }
  return { ok: errors.length === 0, errors, says };
}

/** Do a step's action completely (a step or run pressed `times` times), as a replay does. */
export function replayAction(lesson: Lesson, action: LessonAction, lab: LabDriver): Promise<ActionResult> {
  return performAction(
    lesson,
    action,
    lab,
    action.kind === 'step' || action.kind === 'run' ? (action.times ?? 1) : 1,
  );
}

/** Most Run presses a replayed solution makes (on its actor and its alsoRun actors together). */
const SOLUTION_MAX_RUNS = 40;

/** An actor whose program can be Run now: there, not in a call, not ended. */
function runnable(v: ViewState, actor: string): boolean {
  const a = own(v.actors, actor);
  return a !== undefined && a.current === null && a.end === null && a.pc !== null;
}

/**
 * What a replay does for a step whose student writes C (its `solution`): load the lesson's
 * program into the actor, as Apply does, then press Run on it and on each `alsoRun` actor
 * whenever one of them stops (as the step's text asks the student), until the step's
 * checkpoint holds, none of them can run any more, or SOLUTION_MAX_RUNS presses. The lesson's
 * button never does this: the student writes the program.
 */
export async function replaySolution(
  lesson: Lesson,
  step: LessonStep,
  lab: LabDriver,
): Promise<ActionResult> {
  const s = step.solution;
  if (!s) return { ok: true, errors: [], says: [] };
  const p = lessonProgram(lesson, s.program);
  if (!p)
    return {
      ok: false,
      errors: [`the lesson has no program "${s.program}" (solution)`],
      says: [msg('replay.noSolutionProgram', { program: s.program })],
    };
  const loaded = await lab.command({ type: 'loadProgram', actor: s.actor, program: p });
  if (!loaded.ok)
    return {
      ok: false,
      errors: [`solution: ${loaded.error}`],
      says: [msg('replay.solutionRefused'), refused(loaded)],
    };
  // The view has the program once its program.loaded is in (at once here, over IPC a little later).
  await lab.waitFor((v) => own(v.actors, s.actor)?.program?.source === p.source, ACTOR_FREE_TIMEOUT_MS);
  const actors = [s.actor, ...(s.alsoRun ?? []).filter((a) => a !== s.actor)];
  const holds = (v: ViewState) => evaluate(step.checkpoint, v).ok;
  for (let presses = 0; presses < SOLUTION_MAX_RUNS;) {
    const moved = await lab.waitFor(
      (v) => holds(v) || actors.some((a) => runnable(v, a)),
      CHECKPOINT_TIMEOUT_MS,
    );
    if (!moved || holds(lab.view())) break;
    for (const a of actors) {
      if (!runnable(lab.view(), a)) continue;
      // A refusal here is a race with a call the kernel just released: the next round sees it.
      await lab.command({ type: 'run', actor: a });
      presses++;
    }
  }
  return { ok: true, errors: [], says: [] };
}

/**
 * Do a step as a replay does: its action completely (replayAction), then, for a step whose
 * student writes C, its solution (replaySolution).
 */
export async function replayStep(lesson: Lesson, step: LessonStep, lab: LabDriver): Promise<ActionResult> {
  const done = await replayAction(lesson, step.action, lab);
  if (!done.ok || !step.solution) return done;
  const sol = await replaySolution(lesson, step, lab);
  return { ok: sol.ok, errors: [...done.errors, ...sol.errors], says: [...done.says, ...sol.says] };
}

/** Where a replay got to. */
export interface ReplayResult {
  ok: boolean;
  /** Steps whose checkpoint was reached, in order (0 … stepIndex-1 when ok). */
  reached: number;
  /** Why it stopped, in English (the lesson check, logs). */
  error?: string;
  /** The same as the window says it. */
  says?: ReplaySay[];
}

/** Reset the lab with the lesson's programs and wait until the fresh lab is there. */
export async function resetLesson(lesson: Lesson, lab: LabDriver): Promise<ReplayResult> {
  const before = lab.view().seq;
  const cmd = resetCommand(lesson);
  const r = await lab.command(cmd);
  if (!r.ok)
    return {
      ok: false,
      reached: 0,
      error: `reset refused: ${r.error}`,
      says: [msg('replay.resetRefused'), refused(r)],
    };
  const want = cmd.type === 'reset' ? (cmd.programs ?? {}) : {};
  const fresh = await lab.waitFor((v) => {
    if (v.seq <= before) return false;
    for (const actor of ['server', 'client'] as const) {
      const a = v.actors[actor];
      // A fresh actor: not one statement run yet, no descriptor, the lesson's program loaded.
      if (!a || a.steps !== 0 || Object.keys(a.fds).length > 0) return false;
      const p = want[actor];
      if (p && a.program?.name !== p.name) return false;
    }
    return true;
  }, CHECKPOINT_TIMEOUT_MS);
  return fresh
    ? { ok: true, reached: 0 }
    : { ok: false, reached: 0, error: 'the lab did not come back from reset', says: [msg('replay.notBack')] };
}

/**
 * Reset the lab and replay the lesson up to the start of step `stepIndex` (0: a fresh lab).
 * Stops at the first step whose checkpoint is not reached, and says which and why. A step
 * that needs a socket in TIME_WAIT begins only once the kernel's table lists one.
 */
export async function replayTo(
  lesson: Lesson,
  stepIndex: number,
  lab: LabDriver,
  onStep?: (i: number) => void,
): Promise<ReplayResult> {
  const reset = await resetLesson(lesson, lab);
  if (!reset.ok) return reset;
  for (let i = 0; i < stepIndex && i < lesson.steps.length; i++) {
    const step = lesson.steps[i]!;
    onStep?.(i);
    const done = await replayStep(lesson, step, lab);
    const held = await lab.waitFor((v) => evaluate(step.checkpoint, v).ok, CHECKPOINT_TIMEOUT_MS);
    if (!held) {
      const detail = evaluate(step.checkpoint, lab.view()).detail;
      const why = verdictText(detail);
      return {
        ok: false,
        reached: i,
        error: `step ${i + 1}: checkpoint not reached: ${why}${done.errors.length ? ` (${done.errors.join('; ')})` : ''}`,
        says: [msg('replay.notReached', { step: i + 1 }), { verdict: detail }, ...done.says],
      };
    }
  }
  const need = lesson.steps[stepIndex]?.needsTimeWait;
  if (need) {
    const there = await lab.waitFor((v) => timeWaitReadings(v, need.actor).length > 0, CHECKPOINT_TIMEOUT_MS);
    if (!there)
      return {
        ok: false,
        reached: stepIndex,
        error: `step ${stepIndex + 1} needs a socket of ${need.actor} in TIME_WAIT (needsTimeWait): the steps before it left none in the kernel's table`,
        says: [msg('replay.noTimeWait', { step: stepIndex + 1, actor: need.actor })],
      };
  }
  return { ok: true, reached: Math.min(stepIndex, lesson.steps.length) };
}
