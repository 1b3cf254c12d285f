/**
 * The lesson runner. It judges the current step's checkpoint on every event the lab sends
 * (reducing each event itself, so a state that lasts one event is not missed between two
 * frames), latches it once it holds, and only then lets the student go on. It offers a hint
 * after a while, resets a step or a lesson by replaying it on the real lab
 * (app/contract/lesson-replay.ts), and keeps progress in localStorage (./progress.ts): the
 * steps done, the answers and the steps' times (./step-records.ts). While the step's question
 * is unanswered the lab's own controls for the lesson's actors are held, and a step that needs
 * a socket in TIME_WAIT counts its kernel timer down (./step-guards.ts).
 * The list is the bundled lessons and the teacher's own, loaded at run time with the C programs
 * they name (./teacher-files.ts, ./user-lessons.ts). The bundled lessons and the checks load
 * after the window's first paint, as a chunk of their own (@/lessons/bundled.ts): until then
 * the list says it is loading (`catalog`), and a lesson started meanwhile starts once they are in.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Measure, Verdict } from '@contract/checkpoint-eval';
import type { Checkpoint } from '@contract/checkpoints';
import type { Lesson } from '@contract/lesson';
import type { LabDriver, ReplaySay } from '@contract/lesson-replay';
import { reduce, type ViewState } from '@contract/reducer';
import { useLabStore } from './lab';
import type { LessonEntry } from '@/lessons/catalog';
import { useBundledLessons } from '@/lessons/load-bundled';
import { saveProgress, type Progress } from '@/lessons/progress';
import { lessonActors, useTimeWait } from '@/lessons/step-guards';
import { useStepRecords } from '@/lessons/step-records';
import { useTeacherFiles } from '@/lessons/teacher-files';
import { own } from '@contract/own';

/** A hint is offered when a step has not been reached after this long. */
export const HINT_AFTER_MS = 60_000;

/** Where the current step stands. */
export type StepStatus = 'idle' | 'resetting' | 'working' | 'passed' | 'failed';

