/**
 * Lessons 8-13 replayed with a packet capture, as the window runs them in browser mode and
 * Electron (the reachability test replays them without one). Lesson 9's full accept queue: with a capture, the step holds only once client3's SYN
 * has been captured a second time (its kernel retransmitted it); without one, on the kernel's
 * SYN_SENT for client3's socket. Needs Linux, tcpdump and root: skipped otherwise.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, type Checkpoint } from '../../../app/contract/lesson';
import { replayTo } from '../../../app/contract/lesson-replay';
import { findTool } from '../../../app/core/capture/capture';
import { loadLessons } from '../../../app/core/lessons/load';
import { labDriver, runCheck } from '../../../app/core/lessons/run-check';
import { newLab } from '../engine/helpers';

const root = resolve(import.meta.dirname, '../../..');
const { lessons } = await loadLessons(join(root, 'resources/lessons'));
const canCapture = process.platform === 'linux' && findTool('tcpdump') !== null && process.getuid?.() === 0;
const byId = (id: string) => lessons.find((l) => l.lesson.id === id)!;

describe.runIf(canCapture)('the new lessons with a packet capture', () => {
  // Every lesson 8-13: a capture must not change what their checkpoints see (only lesson 9 looks at segments).
  for (const id of ['two-clients', 'accept-queue', 'restart', 'nonblocking', 'poll-server', 'write-client']) {
    it(`${id}: every checkpoint is reached, none before its action`, { timeout: 120_000 }, async () => {
      const { lesson, file } = byId(id);
      expect(await runCheck(lesson, file, { capture: true })).toEqual([]);
    });
  }

  it('accept-queue: with a capture, client3 passes on its retransmitted SYN, not on SYN_SENT alone', async () => {
    const { lesson } = byId('accept-queue');
    const i = lesson.steps.findIndex((s) => JSON.stringify(s.checkpoint).includes('"retransmission"'));
    const lab = await newLab({ capture: true });
    expect(await replayTo(lesson, i + 1, labDriver(lab))).toEqual({ ok: true, reached: i + 1 });
    const cp = lesson.steps[i]!.checkpoint as Extract<Checkpoint, { kind: 'all' }>;
    const any = cp.of.find((c) => c.kind === 'any') as Extract<Checkpoint, { kind: 'any' }>;
    const [retransmitted, withoutCapture] = any.of.map((c) => evaluate(c, lab.view()).ok);
    expect([retransmitted, withoutCapture]).toEqual([true, false]);
  }, 60_000);
});
