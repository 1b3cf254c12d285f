/**
 * What guards the step being taken, besides its checkpoint:
 *
 * - Its question. Until the student answers, the lab's own Step, Next call, Run and Interrupt
 *   for the lesson's actors are held (the buttons, the keys and the menu, ./hold.ts), so a
 *   prediction cannot be skipped by pressing Step in the lab.
 * - Its `needsTimeWait`. The kernel's TIME_WAIT timer cannot be held (its length is the
 *   kernel's, about 60 s on Linux, and no call of a program changes it), so the window shows
 *   the time the kernel's table gives, warns before it runs out, and offers Reset step once
 *   it has (app/contract/lesson-replay.ts sets it up again).
 *
 * Used inside the lesson store's setup (stores/lessons.ts).
 */
import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import type { Lesson, LessonAction, LessonStep } from '@contract/lesson';
import { timeWaitLeft } from '@contract/time-wait';
import type { ViewState } from '@contract/reducer';

/** The window warns when the TIME_WAIT a step needs has this little left. */
export const TIME_WAIT_WARN_MS = 20_000;

/** The actors of a lesson: the server, the client, and every actor its actions name. */
export function lessonActors(lesson: Lesson): Set<string> {
  const out = new Set<string>(['server', 'client']);
  const walk = (a: LessonAction): void => {
    if (a.kind === 'together' || a.kind === 'sequence') a.of.forEach(walk);
    else if ('actor' in a) out.add(a.actor);
  };
  for (const s of lesson.steps) walk(s.action);
  return out;
}

/**
 * Where the TIME_WAIT a step needs stands: `ok` (time left, or the kernel gives no timer:
 * `leftS` null), `low` (at most TIME_WAIT_WARN_MS left), `gone` (the kernel's table lists
 * none of the actor's sockets in TIME_WAIT any more: Reset step sets it up again).
 */
export interface TimeWaitStatus {
  actor: string;
  state: 'ok' | 'low' | 'gone';
  /** Seconds left on the kernel's timer (rounded up); null when it gives none. */
  leftS: number | null;
}

/**
 * The TIME_WAIT the current step needs, counted down each second from the kernel's last
 * reading while the step is being done; null for a step that needs none, or once it passed.
 */
export function useTimeWait(
  step: Readonly<Ref<LessonStep | null>>,
  status: Readonly<Ref<string>>,
  view: () => ViewState,
): Readonly<Ref<TimeWaitStatus | null>> {
  const clock = ref(Date.now());
  const need = computed(() => (status.value === 'working' ? (step.value?.needsTimeWait ?? null) : null));
  let tick: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(tick);
    tick = undefined;
  };
  watch(
    need,
    (n) => {
      stop();
      if (!n) return;
      clock.value = Date.now();
      tick = setInterval(() => (clock.value = Date.now()), 1000);
    },
    // At once: the count down starts from the moment the step needs it.
    { immediate: true, flush: 'sync' },
  );
  onScopeDispose(stop);
  return computed(() => {
    const n = need.value;
    if (!n) return null;
    const { count, leftMs } = timeWaitLeft(view(), n.actor, clock.value);
    if (count === 0 || leftMs === 0) return { actor: n.actor, state: 'gone', leftS: 0 };
    if (leftMs === null) return { actor: n.actor, state: 'ok', leftS: null };
    return {
      actor: n.actor,
      state: leftMs <= TIME_WAIT_WARN_MS ? 'low' : 'ok',
      leftS: Math.ceil(leftMs / 1000),
    };
  });
}
