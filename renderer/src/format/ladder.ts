/**
 * The ladder diagram's content for one connection: which end is the client, the initial
 * sequence numbers, and rows in event order — segments (with relative seq/ack) and state
 * changes of the two sockets. Pure, so it is tested without a DOM.
 */
import {
  visibleSegments,
  type Endpoint,
  type Sayable,
  type SegmentView,
  type SocketId,
  type TcpState,
  type ViewState,
} from '../../../app/contract';

/** A segment arrow. */
export interface LadderSegmentRow {
  kind: 'segment';
  seq: number;
  /** When it passed, in ms since the epoch (the capture's timestamp, or the engine's clock). */
  time: number;
  /** Direction: from the client's side (left) to the server's (right), or back. */
  dir: 'c2s' | 's2c';
  flags: string;
  /** Sequence and acknowledgement numbers relative to each side's ISN; null when unknown. */
  relSeq: number | null;
  relAck: number | null;
  len: number;
  source: 'captured' | 'inferred';
  /** Microseconds since the connection's first segment. */
  dtUs: number;
}

/** A state written along one side. */
export interface LadderStateRow {
  kind: 'state';
  seq: number;
  /** Where it is drawn, in ms since the epoch: at the segment that caused it (see anchorTime). */
  time: number;
  /** -1: just before the segment at `time`; 1: just after; 0: at its own time. */
  bias: -1 | 0 | 1;
  side: 'client' | 'server';
  from: TcpState;
  to: TcpState;
  cause: Sayable;
  /** 'inferred': no kernel source saw this state; the state machine implies it. */
  source: 'kernel' | 'inferred';
}

export type LadderRow = LadderSegmentRow | LadderStateRow;

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
  rows: LadderRow[];
  /** Rows left out at the start (only the last `maxRows` are kept). */
  omitted: number;
}

const same = (a: Endpoint, b: Endpoint) => a.host === b.host && a.port === b.port;
const U32 = 2 ** 32;
const rel = (n: number | null, isn: number | null) =>
  n === null || isn === null ? null : (n - isn + U32) % U32;

/** Connections with segments in the view, oldest first. */
export function ladderConnections(view: ViewState): string[] {
  const seen: string[] = [];
  for (const g of visibleSegments(view)) if (!seen.includes(g.conn)) seen.push(g.conn);
  return seen;
}

