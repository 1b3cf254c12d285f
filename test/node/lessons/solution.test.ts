/**
 * A step whose student writes or fixes C names a `solution` (a program of the lesson and the
 * actor it goes in, and the actors the step asks to Run too): the lesson file refuses one that
 * names no program of the lesson, at its line; a replay (replayTo: Reset step; runCheck:
 * lessons:check --run) loads it and Runs it until the checkpoint holds; the lesson's button
 * (replayAction of the step's action) never loads it. On a real lab, with lesson 8's fix.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, LessonStepSchema } from '../../../app/contract/lesson';
import { parseJsonWithLines, parseLessonFile } from '../../../app/contract/lesson-file';
import { replayAction, replayTo } from '../../../app/contract/lesson-replay';
import { loadLessons, programFileMap, BUNDLED_PROGRAMS_DIR } from '../../../app/core/lessons/load';
import { labDriver } from '../../../app/core/lessons/run-check';
import { newLab } from '../engine/helpers';

const root = resolve(import.meta.dirname, '../../..');
const FILE = join(root, 'resources/lessons/08-two-clients.json');

describe("a step's solution in the lesson file", () => {
  it('is a program key and an actor, with optional alsoRun actors; nothing else', () => {
    const base = {
      text: { en: 'Fix it.', 'zh-CN': '改好它。' },
      action: { kind: 'observe' },
      checkpoint: { kind: 'programEnded', actor: 'client' },
    };
    expect(
      LessonStepSchema.parse({ ...base, solution: { actor: 'server', program: 'fixed' } }).solution,
    ).toEqual({ actor: 'server', program: 'fixed' });
    expect(
      LessonStepSchema.safeParse({
        ...base,
        solution: { actor: 'client', program: 'c', alsoRun: ['server'] },
      }).success,
    ).toBe(true);
    expect(LessonStepSchema.safeParse({ ...base, solution: { actor: 'server' } }).success).toBe(false);
    expect(
      LessonStepSchema.safeParse({ ...base, solution: { actor: 'server', program: 'x', source: 'int main' } })
        .success,
    ).toBe(false);
  });

  it('names a program of the lesson: another is refused at the line of its "program"', async () => {
    const text = (await readFile(FILE, 'utf8')).replace(
      '"program": "fixed-server"',
      '"program": "fixd-server"',
    );
    const r = parseLessonFile('08.json', text, await programFileMap(BUNDLED_PROGRAMS_DIR));
    expect(r.ok).toBe(false);
    const line = parseJsonWithLines(text).lines.get('steps.4.solution.program');
    expect(!r.ok && r.errors).toEqual([
      {
        file: '08.json',
        line,
        message: expect.stringMatching(/^steps\.4\.solution\.program: no program "fixd-server" in programs/),
      },
    ]);
  });
});

describe.runIf(process.platform === 'linux')('a replay runs the solution, the button does not', () => {
  it("Reset step past the fix gives the server the fixed program; the step's own action leaves it alone", async () => {
    const { lessons } = await loadLessons(join(root, 'resources/lessons'));
    const lesson = lessons.find((l) => l.lesson.id === 'two-clients')!.lesson;
    const fix = lesson.steps.findIndex((s) => s.solution);
    expect(lesson.steps[fix]!.action).toEqual({ kind: 'observe' });

    const lab = await newLab();
    const d = labDriver(lab);
    // Up to the fix: the buggy server has ended; the button's action (observe) changes nothing.
    expect(await replayTo(lesson, fix, d)).toEqual({ ok: true, reached: fix });
    expect(lab.view().actors.server!.end).toEqual({ how: 'exit', status: 0 });
    expect(await replayAction(lesson, lesson.steps[fix]!.action, d)).toEqual({
      ok: true,
      errors: [],
      says: [],
    });
    expect(lab.view().actors.server!.program!.name).toBe('08-two-clients-server');
    expect(evaluate(lesson.steps[fix]!.checkpoint, lab.view()).ok).toBe(false);

    // Past it: the replay loaded the solution and ran it until the checkpoint held.
    expect(await replayTo(lesson, fix + 1, d)).toEqual({ ok: true, reached: fix + 1 });
    const server = lab.view().actors.server!;
    expect(server.program!.name).toBe('08-two-clients-fixed-server');
    expect(server.current?.call.call).toBe('accept');
    expect(evaluate(lesson.steps[fix]!.checkpoint, lab.view()).ok).toBe(true);
  }, 60_000);
});
