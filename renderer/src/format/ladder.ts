/**
 * The ladder diagram's content for one connection: which end is the client, the initial
 * sequence numbers, and every row of its history in order — segments (absolute and relative
 * seq/ack, the window, the time since the connection's first segment) and the state changes
 * of its two sockets. Pure, so it is tested without a DOM. Folding a bulk transfer and
 * drawing are the component's (components/ladder/).
 *
 * Where the rows go: captured segments carry the kernel's capture time and a state change the
 * kernel's tracepoint reported carries the kernel's time: both are placed by those times (the
 * kernel's order). A state without a kernel timestamp goes, next to inferred segments (the
 * lab's own log), in event order; next to captured ones, at the segment that moved it.
 */
import type {
  Endpoint,
  Sayable,
  SegmentSource,
  SegmentView,
  SocketId,
  StateSource,
  TcpState,
  TransitionView,
  ViewState,
} from '@contract';
import { droppedOf, MAX_VIEW_SEGMENTS, socketOwner, visibleSegments } from '@contract/reducer';
import { own } from '@contract/own';

/** A segment arrow. */
export interface LadderSegmentRow {
  kind: 'segment';
  seq: number;
  /** When it passed, in ms since the epoch (the capture's timestamp, or the engine's clock). */
  time: number;
  /** Direction: from the client's side (left) to the server's (right), or back. */
  dir: 'c2s' | 's2c';
  flags: string;
  /** The numbers on the wire; null when unknown. */
  seqNo: number | null;
  ackNo: number | null;
  /** Sequence and acknowledgement numbers relative to each side's ISN; null when unknown. */
  relSeq: number | null;
  relAck: number | null;
  len: number;
  /** The window the sender announced, in bytes (scaled); null when unknown. */
  win: number | null;
  source: SegmentSource;
  /** Milliseconds since the connection's first segment. */
  tMs: number;
}

/** A state written along one side. */
export interface LadderStateRow {
  kind: 'state';
  seq: number;
  /** Where it is drawn, in ms since the epoch. */
  time: number;
  /** -1: just before the segment at `time`; 1: just after; 0: at its own time. */
  bias: -1 | 0 | 1;
  side: 'client' | 'server';
  from: TcpState;
  to: TcpState;
  cause: Sayable;
  /** 'inferred': no kernel source saw this state; the state machine implies it. */
  source: StateSource;
  /** Placed by the kernel's own timestamp (the tracepoint). */
  kernelTime: boolean;
}

export type LadderRow = LadderSegmentRow | LadderStateRow;

/**
 * Where segments the view no longer holds were (the cap drops a long transfer's oldest data
 * first, app/contract/segment-cap.ts): at the newest of them, before `rows[at]`.
 */
export interface LadderDropped {
  kind: 'dropped';
  seq: number;
  /** How many segments of the connection are missing. */
  n: number;
  /** The index in `rows` it goes before (rows.length: after the last). */
  at: number;
}

/** One connection's ladder. */
export interface Ladder {
  conn: string;
  client: Endpoint;
  server: Endpoint;
  clientSocket: SocketId | null;
  serverSocket: SocketId | null;
  isnClient: number | null;
  isnServer: number | null;
  /** The ISNs come from inferred segments: the real ones are unknown without capture. */
  isnInferred: boolean;
  /** Every row of the connection the view holds, in order. */
  rows: LadderRow[];
  /**
   * The view keeps the last MAX_VIEW_SEGMENTS segments of the lab and this connection's
   * first ones are no longer among them (its SYN is missing while the view is full).
   */
  startDropped: boolean;
  /** What the view dropped of the connection's segments, and where; null: nothing. */
  dropped: LadderDropped | null;
}

/** The order flags are written in, as the lessons write them: SYN,ACK, FIN,ACK, PSH,ACK. */
const FLAG_ORDER = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const flagText = (flags: readonly string[]) =>
  [...flags].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b)).join(',');

const same = (a: Endpoint, b: Endpoint) => a.host === b.host && a.port === b.port;
const U32 = 2 ** 32;
const rel = (n: number | null, isn: number | null) =>
  n === null || isn === null ? null : (n - isn + U32) % U32;

/** Connections with segments in the view, oldest first. */
export function ladderConnections(view: ViewState): string[] {
  const seen = new Set<string>();
  for (const g of visibleSegments(view)) seen.add(g.conn);
  return [...seen];
}

/** The client's end of a connection's segments: the bare SYN's sender, else what the actors say. */
function clientEnd(view: ViewState, segs: SegmentView[]): Endpoint {
  const first = segs[0]!;
  const syn = segs.find((g) => g.flags.includes('SYN') && !g.flags.includes('ACK'));
  if (syn) return syn.src;
  const kindOf = (id: SocketId | null) => {
    const s = id ? own(view.sockets, id) : undefined;
    const actor = s ? socketOwner(view, s) : null;
    return actor ? own(view.actors, actor)?.kind : undefined;
  };
  return kindOf(first.from) === 'server' || kindOf(first.to) === 'client' ? first.dst : first.src;
}

