/** A lesson file with a key a checkpoint or an action does not take is told what it takes. */
import { describe, expect, it } from 'vitest';
import { parseLessonFile } from '../../../app/contract/lesson-file';
import { programFileMap } from '../../../app/core/lessons/load';

const PROGRAMS = await programFileMap('resources/programs');

function lesson(step: Record<string, unknown>): string {
  return JSON.stringify(
    {
      id: 'keys',
      title: { en: 'Keys', 'zh-CN': '键' },
      summary: { en: 'Keys.', 'zh-CN': '键。' },
      programs: { server: 'echo-server.c', client: 'echo-client.c' },
      steps: [{ text: { en: 'Go.', 'zh-CN': '走。' }, hints: [], ...step }],
    },
    null,
    2,
  );
}

describe('unknown keys', () => {
  it('in a checkpoint: names the key and every key that kind takes, at its line', () => {
    const text = lesson({
      action: { kind: 'observe' },
      checkpoint: { kind: 'segmentSeen', flags: ['SYN'], acks: 1 },
    });
    const r = parseLessonFile('k.json', text, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.message).toMatch(
      /^steps\.0\.checkpoint: unknown key "acks"; a segmentSeen checkpoint takes: flags, not, from, .*ack/,
    );
    expect(r.errors[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('"checkpoint"')) + 1);
  });

  it('in an action inside a sequence', () => {
    const r = parseLessonFile(
      'k.json',
      lesson({
        action: { kind: 'sequence', of: [{ kind: 'observe' }, { kind: 'step', actor: 'server', time: 2 }] },
        checkpoint: { kind: 'programEnded', actor: 'server' },
      }),
      PROGRAMS,
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message).join('\n')).toMatch(
        /unknown key "time"; a step action takes: actor, times/,
      );
  });
});
