/**
 * The live reveal of the ladder's new rows (components/ladder/reveal.ts) follows the replay's
 * speed and pause (stores/playback.ts): one row per REVEAL_MS / speed, nothing new while
 * paused, the backlog rule kept. Time is vitest's fake clock, advanced by hand.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, nextTick, ref, type Ref } from 'vue';
import { reduceAll } from '@contract';
import LadderDiagram from '@/components/LadderDiagram.vue';
import type { LadderItem } from '@/components/ladder/fold';
import { MAX_BACKLOG, shownFlags, useReveal, type Reveal, type RevealPace } from '@/components/ladder/reveal';
import { foldRows } from '@/components/ladder/fold';
import type { LadderSegmentRow } from '@/format/ladder';
import { REVEAL_MS, SPEEDS, usePlaybackStore } from '@/stores/playback';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { classicEvents, countUntil } from '../fixtures/classic';

const row = (seq: number): LadderSegmentRow => ({
  kind: 'segment',
  seq,
  time: seq,
  dir: 'c2s',
  flags: 'ACK',
  seqNo: seq,
  ackNo: 1,
  relSeq: seq,
  relAck: 1,
  len: 0,
  win: 65_535,
  source: 'captured',
  tMs: seq,
});
const rows = (n: number, from = 1): LadderItem[] => Array.from({ length: n }, (_, i) => row(from + i));

/** useReveal in a component, live from the start with no rows. */
function harness(pace: Ref<RevealPace>) {
  const items = ref<LadderItem[]>([]);
  const animate = ref(true);
  let r!: Reveal;
  const w = mount(
    defineComponent({
      setup() {
        r = useReveal(items, animate, pace);
        return () => null;
      },
    }),
  );
  return { items, animate, r, w };
}

/** How many rows are drawn after `ms` more. */
async function after(r: Reveal, ms: number): Promise<number> {
  vi.advanceTimersByTime(ms);
  await nextTick();
  return r.shown.value.length;
}

describe('what counts as shown', () => {
  const segs = rows(20).filter((r): r is LadderSegmentRow => r.kind === 'segment');
  it('a fold is shown once it or any of its rows was, and an expanded fold’s rows with it', () => {
    const [fold] = foldRows(segs, new Set());
    expect(fold?.kind).toBe('fold');
    expect(shownFlags([fold!], new Set())).toEqual([false]);
    expect(shownFlags([fold!], new Set([7]))).toEqual([true]); // it grew out of row 7
    expect(shownFlags([fold!], new Set([1]))).toEqual([true]); // its own seq
    const open = foldRows(segs, new Set(['fold:1']));
    expect(open).toHaveLength(21);
    expect(shownFlags(open, new Set([1]))).toEqual(open.map(() => true));
    // Not shown, its rows are not either, but for those shown before it folded.
    expect(shownFlags(open, new Set([3]))).toEqual(open.map((i) => i.kind === 'segment' && i.seq === 3));
  });
});