/** The ladder of connection `conn` (default: the newest): its whole history in the view. */
export function buildLadder(view: ViewState, conn?: string): Ladder | null {
  const all = visibleSegments(view);
  const key = conn ?? all[all.length - 1]?.conn;
  if (!key) return null;
  const segs: SegmentView[] = all.filter((g) => g.conn === key);
  const first = segs[0];
  if (!first) return null;
  const client = clientEnd(view, segs);
  const server = same(client, first.src) ? first.dst : first.src;

  // Each side's socket is the one bound to exactly this pair of endpoints (a segment's
  // `to` may name the listening socket for the first SYN); failing that, the segments say.
  const byEnds = (local: Endpoint, remote: Endpoint): SocketId | null => {
    let found: SocketId | null = null;
    for (const id of view.socketOrder) {
      const s = own(view.sockets, id)!;
      if (s.local && s.remote && same(s.local, local) && same(s.remote, remote)) found = id; // the newest wins
    }
    return found;
  };
  let clientSocket: SocketId | null = byEnds(client, server);
  let serverSocket: SocketId | null = byEnds(server, client);
  for (const g of segs) {
    const c2s = same(g.src, client);
    clientSocket ??= c2s ? g.from : g.to;
    serverSocket ??= c2s ? g.to : g.from;
  }

  const synOf = (fromClient: boolean) =>
    segs.find((g) => g.flags.includes('SYN') && same(g.src, fromClient ? client : server));
  const isnClient = synOf(true)?.seqNo ?? null;
  const isnServer = synOf(false)?.seqNo ?? null;
  const t0 = Math.min(...segs.map((g) => g.tsUs));

  const segRows: LadderSegmentRow[] = segs.map((g) => {
    const c2s = same(g.src, client);
    const acked = g.flags.includes('ACK');
    return {
      kind: 'segment',
      seq: g.seq,
      time: g.tsUs / 1000,
      dir: c2s ? 'c2s' : 's2c',
      flags: flagText(g.flags),
      seqNo: g.seqNo,
      ackNo: acked ? g.ackNo : null,
      relSeq: rel(g.seqNo, c2s ? isnClient : isnServer),
      relAck: acked ? rel(g.ackNo, c2s ? isnServer : isnClient) : null,
      len: g.len,
      win: g.win,
      source: g.source,
      tMs: (g.tsUs - t0) / 1000,
    };
  });
  const captured = segs.some((g) => g.source === 'captured');
  const rows: LadderRow[] = captured
    ? [...segRows].sort((a, b) => a.time - b.time || a.seq - b.seq)
    : [...segRows];
  const states: LadderStateRow[] = [];
  for (const [side, id] of [
    ['client', clientSocket],
    ['server', serverSocket],
  ] as const) {
    const s = id ? own(view.sockets, id) : undefined;
    if (s) states.push(...placeStates(s.transitions, side, rows as LadderSegmentRow[], captured));
  }
  rows.push(...states);
  // Time order; a state sits just before the segment its side sends at that time, or just
  // after. Inferred segments and the states are the lab's own events: their order is the log's.
  // Compared in place (a segment row has no bias: 0), nothing allocated per comparison.
  type Place = { time: number; seq: number; bias?: number };
  const order = (a: Place, b: Place) =>
    captured ? a.time - b.time || (a.bias ?? 0) - (b.bias ?? 0) || a.seq - b.seq : a.seq - b.seq;
  rows.sort(order);
  const drop = droppedOf(view, key);
  let dropped: LadderDropped | null = null;
  if (drop) {
    const at: Place = { time: drop.lastTsUs / 1000, seq: drop.lastSeq, bias: 0 };
    const i = rows.findIndex((r) => order(r, at) > 0);
    dropped = { kind: 'dropped', seq: drop.lastSeq, n: drop.n, at: i < 0 ? rows.length : i };
  }
  return {
    conn: key,
    client,
    server,
    clientSocket,
    serverSocket,
    isnClient,
    isnServer,
    isnInferred: synOf(true)?.source !== 'captured',
    rows,
    startDropped: view.segments.length >= MAX_VIEW_SEGMENTS && !synOf(true),
    dropped,
  };
}

