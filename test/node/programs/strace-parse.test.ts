/**
 * The strace parser on strace's own text. The fixtures in test/fixtures/strace/ were recorded
 * on Linux x86_64 (glibc 2.36, strace 6.1) with native.ts's options (straceArgs) from the C
 * files beside them: echo-server.c / echo-client.c (the echo pair; `echo-client-refused`: the
 * client with no server), fork-pair.c (two processes in one trace: <unfinished ...> and
 * <... resumed>), nonblock.c (O_NONBLOCK, EINPROGRESS, poll, select as pselect6, recv/send
 * as recvfrom/sendto, EAGAIN, EBADF, perror reusing a closed socket's number) and eintr.c
 * (accept interrupted by a signal, restarted once with SA_RESTART, then -1 EINTR).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStrace, portsIn, programCalls, splitArgs, stringArg, type ProgramCall } from './strace-parse';

const FIXTURES = path.resolve(__dirname, '../../fixtures/strace');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, `${name}.strace`), 'utf8');
const text = (b: { bytes: Buffer } | null): string | undefined => b?.bytes.toString('latin1');

/** Calls written as the report prints them, for short expectations. */
function brief(calls: ProgramCall[]): string[] {
  return calls.map(
    (c) =>
      `${c.call}(${[c.fd, c.count].filter((x) => x !== undefined).join(',')})=${c.ret ?? '?'}${c.errno ? ` ${c.errno}` : ''}`,
  );
}

