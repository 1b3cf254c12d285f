/**
 * The comparison of the differential test: a pair of C programs run natively (native.ts,
 * strace) and in the lab (its events) must make the same socket calls, in the same order,
 * with the same descriptors, byte counts asked for, return values and errnos, print the same
 * stdout and stderr (perror's words are the C library's: the lab must say the same) and end
 * the same way (exit status, or blocked in the same call). What it does not compare is listed in IGNORED, and
 * every report of a difference repeats that list.
 */
import type { LabEvent } from '../../../app/contract/schema';
import type { NativeProgram } from './native';
import { portsIn, type ProgramCall } from './strace-parse';

/** What the comparison leaves out, and why. */
export const IGNORED: readonly string[] = [
  "calls that are not the program's socket calls: the dynamic loader's reads and closes before main, stdio's writes to " +
    "descriptors 1 and 2 (stdout is compared as text instead), perror's fcntl/write/close on its copy of stderr",
  "arguments other than the descriptor and a read/write/recv/send's byte count: addresses, ports, buffer addresses, " +
    'socklen values, flags, options, timeouts (the same source passes the same ones; the ports differ by design)',
  'the bytes a read returns or a write sends (their counts are compared; what arrived shows in stdout)',
  'how a stream splits among consecutive reads: reads on one descriptor in a row that return data are compared ' +
    'by their total (seen: a 1 MB transfer read as 127973 + 95232 + 776795 bytes in one run, 128000 + 872000 in ' +
    'another, natively and in the lab alike)',
  "out-parameters: the addresses accept/getsockname/getpeername fill in, poll's revents, select's sets",
  'port numbers in stdout and stderr: the listening port and every port the kernel chose (ephemeral ports) read ' +
    'as <port> and <ephemeral> on both sides',
  'what a program would have done after it waits for good: a program still in a call when nothing can move any ' +
    'more (a server whose accept() waits for a client that never comes) is stopped there on both sides; that call ' +
    "counts as not returned ('= ?') and the run as 'blocked in <call>'",
  'who runs first: natively both programs run at once, in the lab one at a time; a pair whose native result is a ' +
    'race is listed with the reason in differential.test.ts (RACES)',
  'what libc called underneath: accept4(…, 0) is accept, ppoll is poll, pselect6 is select, recvfrom/sendto without an ' +
    'address are recv/send (compared as the C function the program called)',
  'time: how long a call blocked, TCP sequence numbers (ISNs), segments — only what the program sees is compared',
];

/** One program's run in the form both sides are compared in. */
export interface ProgramRun {
  calls: ProgramCall[];
  stdout: string;
  stderr: string;
  /** Exit status; null when the program did not exit (killed, faulted, still running). */
  exit: number | null;
  /** Why it did not exit, when it did not. */
  stopped?: string;
  /** The listening port and the other ports this side's kernel chose, replaced in stdout. */
  ports: { listen: number; others: number[] };
}

/** A pair's runs by actor (server, client). */
export type PairRuns = Record<string, ProgramRun>;

export interface Comparison {
  equal: boolean;
  /** One line per difference. */
  differences: string[];
  /** Both sides' calls and stdout side by side, the differences, and IGNORED. */
  report: string;
}

/** A native program's run, its ports taken from what strace printed of both programs' addresses. */
export function nativeRun(p: NativeProgram, listen: number, allPorts: number[]): ProgramRun {
  const run: ProgramRun = {
    calls: p.calls,
    stdout: p.stdout,
    stderr: p.stderr,
    exit: p.exitCode,
    ports: { listen, others: allPorts.filter((x) => x !== listen) },
  };
  if (p.blocked) {
    run.exit = null;
    run.stopped = `blocked in ${p.calls.at(-1)?.call ?? '?'}`;
  } else if (p.exitCode === null) run.stopped = `killed by ${p.signal ?? 'a signal'}`;
  return run;
}

