/** The event log: numbering, stamps, subscribers, the incremental view and the memory limit. */
import { describe, expect, it } from 'vitest';
import { reduceAll } from '../../../app/contract/reducer';
import type { LabEvent } from '../../../app/contract/schema';
import { EventLog } from '../../../app/core/event-log';

describe('EventLog', () => {
  it('numbers from 1, stamps with wall-clock ms (microsecond fraction), notifies in order, keeps the view', () => {
    const log = new EventLog();
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.seq));
    const before = Date.now();
    const a = log.append({ type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' });
    log.append({ type: 'actor.added', actor: 'server', kind: 'server' });
    off();
    log.append({ type: 'actor.added', actor: 'client', kind: 'client' });
    expect(a.seq).toBe(1);
    expect(Math.abs(a.t - before)).toBeLessThan(1000);
    expect(seen).toEqual([1, 2]);
    expect(log.events().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(log.view().actorOrder).toEqual(['server', 'client']);
    expect(log.view()).toEqual(reduceAll(log.events()));
    expect(log.events()[2]!.t).toBeGreaterThanOrEqual(log.events()[1]!.t);
  });

  it('a throwing subscriber does not break the log or other subscribers', () => {
    const log = new EventLog();
    const got: LabEvent[] = [];
    log.subscribe(() => {
      throw new Error('boom');
    });
    log.subscribe((e) => got.push(e));
    log.append({ type: 'lab.notice', level: 'info', text: 'x' });
    expect(got).toHaveLength(1);
  });

  it('past its limit, drops the oldest half with one warning, numbering and view unchanged', () => {
    const log = new EventLog({ maxEvents: 100 });
    log.append({ type: 'lab.reset', platform: 'linux', kernelSource: 'none' });
    for (let i = 0; i < 120; i++) log.append({ type: 'lab.notice', level: 'info', text: `n${i}` });
    const events = log.events();
    expect(events.length).toBeLessThanOrEqual(100);
    expect(log.droppedCount()).toBe(50);
    const warnings = events.filter((e) => e.type === 'lab.notice' && e.level === 'warning');
    expect(warnings).toHaveLength(1);
    // seq goes on without gaps in what is kept, and the last event is the last appended.
    for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBe(events[i - 1]!.seq + 1);
    expect(log.view().seq).toBe(events.at(-1)!.seq);
    expect(log.view().platform).toBe('linux');
  });

  it('bounded in bytes too: big events push out the oldest, with a notice that says so', () => {
    const log = new EventLog({ maxBytes: 1024 * 1024 });
    log.append({ type: 'lab.reset', platform: 'linux', kernelSource: 'none' });
    const text = 'z'.repeat(100 * 1024);
    for (let i = 0; i < 40; i++) log.append({ type: 'lab.notice', level: 'info', text });
    expect(log.sizeEstimate()).toBeLessThanOrEqual(1024 * 1024);
    expect(log.droppedCount()).toBeGreaterThan(20);
    const notices = log.events().filter((e) => e.type === 'lab.notice' && e.level === 'warning');
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices[0]).toMatchObject({
      text: {
        code: 'notice.logFullBytes',
        params: { mib: 1, n: expect.any(Number), all: expect.any(Number) },
      },
    });
    const events = log.events();
    for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBe(events[i - 1]!.seq + 1);
    expect(log.view().platform).toBe('linux');
  });

  it('keeps one event bigger than the whole limit (the newest is never dropped)', () => {
    const log = new EventLog({ maxBytes: 64 * 1024 });
    log.append({ type: 'lab.notice', level: 'info', text: 'a' });
    const e = log.append({ type: 'lab.notice', level: 'info', text: 'b'.repeat(200 * 1024) });
    expect(log.events().at(-1)).toBe(e);
  });
});
