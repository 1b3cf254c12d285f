/**
 * Replay of the timeline: auto-play at a speed from 0.25× to 4×, pause, and one event at a
 * time. Playing moves the lab store's timeline cursor (what the window shows), never the
 * real sockets; reaching the end of the log is live again (or the end of a replayed trace),
 * and playing stops there.
 *
 * One tick shows the next event, together with the kernel readings that follow it at once
 * (state, queue and buffer readings, capture status): a step of the timeline then always
 * changes something a student can see, and a call's result comes with its buffers. The
 * ladder follows the cursor, so it draws a row per tick at the chosen speed.
 *
 * Live, the ladder draws its new rows one after another (components/ladder/reveal.ts) at the
 * same speed (REVEAL_MS apart at 1×), and pause holds them: while rows wait to be drawn,
 * the timeline is playing them, and Pause (p) stops there until Play goes on.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { LabEvent } from '@contract';
import { useLabStore } from './lab';
import { useRemembered } from '@/composables/useRemembered';

/** The speeds offered, slowest first. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
/** One of SPEEDS. */
export type Speed = (typeof SPEEDS)[number];
/** Time between two ticks at 1×, in ms. */
export const TICK_MS = 800;
/** Time between two of the ladder's new rows appearing live at 1×, in ms. */
export const REVEAL_MS = 400;

/** Readings that come with the event before them rather than as a step of their own. */
const READINGS: ReadonlySet<LabEvent['type']> = new Set([
  'socket.kernel',
  'socket.buffers',
  'socket.queue',
  'capture.status',
]);

const SPEED_KEY = 'tcplab.speed';

/** A stored speed, if it is one of SPEEDS; anything else reads as 1×. */
function speedFrom(v: string): Speed {
  const n = Number(v);
  return v !== '' && (SPEEDS as readonly number[]).includes(n) ? (n as Speed) : 1;
}

/** Auto-play of the timeline and its speed. */
export const usePlaybackStore = defineStore('playback', () => {
  const lab = useLabStore();
  /** The speed, remembered across windows. */
  const speed = useRemembered<Speed>(SPEED_KEY, 1, speedFrom, String);
  /** Whether the timeline is replaying the log. */
  const replaying = ref(false);
  /** Live, how many of the ladder's new rows wait to be drawn (the ladder says). */
  const waiting = ref(0);
  /** Live, whether those rows wait for Play (paused). */
  const held = ref(false);
  /** Whether the timeline is playing: replaying the log, or drawing new rows live. */
  const playing = computed(() => replaying.value || (lab.live && waiting.value > 0 && !held.value));
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;

  /** Time between two ticks at the current speed, in ms. */
  const interval = computed(() => TICK_MS / speed.value);
  /** Time between two of the ladder's new rows live at the current speed, in ms. */
  const revealMs = computed(() => REVEAL_MS / speed.value);

  function schedule(): void {
    if (timer !== null) globalThis.clearTimeout(timer);
    timer = globalThis.setTimeout(tick, interval.value);
  }

  /** The position after the next event and the readings that follow it. */
  function nextStop(from: number): number {
    const list = lab.events;
    let n = Math.min(from + 1, list.length);
    while (n < list.length && READINGS.has(list[n]!.type)) n++;
    return n;
  }

  function tick(): void {
    timer = null;
    if (!replaying.value) return;
    lab.seek(nextStop(lab.position));
    if (lab.position >= lab.total) pause();
    else schedule();
  }

  /**
   * Play from where the timeline is; from its start when it is at the end (live, or the end
   * of a replayed trace). The first event shows after one interval. Live with rows held by
   * a pause, draw them instead.
   */
  function play(): void {
    if (held.value && lab.live && waiting.value > 0) {
      held.value = false;
      return;
    }
    if (lab.total === 0) return;
    if (lab.position >= lab.total) lab.seek(0);
    replaying.value = true;
    schedule();
  }
  /** Stop where the timeline is (live, the ladder's rows still to draw wait). */
  function pause(): void {
    replaying.value = false;
    if (timer !== null) globalThis.clearTimeout(timer);
    timer = null;
    if (lab.live && waiting.value > 0) held.value = true;
  }
  /** Play or pause. */
  function toggle(): void {
    if (playing.value) pause();
    else play();
  }
  /** Pause and show exactly one more event (reaching the end is live). */
  function stepOne(): void {
    pause();
    lab.stepForward();
  }
  /** Pause and show one event less. */
  function stepOneBack(): void {
    pause();
    lab.stepBack();
  }
  /** Choose a speed and remember it; a tick under way is rescheduled at the new speed. */
  function setSpeed(s: Speed): void {
    speed.value = s;
    if (replaying.value) schedule();
  }
  /** The ladder's count of rows waiting to be drawn live. */
  function setWaiting(n: number): void {
    waiting.value = n;
    // Nothing left to hold (all drawn, or a reset cleared them): the next rows come at once.
    if (n === 0) held.value = false;
  }
  /** One speed faster (`by` 1) or slower (-1), within SPEEDS. */
  function stepSpeed(by: number): void {
    const i = SPEEDS.indexOf(speed.value);
    setSpeed(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + by))]!);
  }

  // Going live (the Live button, a reset, a replay left) ends the play; leaving it or coming
  // back, the ladder draws everything at once, so nothing is held.
  watch(
    () => lab.live,
    (live) => {
      if (live && replaying.value && lab.position >= lab.total) pause();
      held.value = false;
    },
    { flush: 'sync' },
  );

  return {
    speed,
    playing,
    held,
    waiting,
    interval,
    revealMs,
    play,
    pause,
    toggle,
    stepOne,
    stepOneBack,
    setSpeed,
    stepSpeed,
    setWaiting,
  };
});