/** The ladder of connection `conn` (default: the newest), keeping its last `maxRows` rows. */
export function buildLadder(view: ViewState, conn?: string, maxRows = 60): Ladder | null {
  const all = visibleSegments(view);
  const key = conn ?? all[all.length - 1]?.conn;
  if (!key) return null;
  const segs: SegmentView[] = all.filter((g) => g.conn === key);
  const first = segs[0];
  if (!first) return null;

  // The client is the end that sent the bare SYN; failing that, the end whose socket a
  // client actor holds; failing that, the sender of the first segment seen.
  const syn = segs.find((g) => g.flags.includes('SYN') && !g.flags.includes('ACK'));
  let client = syn?.src ?? first.src;
  if (!syn) {
    const kindOf = (id: SocketId | null) => {
      const s = id ? view.sockets[id] : undefined;
      return s?.actor ? view.actors[s.actor]?.kind : undefined;
    };
    if (kindOf(first.from) === 'server' || kindOf(first.to) === 'client') client = first.dst;
  }
  const server = same(client, first.src) ? first.dst : first.src;

  // Each side's socket is the one bound to exactly this pair of endpoints (a segment's
  // `to` may name the listening socket for the first SYN); failing that, the segments say.
  const byEnds = (local: Endpoint, remote: Endpoint): SocketId | null => {
    let found: SocketId | null = null;
    for (const id of view.socketOrder) {
      const s = view.sockets[id]!;
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

  const rows: LadderRow[] = segs.map((g) => {
    const c2s = same(g.src, client);
    return {
      kind: 'segment',
      seq: g.seq,
      time: g.tsUs / 1000,
      dir: c2s ? 'c2s' : 's2c',
      flags: g.flags.join(','),
      relSeq: rel(g.seqNo, c2s ? isnClient : isnServer),
      relAck: g.flags.includes('ACK') ? rel(g.ackNo, c2s ? isnServer : isnClient) : null,
      len: g.len,
      source: g.source,
      dtUs: g.tsUs - first.tsUs,
    };
  });
  const segRows = rows
    .filter((r): r is LadderSegmentRow => r.kind === 'segment')
    .sort((a, b) => a.time - b.time || a.seq - b.seq);
  for (const [side, id] of [
    ['client', clientSocket],
    ['server', serverSocket],
  ] as const) {
    const s = id ? view.sockets[id] : undefined;
    if (!s) continue;
    let floor = -Infinity;
    for (const tr of s.transitions) {
      const a = anchorTime(segRows, side, tr.from, tr.to, floor);
      const time = Math.max(floor, a?.time ?? tr.t);
      floor = time;
      rows.push({
        kind: 'state',
        seq: tr.seq,
        time,
        bias: a?.bias ?? 0,
        side,
        from: tr.from,
        to: tr.to,
        cause: tr.cause,
        source: tr.source,
      });
    }
  }
  // Time order (captured segments reach the log late); a state sits just before the segment
  // its side sends, or just after the one it receives.
  rows.sort(
    (a, b) =>
      a.time - b.time ||
      (a.kind === 'state' ? a.bias : 0) - (b.kind === 'state' ? b.bias : 0) ||
      a.seq - b.seq,
  );
  const omitted = Math.max(0, rows.length - maxRows);
  return {
    conn: key,
    client,
    server,
    clientSocket,
    serverSocket,
    isnClient,
    isnServer,
    isnInferred: synOf(true)?.source !== 'captured',
    rows: omitted ? rows.slice(omitted) : rows,
    omitted,
  };
}

/** A state's place relative to its segment at the same time: just before, or just after. */
type Anchor = { time: number; bias: -1 | 1 };
const before = (r: LadderSegmentRow | undefined): Anchor | null => (r ? { time: r.time, bias: -1 } : null);
const behind = (r: LadderSegmentRow | undefined): Anchor | null => (r ? { time: r.time, bias: 1 } : null);

/**
 * Where a state change goes on the time axis: at the segment that caused it (just before a
 * segment the side sends, just after one it receives), found among `segs` (time order) after
 * `floor`. The lab notices a change in user space after the kernel has moved, and on loopback
 * after the whole handshake: drawn at its own time, SYN_SENT would come after the ACK.
 * Transitions with no segment of their own (a timer, a close of a listener) keep their time.
 */
function anchorTime(
  segs: LadderSegmentRow[],
  side: 'client' | 'server',
  from: TcpState,
  to: TcpState,
  floor: number,
): Anchor | null {
  const sent = side === 'client' ? 'c2s' : 's2c';
  const has = (r: LadderSegmentRow, f: string) => r.flags.split(',').includes(f);
  const after = (pred: (r: LadderSegmentRow) => boolean, from = floor) =>
    segs.find((r) => r.time >= from && pred(r));
  const out = (r: LadderSegmentRow) => r.dir === sent;
  const incoming = (r: LadderSegmentRow) => r.dir !== sent;
  switch (`${from}>${to}`) {
    case 'CLOSED>SYN_SENT': {
      return before(after((x) => out(x) && has(x, 'SYN') && !has(x, 'ACK')));
    }
    case 'LISTEN>SYN_RECEIVED':
    case 'CLOSED>SYN_RECEIVED':
    case 'SYN_SENT>SYN_RECEIVED': {
      return behind(after((x) => incoming(x) && has(x, 'SYN') && !has(x, 'ACK')));
    }
    case 'SYN_SENT>ESTABLISHED': {
      return behind(after((x) => incoming(x) && has(x, 'SYN') && has(x, 'ACK')));
    }
    case 'SYN_RECEIVED>ESTABLISHED': {
      return behind(after((x) => incoming(x) && has(x, 'ACK') && !has(x, 'SYN')));
    }
    case 'ESTABLISHED>FIN_WAIT_1':
    case 'SYN_RECEIVED>FIN_WAIT_1':
    case 'CLOSE_WAIT>LAST_ACK': {
      return before(after((x) => out(x) && has(x, 'FIN')));
    }
    case 'ESTABLISHED>CLOSE_WAIT':
    case 'FIN_WAIT_1>CLOSING':
    case 'FIN_WAIT_2>TIME_WAIT':
    case 'FIN_WAIT_1>TIME_WAIT': {
      return behind(after((x) => incoming(x) && has(x, 'FIN')));
    }
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

/** An arrow's label: "SYN seq=0 len=0", "ACK seq=1 ack=1 len=0". */
export function segmentLabel(r: LadderSegmentRow): string {
  const parts = [r.flags || '—'];
  if (r.relSeq !== null) parts.push(`seq=${r.relSeq}`);
  if (r.relAck !== null) parts.push(`ack=${r.relAck}`);
  parts.push(`len=${r.len}`);
  return parts.join(' ');
}
