/**
 * The editor's current-line mark (components/program/mark-pace.ts): a step to another line shows
 * at once; a mark that only flips between next and blocked on one line follows at most every
 * MARK_EVERY_MS and always ends on the latest state. Time is vitest's fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MARK_EVERY_MS, markPace, type MarkState } from '@/components/program/mark-pace';

type Kind = 'next' | 'blocked';
const at = (line: number, kind: Kind, readOnly = kind === 'blocked'): MarkState<Kind> => ({
  line,
  kind,
  readOnly,
});

describe('the pace of the current-line mark', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function paced() {
    const drawn: { m: MarkState<Kind>; moved: boolean; t: number }[] = [];
    const p = markPace<Kind>(
      (m, moved) => drawn.push({ m, moved, t: Date.now() }),
      () => Date.now(),
    );
    return { p, drawn };
  }

  it('draws the first mark and every move to another line at once', () => {
    const { p, drawn } = paced();
    p.set(at(10, 'next'), true);
    p.set(at(11, 'next'), true);
    p.set(at(12, 'blocked'), true);
    expect(drawn.map((d) => [d.m.line, d.moved])).toEqual([
      [10, true],
      [11, true],
      [12, true],
    ]);
  });

  it('on one line, flips at most every MARK_EVERY_MS, ending on the latest', () => {
    const { p, drawn } = paced();
    p.set(at(20, 'next'), true);
    // A transfer: in and out of a call every 16 ms for a second.
    for (let i = 0; i < 60; i++) {
      vi.advanceTimersByTime(16);
      p.set(at(20, i % 2 ? 'next' : 'blocked'), false);
    }
    vi.advanceTimersByTime(MARK_EVERY_MS);
    const gaps = drawn.slice(1).map((d, i) => d.t - drawn[i]!.t);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MARK_EVERY_MS);
    expect(drawn.length).toBeLessThanOrEqual(2 + (60 * 16) / MARK_EVERY_MS);
    expect(drawn.at(-1)!.m).toEqual(at(20, 'next')); // the last set: i = 59
    expect(drawn.slice(1).every((d) => !d.moved)).toBe(true);
  });

  it('a move while a flip waits draws the move at once and drops the flip; stop drops what waits', () => {
    const { p, drawn } = paced();
    p.set(at(5, 'next'), true);
    p.set(at(5, 'blocked'), false); // waits
    p.set(at(6, 'next'), true);
    p.set(at(6, 'blocked'), false); // waits again
    p.stop();
    vi.advanceTimersByTime(MARK_EVERY_MS * 2);
    expect(drawn.map((d) => d.m)).toEqual([at(5, 'next'), at(6, 'next')]);
  });

  it('after a quiet while, a flip on the same line shows at once', () => {
    const { p, drawn } = paced();
    p.set(at(7, 'next'), true);
    vi.advanceTimersByTime(MARK_EVERY_MS + 1);
    p.set(at(7, 'blocked'), false);
    expect(drawn.map((d) => d.m.kind)).toEqual(['next', 'blocked']);
  });
});
