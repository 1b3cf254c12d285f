/**
 * The view's segment list is held to MAX_VIEW_SEGMENTS. When a segment comes over the cap,
 * the oldest plain segment goes (a bulk transfer's data and ACKs): not a SYN, FIN or RST, and
 * not a connection's first segment without them (the handshake's last ACK), so every
 * connection's handshake and close stay in view however long its transfer. Only when every
 * segment held is one of those does the oldest of them go. Each drop is counted per
 * connection and source (`droppedSegments`), so the ladder can say how many it lacks and
 * where. The event log keeps every segment.
 *
 * `reduce` (one event) and `reduceMany` (a run) drop exactly the same segments: `CappedRun`
 * is the same rule over a run, without copying the list per segment.
 */
import { MAX_VIEW_SEGMENTS, type DroppedSegments, type SegmentView, type ViewState } from './view';
import { own } from './own';

/** Whether a segment is kept past the cap while any other can go: SYN, FIN or RST. */
export function isControlSegment(g: SegmentView): boolean {
  for (const f of g.flags) if (f === 'SYN' || f === 'FIN' || f === 'RST') return true;
  return false;
}

/** The key of a connection's drops of one source in `droppedSegments`. */
export function droppedKey(source: SegmentView['source'], conn: string): string {
  return `${source} ${conn}`;
}

/**
 * What the view lacks of connection `conn`'s segments as the ladder shows them (captured
 * ones when it has any, else inferred ones), or null when nothing was dropped.
 */
export function droppedOf(view: ViewState, conn: string): DroppedSegments | null {
  const source = own(view.capturedConns, conn) ? 'captured' : 'inferred';
  return own(view.droppedSegments, droppedKey(source, conn)) ?? null;
}

type Drops = Record<string, DroppedSegments>;

/**
 * The drops counted, with `g` added when the cap dropped one; `set` is the reducer's way of
 * setting an entry (a copy, or in place during its run).
 */
export function withDrop(
  rec: Drops,
  g: SegmentView | null,
  set: (rec: Drops, key: string, value: DroppedSegments) => Drops,
): Drops {
  if (!g) return rec;
  const key = droppedKey(g.source, g.conn);
  const prev = own(rec, key);
  return set(rec, key, {
    n: (prev?.n ?? 0) + 1,
    lastSeq: Math.max(prev?.lastSeq ?? 0, g.seq),
    lastTsUs: Math.max(prev?.lastTsUs ?? 0, g.tsUs),
  });
}

/** The key a connection's first plain segment is kept by: one per source and connection. */
const plainKey = (g: SegmentView) => droppedKey(g.source, g.conn);

/**
 * Which segment of `list` goes: the oldest that is neither a SYN, FIN or RST nor the first
 * plain segment of its connection held; else the oldest.
 */
function victim(list: readonly SegmentView[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const g = list[i]!;
    if (isControlSegment(g)) continue;
    const k = plainKey(g);
    if (!seen.has(k)) seen.add(k);
    else return i;
  }
  return 0;
}

/** `list` with `seg` added, held to `max`: the new list and the segment dropped, if any. */
export function appendCapped(
  list: readonly SegmentView[],
  seg: SegmentView,
  max = MAX_VIEW_SEGMENTS,
): { segments: SegmentView[]; dropped: SegmentView | null } {
  const all = [...list, seg];
  if (all.length <= max) return { segments: all, dropped: null };
  const i = victim(all);
  const [dropped] = all.splice(i, 1);
  return { segments: all, dropped: dropped! };
}

/**
 * The same rule over a run of segments, each push O(1) amortised: dropped segments are marked
 * and the list compacted when it has grown to twice the cap. `first` holds each connection's
 * first plain segment held. Two cursors only move forward: everything before `plain` is
 * dropped or kept by the rule, everything before `oldest` is dropped (a push only adds at the
 * end, and what the rule keeps stays kept while anything else can go).
 */
export class CappedRun {
  private list: SegmentView[] = [];
  private gone: boolean[] = [];
  // Source → connection → index: keyed by the segments' own strings, so a reset (every
  // batch starts one from the view's list) builds no key per segment.
  private first = new Map<string, Map<string, number>>();
  private live = 0;
  private plain = 0;
  private oldest = 0;

  constructor(
    from: readonly SegmentView[],
    private readonly max = MAX_VIEW_SEGMENTS,
  ) {
    this.reset(from.slice());
  }

  /** Add `seg`; returns the segment the cap dropped, if any. */
  push(seg: SegmentView): SegmentView | null {
    this.add(seg);
    let dropped: SegmentView | null = null;
    if (this.live > this.max) {
      const end = this.list.length;
      while (this.plain < end && (this.gone[this.plain] || this.kept(this.plain))) this.plain++;
      let i: number;
      if (this.plain < end) i = this.plain;
      else {
        while (this.gone[this.oldest]) this.oldest++;
        i = this.oldest;
      }
      dropped = this.list[i]!;
      this.gone[i] = true;
      this.live--;
      if (this.firstOf(dropped) === i) this.first.get(dropped.source)!.delete(dropped.conn);
    }
    if (this.list.length >= 2 * this.max) this.reset(this.list.filter((_, i) => !this.gone[i]));
    return dropped;
  }

  /** The segments held, in order: a new array each time (the run may go on). */
  segments(): SegmentView[] {
    return this.live < this.list.length ? this.list.filter((_, i) => !this.gone[i]) : this.list.slice();
  }

  /** Whether the rule keeps `list[i]`: a SYN, FIN or RST, or its connection's first plain one. */
  private kept(i: number): boolean {
    const g = this.list[i]!;
    return isControlSegment(g) || this.firstOf(g) === i;
  }

  /** The index of the first plain segment held of `g`'s connection and source. */
  private firstOf(g: SegmentView): number | undefined {
    return this.first.get(g.source)?.get(g.conn);
  }

  private add(g: SegmentView): void {
    const i = this.list.length;
    this.list.push(g);
    this.gone.push(false);
    this.live++;
    if (isControlSegment(g)) return;
    let bySource = this.first.get(g.source);
    if (!bySource) this.first.set(g.source, (bySource = new Map()));
    if (!bySource.has(g.conn)) bySource.set(g.conn, i);
  }

  /** Start again from `held` (all of them held). */
  private reset(held: SegmentView[]): void {
    this.list = [];
    this.gone = [];
    this.first.clear();
    this.live = 0;
    this.plain = 0;
    this.oldest = 0;
    for (const g of held) this.add(g);
  }
}

/**
 * The last run's segments, as a view holds them, and the run, free to go on from them. The
 * window reduces a transfer in a few calls per frame, each from the last one's list: going on
 * spares rebuilding a run from up to MAX_VIEW_SEGMENTS segments at every call.
 */
let lastRun: { out: readonly SegmentView[]; run: CappedRun } | null = null;

/**
 * A run from the list `from`: the run that gave that list, if it is still free (it goes on
 * from exactly the state a new run would rebuild), else a new one. A run is taken once: a
 * second run from the same list (the timeline going back) starts anew.
 */
export function runFrom(from: readonly SegmentView[]): CappedRun {
  if (lastRun && lastRun.out === from) {
    const { run } = lastRun;
    lastRun = null;
    return run;
  }
  return new CappedRun(from);
}

/** The run's segments for a view, kept so the next run from them can go on with this one. */
export function heldBy(run: CappedRun): SegmentView[] {
  const out = run.segments();
  lastRun = { out, run };
  return out;
}
