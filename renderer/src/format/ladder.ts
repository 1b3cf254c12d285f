/**
 * The ladder diagram's content for one connection: which end is the client, the initial
 * sequence numbers, and rows in event order — segments (with relative seq/ack) and state
 * changes of the two sockets. Pure, so it is tested without a DOM.
 */
import { visibleSegments, type Endpoint, type SegmentView, type SocketId, type TcpState, type ViewState } from '../../../app/contract';
import { formatEndpoint } from './describe';

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
  /** When the lab saw the change, in ms since the epoch. */
  time: number;
  side: 'client' | 'server';
  from: TcpState;
  to: TcpState;
  cause: string;
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
const rel = (n: number | null, isn: number | null) => (n === null || isn === null ? null : (n - isn + U32) % U32);

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

  const synOf = (fromClient: boolean) => segs.find((g) => g.flags.includes('SYN') && same(g.src, fromClient ? client : server));
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
  for (const [side, id] of [
    ['client', clientSocket],
    ['server', serverSocket],
  ] as const) {
    const s = id ? view.sockets[id] : undefined;
    if (!s) continue;
    for (const tr of s.transitions) rows.push({ kind: 'state', seq: tr.seq, time: tr.t, side, from: tr.from, to: tr.to, cause: tr.cause });
  }
  // In time order, not log order: captured segments reach the log after the capture tool
  // reports them, later than the state changes they caused. Both clocks are the wall clock.
  rows.sort((a, b) => a.time - b.time || a.seq - b.seq);
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

/** An arrow's label: "SYN seq=0 len=0", "ACK seq=1 ack=1 len=0". */
export function segmentLabel(r: LadderSegmentRow): string {
  const parts = [r.flags || '—'];
  if (r.relSeq !== null) parts.push(`seq=${r.relSeq}`);
  if (r.relAck !== null) parts.push(`ack=${r.relAck}`);
  parts.push(`len=${r.len}`);
  return parts.join(' ');
}

/** "client 127.0.0.1:40312" style heading for one end. */
export function endLabel(name: string, e: Endpoint): string {
  return `${name} ${formatEndpoint(e)}`;
}
