/**
 * strace's text as call records, and those records as the socket calls a C program made.
 *
 * `parseStrace` reads what `strace -f -qq -e signal=none -s 64 -xx -o FILE` writes (the
 * options native.ts uses): one call a line, `PID name(args) = ret [ERRNO (text)] [(detail)]`,
 * a call another process interrupted split into `name(args <unfinished ...>` and
 * `<... name resumed>args) = ret`. Records come in the order the calls STARTED: that is the
 * order the program made them (a single-threaded program cannot start a call before the
 * previous one returned), and the order the lab's `call.started` events give; with several
 * processes in one file a call's place is where it began, not where another process's line
 * happened to end it.
 *
 * `programCalls` turns the records into what the program called, as the comparison sees it
 * (see its comment for what is kept and how names are mapped).
 */

/** One system call as strace printed it. */
export interface StraceRecord {
  /** The process (strace -f -o prefixes every line with it); null on a line without one. */
  pid: number | null;
  call: string;
  /** The arguments as strace printed them, split at top-level commas. */
  args: string[];
  /** The return value; null where strace printed `?` (a call the kernel will restart, exit). */
  ret: number | null;
  /** The errno name after `-1` (or after `?`: ERESTARTSYS and its kin). */
  errno?: string;
  /** What follows the return value: poll's revents, select's ready sets, fcntl's flags. */
  detail?: string;
  /** The line (1-based) of the file where the call started. */
  line: number;
}

/** A socket call as the program made it, the form the comparison takes (compare.ts). */
export interface ProgramCall {
  call: string;
  /** The descriptor it was made on (absent for socket, poll, select). */
  fd?: number;
  /** The byte count a read/write/recv/send asked for. */
  count?: number;
  ret: number | null;
  errno?: string;
}

const PID = /^(?:\[pid\s+)?(\d+)\]?\s+/;
const UNFINISHED = ' <unfinished ...>';
const RESUMED = /^<\.\.\. ([A-Za-z0-9_]+) resumed>\s?/;
const RESULT = /^\s*=\s*(\?|0x[0-9a-fA-F]+|-?\d+)(?:\s+(E[A-Z0-9_]+)\s+\((?:[^()]|\([^()]*\))*\))?\s*(.*)$/;

/** Parse strace's output. Lines that are no call (signals, exits, blank) are skipped. */
export function parseStrace(text: string): StraceRecord[] {
  const out: (StraceRecord | null)[] = [];
  /** Per pid: the unfinished call's text and its slot in `out`. */
  const pending = new Map<number | null, { head: string; slot: number; line: number }>();
  text.split('\n').forEach((raw, i) => {
    const m = PID.exec(raw);
    const pid = m ? Number(m[1]) : null;
    const body = (m ? raw.slice(m[0].length) : raw).trimEnd();
    if (body === '' || body.startsWith('---') || body.startsWith('+++')) return;
    if (body.endsWith(UNFINISHED)) {
      pending.set(pid, { head: body.slice(0, -UNFINISHED.length), slot: out.length, line: i + 1 });
      out.push(null);
      return;
    }
    const r = RESUMED.exec(body);
    if (r) {
      const p = pending.get(pid);
      if (!p) throw new Error(`strace line ${i + 1}: ${r[1]} resumed but never started: ${raw}`);
      pending.delete(pid);
      // The head ends with what was printed before the call blocked: "read(3, " or "16".
      out[p.slot] = parseCall(p.head + body.slice(r[0].length), pid, p.line);
      return;
    }
    const rec = parseCall(body, pid, i + 1);
    if (rec) out.push(rec);
  });
  // A call still unfinished when the trace ended (the process was killed in it) never returned.
  for (const [pid, p] of pending) {
    const { rest: _rest, ...rec } = splitCall(p.head, pid, p.line);
    out[p.slot] = { ...rec, ret: null };
  }
  return out.filter((r): r is StraceRecord => r !== null);
}

function splitCall(
  text: string,
  pid: number | null,
  line: number,
): Omit<StraceRecord, 'ret'> & { rest: string } {
  const open = text.indexOf('(');
  const call = text.slice(0, open);
  if (open <= 0 || !/^[A-Za-z0-9_]+$/.test(call)) throw new Error(`strace line ${line}: not a call: ${text}`);
  const close = closingParen(text, open);
  const inner = close < 0 ? text.slice(open + 1) : text.slice(open + 1, close);
  return { pid, call, args: splitArgs(inner), line, rest: close < 0 ? '' : text.slice(close + 1) };
}

