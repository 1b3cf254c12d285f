/**
 * A client/server pair of C programs built with gcc and run natively, each under strace: the
 * other half of the differential test (differential.test.ts compares it with the lab).
 *
 * Nothing here sleeps or waits for a fixed time; every wait is on a child process's exit.
 * - The server listens when the kernel's table (`ss`, or /proc/net/tcp read by `cat`) shows
 *   its port in LISTEN: one look per child, at most LISTEN_TRIES (a connect would not do:
 *   the server's accept() would take it).
 * - A program may never end: a server whose last accept() waits for a client that does not
 *   come. Once the client runs, each round looks at the table again and at each program's
 *   /proc/PID/stat and /proc/PID/syscall; when for QUIET_ROUNDS rounds in a row every program
 *   has ended or sleeps in a socket call that has no timer (accept, read, write, recv, send;
 *   poll/select without a timeout) and the table has not changed, nothing will move again:
 *   the sleeping programs are killed and recorded as blocked in that call.
 * - Every child runs in its own process group and is killed with it if it outlives the
 *   overall timeout: a safety net, never a wait.
 * The programs run under `stdbuf -o0` (where it exists): their stdout unbuffered, as the
 * lab's printf is, so that a program killed while blocked has printed what it printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseStrace, programCalls, type ProgramCall, type StraceRecord } from './strace-parse';

/**
 * The system calls traced: the socket calls, the forms libc may use for them (accept4,
 * recvfrom, sendto, ppoll, pselect6), and rt_sigreturn (what a signal made an interrupted
 * call return).
 */
export const TRACED: readonly string[] = (
  'socket bind listen accept accept4 connect read write recvfrom sendto recv send shutdown close ' +
  'setsockopt getsockopt fcntl poll ppoll select pselect6 getsockname getpeername rt_sigreturn'
).split(' ');

/**
 * strace's options: -f follows children and prefixes each line with the pid; -qq leaves out
 * attach and exit notes; no signal lines; strings cut at 64 bytes, every byte as \xNN (so a
 * string is unambiguous). Return values and errno names (`-1 ECONNREFUSED (…)`) are strace's
 * default.
 */
export function straceArgs(outFile: string): string[] {
  return [...'-f -qq -e signal=none -s 64 -xx'.split(' '), '-e', `trace=${TRACED.join(',')}`, '-o', outFile];
}

/** gcc's options: the (every shipped program compiles unchanged with them). */
export const GCC_FLAGS = ['-std=c11', '-Wall', '-Wextra', '-Werror'] as const;

/** Most looks at the kernel's table while waiting for the server to listen. */
export const LISTEN_TRIES = 200;
/** Rounds in a row with nothing moving before the sleeping programs count as blocked for good. */
export const QUIET_ROUNDS = 5;
/** Most rounds while the client runs (then the overall timeout's kill). */
export const MAX_ROUNDS = 4000;

/** One program's native run. */
export interface NativeProgram {
  source: string;
  /** Exit status; null when a signal ended it (see `signal`). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed because it slept for good in its last call (the trace's last record, ret null). */
  blocked: boolean;
  stdout: string;
  stderr: string;
  /** strace's text as written. */
  trace: string;
  records: StraceRecord[];
  /** The socket calls, as the comparison takes them. */
  calls: ProgramCall[];
}

