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
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { LabEvent } from '@contract';
import { useLabStore } from './lab';

/** The speeds offered, slowest first. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
/** One of SPEEDS. */
export type Speed = (typeof SPEEDS)[number];
/** Time between two ticks at 1×, in ms. */
export const TICK_MS = 800;

/** Readings that come with the event before them rather than as a step of their own. */
const READINGS: ReadonlySet<LabEvent['type']> = new Set([
  'socket.kernel',
  'socket.buffers',
  'socket.queue',
  'capture.status',
]);

const SPEED_KEY = 'tcplab.speed';

function storedSpeed(): Speed {
  let v: string | null = null;
  try {
    v = globalThis.localStorage?.getItem(SPEED_KEY) ?? null;
  } catch {
    /* storage disabled: the default */
  }
  const n = Number(v);
  return (SPEEDS as readonly number[]).includes(n) && v !== null ? (n as Speed) : 1;
}

/** Auto-play of the timeline and its speed. */
export const usePlaybackStore = defineStore('playback', () => {
  const lab = useLabStore();
  /** The speed, remembered across windows. */
  const speed = ref<Speed>(storedSpeed());
  /** Whether the timeline is playing. */
  const playing = ref(false);
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;

  /** Time between two ticks at the current speed, in ms. */
  const interval = computed(() => TICK_MS / speed.value);

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
    if (!playing.value) return;
    lab.seek(nextStop(lab.position));
    if (lab.position >= lab.total) pause();
    else schedule();
  }

  /**
   * Play from where the timeline is; from its start when it is at the end (live, or the end
   * of a replayed trace). The first event shows after one interval.
   */
  function play(): void {
    if (lab.total === 0) return;
    if (lab.position >= lab.total) lab.seek(0);
    playing.value = true;
    schedule();
  }
  /** Stop where the timeline is. */
  function pause(): void {
    playing.value = false;
    if (timer !== null) globalThis.clearTimeout(timer);
    timer = null;
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
    try {
      globalThis.localStorage?.setItem(SPEED_KEY, String(s));
    } catch {
      /* not remembered, still applied */
    }
    if (playing.value) schedule();
  }
  /** One speed faster (`by` 1) or slower (-1), within SPEEDS. */
  function stepSpeed(by: number): void {
    const i = SPEEDS.indexOf(speed.value);
    setSpeed(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + by))]!);
  }

  // Going live (the Live button, a reset, a replay left) ends the play.
  watch(
    () => lab.live,
    (live) => {
      if (live && playing.value && lab.position >= lab.total) pause();
    },
    { flush: 'sync' },
  );

  return { speed, playing, interval, play, pause, toggle, stepOne, stepOneBack, setSpeed, stepSpeed };
});
