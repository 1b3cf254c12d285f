/**
 * usePacedView: the actors' columns follow a flood (a step of FLOOD_EVENTS events or more)
 * at most every EVERY_MS and end on the latest view; a small step, or any step that is not
 * live, shows at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref, shallowRef } from 'vue';
import { initialViewState, type ViewState } from '@contract';
import { EVERY_MS, FLOOD_EVENTS, usePacedView } from '@/composables/usePacedView';

const at = (seq: number): ViewState => ({ ...initialViewState(), seq });

describe('usePacedView', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1000;
  });
  afterEach(() => vi.useRealTimers());

  function setup() {
    const source = shallowRef(at(0));
    const live = ref(true);
    const scope = effectScope();
    const shown = scope.run(() =>
      usePacedView(
        () => source.value,
        () => live.value,
        () => clock,
      ),
    )!;
    return { source, live, shown, scope };
  }
  const step = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('shows small steps at once, and the first step of a flood', async () => {
    const { source, shown } = setup();
    source.value = at(5);
    await nextTick();
    expect(shown.value.seq).toBe(5);
    source.value = at(9);
    await nextTick();
    expect(shown.value.seq).toBe(9);
    await step(EVERY_MS);
    source.value = at(5 + FLOOD_EVENTS);
    await nextTick();
    expect(shown.value.seq).toBe(5 + FLOOD_EVENTS);
  });

  it('in a flood, follows at most every EVERY_MS and ends on the latest view', async () => {
    const { source, shown } = setup();
    let seq = 0;
    const flood = async () => {
      seq += 256;
      source.value = at(seq);
      await nextTick();
    };
    await flood(); // the first shows at once
    expect(shown.value.seq).toBe(256);
    const seen = new Set<number>([shown.value.seq]);
    // A frame's batch every 16 ms for a second: about 1000 / EVERY_MS views shown.
    for (let i = 0; i < 62; i++) {
      await step(16);
      await flood();
      seen.add(shown.value.seq);
    }
    expect(seen.size).toBeGreaterThanOrEqual(Math.floor(992 / EVERY_MS));
    expect(seen.size).toBeLessThanOrEqual(Math.ceil(992 / EVERY_MS) + 1);
    expect(shown.value.seq).toBeLessThan(seq);
    // The flood stops: the latest view shows within EVERY_MS.
    await step(EVERY_MS);
    expect(shown.value.seq).toBe(seq);
  });

  it('shows every step at once when not live (the timeline, a replay)', async () => {
    const { source, live, shown } = setup();
    source.value = at(1000);
    await nextTick();
    live.value = false;
    source.value = at(2000);
    await nextTick();
    expect(shown.value.seq).toBe(2000);
    source.value = at(3000);
    await nextTick();
    expect(shown.value.seq).toBe(3000);
  });

  it('a small step while a flood waits shows it and the wait is dropped', async () => {
    const { source, shown, scope } = setup();
    source.value = at(500);
    await nextTick();
    source.value = at(1000);
    await nextTick();
    expect(shown.value.seq).toBe(500);
    source.value = at(1010);
    await nextTick();
    // 510 events since the view shown: still a flood, still waiting.
    expect(shown.value.seq).toBe(500);
    await step(EVERY_MS);
    expect(shown.value.seq).toBe(1010);
    source.value = at(1015);
    await nextTick();
    expect(shown.value.seq).toBe(1015);
    scope.stop();
  });
});
