/**
 * Every checkpoint of every bundled lesson is reachable on the real lab: a real Lab on
 * real loopback sockets (and, on Linux, the kernel's own table), driven by the same replay
 * code the window uses, through `runCheck` (what `lessons:check --run` does). Each step's
 * checkpoint must NOT hold before its action (else the step would teach nothing) and must
 * hold after it.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../../app/core/lessons/load';
import { runCheck, socketsSince } from '../../../app/core/lessons/run-check';
import type { LabEvent } from '../../../app/contract/schema';

const root = resolve(import.meta.dirname, '../../..');
const { lessons } = await loadLessons(join(root, 'resources/lessons'));

describe.runIf(process.platform === 'linux')('every lesson on the real lab', () => {
  it('has the thirteen lessons', () => expect(lessons).toHaveLength(13));

  for (const { lesson, file } of lessons) {
    it(
      `${lesson.id}: every checkpoint is reached, none before its action`,
      { timeout: 120_000 },
      async () => {
        expect(await runCheck(lesson, file)).toEqual([]);
      },
    );
  }

  // With the kernel's tracepoint (root): a server that exits and listens again on its port gets
  // its new listener's states, not the old one's (lessons 8 and 10 restart their servers).
  it.runIf(process.getuid?.() === 0)(
    'lessons 8 and 10 with the tracepoint on',
    { timeout: 120_000 },
    async () => {
      for (const id of ['two-clients', 'restart']) {
        const l = lessons.find((x) => x.lesson.id === id)!;
        expect(await runCheck(l.lesson, l.file, { trace: true }), id).toEqual([]);
      }
    },
  );

  it('says where a checkpoint already holds before its action, and where one is never reached', async () => {
    const { lesson } = lessons[0]!;
    const first = lesson.steps[0]!;
    const broken = {
      ...lesson,
      steps: [
        // Holds at once: the server has no socket in LISTEN yet, so `not` of it holds before.
        {
          ...first,
          checkpoint: { kind: 'not' as const, of: { kind: 'programEnded' as const, actor: 'server' } },
        },
        // Never: nothing in this lesson makes the client's program end on its first step.
        { ...first, checkpoint: { kind: 'programEnded' as const, actor: 'client' } },
      ],
    };
    const problems = await runCheck(broken, null);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^step 1: the checkpoint already holds before the action/),
      expect.stringMatching(
        /^step 2: the checkpoint is never reached .*; what the sockets did in the step: /,
      ),
    ]);
  }, 60_000);

  it("writes what each socket did in a step whose checkpoint is never reached, at ms since the step's start", () => {
    const ev = (seq: number, t: number, e: Record<string, unknown>) =>
      ({ seq, t, ...e }) as unknown as LabEvent;
    const events = [
      ev(1, 1000, { type: 'socket.state', socket: 's2', from: 'CLOSED', to: 'SYN_SENT', source: 'kernel' }),
      ev(2, 1003, {
        type: 'socket.state',
        socket: 's2',
        from: 'ESTABLISHED',
        to: 'FIN_WAIT_1',
        source: 'kernel',
      }),
      ev(3, 1003, { type: 'socket.released', socket: 's2' }),
      ev(4, 1004, {
        type: 'socket.kernel',
        socket: 's2',
        state: 'FIN_WAIT_2',
        sendQ: 0,
        recvQ: 0,
        timerMs: null,
      }),
      ev(5, 1005, {
        type: 'socket.state',
        socket: 's3',
        from: 'ESTABLISHED',
        to: 'CLOSE_WAIT',
        source: 'inferred',
      }),
      ev(6, 1061, { type: 'socket.kernel', socket: 's2', state: null, sendQ: 0, recvQ: 0, timerMs: null }),
    ];
    expect(socketsSince(events, 1)).toBe(
      's2: +0 ESTABLISHED→FIN_WAIT_1, +0 released, +1 read FIN_WAIT_2, +58 read gone; s3: +2 ESTABLISHED→CLOSE_WAIT*',
    );
    expect(socketsSince(events, 6)).toBe('nothing');
  });
});
