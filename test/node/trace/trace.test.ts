/**
 * The trace file format on a real lab's log: a lab on real loopback sockets runs the classic
 * flow, its events are saved and parsed back, and replaying them gives the same view at every
 * step. Damaged and foreign files are rejected with a message that says what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reduceAll } from '../../../app/contract/reducer';
import type { LabEvent } from '../../../app/contract/schema';
import {
  makeTrace,
  MAX_TRACE_CHARS,
  parseTrace,
  serializeTrace,
  TRACE_FORMAT,
} from '../../../app/contract/trace';
import { Lab } from '../../../app/core/lab';

/** Whether every actor's program has ended with no call in progress. */
function allEnded(lab: Lab): boolean {
  return Object.values(lab.view().actors).every((a) => a.pc === null && !a.current);
}

/** Resolve at the next event of the lab, or after `ms` (then the caller's bound ends the loop). */
function nextEvent(lab: Lab, ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve();
    }, ms);
    const off = lab.subscribe(() => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/**
 * Drive both default programs to their end: run whichever actor is free, wait for an event
 * when both are blocked. Bounded: at most 200 rounds.
 */
async function runToEnd(lab: Lab): Promise<void> {
  for (let round = 0; round < 200 && !allEnded(lab); round++) {
    let ran = false;
    for (const who of ['server', 'client']) {
      const a = lab.view().actors[who];
      if (!a || a.pc === null || a.current) continue;
      const r = await lab.execute({ type: 'run', actor: who });
      if (!r.ok) throw new Error(`run ${who}: ${r.error}`);
      ran = true;
    }
    if (!ran && !allEnded(lab)) await nextEvent(lab);
  }
  if (!allEnded(lab)) throw new Error('the programs did not end');
}

describe('trace files', () => {
  let lab: Lab;
  let events: LabEvent[];

  beforeAll(async () => {
    lab = await Lab.create({ kernel: 'none' });
    // The classic flow: the server blocks in accept, the client connects, writes, reads
    // the echo, closes; the server reads EOF and closes.
    await runToEnd(lab);
    events = [...lab.events()];
  });

  afterAll(async () => {
    await lab?.dispose();
  });

  it('the lab made a real connection worth saving', () => {
    const types = new Set(events.map((e) => e.type));
    expect(types).toContain('segment');
    expect(types).toContain('socket.state');
    expect(events.some((e) => e.type === 'socket.state' && e.to === 'ESTABLISHED')).toBe(true);
  });

  it('accepts a real lab’s saved events and keeps them exactly', () => {
    const text = serializeTrace(makeTrace(events, '0.1.0'));
    const r = parseTrace(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.trace.format).toBe(TRACE_FORMAT);
    expect(r.trace.version).toBe(2);
    expect(r.trace.app.version).toBe('0.1.0');
    expect(r.trace.events).toEqual(events);
  });

  it('a trace saved, loaded and replayed gives the same view state at every step', () => {
    const r = parseTrace(serializeTrace(makeTrace(events, '0.1.0')));
    if (!r.ok) throw new Error(r.error);
    expect(r.trace.events.length).toBe(events.length);
    for (let n = 0; n <= events.length; n++)
      expect(reduceAll(r.trace.events, n), `n=${n}`).toEqual(reduceAll(events, n));
  });

  it('rejects what is not JSON, another format, a newer version, an invalid event, seq out of order', () => {
    const good = JSON.parse(serializeTrace(makeTrace(events, '0.1.0'))) as Record<string, unknown> & {
      events: Record<string, unknown>[];
    };
    const variant = (f: (t: typeof good) => void): string => {
      const t = structuredClone(good);
      f(t);
      return JSON.stringify(t);
    };
    const cases: [string, string, RegExp][] = [
      ['not JSON', 'hello, this is not a trace', /not JSON/],
      ['truncated', serializeTrace(makeTrace(events, '0.1.0')).slice(0, 500), /not JSON/],
      ['JSON array', '[1,2,3]', /not a TCP Lab trace/],
      ['another format', variant((t) => (t.format = 'pcapng')), /not a TCP Lab trace/],
      ['version 3', variant((t) => (t.version = 3)), /version 3, newer/],
      ['version 1', variant((t) => (t.version = 1)), /version 1, saved before programs were C/],
      ['version "1"', variant((t) => (t.version = '1')), /damaged: version/],
      ['no events', variant((t) => delete (t as Partial<typeof t>).events), /damaged: events/],
      ['an invalid event', variant((t) => (t.events[3]!.type = 'socket.teleported')), /event 4 is invalid/],
      ['a bad field', variant((t) => (t.events[0]!.seq = -1)), /event 1 is invalid/],
      [
        'seq out of order',
        variant((t) => ([t.events[4], t.events[5]] = [t.events[5]!, t.events[4]!])),
        /event 6 has seq 5, expected more than 6/,
      ],
      ['seq not from 1', variant((t) => t.events.shift()), /event 1 has seq 2, expected 1/],
      ['time going back', variant((t) => (t.events[6]!.t = 0)), /event 7 .* earlier/],
    ];
    for (const [name, text, want] of cases) {
      const r = parseTrace(text);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error, name).toMatch(want);
    }
  });

  it('a lesson run: named with its lesson and step, from the reset the lesson made', async () => {
    // A second reset, as a lesson's start makes: the run is the events from it.
    await lab.execute({ type: 'reset' });
    await lab.execute({ type: 'run', actor: 'server' });
    const all = [...lab.events()];
    const from = all.map((e) => e.type).lastIndexOf('lab.reset');
    const run = all.slice(from);
    expect(run[0]!.seq).toBeGreaterThan(1);
    const r = parseTrace(serializeTrace(makeTrace(run, '0.1.0', new Date(), { id: 'handshake', step: 2 })));
    expect(r.ok && r.trace.lesson).toEqual({ id: 'handshake', step: 2 });
    expect(r.ok && r.trace.events).toEqual(run);
    // Without a lesson, a log must start at event 1.
    const bare = parseTrace(serializeTrace(makeTrace(run, '0.1.0')));
    expect(bare).toMatchObject({
      ok: false,
      error: expect.stringMatching(/event 1 has seq \d+, expected 1/),
    });
  });

  it('rejects a file past the size limit without parsing it', () => {
    const r = parseTrace(' '.repeat(MAX_TRACE_CHARS + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/too large/);
  });
});