describe('parseStrace on recorded traces', () => {
  it('echo server: every line a record with pid, arguments, return value', () => {
    const recs = parseStrace(fixture('echo-server'));
    expect(recs.map((r) => r.call)).toEqual([
      'close',
      'read',
      'close',
      'socket',
      'setsockopt',
      'bind',
      'listen',
      'accept',
      'read',
      'write',
      'read',
      'close',
      'close',
      'write',
    ]);
    expect(new Set(recs.map((r) => r.pid)).size).toBe(1);
    const socket = recs[3]!;
    expect(socket.args).toEqual(['AF_INET', 'SOCK_STREAM', 'IPPROTO_IP']);
    expect(socket.ret).toBe(3);
    const bind = recs[5]!;
    expect(bind.args).toHaveLength(3);
    expect(bind.args[1]).toMatch(
      /^\{sa_family=AF_INET, sin_port=htons\(5077\), sin_addr=inet_addr\(".*"\)\}$/,
    );
    expect(text(stringArg(bind.args[1]!.match(/inet_addr\((".*")\)/)![1]!))).toBe('127.0.0.1');
    expect(recs[7]).toMatchObject({ call: 'accept', args: ['3', 'NULL', 'NULL'], ret: 4 });
    expect(text(stringArg(recs[8]!.args[1]!))).toBe('hello');
    expect(recs[10]).toMatchObject({ call: 'read', ret: 0 });
    expect(text(stringArg(recs[13]!.args[1]!))).toBe('client closed, read returned 0\n');
    // The loader's read of libc: a string strace cut at 64 bytes.
    expect(stringArg(recs[1]!.args[1]!)).toMatchObject({ truncated: true });
    expect(stringArg(recs[1]!.args[1]!)!.bytes.subarray(1, 4).toString()).toBe('ELF');
    expect(portsIn(recs)).toEqual([5077]);
  });

  it('a refused connect: -1 and the errno name, the text in brackets left out', () => {
    const recs = parseStrace(fixture('echo-client-refused'));
    const connect = recs.find((r) => r.call === 'connect')!;
    expect(connect.ret).toBe(-1);
    expect(connect.errno).toBe('ECONNREFUSED');
    expect(connect.detail).toBeUndefined();
  });

  it('two processes: an unfinished call and its resumption are one record, placed where it started', () => {
    const raw = fixture('fork-pair');
    expect(raw).toContain('<unfinished ...>');
    expect(raw).toContain('resumed>');
    const recs = parseStrace(raw);
    expect(recs.length).toBe(
      raw
        .trim()
        .split('\n')
        .filter((l) => !/resumed>/.test(l)).length,
    );
    const [parent, child] = [...new Set(recs.map((r) => r.pid))];
    const accept = recs.find((r) => r.call === 'accept')!;
    expect(accept).toMatchObject({ pid: parent, args: ['3', 'NULL', 'NULL'], ret: 4 });
    // The child's calls that come after the accept started, though accept returned later.
    const after = recs.slice(recs.indexOf(accept) + 1);
    expect(after[0]).toMatchObject({ pid: child, call: 'close', args: ['3'] });
    const childRead = recs.find((r) => r.pid === child && r.call === 'read')!;
    expect(childRead.args).toHaveLength(3);
    expect(text(stringArg(childRead.args[1]!))).toBe('ping');
    expect(childRead.args[2]).toBe('64');
    expect(childRead.ret).toBe(4);
    const lines = raw.split('\n');
    expect(lines[accept.line - 1]).toMatch(/accept\(3, NULL, NULL <unfinished \.\.\.>$/);
    // Per process, the socket calls of a server and its client.
    expect(brief(programCalls(recs.filter((r) => r.pid === parent)))).toEqual([
      'socket()=3',
      'bind(3)=0',
      'listen(3)=0',
      'getsockname(3)=0',
      'accept(3)=4',
      'write(4,4)=4',
      'read(4,64)=4',
      'close(4)=0',
      'close(3)=0',
    ]);
    // Both processes in the order their calls started; the child inherits the listening
    // socket (its close(3) is a socket's), then opens its own.
    expect(brief(programCalls(recs))).toEqual([
      'socket()=3',
      'bind(3)=0',
      'listen(3)=0',
      'getsockname(3)=0',
      'accept(3)=4',
      'close(3)=0',
      'socket()=3',
      'connect(3)=0',
      'write(4,4)=4',
      'read(3,64)=4',
      'write(3,4)=4',
      'read(4,64)=4',
      'close(3)=0',
      'close(4)=0',
      'close(3)=0',
    ]);
  });

  it('non-blocking calls, poll and select, recv/send, EAGAIN, EBADF, perror on a reused number', () => {
    const recs = parseStrace(fixture('nonblock'));
    const getfl = recs.find((r) => r.call === 'fcntl' && r.args[1] === 'F_GETFL')!;
    expect(getfl).toMatchObject({ ret: 2, detail: '(flags O_RDWR)' });
    const poll = recs.find((r) => r.call === 'poll')!;
    expect(poll.args).toEqual(['[{fd=4, events=POLLOUT}]', '1', '1000']);
    expect(poll.detail).toBe('([{fd=4, revents=POLLOUT}])');
    const sel = recs.filter((r) => r.call === 'pselect6');
    expect(sel[1]!.args[4]).toBe('{tv_sec=0, tv_nsec=0}');
    expect(sel[1]!.detail).toBe('(in [5], left {tv_sec=0, tv_nsec=0})');
    expect(recs.find((r) => r.call === 'connect')).toMatchObject({ ret: -1, errno: 'EINPROGRESS' });
    const ports = portsIn(recs);
    expect(ports).toContain(0);
    expect(ports.length).toBe(3); // bind's 0, the listening port, the client's ephemeral port

    expect(brief(programCalls(recs))).toEqual([
      'socket()=3',
      'bind(3)=0',
      'listen(3)=0',
      'getsockname(3)=0',
      'fcntl(3)=2',
      'fcntl(3)=0',
      'accept(3)=-1 EAGAIN',
      'socket()=4',
      'fcntl(4)=0',
      'connect(4)=-1 EINPROGRESS',
      // perror's fcntl/write/close of its copy of stderr (fd 5, not a socket) are gone
      'poll()=1',
      'getsockopt(4)=0',
      'select()=1',
      'accept(3)=5',
      'getpeername(5)=0',
      'recv(5,64)=-1 EAGAIN',
      'send(4,3)=3',
      'poll()=1',
      'recv(5,64)=3',
      'shutdown(4)=0',
      'select()=1',
      'close(5)=0',
      'close(4)=0',
      'close(4)=-1 EBADF',
      // perror now copies stderr to 4, the closed socket's number: not the program's calls
      'close(3)=0',
      'socket()=3',
      'connect(3)=-1 ECONNREFUSED',
      'close(3)=0',
    ]);
  });

  it('a signal: the restarted call once, the interrupted one as -1 EINTR', () => {
    const recs = parseStrace(fixture('eintr'));
    const accepts = recs.filter((r) => r.call === 'accept');
    expect(accepts.map((r) => [r.ret, r.errno])).toEqual([
      [null, 'ERESTARTSYS'],
      [null, 'ERESTARTSYS'],
    ]);
    expect(recs.filter((r) => r.call === 'rt_sigreturn').map((r) => [r.ret, r.errno])).toEqual([
      [43, undefined],
      [-1, 'EINTR'],
    ]);
    expect(brief(programCalls(recs))).toEqual([
      'socket()=3',
      'bind(3)=0',
      'listen(3)=0',
      'accept(3)=-1 EINTR',
      'close(3)=0',
    ]);
  });
});

describe('parseStrace on written lines', () => {
  it('lines without a pid, [pid N] lines, strings with commas, parentheses and quotes', () => {
    const recs = parseStrace(
      [
        'socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3',
        'connect(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '[pid  4242] write(3, "a, b) \\"c\\" (d", 15) = 15',
        'accept(3, NULL, NULL) = -1 EINTR (Interrupted system call)',
        '--- SIGINT {si_signo=SIGINT, si_code=SI_KERNEL} ---',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
    expect(recs.map((r) => [r.pid, r.call, r.ret, r.errno])).toEqual([
      [null, 'socket', 3, undefined],
      [null, 'connect', 0, undefined],
      [4242, 'write', 15, undefined],
      [null, 'accept', -1, 'EINTR'],
    ]);
    expect(recs[1]!.args).toEqual([
      '3',
      '{sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("127.0.0.1")}',
      '16',
    ]);
    expect(recs[2]!.args).toEqual(['3', '"a, b) \\"c\\" (d"', '15']);
    expect(stringArg(recs[2]!.args[1]!)).toBeNull(); // only -xx strings are decoded
    expect(programCalls(recs).map((c) => c.call)).toEqual(['socket', 'connect', 'write', 'accept']);
  });

  it('a call still unfinished when the trace ends never returned; a resumption without its start is an error', () => {
    const recs = parseStrace(
      '7 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n7 accept(3, NULL, NULL <unfinished ...>\n',
    );
    expect(recs[1]).toMatchObject({ pid: 7, call: 'accept', args: ['3', 'NULL', 'NULL'], ret: null });
    expect(() => parseStrace('7 <... read resumed>"", 10) = 0')).toThrow(/resumed but never started/);
    // A program killed while it slept in accept (what native.ts does to a server blocked for good).
    expect(parseStrace('7 accept(3, NULL, NULL)             = ?\n')).toEqual([
      { pid: 7, call: 'accept', args: ['3', 'NULL', 'NULL'], ret: null, line: 1 },
    ]);
  });

  it('accept4 with no flags is accept; ppoll is poll; an address keeps recvfrom and sendto', () => {
    const recs = parseStrace(
      [
        '1 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3',
        '1 accept4(3, NULL, NULL, 0) = 4',
        '1 accept4(3, NULL, NULL, SOCK_NONBLOCK) = 5',
        '1 ppoll([{fd=4, events=POLLIN}], 1, NULL, NULL, 8) = 1 ([{fd=4, revents=POLLIN}])',
        '1 recvfrom(4, "\\x61", 10, 0, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, [16]) = 1',
        '1 sendto(4, "\\x61", 1, 0, NULL, 0) = 1',
        '1 read(9, "", 10) = 0',
        '1 write(4, "\\x61", 1) = -1 EPIPE (Broken pipe)',
      ].join('\n'),
    );
    expect(brief(programCalls(recs))).toEqual([
      'socket()=3',
      'accept(3)=4',
      'accept4(3)=5',
      'poll()=1',
      'recvfrom(4)=1',
      'send(4,1)=1',
      'write(4,1)=-1 EPIPE',
    ]);
  });

  it('splitArgs keeps nested structures whole', () => {
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('3, [{fd=3, events=POLLIN|POLLOUT}], {tv_sec=1, tv_nsec=0}, "x,y"')).toEqual([
      '3',
      '[{fd=3, events=POLLIN|POLLOUT}]',
      '{tv_sec=1, tv_nsec=0}',
      '"x,y"',
    ]);
  });
});
