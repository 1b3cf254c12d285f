/**
 * The trace file: what happened in a lab, saved so it can be opened again and replayed in
 * the window (timeline and all). A trace is the event log itself, so replay goes through the
 * same reducer as the live view and shows exactly what was seen.
 *
 * The file is JSON: `{ format: 'tcp-lab-trace', version: 2, savedAt, app: { version }, lesson?,
 * events }`. A trace saved during a lesson names the lesson and the step and holds that
 * lesson's run: the events from the reset the lesson made.
 * Opening one checks everything the window would otherwise trust: the format name, the
 * version, every event against the contract's EventSchema, the order of the log (seq strictly
 * increasing from 1, t never going back) and the size. No Node or DOM import.
 */
import { z } from 'zod';
import { formatIssues, issueMessage } from './api';
import { msg, type Message } from './messages';
import { EventSchema, type LabEvent } from './schema';
import { MAX_TRACE_CHARS, MAX_TRACE_EVENTS, TRACE_FORMAT, TRACE_VERSION } from './trace-write';

export {
  makeTrace,
  MAX_TRACE_CHARS,
  MAX_TRACE_EVENTS,
  serializeTrace,
  TRACE_EXTENSION,
  TRACE_FORMAT,
  TRACE_VERSION,
} from './trace-write';

/** The envelope around the events, checked before any event is looked at. */
const TraceHeaderSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  version: z.literal(TRACE_VERSION),
  /** When the trace was saved, ISO 8601. */
  savedAt: z.string().max(64),
  /** The app that saved it. */
  app: z.object({ version: z.string().max(64) }),
  /** The lesson being taken when the trace was saved, and its step (1-based). */
  lesson: z
    .object({ id: z.string().min(1).max(64), step: z.number().int().min(1).max(1000) })
    .strict()
    .optional(),
  events: z.array(z.unknown()).max(MAX_TRACE_EVENTS),
});

/** The lesson a trace was saved in. */
export type TraceLesson = { id: string; step: number };

/** A trace file, version 2, with every event checked against the contract. */
export const TraceSchema = TraceHeaderSchema.extend({ events: z.array(EventSchema).max(MAX_TRACE_EVENTS) });
/** A saved lab: the event log and where it came from. */
export type Trace = z.infer<typeof TraceSchema>;

/** The result of {@link parseTrace}: the trace, or one sentence saying what is wrong. */
export type ParseTraceResult =
  | { ok: true; trace: Trace }
  /** Why not: in English (`error`), and as a code the window says (`problem`). */
  | { ok: false; error: string; problem: Message };

/** Where a zod error's first issue is ('$' for the whole file): the path of its code's `path`. */
function issuePath(err: Parameters<typeof issueMessage>[0]): string {
  const m = issueMessage(err);
  return m.params && 'path' in m.params ? String(m.params.path) : '$';
}

/**
 * Read a trace file's text. Rejects, with a message a student can act on: text that is not
 * JSON, JSON that is not a TCP Lab trace, a trace from a newer (or unknown) version, an event
 * the contract does not know, a log out of order, and files past the size limits.
 */
export function parseTrace(text: string): ParseTraceResult {
  if (text.length > MAX_TRACE_CHARS) {
    return {
      ok: false,
      error: `the file is too large for a trace (${text.length} characters, at most ${MAX_TRACE_CHARS})`,
      problem: msg('trace.tooLarge', { n: text.length, max: MAX_TRACE_CHARS }),
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      error: `the file is not a TCP Lab trace: it is not JSON (${(err as Error).message})`,
      problem: msg('trace.notJson'),
    };
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data) ||
    (data as { format?: unknown }).format !== TRACE_FORMAT
  ) {
    return {
      ok: false,
      error: `the file is not a TCP Lab trace (no "format": "${TRACE_FORMAT}")`,
      problem: msg('trace.notTrace', { format: TRACE_FORMAT }),
    };
  }
  const version = (data as { version?: unknown }).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > TRACE_VERSION) {
    return {
      ok: false,
      error: `the trace is version ${version}, newer than this app reads (${TRACE_VERSION}): update TCP Lab to open it`,
      problem: msg('trace.newer', { version, max: TRACE_VERSION }),
    };
  }
  if (version === 1) {
    return {
      ok: false,
      error:
        'the trace is version 1, saved before programs were C: this app reads version 2 (run the lesson again and save a new trace)',
      problem: msg('trace.version1'),
    };
  }
  const head = TraceHeaderSchema.safeParse(data);
  if (!head.success)
    return {
      ok: false,
      error: `the trace is damaged: ${formatIssues(head.error)}`,
      problem: msg('trace.damaged', { path: issuePath(head.error) }),
    };

  const events: LabEvent[] = [];
  let prev: LabEvent | null = null;
  for (const [i, raw] of head.data.events.entries()) {
    const r = EventSchema.safeParse(raw);
    if (!r.success)
      return {
        ok: false,
        error: `the trace is damaged: event ${i + 1} is invalid (${formatIssues(r.error)})`,
        problem: msg('trace.eventInvalid', { n: i + 1, path: issuePath(r.error) }),
      };
    const e = r.data;
    const want = prev ? prev.seq + 1 : 1;
    // The log numbers events 1, 2, 3, …; the engine may drop a run of old events when its
    // memory limit is hit (a notice says so), so a gap forward is allowed, going back is not.
    // A lesson's run starts at the reset the lesson made, whatever its number.
    const firstOk = e.seq === 1 || (head.data.lesson !== undefined && e.type === 'lab.reset');
    if (prev ? e.seq <= prev.seq : !firstOk) {
      return {
        ok: false,
        error: `the trace is damaged: event ${i + 1} has seq ${e.seq}, expected ${prev ? `more than ${prev.seq}` : want}`,
        problem: msg('trace.eventSeq', { n: i + 1, seq: e.seq, want: prev ? `> ${prev.seq}` : want }),
      };
    }
    if (prev && e.t < prev.t) {
      return {
        ok: false,
        error: `the trace is damaged: event ${i + 1} (seq ${e.seq}) is earlier than the one before it`,
        problem: msg('trace.eventEarlier', { n: i + 1, seq: e.seq }),
      };
    }
    events.push(e);
    prev = e;
  }
  return { ok: true, trace: { ...head.data, events } };
}