export interface NativePair {
  /** The port the server was built with (-DPORT). */
  port: number;
  server: NativeProgram;
  client: NativeProgram;
  /** How many looks it took until the server listened. */
  listenChecks: number;
  /** The kernel's table for the port when the run ended (ss lines). */
  table: string[];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A child process; `exit` resolves when it has exited and its pipes are drained. */
interface Child {
  pid: number | undefined;
  exit: Promise<Exit>;
  done: boolean;
  kill(): void;
}

/** SIGKILL to a process (or, negative, a group) started here; nothing if it is gone already. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

function start(cmd: string, args: string[], timeoutMs: number, cwd?: string): Child {
  const p = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  p.stdout.on('data', (b: Buffer) => out.push(b));
  p.stderr.on('data', (b: Buffer) => err.push(b));
  const child: Child = {
    pid: p.pid,
    done: false,
    kill() {
      if (!child.done && p.pid !== undefined) killQuietly(-p.pid); // the group: strace and its program
    },
    exit: new Promise<Exit>((resolve, reject) => {
      const safety = setTimeout(() => child.kill(), timeoutMs);
      p.on('error', (e) => {
        clearTimeout(safety);
        child.done = true;
        reject(e);
      });
      p.on('close', (code, signal) => {
        clearTimeout(safety);
        child.done = true;
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    }),
  };
  return child;
}

const works = (cmd: string, args: string[]): boolean => {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
  return r.error === undefined && r.status === 0;
};

/** Why the native half cannot run here, or null when it can (Linux, gcc, a working strace, ss or procfs). */
export function nativeSkipReason(): string | null {
  if (process.platform !== 'linux') return `native runs need Linux (this is ${process.platform})`;
  if (!works('gcc', ['--version']))
    return 'gcc is not installed (scripts/system-deps.sh installs it on Debian)';
  if (!works('strace', ['-V']))
    return 'strace is not installed (scripts/system-deps.sh installs it on Debian)';
  if (!works('strace', ['-qq', '-e', 'trace=none', 'true']))
    return 'strace cannot trace here (ptrace is not permitted: a container without CAP_SYS_PTRACE?)';
  if (!works('ss', ['-V']) && !works('cat', ['/proc/net/tcp']))
    return 'neither ss nor /proc/net/tcp is available to see the server listen';
  return null;
}

/** A port free on loopback now (the kernel's choice for a port-0 bind). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Build one C file with the gcc flags and -DPORT; throws with gcc's messages. */
export async function buildProgram(
  source: string,
  exe: string,
  port: number,
  timeoutMs = 60_000,
): Promise<void> {
  const r = await start('gcc', [...GCC_FLAGS, `-DPORT=${port}`, '-o', exe, source], timeoutMs).exit;
  if (r.code !== 0)
    throw new Error(`gcc ${path.basename(source)} failed (${r.code ?? r.signal}):\n${r.stderr}`);
}

let ssHere: boolean | undefined;

/**
 * The kernel's TCP table for a port (either end), one line per socket: `STATE recvQ sendQ
 * local peer`, sorted. One child process: ss, or cat of /proc/net/tcp{,6} where ss is missing.
 */
export async function kernelTable(port: number): Promise<string[]> {
  ssHere ??= works('ss', ['-V']);
  if (ssHere) {
    const f = ['(', 'sport', '=', `:${port}`, 'or', 'dport', '=', `:${port}`, ')'];
    const r = await start('ss', ['-Htan', ...f], 10_000).exit;
    return r.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/).join(' '))
      .filter(Boolean)
      .sort();
  }
  const r = await start('cat', ['/proc/net/tcp', '/proc/net/tcp6'], 10_000).exit;
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const STATES: Record<string, string> = {
    '01': 'ESTAB',
    '06': 'TIME-WAIT',
    '08': 'CLOSE-WAIT',
    '0A': 'LISTEN',
  };
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(hex) || f[2]?.endsWith(hex))
    .map((f) => {
      const [tx, rx] = (f[4] ?? '0:0').split(':').map((x) => parseInt(x, 16));
      return `${STATES[f[3]!] ?? f[3]} ${rx} ${tx} ${f[1]} ${f[2]}`;
    })
    .sort();
}

const listens = (table: string[], port: number): boolean =>
  table.some((l) => l.startsWith('LISTEN ') && l.split(' ')[3]!.endsWith(`:${port}`));

/** Socket calls with no timer of their own, by system call number, per architecture. */
const SLEEPERS: Record<string, Record<number, string>> = {
  // prettier-ignore
  x64: { 0: 'read', 1: 'write', 43: 'accept', 288: 'accept4', 44: 'sendto', 45: 'recvfrom', 7: 'poll', 23: 'select', 270: 'pselect6', 271: 'ppoll' },
  // prettier-ignore
  arm64: { 63: 'read', 64: 'write', 202: 'accept', 242: 'accept4', 206: 'sendto', 207: 'recvfrom', 72: 'pselect6', 73: 'ppoll' },
};

/** The program a strace process traces (its first child), once it has started. */
async function traceeOf(tracer: Child): Promise<number | null> {
  if (tracer.done || tracer.pid === undefined) return null;
  const kids = await readFile(`/proc/${tracer.pid}/task/${tracer.pid}/children`, 'utf8').catch(() => '');
  const pid = Number(kids.trim().split(/\s+/)[0]);
  return pid > 0 ? pid : null;
}

/**
 * What the traced program under a strace process is doing: 'gone', 'running', or the socket
 * call it sleeps in with no timeout (poll's timeout -1; ppoll, select, pselect6 with none).
 */
