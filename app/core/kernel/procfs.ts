/**
 * Linux's TCP socket table: /proc/net/tcp and /proc/net/tcp6, as printed by
 * net/ipv4/tcp_ipv4.c (get_tcp4_sock, get_openreq4, get_timewait4_sock) and
 * net/ipv6/tcp_ipv6.c. One line per socket:
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *    0: 0100007F:1F90 00000000:0000 0A 00000000:00000001 00:00000000 00000000  1000        0 43121 …
 *
 * Addresses are the in-memory (network order) words printed with %08X, so on a little-endian
 * machine each 32-bit word reads byte-reversed: 127.0.0.1 is 0100007F. Ports are plain hex.
 */
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { TcpState } from '../../contract/schema';
import { formatIPv6 } from './address';
import type { KernelRow, KernelTableSource } from './types';

/** Linux's `st` codes (include/net/tcp_states.h) as the contract's state names. */
const LINUX_STATES: Record<number, TcpState> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECEIVED',
  0x04: 'FIN_WAIT_1',
  0x05: 'FIN_WAIT_2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSED',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  // TCP_NEW_SYN_RECV: a request socket (the server side of a handshake not yet complete).
  0x0c: 'SYN_RECEIVED',
};

/**
 * The unit of `tm->when`: the kernel prints `jiffies_delta_to_clock_t(…)`, i.e. clock ticks
 * of USER_HZ, which is 100 on every Linux architecture the lab runs on (`getconf CLK_TCK`).
 */
export const USER_HZ = 100;

/** Reads one 32-bit word of the table's address notation into 4 network-order bytes. */
function wordBytes(hex: string, little: boolean): number[] {
  const v = parseInt(hex, 16) >>> 0;
  const be = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return little ? be.reverse() : be;
}

/** Decodes the hex address of /proc/net/tcp{,6} into text; null if malformed. */
function decodeAddress(addr: string, family: 4 | 6, little: boolean): string | null {
  if (family === 4) return addr.length === 8 ? wordBytes(addr, little).join('.') : null;
  if (addr.length !== 32) return null;
  const bytes = new Uint8Array(16);
  for (let w = 0; w < 4; w++) bytes.set(wordBytes(addr.slice(w * 8, w * 8 + 8), little), w * 4);
  return formatIPv6(bytes);
}

/**
 * One row: `sl: local:port remote:port st tx:rx tr:when retrnsmt uid timeout inode`.
 * A single regex over the whole text is several times faster than splitting each line,
 * which matters with thousands of rows polled 25 times a second.
 */
const ROW =
  /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+):([0-9A-Fa-f]+)\s+[0-9A-Fa-f]+\s+\d+\s+\d+\s+(\d+)/gm;

/**
 * Parses the text of /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6) into rows.
 * The header and malformed lines are skipped. `endian` is the byte order of the machine
 * that printed the text (the running machine by default).
 *
 * `timerMs` is set when a timer runs (`tr` ≠ 0: 1 retransmit, 2 keepalive, 3 TIME_WAIT,
 * 4 zero-window probe), converted from USER_HZ ticks; null otherwise.
 */
export function parseProcNetTcp(
  text: string,
  family: 4 | 6,
  endian: 'LE' | 'BE' = endianness(),
): KernelRow[] {
  const little = endian === 'LE';
  const rows: KernelRow[] = [];
  // Few distinct addresses appear (loopback, wildcard): decode each once per parse.
  const hosts = new Map<string, string | null>();
  const host = (hex: string): string | null => {
    let h = hosts.get(hex);
    if (h === undefined) {
      h = decodeAddress(hex, family, little);
      hosts.set(hex, h);
    }
    return h;
  };
  for (const m of text.matchAll(ROW)) {
    const [, la = '', lp = '', ra = '', rp = '', st = '', tx = '', rx = '', tr = '', when = '', inode = ''] =
      m;
    const lh = host(la);
    const rh = host(ra);
    const state = LINUX_STATES[parseInt(st, 16)];
    if (lh === null || rh === null || !state) continue;
    rows.push({
      local: { host: lh, port: parseInt(lp, 16) },
      remote: { host: rh, port: parseInt(rp, 16) },
      state,
      sendQ: parseInt(tx, 16),
      recvQ: parseInt(rx, 16),
      timerMs: parseInt(tr, 16) !== 0 ? (parseInt(when, 16) * 1000) / USER_HZ : null,
      inode: parseInt(inode, 10) || 0,
    });
  }
  return rows;
}

/** A read buffer reused from poll to poll, grown as the table grows. */
interface Scratch {
  buf: Buffer;
  busy: boolean;
}

/**
 * Reads a procfs file, or gives '' when it does not exist (no IPv6 in this kernel, or no
 * procfs). procfs hands out about one page per read() call, and `readFile` pays a thread-pool
 * round trip per 64 KiB chunk on top; reading into one large reused buffer is 2–3 times
 * faster with a few thousand sockets (see bench/kernel-poll.ts).
 */
async function readProcFile(path: string, shared: Scratch): Promise<string> {
  // Two reads at once (never from the observer, but possible from other callers) must not
  // share one buffer: the second gets its own.
  const scratch = shared.busy ? { buf: Buffer.allocUnsafe(64 * 1024), busy: true } : shared;
  scratch.busy = true;
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    scratch.busy = false;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
  try {
    let off = 0;
    for (;;) {
      if (off === scratch.buf.length) {
        const bigger = Buffer.allocUnsafe(scratch.buf.length * 2);
        scratch.buf.copy(bigger, 0, 0, off);
        scratch.buf = bigger;
      }
      const { bytesRead } = await fh.read(scratch.buf, off, scratch.buf.length - off, null);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return scratch.buf.toString('latin1', 0, off);
  } finally {
    scratch.busy = false;
    await fh.close();
  }
}

/** The kernel table of Linux, from /proc/net/tcp and /proc/net/tcp6 (which may be absent). */
export class ProcfsSource implements KernelTableSource {
  readonly kind = 'procfs' as const;

  private readonly scratch4: Scratch = { buf: Buffer.allocUnsafe(256 * 1024), busy: false };
  private readonly scratch6: Scratch = { buf: Buffer.allocUnsafe(256 * 1024), busy: false };

  /** `root` is where the two files live; tests may point it at recorded copies. */
  constructor(private readonly root = '/proc/net') {}

  /** Reads and parses both tables in one go. */
  async read(): Promise<KernelRow[]> {
    const [v4, v6] = await Promise.all([
      readProcFile(`${this.root}/tcp`, this.scratch4),
      readProcFile(`${this.root}/tcp6`, this.scratch6),
    ]);
    return [...parseProcNetTcp(v4, 4), ...parseProcNetTcp(v6, 6)];
  }
}