/** Both native programs' runs (ports from both traces: the server's accept shows the client's). */
export function nativeRuns(pair: { port: number; server: NativeProgram; client: NativeProgram }): PairRuns {
  const ports = portsIn([...pair.server.records, ...pair.client.records]);
  return {
    server: nativeRun(pair.server, pair.port, ports),
    client: nativeRun(pair.client, pair.port, ports),
  };
}

/** The call names the comparison takes from the lab's events (its socket calls). */
const SOCKET_CALLS = new Set([
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'read',
  'write',
  'recv',
  'send',
  'recvfrom',
  'sendto',
  'shutdown',
  'close',
  'setsockopt',
  'getsockopt',
  'fcntl',
  'poll',
  'select',
  'getsockname',
  'getpeername',
]);
const NO_FD = new Set(['socket', 'poll', 'select']);
const COUNTED = new Set(['read', 'write', 'recv', 'send']);

/** A byte count a lab call's arguments carry: read's max, write's bytes (or a len/count). */
function labCount(args: Record<string, unknown>): number | undefined {
  for (const k of ['max', 'bytes', 'count', 'len', 'n'])
    if (typeof args[k] === 'number') return args[k] as number;
  return undefined;
}

/** One actor's run from the lab's events: call.started / call.returned, program.output, program.ended. */
export function labRun(events: readonly LabEvent[], actor: string, listen: number): ProgramRun {
  const calls: ProgramCall[] = [];
  const byId = new Map<string, ProgramCall>();
  let stdout = '';
  let stderr = '';
  let exit: number | null = null;
  let stopped: string | undefined = 'did not end';
  const others = new Set<number>();
  for (const e of events) {
    if (e.type === 'socket.address') {
      for (const ep of [e.local, e.remote])
        if (ep && ep.port !== listen && ep.port !== 0) others.add(ep.port);
      continue;
    }
    if (!('actor' in e) || e.actor !== actor) continue;
    if (e.type === 'call.started') {
      if (!SOCKET_CALLS.has(e.call.call)) continue;
      const args = (e.call as { args?: Record<string, unknown> }).args ?? {};
      const c: ProgramCall = { call: e.call.call, ret: null };
      if (!NO_FD.has(c.call) && typeof args.fd === 'number') c.fd = args.fd;
      const count = labCount(args);
      if (COUNTED.has(c.call) && count !== undefined) c.count = count;
      calls.push(c);
      byId.set(e.callId, c);
    } else if (e.type === 'call.returned') {
      const c = byId.get(e.callId);
      if (!c) continue;
      c.ret = e.ret;
      if (e.errno) c.errno = e.errno;
    } else if (e.type === 'program.output') {
      if (e.stream === 'stdout') stdout += e.text;
      else stderr += e.text;
    } else if (e.type === 'program.ended') {
      if (e.end.how === 'exit') {
        exit = e.end.status;
        stopped = undefined;
      } else stopped = `fault at line ${e.end.line}: ${JSON.stringify(e.end.text)}`;
    }
  }
  const last = calls.at(-1);
  if (exit === null && stopped === 'did not end' && last && last.ret === null)
    stopped = `blocked in ${last.call}`;
  const run: ProgramRun = { calls, stdout, stderr, exit, ports: { listen, others: [...others] } };
  if (stopped !== undefined) run.stopped = stopped;
  return run;
}

/** A call as compared: consecutive reads that returned data, merged (see mergeReads). */
export type ComparedCall = ProgramCall & { reads?: number };

/**
 * A stream keeps no message boundaries: consecutive read()s (or recv()s) on one descriptor,
 * asking the same count and each returning data, become one call returning their total, with
 * how many they were (`reads`, shown, not compared). How the bytes split among them depends
 * on when each read was made: natively both programs run at once, in the lab one at a time.
 */