function parseCall(text: string, pid: number | null, line: number): StraceRecord | null {
  if (!/^[A-Za-z0-9_]+\(/.test(text)) return null; // "strace: ..." notes and the like
  const { rest, ...rec } = splitCall(text, pid, line);
  const m = RESULT.exec(rest);
  if (!m) throw new Error(`strace line ${line}: no return value: ${text}`);
  const ret = m[1] === '?' ? null : m[1]!.startsWith('0x') ? parseInt(m[1]!, 16) : Number(m[1]);
  const out: StraceRecord = { ...rec, ret };
  if (m[2]) out.errno = m[2];
  if (m[3]) out.detail = m[3];
  return out;
}

/** Index of the `)` that closes the `(` at `open`, past strings, brackets and braces; -1 if none. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = stringEnd(s, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/** Index of the closing quote of the string opening at `i`. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j;
  }
  return s.length;
}

/** Split strace's argument text at commas outside strings, brackets, braces and parentheses. */
export function splitArgs(s: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = stringEnd(s, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last !== '' || args.length > 0) args.push(last);
  return args;
}

/**
 * The bytes of a string argument as -xx prints it (`"\x68\x69"`, `"\x68"...` when cut at -s),
 * with `truncated` when strace cut it; null for an argument that is no string (a pointer).
 */
export function stringArg(arg: string): { bytes: Buffer; truncated: boolean } | null {
  const m = /^"((?:\\x[0-9a-fA-F]{2})*)"(\.\.\.)?$/.exec(arg);
  if (!m) return null;
  const hex = m[1]!.replace(/\\x/g, '');
  return { bytes: Buffer.from(hex, 'hex'), truncated: m[2] !== undefined };
}

/** The ports strace printed in the records' addresses (`sin_port=htons(5000)`, sin6 too). */
export function portsIn(records: readonly StraceRecord[]): number[] {
  const ports = new Set<number>();
  for (const r of records)
    for (const a of r.args) for (const m of a.matchAll(/sin6?_port=htons\((\d+)\)/g)) ports.add(Number(m[1]));
  return [...ports];
}

/** Calls that only take sockets: kept wherever they appear (the C runtime makes none of them). */
const SOCKET_ONLY = new Set([
  'bind',
  'listen',
  'connect',
  'shutdown',
  'setsockopt',
  'getsockopt',
  'getsockname',
  'getpeername',
  'recvfrom',
  'sendto',
  'recv',
  'send',
]);
/** Calls on any descriptor: kept when it is a socket (or is not open at all: EBADF). */
const ON_ANY_FD = new Set(['read', 'write', 'close', 'fcntl']);
/** Calls on many descriptors: always kept. */
const MULTI = new Set(['poll', 'ppoll', 'select', 'pselect6']);
/** Calls whose third argument is a byte count. */
const COUNTED = new Set(['read', 'write', 'recv', 'send']);

/**
 * The socket calls of one program's records, as the program called them.
 *
 * Kept: socket(); accept()/accept4() on it; the calls that only take sockets; read, write,
 * close and fcntl on a descriptor that is a socket at that moment (from socket() or accept()
 * of the same process, until its close), or that fail with EBADF (a program's call on a
 * descriptor it already closed); poll and select. Dropped: what the C runtime does — the
 * dynamic loader reading and closing libraries before main, stdio's writes to 1 and 2 (the
 * program's stdout is compared as text instead), perror's fcntl/close of its dup of stderr.
 * A new process starts with the first process's sockets (what a fork inherits).
 *
 * Names are what the program called, not what libc used: accept4(…, 0) → accept, ppoll →
 * poll, pselect6 → select, recvfrom/sendto without an address → recv/send. read and write
 * stay read and write (a program's read() on a socket is read(2)).
 *
 * A signal: strace shows the interrupted call as `= ? ERESTARTSYS` (or ERESTARTNOHAND…) and
 * what the program got back as the return of rt_sigreturn: -1 EINTR becomes the call's
 * return; any other value (the call number: SA_RESTART) means the kernel made the call again,
 * which strace shows as a new line, so the interrupted one is dropped.
 */
export function programCalls(records: readonly StraceRecord[]): ProgramCall[] {
  const sockets = new Map<number | null, Set<number>>();
  const firstPid = records[0]?.pid ?? null;
  const socketsOf = (pid: number | null): Set<number> => {
    let s = sockets.get(pid);
    if (!s) {
      s = new Set(sockets.get(firstPid) ?? []);
      sockets.set(pid, s);
    }
    return s;
  };
  const out: ProgramCall[] = [];
  for (let i = 0; i < records.length; i++) {
    let r = records[i]!;
    if (r.call === 'rt_sigreturn') continue;
    if (r.errno?.startsWith('ERESTART')) {
      const next = records.slice(i + 1).find((n) => n.pid === r.pid);
      if (next?.call !== 'rt_sigreturn' || next.ret !== -1 || next.errno !== 'EINTR') continue;
      r = { ...r, ret: -1, errno: 'EINTR' };
    }
    const fds = socketsOf(r.pid);
    const fd = /^-?\d+$/.test(r.args[0] ?? '') ? Number(r.args[0]) : undefined;
    const keep =
      r.call === 'socket' ||
      MULTI.has(r.call) ||
      SOCKET_ONLY.has(r.call) ||
      ((r.call === 'accept' || r.call === 'accept4') && fd !== undefined && fds.has(fd)) ||
      (ON_ANY_FD.has(r.call) && fd !== undefined && (fds.has(fd) || r.errno === 'EBADF'));
    if (!keep) continue;
    const ok = r.ret !== null && r.ret >= 0;
    if ((r.call === 'socket' || r.call === 'accept' || r.call === 'accept4') && ok) fds.add(r.ret!);
    if (r.call === 'close' && fd !== undefined) fds.delete(fd); // closed even when close fails (EINTR, EIO)
    const call = programName(r);
    const pc: ProgramCall = { call, ret: r.ret };
    if (fd !== undefined && !MULTI.has(r.call) && r.call !== 'socket') pc.fd = fd;
    if (COUNTED.has(call) && /^\d+$/.test(r.args[2] ?? '')) pc.count = Number(r.args[2]);
    if (r.errno) pc.errno = r.errno;
    out.push(pc);
  }
  return out;
}

/** The C function the program called for a system call libc made. */
function programName(r: StraceRecord): string {
  switch (r.call) {
    case 'accept4':
      return r.args[3] === '0' ? 'accept' : 'accept4';
    case 'ppoll':
      return 'poll';
    case 'pselect6':
      return 'select';
    case 'recvfrom':
      return r.args[4] === 'NULL' ? 'recv' : 'recvfrom';
    case 'sendto':
      return r.args[4] === 'NULL' ? 'send' : 'sendto';
    default:
      return r.call;
  }
}
