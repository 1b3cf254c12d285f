/**
 * Folding and laying out a ladder's rows. A bulk transfer — a run of at least FOLD_MIN
 * segments in a row with no SYN, FIN or RST among them and no state change between them —
 * becomes one fold row that says how many segments and bytes it holds each way; expanded,
 * its header stays and every segment follows. SYN, FIN and RST rows and state changes are
 * never folded. Each item has a fixed height, so the rows in view are found by position
 * alone (the component draws only those). Pure.
 */
import type { LadderDropped, LadderRow, LadderSegmentRow } from '@/format/ladder';
import type { SegmentSource } from '@contract';

/** The fewest segments a fold holds: shorter runs are drawn one by one. */
export const FOLD_MIN = 8;

/**
 * One direction of a fold: how many segments, how many bytes of data (each byte of the
 * sequence space once), and how many of the segments' bytes were sent again (a
 * retransmission covers bytes an earlier segment of the fold carried).
 */
export interface FoldSide {
  segments: number;
  bytes: number;
  resent: number;
}

/** A run of segments drawn as one row. */
export interface LadderFold {
  kind: 'fold';
  /** The first segment's event number (the fold's identity while it grows). */
  seq: number;
  rows: LadderSegmentRow[];
  c2s: FoldSide;
  s2c: FoldSide;
  /** ms since the connection's first segment: the first and the last of the fold. */
  fromMs: number;
  toMs: number;
  source: SegmentSource;
}

/** The header of an expanded fold (its segments follow it). */
export interface LadderFoldOpen {
  kind: 'fold-open';
  seq: number;
  fold: LadderFold;
}

export type LadderItem = LadderRow | LadderFold | LadderFoldOpen | LadderDropped;

/** Whether a segment row must stay in view: SYN, FIN or RST. */
export function isControl(r: LadderSegmentRow): boolean {
  return /\b(SYN|FIN|RST)\b/.test(r.flags);
}

/**
 * A stable key per item ("segment:12", "fold:40"); a ladder has at most one row of dropped
 * segments, which keeps its key while it grows.
 */
export function itemKey(i: LadderItem): string {
  return i.kind === 'dropped' ? 'dropped' : `${i.kind}:${i.seq}`;
}

/**
 * What an item draws, as one string: equal for two builds of the ladder that draw it alike
 * (a row's numbers are fixed once its connection's ISNs are known; a fold grows). The ladder
 * re-draws an item only when this, its place or the language changed: each batch builds the
 * rows anew, and most of those in view are the same.
 */
export function itemSig(i: LadderItem): string {
  switch (i.kind) {
    case 'segment':
      return `s${i.seq}:${i.dir}:${i.relSeq}:${i.relAck}:${i.tMs}:${i.source}`;
    case 'state':
      return `t${i.seq}:${i.side}:${i.source}`;
    case 'fold':
      return `f${i.seq}:${i.rows.length}:${sideSig(i.c2s)}:${sideSig(i.s2c)}:${i.fromMs}:${i.toMs}:${i.source}`;
    case 'fold-open':
      return `o${i.seq}:${i.fold.rows.length}:${i.fold.c2s.bytes}:${i.fold.s2c.bytes}:${i.fold.toMs}`;
    case 'dropped':
      return `d${i.n}`;
  }
}

function sideSig(f: FoldSide): string {
  return `${f.segments}:${f.bytes}:${f.resent}`;
}

/**
 * Bytes of data `rows` (one direction) carry, each byte of the sequence space counted once,
 * and bytes carried again. Numbers are taken modulo 2^32 from the first segment's, so a
 * wrapped sequence number counts right; a row without numbers (inferred) counts its length.
 */
