/**
 * The kernel's socket table where there is no procfs: `netstat` on macOS and Windows.
 *
 * macOS `netstat -anvW -p tcp` (the first six columns are what we read; later columns
 * differ between releases):
 *
 *   Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)      rxbytes …
 *   tcp4       0      0  127.0.0.1.8080         *.*                    LISTEN            0 …
 *   tcp6       0      5  ::1.61022              ::1.9090               ESTABLISHED       0 …
 *
 * Windows `netstat -ano` (TCP rows only; IPv6 addresses in brackets; no queue sizes):
 *
 *     Proto  Local Address          Foreign Address        State           PID
 *     TCP    127.0.0.1:8080         0.0.0.0:0              LISTENING       9320
 *     TCP    [::1]:61022            [::1]:9090             ESTABLISHED     9320
 *
 * Neither shows timers, so `timerMs` is null, and `inode` is 0.
 */
import { execFile } from 'node:child_process';
import type { TcpState } from '../../contract/schema';
import { normalizeHost } from './address';
import type { KernelRow, KernelTableSource } from './types';
import { own } from '../../contract/own';

/** State names of both tools (BSD spells SYN_RCVD, Windows LISTENING) → contract names. */
const NETSTAT_STATES: Record<string, TcpState> = {
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  LISTENING: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RCVD: 'SYN_RECEIVED',
  SYN_RECEIVED: 'SYN_RECEIVED',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT_1',
  FIN_WAIT_2: 'FIN_WAIT_2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
};

/**
 * A BSD netstat address: `127.0.0.1.8080`, `::1.9090`, `fe80::1%lo0.5000`, `*.5000`, `*.*`.
 * The port follows the last dot. A `*` host is the wildcard of the row's family.
 */
function parseBsdEndpoint(text: string, v6: boolean): { host: string; port: number } | null {
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return null;
  const h = text.slice(0, dot);
  const p = text.slice(dot + 1);
  const port = p === '*' ? 0 : Number(p);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  const host = h === '*' ? (v6 ? '::' : '0.0.0.0') : normalizeHost(h);
  return { host, port };
}

/**
 * Parses the output of macOS `netstat -anv -p tcp` (with or without `-W`) into rows:
 * tcp4, tcp6 and tcp46 lines, Recv-Q and Send-Q as the queues. Other lines are skipped.
 */
export function parseMacNetstat(text: string): KernelRow[] {
  const rows: KernelRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const proto = f[0] ?? '';
    if (!/^tcp(4|6|46)?$/.test(proto) || f.length < 6) continue;
    const v6 = proto !== 'tcp4';
    const recvQ = Number(f[1]);
    const sendQ = Number(f[2]);
    const local = parseBsdEndpoint(f[3] ?? '', v6);
    const remote = parseBsdEndpoint(f[4] ?? '', v6);
    const state = own(NETSTAT_STATES, f[5] ?? '');
    if (!local || !remote || !state || !Number.isInteger(recvQ) || !Number.isInteger(sendQ)) continue;
    rows.push({ local, remote, state, sendQ, recvQ, timerMs: null, inode: 0 });
  }
  return rows;
}

/** A Windows netstat address: `127.0.0.1:8080`, `[::1]:9090`, `[fe80::1%12]:445`, `*:*`. */
function parseWinEndpoint(text: string): { host: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  const h = text.slice(0, colon);
  const p = text.slice(colon + 1);
  const port = p === '*' ? 0 : Number(p);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  const host = h === '*' ? '0.0.0.0' : normalizeHost(h);
  return { host, port };
}

/**
 * Parses the output of Windows `netstat -ano`, `netstat -ano -p TCP` or `-p TCPv6` into rows
 * (TCP lines only; queues are not shown by Windows, so they are 0). Rows whose state is not
 * an English state name (a localized Windows may translate them) are skipped.
 */
export function parseWindowsNetstat(text: string): KernelRow[] {
  const rows: KernelRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'TCP' || f.length < 4) continue;
    const local = parseWinEndpoint(f[1] ?? '');
    const remote = parseWinEndpoint(f[2] ?? '');
    const state = own(NETSTAT_STATES, f[3] ?? '');
    if (!local || !remote || !state) continue;
    rows.push({ local, remote, state, sendQ: 0, recvQ: 0, timerMs: null, inode: 0 });
  }
  return rows;
}

/** Runs a command and resolves its stdout; rejects on failure or after `timeoutMs`. */
function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}

/** The kernel table from `netstat`, for macOS and Windows. */
export class NetstatSource implements KernelTableSource {
  readonly kind = 'netstat' as const;

  /**
   * `platform` picks the command and the parser; `timeoutMs` bounds each run of netstat
   * (a run that takes longer is killed and that read rejects).
   */
  constructor(
    private readonly platform: 'darwin' | 'win32' = process.platform === 'win32' ? 'win32' : 'darwin',
    private readonly timeoutMs = 5000,
  ) {}

  /** Runs netstat once and parses its output. */
  async read(): Promise<KernelRow[]> {
    if (this.platform === 'win32') {
      // One run lists IPv4 and IPv6 TCP (and UDP, which the parser skips).
      return parseWindowsNetstat(await run('netstat', ['-ano'], this.timeoutMs));
    }
    // -W: do not truncate long (IPv6) addresses to the column width.
    return parseMacNetstat(await run('netstat', ['-anvW', '-p', 'tcp'], this.timeoutMs));
  }
}
