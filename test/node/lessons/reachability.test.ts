/**
 * Every checkpoint of every bundled lesson is reachable on the real lab: a real Lab on
 * real loopback sockets (and, on Linux, the kernel's own table), driven by the same replay
 * code the window uses. Each step's checkpoint must NOT hold before its action (else the
 * step would teach nothing) and must hold after it.
 */
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, verdictText } from '../../../app/contract/lesson';
import {
  replayAction,
  resetLesson,
  CHECKPOINT_TIMEOUT_MS,
  type LabDriver,
} from '../../../app/contract/lesson-replay';
import type { ViewState } from '../../../app/contract/reducer';
import { Lab } from '../../../app/core/lab';
import { loadLessons } from '../../../app/core/lessons/load';

const root = resolve(import.meta.dirname, '../../..');
const { lessons } = await loadLessons(join(root, 'resources/lessons'));

/** The replay's view of a Lab in this process. */
function labDriver(lab: Lab): LabDriver {
  return {
    command: (cmd) => lab.handle(cmd),
    view: () => lab.view(),
    waitFor(pred: (v: ViewState) => boolean, timeoutMs: number) {
      return new Promise<boolean>((done) => {
        if (pred(lab.view())) return done(true);
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

let lab: Lab | null = null;
afterEach(async () => {
  await lab?.dispose();
  lab = null;
});

describe.runIf(process.platform === 'linux')('every lesson on the real lab', () => {
  it('has the seven lessons', () => expect(lessons).toHaveLength(7));

  for (const { lesson } of lessons) {
    it(
      `${lesson.id}: every checkpoint is reached, none before its action`,
      { timeout: 120_000 },
      async () => {
        lab = await Lab.create();
        const d = labDriver(lab);
        const reset = await resetLesson(lesson, d);
        expect(reset, reset.error).toMatchObject({ ok: true });
        for (const [i, step] of lesson.steps.entries()) {
          const before = evaluate(step.checkpoint, d.view());
          expect(before.ok, `step ${i + 1} holds before its action: ${verdictText(before.detail)}`).toBe(
            false,
          );
          const r = await replayAction(lesson, step.action, d);
          expect(r.errors, `step ${i + 1} action: ${JSON.stringify(r.errors)}`).toEqual([]);
          const held = await d.waitFor((v) => evaluate(step.checkpoint, v).ok, CHECKPOINT_TIMEOUT_MS);
          expect(
            held,
            `step ${i + 1} not reached: ${verdictText(evaluate(step.checkpoint, d.view()).detail)}`,
          ).toBe(true);
        }
      },
    );
  }
});
