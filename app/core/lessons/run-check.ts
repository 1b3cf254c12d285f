/**
 * Replaying a lesson on a real lab to check it (`lessons:check --run`, and the test that
 * every bundled lesson is reachable): each step's checkpoint must not hold before its action
 * (else the step teaches nothing) and must hold after it, and a step that needs TIME_WAIT must
 * find the actor's socket in TIME_WAIT when it begins. Problems come back with the line of
 * the step's checkpoint, action or needsTimeWait in the lesson file.
 */
import { readFile } from 'node:fs/promises';
import { evaluate, verdictText, type Lesson } from '../../contract/lesson';
import { parseJsonWithLines } from '../../contract/lesson-file';
import {
  CHECKPOINT_TIMEOUT_MS,
  replayStep,
  resetLesson,
  timeWaitReadings,
  type LabDriver,
} from '../../contract/lesson-replay';
import type { ViewState } from '../../contract/reducer';
import type { LabEvent } from '../../contract/schema';
import { Lab } from '../lab';

/** A problem at a line of the lesson file (found by replaying, or by program-at.ts): where, and what. */
export interface RunProblem {
  line: number;
  message: string;
}

/** The replay's view of a Lab in this process. */
export function labDriver(lab: Lab): LabDriver {
  return {
    command: (cmd) => lab.handle(cmd),
    view: () => lab.view(),
    waitFor(pred: (v: ViewState) => boolean, timeoutMs: number) {
      return new Promise<boolean>((done) => {
        if (pred(lab.view())) return done(true);
        // The timeout is the checkpoint's deadline, not a wait: every event is checked as it comes.
        const timer = setTimeout(() => {
          off();
          done(false);
        }, timeoutMs);
        const off = lab.subscribe(() => {
          if (pred(lab.view())) {
            clearTimeout(timer);
            off();
            done(true);
          }
        });
      });
    },
  };
}

/** The line of each step's checkpoint and action in the file's text (1 where unknown). */
function stepLines(
  text: string | null,
  n: number,
): { checkpoint: number; action: number; timeWait: number }[] {
  let lines = new Map<string, number>();
  try {
    if (text !== null) lines = parseJsonWithLines(text).lines;
  } catch {
    // The file parsed before (the lesson loaded): a failure here only loses the line numbers.
  }
  return Array.from({ length: n }, (_, i) => ({
    checkpoint: lines.get(`steps.${i}.checkpoint`) ?? lines.get(`steps.${i}`) ?? 1,
    action: lines.get(`steps.${i}.action`) ?? lines.get(`steps.${i}`) ?? 1,
    timeWait: lines.get(`steps.${i}.needsTimeWait`) ?? lines.get(`steps.${i}`) ?? 1,
  }));
}

/**
 * Replay `lesson` step by step on a fresh lab; the problems found (none: every checkpoint is
 * reached, none before its action). Stops at the first step whose checkpoint is not reached,
 * since every later step depends on it.
 */
export async function runCheck(
  lesson: Lesson,
  file: string | null,
  labOptions: Parameters<typeof Lab.create>[0] = {},
): Promise<RunProblem[]> {
  const text = file ? await readFile(file, 'utf8').catch(() => null) : null;
  const lines = stepLines(text, lesson.steps.length);
  const problems: RunProblem[] = [];
  const lab = await Lab.create(labOptions);
  try {
    const d = labDriver(lab);
    const reset = await resetLesson(lesson, d);
    if (!reset.ok)
      return [{ line: 1, message: `the lab could not be set up for the lesson: ${reset.error}` }];
    for (const [i, step] of lesson.steps.entries()) {
      const at = lines[i]!;
      // A step that needs TIME_WAIT begins once the kernel's table lists the socket, as the
      // window's Reset step waits for it (lesson-replay.ts): the steps before must leave one.
      const need = step.needsTimeWait;
      if (
        need &&
        !(await d.waitFor((v) => timeWaitReadings(v, need.actor).length > 0, CHECKPOINT_TIMEOUT_MS))
      )
        problems.push({
          line: at.timeWait,
          message: `step ${i + 1}: needsTimeWait: the steps before it leave no socket of ${need.actor} in TIME_WAIT in the kernel's table`,
        });
      const before = evaluate(step.checkpoint, d.view());
      if (before.ok)
        problems.push({
          line: at.checkpoint,
          message: `step ${i + 1}: the checkpoint already holds before the action (${verdictText(before.detail)})`,
        });
      // A step whose student writes C runs its solution after the action, as Reset step does.
      const from = lab.view().seq;
      const r = await replayStep(lesson, step, d);
      for (const e of r.errors)
        problems.push({ line: at.action, message: `step ${i + 1}: the action was refused: ${e}` });
      const held = await d.waitFor((v) => evaluate(step.checkpoint, v).ok, CHECKPOINT_TIMEOUT_MS);
      if (!held) {
        problems.push({
          line: at.checkpoint,
          message: `step ${i + 1}: the checkpoint is never reached (${verdictText(evaluate(step.checkpoint, d.view()).detail)}); what the sockets did in the step: ${socketsSince(lab.events(), from)}`,
        });
        break;
      }
    }
    return problems;
  } finally {
    await lab.dispose();
  }
}

/**
 * What each socket did since event `from`, for a checkpoint never reached: its state changes
 * (who saw them: the kernel or the state machine, `*`) and the kernel's readings, each at ms
 * since the step began ("s2: +3 ESTABLISHED→FIN_WAIT_1, +4 read FIN_WAIT_2, +61 read gone").
 */
export function socketsSince(events: readonly LabEvent[], from: number): string {
  const step = events.filter((e) => e.seq > from);
  const t0 = step[0]?.t ?? 0;
  const by = new Map<string, string[]>();
  for (const e of step) {
    const at = `+${Math.round(e.t - t0)}`;
    if (e.type !== 'socket.state' && e.type !== 'socket.kernel' && e.type !== 'socket.released') continue;
    const what =
      e.type === 'socket.state'
        ? `${at} ${e.from}→${e.to}${e.source === 'kernel' ? '' : '*'}`
        : e.type === 'socket.kernel'
          ? `${at} read ${e.state ?? 'gone'}`
          : `${at} released`;
    const list = by.get(e.socket) ?? [];
    if (list.push(what) === 1) by.set(e.socket, list);
  }
  return [...by].map(([id, w]) => `${id}: ${w.slice(-12).join(', ')}`).join('; ') || 'nothing';
}
