/**
 * Writing a trace file: its format's names and limits, and a trace as text. Reading one back
 * (its schema and checks) is ./trace.ts, which re-exports these; the window saves without
 * zod. No Node or DOM import.
 */
import type { LabEvent } from './schema';
import type { Trace, TraceLesson } from './trace';

/** The `format` field every trace file carries. */
export const TRACE_FORMAT = 'tcp-lab-trace';
/**
 * The trace version this build writes and reads. 2: programs are C (`program.loaded` carries
 * the source, `program.pc` the frames); a version 1 trace holds the earlier line programs.
 */
export const TRACE_VERSION = 2;
/** Largest trace file accepted, in characters (a long 100 MB transfer stays well below). */
export const MAX_TRACE_CHARS = 128 * 1024 * 1024;
/** Most events in one trace: the engine's own log limit (DEFAULT_LIMITS.events). */
export const MAX_TRACE_EVENTS = 500_000;
/** The file name ending the window gives saved traces. */
export const TRACE_EXTENSION = '.tcplab.json';

/** A trace of `events`, stamped now (or at `savedAt`) by app version `appVersion`. */
export function makeTrace(
  events: readonly LabEvent[],
  appVersion: string,
  savedAt: Date = new Date(),
  lesson?: TraceLesson,
): Trace {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    savedAt: savedAt.toISOString(),
    app: { version: appVersion },
    ...(lesson ? { lesson } : {}),
    events: [...events],
  };
}

/** A trace as the text of a file (one event a line: readable, and diffs stay small). */
export function serializeTrace(trace: Trace): string {
  const { events, ...head } = trace;
  const lines = events.map((e) => JSON.stringify(e));
  const headText = JSON.stringify(head);
  return `${headText.slice(0, -1)},"events":[\n${lines.join(',\n')}\n]}\n`;
}
