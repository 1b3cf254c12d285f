/**
 * What an event keeps of a call: everything but a write's data, which it cuts to a short
 * preview plus the data's length in bytes. A write may carry 16 MiB; the event log keeps every
 * call.started for as long as it keeps anything, and the history goes to every window that
 * opens, so events never carry the whole of it (issue 12: 36 such writes made the history
 * larger than V8's largest string).
 *
 * Pure: no imports but types, so schema.ts can use `callForEvent` in its event schema.
 */
import type { Call } from './schema';

/** Most characters of a write's data an event keeps (the window shows 24 of them). */
export const DATA_PREVIEW_CHARS = 64;

/** A write's arguments as an event carries them. */
export interface WriteEventArgs {
  fd: number;
  /** The first DATA_PREVIEW_CHARS characters of the data written (absent for `fill`). */
  data?: string;
  fill?: number;
  /** How many bytes the write asked to write: the data's length in UTF-8, or `fill`. */
  bytes: number;
}

/** A call as an event carries it: any call, a write with its data cut to a preview. */
export type EventCall = Exclude<Call, { call: 'write' }> | { call: 'write'; args: WriteEventArgs };

/** The length of `s` in UTF-8 bytes, without encoding it (works in the browser and in Node). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3; // the BMP, and a lone surrogate (encoded as U+FFFD, 3 bytes)
  }
  return n;
}

/**
 * The first `max` characters of `s`, never cutting a surrogate pair in two, as a string of
 * its own: V8 makes `slice` a view that keeps the whole of `s` alive (36 previews of 16M-
 * character writes held 600 MB), so the characters are copied.
 */
export function previewText(s: string, max = DATA_PREVIEW_CHARS): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  const n = c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) codes[i] = s.charCodeAt(i);
  return String.fromCharCode(...codes);
}

/**
 * The call as the `call.started` event carries it: a write's data cut to a preview, with the
 * byte length the write asked for. Other calls are returned as they are. Idempotent, so an
 * event read back from a trace (with or without `bytes`) comes out the same.
 */
export function callForEvent(call: Call | EventCall): EventCall {
  if (call.call !== 'write') return call;
  const a = call.args as { fd: number; data?: string; fill?: number; bytes?: number };
  if (a.data !== undefined) {
    const bytes = a.bytes ?? utf8Length(a.data);
    return { call: 'write', args: { fd: a.fd, data: previewText(a.data), bytes } };
  }
  const fill = a.fill ?? 0;
  return { call: 'write', args: { fd: a.fd, fill, bytes: a.bytes ?? fill } };
}

/** Whether an event's write preview is shorter than what was written (the window adds "…"). */
export function isPreviewCut(args: WriteEventArgs): boolean {
  return args.data !== undefined && utf8Length(args.data) < args.bytes;
}
