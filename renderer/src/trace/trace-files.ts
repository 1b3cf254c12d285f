/**
 * Saving the lab's event log as a trace file and opening one to replay it. The format and its
 * checks are the contract's (app/contract/trace.ts); this module moves files in and out of
 * the window and puts the lab store in replay mode.
 */
import type { TraceLesson } from '@contract/trace';
import { makeTrace, serializeTrace, TRACE_EXTENSION } from '@contract/trace-write';
import { validators } from '@/api/validate';
import type { LabEvent, Message } from '@contract';
import { downloadBlob, fileStamp } from '@/export/download';
import type { useLabStore } from '@/stores/lab';
import { version as appVersion } from '../../../package.json';

/** The lab store, as this module uses it. */
type LabStore = ReturnType<typeof useLabStore>;

/** The text of a trace of `events`, and the name to save it under. */
export function traceFile(
  events: readonly LabEvent[],
  now: Date = new Date(),
  lesson?: TraceLesson,
): { name: string; text: string } {
  return {
    name: `tcp-lab-${lesson ? `${lesson.id}-step${lesson.step}-` : ''}${fileStamp(now)}${TRACE_EXTENSION}`,
    text: serializeTrace(makeTrace(events, appVersion, now, lesson)),
  };
}

/** The events of one lesson run: from the last reset (a lesson starts, and sets a step up, with one). */
export function lessonRun(events: readonly LabEvent[]): readonly LabEvent[] {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === 'lab.reset') return events.slice(i);
  return events;
}

/**
 * Download the events the window shows (the live log, or the trace being replayed). During a
 * lesson: that lesson's run, named with the lesson and its step.
 */
export function saveTrace(lab: LabStore, lesson?: TraceLesson): string {
  const { name, text } = lesson
    ? traceFile(lessonRun(lab.events), new Date(), lesson)
    : traceFile(lab.events);
  downloadBlob(name, new Blob([text], { type: 'application/json' }));
  return name;
}

/** The text of a file, whatever gives it (a File, or a test's stand-in). */
interface TextFile {
  name: string;
  text(): Promise<string>;
}

/**
 * Open a trace file and replay it in the lab store. A file that is not a valid trace leaves
 * the store exactly as it was; the answer says what is wrong.
 */
export async function openTrace(
  lab: LabStore,
  file: TextFile,
): Promise<{ ok: true } | { ok: false; error: string; problem?: Message }> {
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const checks = await validators().catch((err: unknown) => String(err));
  if (typeof checks === 'string')
    return { ok: false, error: `the trace's check could not be loaded: ${checks}` };
  const r = checks.parseTrace(text);
  if (!r.ok) return r;
  lab.startReplay(
    { name: file.name, savedAt: r.trace.savedAt, ...(r.trace.lesson ? { lesson: r.trace.lesson } : {}) },
    r.trace.events,
  );
  return { ok: true };
}