describe('the live reveal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('draws one new row per step, at the step the pace gives, and counts those waiting', async () => {
    for (const stepMs of [REVEAL_MS * 4, REVEAL_MS, REVEAL_MS / 4]) {
      const pace = ref<RevealPace>({ stepMs, held: false });
      const { items, r, w } = harness(pace);
      items.value = rows(3);
      await nextTick();
      expect(r.shown.value).toHaveLength(0);
      expect(r.waiting.value).toBe(3);
      for (let n = 1; n <= 3; n++) {
        expect(await after(r, stepMs - 1)).toBe(n - 1);
        expect(await after(r, 1)).toBe(n);
      }
      expect(r.waiting.value).toBe(0);
      w.unmount();
    }
  });

  it('a new speed applies at once: the wait under way starts again at it', async () => {
    const pace = ref<RevealPace>({ stepMs: 1600, held: false });
    const { items, r } = harness(pace);
    items.value = rows(3);
    await nextTick();
    expect(await after(r, 1000)).toBe(0);
    pace.value = { stepMs: 100, held: false };
    await nextTick();
    expect(await after(r, 99)).toBe(0);
    expect(await after(r, 1)).toBe(1);
    expect(await after(r, 100)).toBe(2);
  });

  it('paused, nothing new appears, not even past the backlog; going on, the backlog rule again', async () => {
    const pace = ref<RevealPace>({ stepMs: 400, held: false });
    const { items, r } = harness(pace);
    items.value = rows(2);
    await nextTick();
    expect(await after(r, 400)).toBe(1);
    pace.value = { stepMs: 400, held: true };
    await nextTick();
    items.value = rows(2 + MAX_BACKLOG + 3);
    await nextTick();
    expect(await after(r, 60_000)).toBe(1);
    expect(r.waiting.value).toBe(MAX_BACKLOG + 4);
    pace.value = { stepMs: 400, held: false };
    await nextTick();
    // The older ones at once, MAX_BACKLOG left to come one per step.
    expect(r.shown.value.length).toBe(5);
    expect(await after(r, 399)).toBe(5);
    expect(await after(r, 1)).toBe(6);
    expect(r.waiting.value).toBe(MAX_BACKLOG - 1);
    expect(r.shown.value.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('not animating (the past), everything shows at once, pause or not', async () => {
    const pace = ref<RevealPace>({ stepMs: 400, held: true });
    const { items, animate, r } = harness(pace);
    animate.value = false;
    items.value = rows(5);
    await nextTick();
    expect(r.shown.value).toHaveLength(5);
    expect(r.waiting.value).toBe(0);
  });
});

describe('the ladder live, with the timeline’s speed and pause', () => {
  let pinia: Pinia;
  beforeEach(() => {
    localStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
    vi.useFakeTimers();
    useUiStore().setLang('en');
  });
  afterEach(() => vi.useRealTimers());

  const upTo = (pred: (e: (typeof classicEvents)[number]) => boolean) =>
    reduceAll(classicEvents, countUntil(pred));
  const first = upTo((e) => e.type === 'segment');
  const handshake = upTo((e) => e.type === 'socket.state' && e.socket === 's3' && e.to === 'ESTABLISHED');

  /** The ladder showing the first segment, then given the whole handshake. */
  async function ladder() {
    const w = mount(LadderDiagram, { props: { view: first, animate: true }, global: { plugins: [pinia] } });
    await w.setProps({ view: handshake });
    vi.advanceTimersByTime(100); // the ladder follows the view every 100 ms live
    await nextTick();
    return w;
  }
  const labels = (w: Awaited<ReturnType<typeof ladder>>) => w.findAll('text.label').length;
  const rowsDrawn = (w: Awaited<ReturnType<typeof ladder>>) => w.findAll('g.row').length;

  it('draws the new rows REVEAL_MS / speed apart at every speed', async () => {
    for (const speed of SPEEDS) {
      usePlaybackStore().setSpeed(speed);
      const w = await ladder();
      const start = rowsDrawn(w);
      const step = REVEAL_MS / speed;
      vi.advanceTimersByTime(step - 1);
      await nextTick();
      expect(rowsDrawn(w), `${speed}×`).toBe(start);
      vi.advanceTimersByTime(1);
      await nextTick();
      expect(rowsDrawn(w), `${speed}×`).toBe(start + 1);
      w.unmount();
    }
  });

  it('the timeline plays while rows wait; Pause holds them, saying so, and Play draws them', async () => {
    const playback = usePlaybackStore();
    useLabStore(); // live, at the end of an empty log
    const w = await ladder();
    expect(labels(w)).toBe(1);
    expect(playback.waiting).toBeGreaterThan(2);
    expect(playback.playing).toBe(true);
    playback.toggle(); // p, or the Pause button
    await nextTick();
    expect(playback.playing).toBe(false);
    expect(w.get('[data-test="ladder-held"]').text()).toBe(
      `Paused: ${playback.waiting} new rows wait. Play (p) draws them.`,
    );
    const held = rowsDrawn(w);
    vi.advanceTimersByTime(60_000);
    await nextTick();
    expect(rowsDrawn(w)).toBe(held);
    playback.toggle(); // Play goes on with the rows, not a replay from the start
    await nextTick();
    expect(playback.playing).toBe(true);
    expect(w.find('[data-test="ladder-held"]').exists()).toBe(false);
    vi.advanceTimersByTime(REVEAL_MS * 20);
    await nextTick();
    expect(labels(w)).toBe(3);
    expect(playback.waiting).toBe(0);
    expect(playback.playing).toBe(false);
    expect(useLabStore().position).toBe(useLabStore().total);
  });
});
