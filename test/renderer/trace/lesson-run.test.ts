/** A trace saved during a lesson: the lesson's run, named with the lesson and its step. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '@contract';
import { parseTrace } from '@contract/trace';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { lessonRun, traceFile } from '@/trace/trace-files';
import { useFileStore } from '@/stores/files';
import { fakeApi } from '../fixtures/fake-api';

const ev = (seq: number, type: LabEvent['type']): LabEvent =>
  (type === 'lab.reset'
    ? { seq, t: seq, type, platform: 'linux', kernelSource: 'none' }
    : { seq, t: seq, type: 'actor.added', actor: 'server', kind: 'server' }) as LabEvent;

const log = [ev(1, 'lab.reset'), ev(2, 'actor.added'), ev(3, 'lab.reset'), ev(4, 'actor.added')];

describe('a lesson run', () => {
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

describe('the .pcap export', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    useUiStore().setLang('en');
  });

  it("asks the lab for one connection (the ladder's), or for everything outside a lesson", async () => {
    const lab = useLabStore();
    lab.append(log);
    const api = fakeApi();
    api.answer = () => ({ ok: false, error: 'nothing captured of that connection, or since that moment' });
    lab.attach(api);
    const files = useFileStore();
    await files.exportPcap();
    const a = { host: '127.0.0.1', port: 5000 };
    const b = { host: '127.0.0.1', port: 40000 };
    await files.exportPcap({ connection: { a, b } });
    expect(api.commands.filter((c) => c.type === 'exportPcap')).toEqual([
      { type: 'exportPcap' },
      { type: 'exportPcap', connection: { a, b } },
    ]);
    // What the lab says goes to the window, in its words.
    expect(files.error).toContain('nothing captured of that connection');
  });
});