/** The state rows of one side, placed among `segs` (time order when captured). */
function placeStates(
  transitions: readonly TransitionView[],
  side: 'client' | 'server',
  segs: readonly LadderSegmentRow[],
  captured: boolean,
): LadderStateRow[] {
  const out: LadderStateRow[] = [];
  let floor = -Infinity;
  for (const tr of transitions) {
    const kernelTime = captured && tr.tsUs !== undefined;
    const anchor = captured ? anchorOf(segs, side, tr.from, tr.to, floor) : null;
    let time: number;
    let bias: -1 | 0 | 1;
    if (kernelTime && !(anchor && wrongSide(tr.tsUs! / 1000, anchor))) {
      time = tr.tsUs! / 1000;
      // A tie with a segment: the anchor says whether the state comes before or after it.
      bias = anchor?.bias ?? 0;
    } else if (anchor) {
      time = anchor.time;
      bias = anchor.bias;
    } else {
      // Inferred segments: the rows go in event order, the time is the lab's own.
      time = tr.t;
      bias = 0;
    }
    // A side's states keep their own order.
    time = Math.max(floor, time);
    floor = time;
    out.push({
      kind: 'state',
      seq: tr.seq,
      time,
      bias,
      side,
      from: tr.from,
      to: tr.to,
      cause: tr.cause,
      source: tr.source,
      kernelTime,
    });
  }
  return out;
}

/** A state's place relative to its segment at the same time: just before, or just after. */
type Anchor = { time: number; bias: -1 | 1 };

/**
 * How far apart, in ms, the tracepoint's and the capture's clocks may read for one instant:
 * the kernel's times are CLOCK_MONOTONIC made CLOCK_REALTIME by an offset read in user
 * space (within 1 µs, measured), a packet's time is whole µs. On loopback a state change
 * follows the segment that made it by 6–30 µs (measured).
 */
const CLOCKS_AGREE_MS = 0.005;

/**
 * Whether a kernel time `ms` is on the other side of its anchor segment than the state
 * machine puts it, by no more than the clocks can tell apart: then the segment that made
 * the change decides.
 */
const wrongSide = (ms: number, a: Anchor) =>
  a.bias === 1
    ? ms < a.time && a.time - ms <= CLOCKS_AGREE_MS
    : ms > a.time && ms - a.time <= CLOCKS_AGREE_MS;
const before = (r: LadderSegmentRow | undefined): Anchor | null => (r ? { time: r.time, bias: -1 } : null);
const behind = (r: LadderSegmentRow | undefined): Anchor | null => (r ? { time: r.time, bias: 1 } : null);

/**
 * The segment that moved a side from `from` to `to`, by the state machine (just before a
 * segment the side sends, just after one it receives), among `segs` (time order) after
 * `floor`. Used where the kernel gave no timestamp: the lab notices a change in user space
 * after the kernel has moved, on loopback after the whole handshake. Transitions with no
 * segment of their own (a timer, a close of a listener) have none.
 */
function anchorOf(
  segs: readonly LadderSegmentRow[],
  side: 'client' | 'server',
  from: TcpState,
  to: TcpState,
  floor: number,
): Anchor | null {
  const sent = side === 'client' ? 'c2s' : 's2c';
  const has = (r: LadderSegmentRow, f: string) => r.flags.split(',').includes(f);
  const after = (pred: (r: LadderSegmentRow) => boolean, at = floor) =>
    segs.find((r) => r.time >= at && pred(r));
  const out = (r: LadderSegmentRow) => r.dir === sent;
  const incoming = (r: LadderSegmentRow) => r.dir !== sent;
  switch (`${from}>${to}`) {
    case 'CLOSED>SYN_SENT':
      return before(after((x) => out(x) && has(x, 'SYN') && !has(x, 'ACK')));
    case 'LISTEN>SYN_RECEIVED':
    case 'CLOSED>SYN_RECEIVED':
    case 'SYN_SENT>SYN_RECEIVED':
      return behind(after((x) => incoming(x) && has(x, 'SYN') && !has(x, 'ACK')));
    case 'SYN_SENT>ESTABLISHED':
      return behind(after((x) => incoming(x) && has(x, 'SYN') && has(x, 'ACK')));
    case 'SYN_RECEIVED>ESTABLISHED':
      return behind(after((x) => incoming(x) && has(x, 'ACK') && !has(x, 'SYN')));
    case 'ESTABLISHED>FIN_WAIT_1':
    case 'SYN_RECEIVED>FIN_WAIT_1':
    case 'CLOSE_WAIT>LAST_ACK':
      return before(after((x) => out(x) && has(x, 'FIN')));
    case 'ESTABLISHED>CLOSE_WAIT':
    case 'FIN_WAIT_1>CLOSING':
    case 'FIN_WAIT_2>TIME_WAIT':
    case 'FIN_WAIT_1>TIME_WAIT':
      return behind(after((x) => incoming(x) && has(x, 'FIN')));
    case 'FIN_WAIT_1>FIN_WAIT_2':
    case 'CLOSING>TIME_WAIT':
    case 'LAST_ACK>CLOSED': {
      // The ACK of our FIN: the first ACK that arrives after we sent it.
      const fin = segs.filter((x) => out(x) && has(x, 'FIN')).at(-1);
      if (!fin) return null;
      return behind(
        after((x) => incoming(x) && has(x, 'ACK') && x.time > fin.time, Math.max(floor, fin.time)),
      );
    }
    default:
      return null;
  }
}
