/**
 * Linux's TCP socket table through NETLINK_SOCK_DIAG (SOCK_DIAG_BY_FAMILY with
 * struct inet_diag_req_v2, <linux/inet_diag.h>), filtered in the kernel by a bytecode on the
 * lab's ports, so a query costs what the lab's own sockets cost, not what the machine's do.
 * /proc/net/tcp walks every socket of the machine on each read (docs/architecture.md, "Kernel facts").
 *
 * Rows are exactly ProcfsSource's: the same fields of the same kernel structures
 * (net/ipv4/inet_diag.c, tcp_diag.c against tcp_ipv4.c's get_tcp4_sock and friends).
 */
import type { TcpState } from '../../contract/schema';
import { linuxTcpState } from '../sys/tcp-states';
import { formatIPv6 } from './address';
import { NL, NetlinkError, SockDiagSocket, align4, getU32, putU16, putU32 } from './netlink';
import type { KernelRow, KernelTableSource } from './types';

const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_TCP = 6;
/** Every TCP state, TCP_NEW_SYN_RECV (request sockets) included. */
const ALL_STATES = 0xffffffff;
/** nlattr type of the filter in a request. */
const INET_DIAG_REQ_BYTECODE = 1;
/** sizeof(struct inet_diag_req_v2) and sizeof(struct inet_diag_msg). */
const REQ_V2_SIZE = 56;
const DIAG_MSG_SIZE = 72;

/** enum of <linux/inet_diag.h>: the filter's operations used here. */
export const BC = Object.freeze({ JMP: 1, S_GE: 2, S_LE: 3, D_GE: 4, D_LE: 5, S_EQ: 11, D_EQ: 12 });

/** Sorted, deduplicated valid ports as inclusive ranges [lo, hi]. */
export function portRanges(ports: Iterable<number>): [number, number][] {
  const sorted = [...new Set([...ports].filter((p) => Number.isInteger(p) && p > 0 && p < 65536))].sort(
    (a, b) => a - b,
  );
  const out: [number, number][] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === p - 1) last[1] = p;
    else out.push([p, p]);
  }
  return out;
}

/**
 * The inet_diag bytecode of "source port or destination port in `ports`", or null when there
 * are no ports. Semantics of inet_diag_bc_run: each op is {u8 code, u8 yes, u16 no}; a true
 * condition moves `yes` bytes on, a false one `no` bytes; the socket matches when the walk
 * ends exactly at the end (len 0), and is rejected by jumping 4 past it. JMP always takes
 * `no`. The kernel's audit (inet_diag_bc_audit, valid_cc) requires every `no` target to lie
 * on the chain of `yes` steps from the start, so alternatives are laid out as ss(8) does for
 * OR: `alt₁ JMP alt₂ JMP … altₙ`, where each failing condition jumps to the next
 * alternative and each JMP (reached when an alternative held) jumps to the end. A single port
 * is one S_EQ/D_EQ op (8 bytes, the port in the second op's `no`, host order); a run of three
 * or more consecutive ports is a GE and an LE (16 bytes).
 */
export function portFilterBytecode(ports: Iterable<number>): Buffer | null {
  const ranges = portRanges(ports);
  if (ranges.length === 0) return null;
  /** One alternative: conditions that must all hold, each [code, port]. */
  const alts: [number, number][][] = [];
  for (const [eq, ge, le] of [
    [BC.S_EQ, BC.S_GE, BC.S_LE],
    [BC.D_EQ, BC.D_GE, BC.D_LE],
  ] as const) {
    for (const [lo, hi] of ranges) {
      if (hi - lo >= 2)
        alts.push([
          [ge, lo],
          [le, hi],
        ]);
      else for (let p = lo; p <= hi; p++) alts.push([[eq, p]]);
    }
  }
  const size = alts.reduce((n, a) => n + a.length * 8, 0) + (alts.length - 1) * 4;
  if (size > 0xfff0) throw new RangeError(`too many port ranges for one sock_diag filter (${ranges.length})`);
  const bc = Buffer.alloc(size);
  let off = 0;
  alts.forEach((alt, i) => {
    const altEnd = off + alt.length * 8;
    for (const [code, port] of alt) {
      // Fail: to the next alternative (past the JMP), or 4 past the end after the last one.
      bc.writeUInt8(code, off);
      bc.writeUInt8(8, off + 1);
      putU16(bc, altEnd + 4 - off, off + 2);
      putU16(bc, port, off + 6);
      off += 8;
    }
    if (i < alts.length - 1) {
      bc.writeUInt8(BC.JMP, off);
      bc.writeUInt8(4, off + 1);
      putU16(bc, size - off, off + 2);
      off += 4;
    }
  });
  return bc;
}

/** struct inet_diag_req_v2 for `family`, all states, followed by the filter attribute. */
function request(family: number, bytecode: Buffer): Buffer {
  const attrLen = NL.NLA_HDRLEN + bytecode.length;
  const req = Buffer.alloc(REQ_V2_SIZE + align4(attrLen));
  req.writeUInt8(family, 0); // sdiag_family
  req.writeUInt8(IPPROTO_TCP, 1); // sdiag_protocol
  req.writeUInt8(0, 2); // idiag_ext: no extensions asked
  putU32(req, ALL_STATES, 4); // idiag_states; the sockid (48 bytes of zeros) is a wildcard
  putU16(req, attrLen, REQ_V2_SIZE);
  putU16(req, INET_DIAG_REQ_BYTECODE, REQ_V2_SIZE + 2);
  bytecode.copy(req, REQ_V2_SIZE + NL.NLA_HDRLEN);
  return req;
}