export function mergeReads(calls: readonly ProgramCall[]): ComparedCall[] {
  const out: ComparedCall[] = [];
  for (const c of calls) {
    const prev = out.at(-1);
    const data = (x: ProgramCall): boolean =>
      (x.call === 'read' || x.call === 'recv') && x.ret !== null && x.ret > 0;
    if (prev && data(prev) && data(c) && prev.call === c.call && prev.fd === c.fd && prev.count === c.count) {
      prev.ret = prev.ret! + c.ret!;
      prev.reads = (prev.reads ?? 1) + 1;
    } else out.push({ ...c });
  }
  return out;
}

/** A call as the report prints it: `read(4, 1024) = 5`, `connect(3) = -1 ECONNREFUSED`. */
export function callText(c: ComparedCall | undefined): string {
  if (!c) return '—';
  const args = [c.fd, c.count].filter((x) => x !== undefined).join(', ');
  const reads = c.reads ? ` (${c.reads} reads)` : '';
  return `${c.call}(${args}) = ${c.ret ?? '?'}${c.errno ? ` ${c.errno}` : ''}${reads}`;
}

/** stdout or stderr with the ports replaced: the listening port by <port>, the kernel's others by <ephemeral>. */
export function normalisedOutput(r: ProgramRun, stream: 'stdout' | 'stderr' = 'stdout'): string {
  let s = r[stream];
  const swap = (port: number, to: string): void => {
    if (port >= 1024) s = s.replace(new RegExp(`(?<![0-9])${port}(?![0-9])`, 'g'), to);
  };
  swap(r.ports.listen, '<port>');
  for (const p of r.ports.others) swap(p, '<ephemeral>');
  return s;
}

function sameCall(a: ProgramCall | undefined, b: ProgramCall | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.call === b.call &&
    a.fd === b.fd &&
    a.count === b.count &&
    a.ret === b.ret &&
    a.errno === b.errno
  );
}

/** Compare two runs of the same pair, actor by actor (the actors of `native`). */
export function compareRuns(native: PairRuns, lab: PairRuns): Comparison {
  const differences: string[] = [];
  const lines: string[] = [];
  for (const actor of Object.keys(native)) {
    const n = native[actor]!;
    const l = lab[actor];
    lines.push(`${actor}:`);
    if (!l) {
      differences.push(`${actor}: no lab run`);
      continue;
    }
    const [nc, lc] = [mergeReads(n.calls), mergeReads(l.calls)];
    const rows = Math.max(nc.length, lc.length);
    const width = Math.max(24, ...nc.map((c) => callText(c).length));
    lines.push(`   #  ${'native'.padEnd(width)}  lab`);
    for (let i = 0; i < rows; i++) {
      const same = sameCall(nc[i], lc[i]);
      if (!same)
        differences.push(`${actor} call ${i + 1}: native ${callText(nc[i])}, lab ${callText(lc[i])}`);
      lines.push(
        `${same ? ' ' : '≠'} ${String(i + 1).padStart(2)}  ${callText(nc[i]).padEnd(width)}  ${callText(lc[i])}`,
      );
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const [a, b] = [normalisedOutput(n, stream), normalisedOutput(l, stream)];
      if (a !== b)
        differences.push(`${actor} ${stream}: native ${JSON.stringify(a)}, lab ${JSON.stringify(b)}`);
      if (stream === 'stdout' || a || b)
        lines.push(`  ${stream} native ${JSON.stringify(a)}`, `  ${stream} lab    ${JSON.stringify(b)}`);
    }
    if (n.exit !== l.exit || n.stopped !== l.stopped)
      differences.push(
        `${actor} exit: native ${n.exit ?? n.stopped ?? '?'}, lab ${l.exit ?? l.stopped ?? '?'}`,
      );
    lines.push(`  exit native ${n.exit ?? n.stopped}, lab ${l.exit ?? l.stopped}`);
  }
  const report = [
    ...lines,
    differences.length ? `differences:\n  ${differences.join('\n  ')}` : 'no differences',
    `not compared:\n  - ${IGNORED.join('\n  - ')}`,
  ].join('\n');
  return { equal: differences.length === 0, differences, report };
}