async function sleepingIn(tracer: Child): Promise<string> {
  if (tracer.done) return 'gone';
  const pid = await traceeOf(tracer);
  if (pid === null) return 'running';
  const [stat, sys] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/syscall`, 'utf8').catch(() => ''),
  ]);
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  const f = sys.trim().split(/\s+/);
  const name = SLEEPERS[process.arch]?.[Number(f[0])];
  if (state !== 'S' || !name || f.length < 7) return 'running';
  const arg = (i: number): bigint => BigInt(f[i + 1]!);
  const untimed =
    name === 'poll'
      ? (arg(2) & 0xffffffffn) === 0xffffffffn
      : name === 'ppoll'
        ? arg(2) === 0n
        : name.endsWith('select')
          ? arg(4) === 0n
          : true;
  return untimed ? `${name}(${sys.trim()})` : 'running';
}

/**
 * A program's run once it has exited. `blockedAfter`: it was killed sleeping for good, and
 * that many lines of its trace were complete then: the calls it had made; the next line is
 * the call it slept in, which it never saw return (a write killed after copying bytes shows
 * their count), and nothing after it is the program's doing (the peer killed first may have
 * reset the connection under it).
 */
async function finish(
  source: string,
  child: Child,
  traceFile: string,
  blockedAfter: number | null,
): Promise<NativeProgram> {
  const r = await child.exit;
  const trace = await readFile(traceFile, 'utf8').catch(() => '');
  const lines = trace.split('\n');
  const text = blockedAfter === null ? trace : `${lines.slice(0, blockedAfter + 1).join('\n')}\n`;
  let records: StraceRecord[];
  try {
    records = parseStrace(text);
  } catch (e) {
    // strace killed by the safety net may have left its last line half written.
    if (r.signal !== 'SIGKILL') throw e;
    records = parseStrace(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
  }
  const blocked = blockedAfter !== null;
  const end = records.at(-1);
  if (blocked && end)
    records[records.length - 1] = { pid: end.pid, call: end.call, args: end.args, ret: null, line: end.line };
  return {
    source,
    exitCode: r.code,
    signal: r.signal,
    blocked,
    stdout: r.stdout,
    stderr: r.stderr,
    trace,
    records,
    calls: programCalls(records),
  };
}

/**
 * Build the pair, run the server under strace, wait until it listens, run the client under
 * strace, and collect both: output, exit, strace's records and the socket calls. A program
 * that sleeps for good in a socket call is killed and marked blocked; one still running after
 * `timeoutMs` is killed (its result then says SIGKILL, not blocked).
 */
export async function runNativePair(opts: {
  server: string;
  client: string;
  port?: number;
  timeoutMs?: number;
}): Promise<NativePair> {
  const port = opts.port ?? (await freeLoopbackPort());
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const dir = await mkdtemp(path.join(tmpdir(), 'tcplab-native-'));
  const children: Child[] = [];
  const unbuffered = works('stdbuf', ['--version']) ? ['stdbuf', '-o0'] : [];
  const traced = (name: 'server' | 'client'): Child => {
    const c = start(
      'strace',
      [...straceArgs(path.join(dir, `${name}.strace`)), ...unbuffered, path.join(dir, name)],
      timeoutMs,
      dir,
    );
    children.push(c);
    return c;
  };
  try {
    await Promise.all([
      buildProgram(opts.server, path.join(dir, 'server'), port),
      buildProgram(opts.client, path.join(dir, 'client'), port),
    ]);
    const server = traced('server');
    let checks = 0;
    let up = false;
    while (!up && checks < LISTEN_TRIES && !server.done) {
      checks++;
      up = listens(await kernelTable(port), port);
    }
    if (!up) {
      server.kill();
      const s = await server.exit;
      throw new Error(
        server.done && checks < LISTEN_TRIES
          ? `the server ended before it listened on ${port} (exit ${s.code ?? s.signal}):\n${s.stdout}${s.stderr}`
          : `the server did not listen on ${port} after ${checks} looks at the kernel's table`,
      );
    }
    const client = traced('client');
    const both = [server, client];
    let table: string[] = [];
    let quiet = 0;
    let last = '';
    for (let round = 0; round < MAX_ROUNDS && !both.every((c) => c.done); round++) {
      table = await kernelTable(port);
      const doing = await Promise.all(both.map(sleepingIn));
      const now = JSON.stringify([doing, table]);
      quiet = doing.every((d) => d !== 'running') && now === last ? quiet + 1 : 0;
      last = now;
      if (quiet >= QUIET_ROUNDS) break;
    }
    // Blocked for good: note how far each trace got, then kill the programs (not strace,
    // which then ends the line of the call each slept in). One may already be gone: killing
    // the other reset its connection.
    const still = quiet >= QUIET_ROUNDS;
    const sleepers = await Promise.all(both.map(async (c) => (still ? traceeOf(c) : null)));
    const complete = await Promise.all(
      ['server', 'client'].map(async (n, i) => {
        if (sleepers[i] === null) return null;
        const t = await readFile(path.join(dir, `${n}.strace`), 'utf8').catch(() => '');
        return t.split('\n').length - 1;
      }),
    );
    for (const pid of sleepers) if (pid !== null) killQuietly(pid);
    const [serverRun, clientRun] = await Promise.all([
      finish(opts.server, server, path.join(dir, 'server.strace'), complete[0]!),
      finish(opts.client, client, path.join(dir, 'client.strace'), complete[1]!),
    ]);
    return { port, server: serverRun, client: clientRun, listenChecks: checks, table };
  } finally {
    for (const c of children) c.kill();
    await Promise.allSettled(children.map((c) => c.exit));
    await rm(dir, { recursive: true, force: true });
  }
}
