/**
 * Replay of the timeline (stores/playback.ts and the timeline's controls): auto-play at each
 * speed from 0.25× to 4×, pause, one event at a time, the speed remembered, the end of the
 * log going live. Time is vitest's fake clock: every tick is waited for by advancing it.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import TimelineBar from '@/components/lab/TimelineBar.vue';
import { useLabStore } from '@/stores/lab';
import { SPEEDS, TICK_MS, usePlaybackStore } from '@/stores/playback';
import { useUiStore } from '@/stores/ui';
import { classicEvents } from './fixtures/classic';

/** The readings that come with the event before them (see playback.ts). */
const READINGS = new Set(['socket.kernel', 'socket.buffers', 'socket.queue', 'capture.status']);
/** The positions auto-play stops at, from `from`: after each event and the readings after it. */
function stops(from: number): number[] {
  const out: number[] = [];
  let n = from;
  while (n < classicEvents.length) {
    n++;
    while (n < classicEvents.length && READINGS.has(classicEvents[n]!.type)) n++;
    out.push(n);
  }
  return out;
}

describe('replay of the timeline', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.useFakeTimers();
    useUiStore().setLang('en');
    useLabStore().append(classicEvents);
  });
  afterEach(() => vi.useRealTimers());

  it('plays from the start when live, one stop per interval at 1×, and goes live at the end', () => {
    const lab = useLabStore();
    const play = usePlaybackStore();
    expect(lab.live).toBe(true);
    play.play();
    expect(play.playing).toBe(true);
    expect(lab.position).toBe(0);
    const want = stops(0);
    for (const n of want.slice(0, 5)) {
      vi.advanceTimersByTime(TICK_MS - 1);
      expect(lab.position).toBe(want[want.indexOf(n) - 1] ?? 0); // not yet
      vi.advanceTimersByTime(1);
      expect(lab.position).toBe(n);
    }
    // A tick never lands on a bare reading: the event before it comes with it.
    for (const n of want.slice(0, -1)) expect(READINGS.has(classicEvents[n]!.type)).toBe(false);
    vi.advanceTimersByTime(TICK_MS * want.length);
    expect(lab.position).toBe(classicEvents.length);
    expect(lab.live).toBe(true);
    expect(play.playing).toBe(false);
  });

  it('takes TICK_MS / speed per stop at every speed from 0.25× to 4×', () => {
    const lab = useLabStore();
    const play = usePlaybackStore();
    expect([...SPEEDS]).toEqual([0.25, 0.5, 1, 2, 4]);
    for (const s of SPEEDS) {
      play.setSpeed(s);
      lab.seek(0);
      play.play();
      const ms = TICK_MS / s;
      expect(play.interval).toBe(ms);
      vi.advanceTimersByTime(ms - 1);
      expect(lab.position, `${s}×`).toBe(0);
      vi.advanceTimersByTime(1);
      expect(lab.position, `${s}×`).toBe(stops(0)[0]);
      vi.advanceTimersByTime(ms);
      expect(lab.position, `${s}×`).toBe(stops(0)[1]);
      play.pause();
    }
  });

  it('a new speed applies to the tick under way; faster and slower stay within 0.25×–4×', () => {
    const lab = useLabStore();
    const play = usePlaybackStore();
    lab.seek(0);
    play.play();
    vi.advanceTimersByTime(TICK_MS / 2);
    play.setSpeed(4); // the next stop comes TICK_MS / 4 from now
    vi.advanceTimersByTime(TICK_MS / 4);
    expect(lab.position).toBe(stops(0)[0]);
    play.stepSpeed(1);
    expect(play.speed).toBe(4);
    for (let i = 0; i < 6; i++) play.stepSpeed(-1);
    expect(play.speed).toBe(0.25);
    // Remembered for the next window.
    setActivePinia(createPinia());
    expect(usePlaybackStore().speed).toBe(0.25);
  });

  it('pauses where it is, steps one event either way (pausing a play), and plays on from there', () => {
    const lab = useLabStore();
    const play = usePlaybackStore();
    lab.seek(10);
    play.play();
    vi.advanceTimersByTime(TICK_MS);
    const at = lab.position;
    expect(at).toBe(stops(10)[0]);
    play.pause();
    vi.advanceTimersByTime(TICK_MS * 10);
    expect(lab.position).toBe(at);
    play.stepOne();
    expect(lab.position).toBe(at + 1); // exactly one event, a reading included
    play.stepOneBack();
    play.stepOneBack();
    expect(lab.position).toBe(at - 1);
    play.play();
    play.stepOne();
    expect(play.playing).toBe(false);
    expect(lab.position).toBe(at);
    // Playing from the past goes on from there, not from the start.
    play.toggle();
    vi.advanceTimersByTime(TICK_MS);
    expect(lab.position).toBe(stops(at)[0]);
    // Going live ends the play.
    lab.goLive();
    expect(play.playing).toBe(false);
  });

  it('the timeline bar: play and pause, the speed menu, one event forward', async () => {
    const lab = useLabStore();
    const play = usePlaybackStore();
    const w = mount(TimelineBar);
    const button = w.get('[data-test="timeline-play"]');
    expect(button.attributes('aria-pressed')).toBe('false');
    expect(button.attributes('title')).toBe('Play the timeline from its start (p)');
    await button.trigger('click');
    expect(button.attributes('aria-pressed')).toBe('true');
    expect(button.text()).toContain('Pause');
    vi.advanceTimersByTime(TICK_MS);
    await nextTick();
    expect(w.get('[data-test="timeline-position"]').text()).toBe(
      `Event ${stops(0)[0]} of ${classicEvents.length}`,
    );
    expect(w.text()).toContain('Playing the past at 1×');
    await button.trigger('click');
    expect(play.playing).toBe(false);
    expect(w.text()).toContain('Showing the past');
    const speed = w.get('[data-test="timeline-speed"]');
    expect(speed.findAll('option').map((o) => o.text())).toEqual(['0.25×', '0.5×', '1×', '2×', '4×']);
    await speed.setValue('0.25');
    expect(play.speed).toBe(0.25);
    const at = lab.position;
    await w.get('[data-test="timeline-forward"]').trigger('click');
    expect(lab.position).toBe(at + 1);
    await nextTick();
    expect(button.attributes('title')).toBe('Play the timeline from here (p)');
    w.unmount();
  });
});
