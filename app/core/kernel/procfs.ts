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
import { readFile } from 'node:fs/promises';
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

/** Decodes `ADDR:PORT` of /proc/net/tcp{,6} into an endpoint; null if malformed. */
function decodeEndpoint(text: string, family: 4 | 6, little: boolean): { host: string; port: number } | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const addr = text.slice(0, colon);
  const port = parseInt(text.slice(colon + 1), 16);
  if (!Number.isFinite(port)) return null;
  if (family === 4) {
    if (addr.length !== 8) return null;
    return { host: wordBytes(addr, little).join('.'), port };
  }
  if (addr.length !== 32) return null;
  const bytes = new Uint8Array(16);
  for (let w = 0; w < 4; w++) bytes.set(wordBytes(addr.slice(w * 8, w * 8 + 8), little), w * 4);
  return { host: formatIPv6(bytes), port };
}

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
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    if (f.length < 10 || !f[0]?.endsWith(':') || f[0] === 'sl') continue;
    const local = decodeEndpoint(f[1] ?? '', family, little);
    const remote = decodeEndpoint(f[2] ?? '', family, little);
    const state = LINUX_STATES[parseInt(f[3] ?? '', 16)];
    const [tx, rx] = (f[4] ?? '').split(':');
    const [tr, when] = (f[5] ?? '').split(':');
    if (!local || !remote || !state || tx === undefined || rx === undefined) continue;
    const timerKind = parseInt(tr ?? '0', 16);
    const ticks = parseInt(when ?? '0', 16);
    rows.push({
      local,
      remote,
      state,
      sendQ: parseInt(tx, 16),
      recvQ: parseInt(rx, 16),
      timerMs: timerKind !== 0 && Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null,
      inode: parseInt(f[9] ?? '0', 10) || 0,
    });
  }
  return rows;
}

/** Reads a file, or gives '' when it does not exist (no IPv6 in this kernel, or no procfs). */
async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** The kernel table of Linux, from /proc/net/tcp and /proc/net/tcp6 (which may be absent). */
export class ProcfsSource implements KernelTableSource {
  readonly kind = 'procfs' as const;

  /** `root` is where the two files live; tests may point it at recorded copies. */
  constructor(private readonly root = '/proc/net') {}

  /** Reads and parses both tables in one go. */
  async read(): Promise<KernelRow[]> {
    const [v4, v6] = await Promise.all([readOptional(`${this.root}/tcp`), readOptional(`${this.root}/tcp6`)]);
    return [...parseProcNetTcp(v4, 4), ...parseProcNetTcp(v6, 6)];
  }
}
