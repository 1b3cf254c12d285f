/**
 * What is kept of each step besides its being done (./progress.ts stores it): the answer
 * first chosen for the step's question and whether it was right, the time from the step's
 * opening to its checkpoint holding, and when that was. Each part is written once, the first
 * time it happens: the prediction is the answer given before the explanation was shown, and a
 * step done again later (Reset step, Restart lesson) keeps its first time. Used inside the
 * lesson store's setup (stores/lessons.ts), which saves after each change.
 */
import { ref } from 'vue';
import type { StepRecord, StepRecords } from './progress';
import { own } from '@contract/own';

/** The steps' records, and what the lesson store tells them. */
export function useStepRecords(initial: StepRecords) {
  /** Lesson id → step index → its record. */
  const records = ref<StepRecords>(initial);
  /** The step being timed: since it opened, through its resets, until it passes or another opens. */
  let timing: { id: string; index: number; at: number } | null = null;

  /** Change one step's record; true when something changed. */
  function update(id: string, index: number, change: (r: StepRecord) => StepRecord | null): boolean {
    const lesson = own(records.value, id) ?? {};
    const next = change(own(lesson, String(index)) ?? {});
    if (!next) return false;
    records.value = { ...records.value, [id]: { ...lesson, [String(index)]: next } };
    return true;
  }

  /** A step was opened (or set up again): its time runs from its first opening. */
  function opened(id: string, index: number): void {
    if (timing?.id !== id || timing.index !== index) timing = { id, index, at: Date.now() };
  }

  /** The student chose `choice` for the step's question; kept if it is the first answer. */
  function answered(id: string, index: number, choice: number, correct: boolean): boolean {
    return update(id, index, (r) => (r.answer === undefined ? { ...r, answer: choice, correct } : null));
  }

  /** The step's checkpoint held; its time and moment are kept the first time. */
  function passed(id: string, index: number): boolean {
    const now = Date.now();
    const since = timing?.id === id && timing.index === index ? timing.at : null;
    timing = null;
    return update(id, index, (r) =>
      r.passedAt === undefined
        ? { ...r, passedAt: now, ...(since === null ? {} : { ms: Math.max(0, now - since) }) }
        : null,
    );
  }

  /** Forget a lesson's records (its file was removed, or replaced by a changed one). */
  function forget(id: string): boolean {
    if (!Object.hasOwn(records.value, id)) return false;
    const { [id]: _gone, ...rest } = records.value;
    records.value = rest;
    if (timing?.id === id) timing = null;
    return true;
  }

  return { records, opened, answered, passed, forget };
}