/** Text of the 4 or 16 network-order address bytes at `off` (idiag_src / idiag_dst). */
function address(b: Buffer, off: number, family: number): string {
  if (family === AF_INET) return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
  return formatIPv6(b.subarray(off, off + 16));
}

/**
 * One struct inet_diag_msg as a row: u8 family, state, timer, retrans; sockid { be16 sport,
 * dport; be32 src[4], dst[4]; u32 if; u32 cookie[2] }; u32 expires (ms), rqueue, wqueue,
 * uid, inode. Null when the message is too short or its state is unknown.
 */
export function parseDiagMessage(p: Buffer): KernelRow | null {
  if (p.length < DIAG_MSG_SIZE) return null;
  const family = p[0]!;
  if (family !== AF_INET && family !== AF_INET6) return null;
  const st = p[1]!;
  if (st < 1 || st > 12) return null;
  const timer = p[2]!;
  return {
    local: { host: address(p, 8, family), port: p.readUInt16BE(4) },
    remote: { host: address(p, 24, family), port: p.readUInt16BE(6) },
    state: linuxTcpState(st) as TcpState,
    // tcp_diag_get_info: wqueue = write_seq - snd_una (LISTEN: sk_max_ack_backlog),
    // rqueue = rcv_nxt - copied_seq (LISTEN: sk_ack_backlog), as /proc/net/tcp prints them.
    sendQ: getU32(p, 60),
    recvQ: getU32(p, 56),
    // idiag_timer: 1 retransmit, 2 keepalive (also the orphan FIN_WAIT_2 timer), 3 TIME_WAIT,
    // 4 zero-window probe; idiag_expires in ms. /proc/net/tcp's `tr`, `tm->when` likewise.
    timerMs: timer !== 0 ? getU32(p, 52) : null,
    inode: getU32(p, 68),
  };
}

/** Options of {@link SockDiagSource}. */
export interface SockDiagOptions {
  /** The lab's ports to begin with (see setPorts). */
  ports?: Iterable<number>;
}

/**
 * The kernel's TCP table for the lab's ports, from NETLINK_SOCK_DIAG: rows of IPv4 and IPv6
 * sockets whose local or remote port is one of the lab's, in every state (LISTEN, request
 * sockets as SYN_RECEIVED, orphans in FIN_WAIT_*, LAST_ACK, TIME_WAIT). Needs no privilege.
 *
 * The socket is opened on first read and kept; calls are synchronous and take about half a
 * millisecond for a few rows (a few ms for thousands), so `read()` resolves at once.
 */
export class SockDiagSource implements KernelTableSource {
  readonly kind = 'sockdiag' as const;
  private sock: SockDiagSocket | null = null;
  private bytecode: Buffer | null = null;
  private portSet = new Set<number>();

  /** A source with the given ports (none: every read gives [] without a system call). */
  constructor(opts: SockDiagOptions = {}) {
    if (opts.ports) this.setPorts(opts.ports);
  }

  /** The lab's ports now: a row matches when its local or remote port is one of them. */
  setPorts(ports: Iterable<number>): void {
    this.bytecode = portFilterBytecode(ports);
    this.portSet = new Set(portRanges(ports).flatMap(([lo, hi]) => range(lo, hi)));
  }

  /** The ports of the filter, sorted. */
  get ports(): number[] {
    return [...this.portSet].sort((a, b) => a - b);
  }

  /** Asks the kernel once for IPv4 and IPv6 rows (throws a NetlinkError on failure). */
  readSync(): KernelRow[] {
    if (!this.bytecode) return [];
    this.sock ??= new SockDiagSocket();
    const rows: KernelRow[] = [];
    for (const family of [AF_INET, AF_INET6]) {
      try {
        this.sock.dump(NL.SOCK_DIAG_BY_FAMILY, request(family, this.bytecode), (m) => {
          const row = parseDiagMessage(m.payload);
          if (row) rows.push(row);
        });
      } catch (err) {
        // No IPv6 in this kernel: its family has no handler (ENOENT), as /proc/net/tcp6 is absent.
        if (family === AF_INET6 && err instanceof NetlinkError && err.errno === 2) continue;
        // A failed socket is not reused: the next read opens a new one.
        this.sock.close();
        this.sock = null;
        throw err;
      }
    }
    return rows;
  }

  /** {@link readSync}, as the KernelTableSource interface asks. */
  async read(): Promise<KernelRow[]> {
    return this.readSync();
  }

  /** Closes the netlink socket (a later read opens another). */
  close(): void {
    this.sock?.close();
    this.sock = null;
  }
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/**
 * Whether sock_diag answers here: one query (for a port nobody uses) on a fresh socket.
 * Returns null when it works, else the reason in one line.
 */
export function probeSockDiag(platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return `sock_diag is Linux-only (this is ${platform})`;
  const s = new SockDiagSource({ ports: [1] });
  try {
    s.readSync();
    return null;
  } catch (err) {
    return `sock_diag did not answer: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    s.close();
  }
}
