import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventSchema, reduceAll, type LabEvent } from '@contract';
import { SNAPSHOT_EVERY, useLabStore } from '@/stores/lab';
import { classicEvents } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';

/** The classic flow repeated `times` times, renumbered: long enough to cross snapshots. */
function repeated(times: number): LabEvent[] {
  const out: LabEvent[] = [];
  for (let r = 0; r < times; r++) for (const e of classicEvents) out.push({ ...e, seq: out.length + 1 });
  return out;
}

describe('useLabStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('the fixture is valid against the contract', () => {
    for (const e of classicEvents) expect(EventSchema.safeParse(e).success, `${e.seq} ${e.type}`).toBe(true);
  });

  it('view at N equals reduceAll(events, N) for every N, across snapshots', () => {
    const events = repeated(4);
    expect(events.length).toBeGreaterThan(SNAPSHOT_EVERY);
    const lab = useLabStore();
    // Arrive in uneven batches, as the stream does.
    for (let i = 0; i < events.length; i += 37) lab.append(events.slice(i, i + 37));
    expect(lab.total).toBe(events.length);
    expect(lab.view).toEqual(reduceAll(events));
    // Forward, then backward (backward has no memo to lean on), then random jumps.
    for (let n = 0; n <= events.length; n++) expect(lab.viewAt(n), `n=${n}`).toEqual(reduceAll(events, n));
    for (let n = events.length; n >= 0; n -= 7) expect(lab.viewAt(n)).toEqual(reduceAll(events, n));
    for (const n of [300, 3, 280, 256, 255, 257, 1]) expect(lab.viewAt(n)).toEqual(reduceAll(events, n));
  });

  it('steps the timeline back and forward and returns to live', () => {
    const lab = useLabStore();
    lab.append(classicEvents);
    expect(lab.live).toBe(true);
    lab.stepBack();
    expect(lab.live).toBe(false);
    expect(lab.position).toBe(classicEvents.length - 1);
    expect(lab.view).toEqual(reduceAll(classicEvents, classicEvents.length - 1));
    lab.seek(20);
    expect(lab.view.seq).toBe(20);
    // New events while in the past: the view stays where it is.
    lab.append([{ ...classicEvents[1]!, seq: classicEvents.length + 1 }]);
    expect(lab.position).toBe(20);
    expect(lab.view.seq).toBe(20);
    lab.stepForward();
    expect(lab.position).toBe(21);
    lab.goLive();
    expect(lab.live).toBe(true);
    expect(lab.view.seq).toBe(classicEvents.length + 1);
    lab.seek(-5);
    expect(lab.position).toBe(0);
    lab.seek(1e9);
    expect(lab.live).toBe(true);
  });

  it('jumps between milestones (calls, state changes, segments), skipping kernel and buffer updates', () => {
    const lab = useLabStore();
    lab.append(classicEvents);
    const types = () => classicEvents[lab.position - 1]!.type;
    lab.milestoneBack();
    // The last events are kernel observations and a program.pc: the milestone before them is a call's return.
    expect(types()).toBe('call.returned');
    expect(lab.live).toBe(false);
    const at = lab.position;
    lab.milestoneBack();
    expect(lab.position).toBeLessThan(at);
    expect(['call.started', 'call.blocked', 'call.returned', 'socket.state', 'segment']).toContain(types());
    lab.milestoneForward();
    expect(lab.position).toBe(at);
    lab.milestoneForward();
    expect(lab.live).toBe(true);
  });

  it('drops events it already has (history and stream overlap)', () => {
    const lab = useLabStore();
    lab.append(classicEvents.slice(0, 30));
    lab.append(classicEvents.slice(20, 50));
    expect(lab.total).toBe(50);
    expect(lab.view).toEqual(reduceAll(classicEvents, 50));
  });

  it('sends commands and keeps a refusal to show', async () => {
    const lab = useLabStore();
    const api = fakeApi();
    lab.attach(api);
    api.answer = (cmd) =>
      cmd.type === 'step' ? { ok: false, error: 'no such actor: client9' } : { ok: true };
    expect(await lab.step('client9')).toEqual({ ok: false, error: 'no such actor: client9' });
    expect(lab.lastError).toBe('no such actor: client9');
    await lab.run('server');
    expect(lab.lastError).toBeNull();
    expect(api.commands).toEqual([
      { type: 'step', actor: 'client9' },
      { type: 'run', actor: 'server' },
    ]);
  });

  it('says so when there is no lab to talk to', async () => {
    const lab = useLabStore();
    const r = await lab.reset();
    expect(r.ok).toBe(false);
    expect(lab.lastError).toEqual({ code: 'refusal.notConnected' }); // a code the window says
  });
});