/** Lessons, the current lesson and step, its verdict, hints, question and progress. */
export const useLessonStore = defineStore('lessons', () => {
  const lab = useLabStore();

  /** The bundled lessons (none until their chunk is in, after the first paint), where they stand. */
  // What localStorage keeps is read back with the bundled lessons' chunk (it needs zod, which
  // the window loads after its first paint): nothing is kept or changed before, as no lesson
  // can be taken and no teacher's file loaded until then.
  // The lesson machinery (checkpoints judged, steps replayed) is in that chunk too (`kit`).
  const {
    bundled,
    catalog,
    chunk: kit,
    checks,
    ready,
    setFiles,
  } = useBundledLessons((m) => {
    const loaded = m.loadProgress();
    progress.value = loaded.progress;
    steps.records.value = loaded.records;
    progressNotice.value = loaded.damaged;
    teacher.restore(m.loadUserLessons());
  });
  /** Lesson id → completed step indices. */
  const progress = ref<Progress>({});
  /** Lesson id → step index → the first answer, the step's time, when it passed. */
  const steps = useStepRecords({});
  /** Set when saved progress was damaged and set aside (shown once, dismissable). */
  const progressNotice = ref<string | null>(null);

  /** The lesson being taken, by id; null in the list or the sandbox. */
  const currentId = ref<string | null>(null);
  /** The teacher's own files (lessons and their C programs), loaded at run time. */
  const teacher = useTeacherFiles({ bundled, checks, ready, currentId, leave, forgetProgress });
  /** Every lesson file, bundled then the teacher's own: loaded, or not with its errors. */
  const entries = computed<LessonEntry[]>(() => [...bundled.value, ...teacher.userEntries.value]);
  /** Index of the current step. */
  const stepIndex = ref(0);
  /** Status of the current step. */
  const status = ref<StepStatus>('idle');
  /** The checkpoint's latest verdict (its detail says what is missing). */
  const verdict = ref<Verdict | null>(null);
  /** The answer the student chose for the step's question, or null. */
  const answer = ref<number | null>(null);
  /** How many hints are shown. */
  const hintsShown = ref(0);
  /** True once the step has waited HINT_AFTER_MS: the window offers a hint. */
  const hintOffered = ref(false);
  /** What went wrong in the last action or reset: codes, a verdict (said in the window's language), or a transport's text. */
  const error = ref<ReplaySay[] | null>(null);
  /** An action or a reset is in progress. */
  const busy = ref(false);
  /** The current lesson is complete (its last step passed and the student finished). */
  const finished = ref(false);
  /** The lab was reset from outside the lesson: the step should be set up again (Reset step). */
  const labWasReset = ref(false);

  /** The current lesson. */
  const lesson = computed<Lesson | null>(
    () => entries.value.find((e) => e.lesson?.id === currentId.value)?.lesson ?? null,
  );
  /** The current step. */
  const step = computed(() => lesson.value?.steps[stepIndex.value] ?? null);
  /** Whether the current step's question (if any) is answered: the action waits for it. */
  const questionAnswered = computed(() => !step.value?.question || answer.value !== null);
  /** The lab's own controls wait for the answer: the step is being done, its question open. */
  const holding = computed(() => status.value === 'working' && !questionAnswered.value);
  /** The actors the current lesson's question holds. */
  const actors = computed(() => (lesson.value ? lessonActors(lesson.value) : new Set<string>()));
  /** How many presses of the lab's own controls were held since the step began (the runner says why). */
  const heldPresses = ref(0);
  /** The TIME_WAIT the current step needs, counted down: null when it needs none. */
  const timeWait = useTimeWait(step, status, () => lab.liveView);

  // The runner's own reduction of the event stream: per event, not per frame.
  let judged: { events: readonly unknown[]; n: number; view: ViewState } | null = null;
  let hintTimer: ReturnType<typeof setTimeout> | undefined;

  function judgeAll(): void {
    const cp = step.value?.checkpoint;
    // A replayed trace is not the lab: checkpoints are judged on the live lab only.
    const k = kit.value;
    if (!cp || !k || status.value !== 'working' || lab.replay) return;
    const list = lab.events;
    if (!judged || judged.events !== list || judged.n > list.length) {
      // First look, or the store started a new log: judge its current view.
      judged = { events: list, n: list.length, view: lab.liveView };
      const v = k.evaluate(cp, judged.view);
      verdict.value = v;
      if (v.ok) pass();
      return;
    }
    let view = judged.view;
    for (let i = judged.n; i < list.length; i++) {
      const e = list[i]!;
      // A reset the lesson did not ask for (the header's Reset): the step's setup is gone.
      if (e.type === 'lab.reset' && !busy.value) labWasReset.value = true;
      view = reduce(view, e);
      const v = k.evaluate(cp, view);
      if (v.ok) {
        judged = { events: list, n: i + 1, view };
        verdict.value = v;
        pass();
        return;
      }
    }
    judged = { events: list, n: list.length, view };
    verdict.value = k.evaluate(cp, view);
  }

  /** Keep the progress and the steps' records. */
  // Nothing to save before the stored progress is read back (with the chunk).
  const persist = () => kit.value !== null && saveProgress(progress.value, steps.records.value);

  function pass(): void {
    status.value = 'passed';
    clearTimeout(hintTimer);
    const id = currentId.value;
    if (!id) return;
    const done = new Set(own(progress.value, id) ?? []);
    done.add(stepIndex.value);
    progress.value = { ...progress.value, [id]: [...done].sort((a, b) => a - b) };
    steps.passed(id, stepIndex.value);
    persist();
  }

  // The events list is appended in place and re-triggered once per batch.
  watch(
    () => [lab.events, lab.updates] as const,
    () => judgeAll(),
  );

  function beginStep(i: number): void {
    stepIndex.value = i;
    answer.value = null;
    hintsShown.value = 0;
    hintOffered.value = false;
    verdict.value = null;
    error.value = null;
    finished.value = false;
    labWasReset.value = false;
    heldPresses.value = 0;
    judged = null;
    if (currentId.value) steps.opened(currentId.value, i);
    status.value = 'working';
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => {
      if (status.value === 'working') hintOffered.value = true;
    }, HINT_AFTER_MS);
    judgeAll();
  }

  /** The lab as the replay sees it: the window's live view, commands through the lab store. */
  const driver: LabDriver = {
    command: (cmd) => lab.command(cmd),
    view: () => lab.liveView,
    waitFor(pred, timeoutMs) {
      return new Promise((resolve) => {
        if (pred(lab.liveView)) return resolve(true);
        const timer = setTimeout(() => {
          stop();
          resolve(false);
        }, timeoutMs);
        const stop = watch(
          () => lab.liveView,
          (v) => {
            if (pred(v)) {
              clearTimeout(timer);
              stop();
              resolve(true);
            }
          },
        );
      });
    },
  };

  /** Reset the lab and replay the lesson to the start of step `i`, then judge step i. */
  async function goTo(i: number): Promise<boolean> {
    const l = lesson.value;
    if (!l) return false;
    busy.value = true;
    status.value = 'resetting';
    error.value = null;
    lab.goLive();
    try {
      const k = kit.value ?? ((await ready()) ? kit.value : null);
      if (!k) throw new Error('the lessons could not be loaded');
      const r = await k.replayTo(l, i, driver);
      if (!r.ok) {
        status.value = 'failed';
        error.value = r.says ?? [r.error ?? 'replay failed'];
        return false;
      }
      beginStep(i);
      return true;
    } finally {
      busy.value = false;
    }
  }

  /**
   * Open a lesson at its first step not yet completed (or the first, if all are); one asked
   * for while the bundled lessons load starts once they are in.
   */
  async function start(id: string): Promise<boolean> {
    if (catalog.value !== 'ready') await ready();
    const e = entries.value.find((x) => x.lesson?.id === id);
    if (!e?.lesson) return false;
    currentId.value = id;
    const done = new Set(own(progress.value, id) ?? []);
    let first = e.lesson.steps.findIndex((_, i) => !done.has(i));
    if (first < 0) first = 0;
    return goTo(first);
  }

  /**
   * Do the current step's action, all of it: a step or run with `times` makes its presses one
   * after another, as inside a sequence and in a replay (the student may press the lab's own
   * buttons instead). Refused until the question is answered.
   */
  async function act(): Promise<void> {
    const l = lesson.value;
    const s = step.value;
    const k = kit.value;
    if (!l || !s || !k || busy.value || !questionAnswered.value) return;
    busy.value = true;
    error.value = null;
    lab.goLive();
    try {
      const r = await k.replayAction(l, s.action, driver);
      if (!r.ok) error.value = r.says;
    } finally {
      busy.value = false;
    }
  }

  /** The counts a checkpoint depends on, live from `view` (none until the machinery is in). */
  function measure(cp: Checkpoint, view: ViewState): Measure[] {
    return kit.value?.measures(cp, view) ?? [];
  }

  /** Go to the next step; only once the current checkpoint held. The last step finishes the lesson. */
  function next(): void {
    const l = lesson.value;
    if (!l || status.value !== 'passed') return;
    if (stepIndex.value + 1 >= l.steps.length) {
      finished.value = true;
      return;
    }
    beginStep(stepIndex.value + 1);
  }

  /** Choose an answer to the step's question (once); the first answer to it is kept. */
  function choose(i: number): void {
    if (answer.value !== null) return;
    answer.value = i;
    const q = step.value?.question;
    const id = currentId.value;
    if (q && id && steps.answered(id, stepIndex.value, i, i === q.answer)) persist();
  }

  /** Whether the lab's own Step, Next call, Run and Interrupt for `actor` wait for the answer. */
  function holds(actor: string): boolean {
    return holding.value && actors.value.has(actor);
  }

  /** A press of the lab's own controls was held (the runner says to answer first). */
  function heldPress(): void {
    heldPresses.value++;
  }

  /** Show one more hint. */
  function hint(): void {
    const n = step.value?.hints.length ?? 0;
    if (hintsShown.value < n) hintsShown.value++;
    hintOffered.value = false;
  }

  /** Set the lab back to where the current step begins. */
  const resetStep = () => goTo(stepIndex.value);
  /** Start the lesson again from its first step (progress is kept). */
  const resetLesson = () => goTo(0);

  /** Leave the lesson for the list or the sandbox: nothing is judged until a lesson opens. */
  function leave(): void {
    currentId.value = null;
    status.value = 'idle';
    finished.value = false;
    clearTimeout(hintTimer);
  }

  /** Forget the damaged-progress message. */
  function dismissNotice(): void {
    progressNotice.value = null;
  }

  function forgetProgress(id: string): void {
    const records = steps.forget(id);
    if (!Object.hasOwn(progress.value, id)) {
      if (records) persist();
      return;
    }
    const { [id]: _gone, ...rest } = progress.value;
    progress.value = rest;
    persist();
  }

  return {
    entries,
    catalog,
    ready,
    progress,
    progressNotice,
    currentId,
    stepIndex,
    status,
    verdict,
    answer,
    hintsShown,
    hintOffered,
    error,
    busy,
    finished,
    labWasReset,
    lesson,
    step,
    questionAnswered,
    holding,
    heldPresses,
    timeWait,
    records: steps.records,
    measure,
    holds,
    heldPress,
    start,
    act,
    next,
    choose,
    hint,
    resetStep,
    resetLesson,
    leave,
    dismissNotice,
    setFiles,
    userFiles: teacher.userFiles,
    userPrograms: teacher.userPrograms,
    userNotice: teacher.userNotice,
    loadFailure: teacher.loadFailure,
    loadSuccess: teacher.loadSuccess,
    loadLessonFile: teacher.loadLessonFile,
    loadProgramFile: teacher.loadProgramFile,
    loadFiles: teacher.loadFiles,
    removeUserLesson: teacher.removeUserLesson,
    removeUserProgram: teacher.removeUserProgram,
    dismissLoadMessage: teacher.dismissLoadMessage,
    driver,
  };
});
