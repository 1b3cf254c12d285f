/**
 * The lines of trace_pipe for the tracepoint sock:inet_sock_set_state, in the event's own
 * format and in the `fields` format, and the tracepoint's filter on ports (used by
 * tracepoint.ts; pure functions, tested on recorded lines).
 */
import type { TcpState } from '../../contract/schema';
import { linuxTcpState } from '../sys/tcp-states';
import { formatIPv6, parseIPv6 } from './address';
import { portRanges } from './sockdiag';
import type { StateTransition } from './tracepoint';
import { own } from '../../contract/own';

/** The kernel's state names of the event's text (TCP_*) in the contract's spelling. */
export const TRACE_STATES: Readonly<Record<string, TcpState>> = Object.freeze({
  TCP_ESTABLISHED: 'ESTABLISHED',
  TCP_SYN_SENT: 'SYN_SENT',
  TCP_SYN_RECV: 'SYN_RECEIVED',
  TCP_FIN_WAIT1: 'FIN_WAIT_1',
  TCP_FIN_WAIT2: 'FIN_WAIT_2',
  TCP_TIME_WAIT: 'TIME_WAIT',
  TCP_CLOSE: 'CLOSED',
  TCP_CLOSE_WAIT: 'CLOSE_WAIT',
  TCP_LAST_ACK: 'LAST_ACK',
  TCP_LISTEN: 'LISTEN',
  TCP_CLOSING: 'CLOSING',
  TCP_NEW_SYN_RECV: 'SYN_RECEIVED',
});

/**
 * The tracepoint's filter for `ports`: TCP, source or destination port in the set (runs of
 * ports as ranges). null for no ports. Beyond ~3,000 characters (tracefs takes one page) it
 * widens to the span of the ports; the tracer checks each event's ports itself anyway.
 */
export function traceFilter(ports: Iterable<number>): string | null {
  const ranges = portRanges(ports);
  if (ranges.length === 0) return null;
  const term = (f: string, lo: number, hi: number): string =>
    lo === hi ? `${f} == ${lo}` : `(${f} >= ${lo} && ${f} <= ${hi})`;
  let alts = ['sport', 'dport'].flatMap((f) => ranges.map(([lo, hi]) => term(f, lo, hi)));
  if (alts.join(' || ').length > 3000) {
    const lo = ranges[0]![0];
    const hi = ranges[ranges.length - 1]![1];
    alts = [term('sport', lo, hi), term('dport', lo, hi)];
  }
  return `protocol == 6 && (${alts.join(' || ')})`;
}

/** A line of the event's text format, without skaddr. */
export type TextEvent = Omit<StateTransition, 'skaddr' | 'tsUs'> & { monoUs: number };

/**
 * Parses one line of trace_pipe in the event's own format:
 * `node-4933 [000] ..s2. 641.067341: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP
 * sport=47001 dport=34718 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=… daddrv6=… oldstate=TCP_SYN_RECV
 * newstate=TCP_ESTABLISHED`. null for any other line.
 */
export function parseTextLine(line: string): TextEvent | null {
  const m = /\s(\d+)\.(\d{6}): inet_sock_set_state: (.*)$/.exec(line);
  if (!m) return null;
  const f: Record<string, string> = {};
  for (const kv of m[3]!.matchAll(/(\w+)=(\S+)/g)) f[kv[1]!] = kv[2]!;
  const oldstate = own(TRACE_STATES, f.oldstate ?? '');
  const newstate = own(TRACE_STATES, f.newstate ?? '');
  if (!oldstate || !newstate || f.protocol !== 'IPPROTO_TCP') return null;
  const v6 = f.family === 'AF_INET6';
  const host = (s: string | undefined): string => {
    const b = v6 && s ? parseIPv6(s) : null;
    return b ? formatIPv6(b) : (s ?? '');
  };
  return {
    monoUs: Number(m[1]) * 1e6 + Number(m[2]),
    family: v6 ? 'inet6' : 'inet',
    saddr: host(v6 ? f.saddrv6 : f.saddr),
    sport: Number(f.sport),
    daddr: host(v6 ? f.daddrv6 : f.daddr),
    dport: Number(f.dport),
    oldstate,
    newstate,
  };
}

/** A line of the `fields` format: the numbers that pair it with a text line, and skaddr. */
export interface FieldsEvent {
  key: string;
  skaddr: string;
}

/**
 * Parses one line of trace_pipe with options/fields: `… inet_sock_set_state:
 * skaddr=0xffff88810a8d6b40 (-131…) oldstate=0x7 (7) newstate=0xa (10) sport=0xb799 (47001)
 * dport=0x0 (0) family=0xa (10) …`. null for any other line.
 */
export function parseFieldsLine(line: string): FieldsEvent | null {
  const i = line.indexOf(' inet_sock_set_state: skaddr=');
  if (i < 0) return null;
  const f: Record<string, number> = {};
  let skaddr = '';
  for (const kv of line.slice(i).matchAll(/(\w+)=0x([0-9a-f]+)/g)) {
    if (kv[1] === 'skaddr') skaddr = kv[2]!;
    else f[kv[1]!] = parseInt(kv[2]!, 16);
  }
  const name = (n: number | undefined): string | undefined =>
    n !== undefined && n >= 1 && n <= 12 ? linuxTcpState(n) : undefined;
  const o = name(f.oldstate);
  const n = name(f.newstate);
  if (!skaddr || !o || !n || f.family === undefined) return null;
  return { key: pairKey(f.family === 10 ? 'inet6' : 'inet', f.sport ?? 0, f.dport ?? 0, o, n), skaddr };
}

/** What pairs a line of one format with the same event's line of the other. */
export function pairKey(family: string, sport: number, dport: number, o: string, n: string): string {
  return `${family} ${sport} ${dport} ${o} ${n}`;
}