export function foldBytes(rows: readonly LadderSegmentRow[]): { bytes: number; resent: number } {
  let total = 0;
  let unknown = 0;
  let base: number | null = null;
  const spans: [number, number][] = [];
  let sorted = true;
  for (const r of rows) {
    if (r.len <= 0) continue;
    total += r.len;
    if (r.seqNo === null) {
      unknown += r.len;
      continue;
    }
    base ??= r.seqNo;
    // The signed distance from the first segment: a retransmission of earlier data is negative.
    const from = (r.seqNo - base) | 0;
    const last = spans[spans.length - 1];
    if (last && from < last[0]) sorted = false;
    spans.push([from, from + r.len]);
  }
  if (!sorted) spans.sort((a, b) => a[0] - b[0]);
  let bytes = unknown;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    bytes += to - Math.max(from, end);
    end = to;
  }
  return { bytes, resent: total - bytes };
}

function makeFold(run: LadderSegmentRow[]): LadderFold {
  const side = (dir: 'c2s' | 's2c'): FoldSide => {
    const of = run.filter((r) => r.dir === dir);
    return { segments: of.length, ...foldBytes(of) };
  };
  return {
    kind: 'fold',
    seq: run[0]!.seq,
    rows: run,
    c2s: side('c2s'),
    s2c: side('s2c'),
    fromMs: run[0]!.tMs,
    toMs: run[run.length - 1]!.tMs,
    source: run.some((r) => r.source === 'captured') ? 'captured' : 'inferred',
  };
}

/**
 * The items drawn for `rows`: each long run of plain segments folded, unless its key
 * ("fold:<seq>") is in `expanded`, then its header and its segments; `dropped` (segments
 * the view no longer holds) in its place, between runs.
 */
export function foldRows(
  rows: readonly LadderRow[],
  expanded: ReadonlySet<string>,
  min = FOLD_MIN,
  dropped: LadderDropped | null = null,
): LadderItem[] {
  const out: LadderItem[] = [];
  let run: LadderSegmentRow[] = [];
  const flush = () => {
    if (run.length >= min) {
      const fold = makeFold(run);
      if (expanded.has(itemKey(fold))) out.push({ kind: 'fold-open', seq: fold.seq, fold }, ...run);
      else out.push(fold);
    } else out.push(...run);
    run = [];
  };
  rows.forEach((r, i) => {
    if (i === dropped?.at) {
      flush();
      out.push(dropped);
    }
    if (r.kind === 'segment' && !isControl(r)) {
      run.push(r);
      return;
    }
    flush();
    out.push(r);
  });
  flush();
  if (dropped && dropped.at >= rows.length) out.push(dropped);
  return out;
}

/** Heights of the items, in the drawing's units (px). */
export const ROW_H = { segment: 46, state: 24, fold: 58, 'fold-open': 30, dropped: 30 } as const;
/** A fold's line that says what one direction sent again: under its other lines. */
export const RESENT_LINE_H = 14;

/** The directions of a fold that sent bytes again, in the order they are written. */
export function resentSides(f: LadderFold): ('c2s' | 's2c')[] {
  return (['c2s', 's2c'] as const).filter((d) => f[d].resent > 0);
}

/** An item's height: a fold has a line more for each direction that sent bytes again. */
export function itemHeight(item: LadderItem): number {
  return item.kind === 'fold' ? ROW_H.fold + RESENT_LINE_H * resentSides(item).length : ROW_H[item.kind];
}

/** Space above the first row. */
export const TOP = 16;

/** An item at its place. */
export interface Placed {
  item: LadderItem;
  y: number;
  h: number;
}

/** Each item's place from the top, and the drawing's height. */
export function layout(items: readonly LadderItem[]): { placed: Placed[]; height: number } {
  let y = TOP;
  const placed = items.map((item) => {
    const h = itemHeight(item);
    const p = { item, y, h };
    y += h;
    return p;
  });
  return { placed, height: Math.max(80, y + 12) };
}

/** The items that reach into [top, bottom) (binary search: `placed` is in order). */
export function inBand(placed: readonly Placed[], top: number, bottom: number): Placed[] {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = placed[mid]!;
    if (p.y + p.h <= top) lo = mid + 1;
    else hi = mid;
  }
  const out: Placed[] = [];
  for (let i = lo; i < placed.length && placed[i]!.y < bottom; i++) out.push(placed[i]!);
  return out;
}
