/**
 * What the ladder writes on a row: the numbers (relative to each side's ISN, as Wireshark
 * shows them, or absolute, as on the wire), the same numbers as the lessons write them (x is
 * the client's ISN, y the server's: SYN seq=x, SYN-ACK seq=y ack=x+1, ACK ack=y+1), the
 * window, and the time since the connection's first segment in ms. Pure.
 */
import type { LadderSegmentRow } from '@/format/ladder';

/** Which numbers the labels show. */
export type NumberMode = 'relative' | 'absolute';

/** An arrow's label: "SYN seq=0 len=0", "ACK seq=1 ack=1 len=0" (or the absolute numbers). */
export function segmentLabel(r: LadderSegmentRow, mode: NumberMode = 'relative'): string {
  const s = mode === 'relative' ? r.relSeq : r.seqNo;
  const a = mode === 'relative' ? r.relAck : r.ackNo;
  const parts = [r.flags || '—'];
  if (s !== null) parts.push(`seq=${s}`);
  if (a !== null) parts.push(`ack=${a}`);
  parts.push(`len=${r.len}`);
  return parts.join(' ');
}

const named = (name: 'x' | 'y', offset: number | null) =>
  offset === null ? null : offset === 0 ? name : `${name}+${offset}`;

/**
 * The numbers as the course writes them: seq for a segment that takes sequence space (SYN,
 * FIN, data), ack where the ACK flag is set; the client's numbers count from x, the server's
 * from y. "seq=x", "seq=y ack=x+1", "ack=y+1", "seq=x+1 ack=y+1". Empty when unknown.
 */
export function courseLabel(r: LadderSegmentRow): string {
  const mine = r.dir === 'c2s' ? 'x' : 'y';
  const theirs = r.dir === 'c2s' ? 'y' : 'x';
  const flags = r.flags.split(',');
  const takesSpace = r.len > 0 || flags.includes('SYN') || flags.includes('FIN');
  const parts: string[] = [];
  const s = takesSpace ? named(mine, r.relSeq) : null;
  const a = named(theirs, r.relAck);
  if (s !== null) parts.push(`seq=${s}`);
  if (a !== null) parts.push(`ack=${a}`);
  return parts.join(' ');
}

/** The window field: "win=65495", or '' when unknown. */
export function windowLabel(r: LadderSegmentRow): string {
  return r.win === null ? '' : `win=${r.win}`;
}

/** Digits grouped by thin spaces: 1048576 → "1 048 576". */
function group(s: string): string {
  const [int, frac] = s.split('.');
  const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return frac === undefined ? g : `${g}.${frac}`;
}

/** Milliseconds since the connection's start: "0.000 ms", "4.271 ms", "1 204.5 ms". */
export function formatMs(ms: number): string {
  const v = Math.max(0, ms);
  const digits = v < 100 ? 3 : v < 10_000 ? 1 : 0;
  return `${group(v.toFixed(digits))} ms`;
}

/** A count: "5 017". */
export function formatCount(n: number): string {
  return group(String(n));
}

/** A byte count: "1 048 576 B". */
export function formatByteCount(n: number): string {
  return `${group(String(n))} B`;
}
