/** A trace saved during a lesson: the lesson's run, named with the lesson and its step. */
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../app/contract';
import { parseTrace } from '../../../app/contract/trace';
import { lessonRun, traceFile } from '../../../renderer/src/trace/trace-files';

const ev = (seq: number, type: LabEvent['type']): LabEvent =>
  (type === 'lab.reset'
    ? { seq, t: seq, type, platform: 'linux', kernelSource: 'none' }
    : { seq, t: seq, type: 'actor.added', actor: 'server', kind: 'server' }) as LabEvent;

describe('a lesson run', () => {
  const log = [ev(1, 'lab.reset'), ev(2, 'actor.added'), ev(3, 'lab.reset'), ev(4, 'actor.added')];

  it('is the events from the last reset', () => {
    expect(lessonRun(log).map((e) => e.seq)).toEqual([3, 4]);
    expect(lessonRun(log.slice(1, 2))).toHaveLength(1); // no reset: everything
  });

  it('is saved with its lesson and step, in the name and in the file, and opens again', () => {
    const f = traceFile(lessonRun(log), new Date('2026-12-02T03:00:00Z'), { id: 'handshake', step: 3 });
    expect(f.name).toMatch(/^tcp-lab-handshake-step3-.*\.tcplab\.json$/);
    const r = parseTrace(f.text);
    expect(r).toMatchObject({ ok: true, trace: { lesson: { id: 'handshake', step: 3 } } });
  });
});
