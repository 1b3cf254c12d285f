/**
 * The checkpoints on what programs do, judged on views of real lab runs (C programs on the
 * lab's real sockets): the bytes a socket's program read and wrote (content up to the
 * view's bound, counts past it), a program's output, the line it is at, its exit status, a
 * socket option set, the accept queue's bounds. Each holds from the event that makes it
 * true, and not one event before.
 */
import { describe, expect, it } from 'vitest';
import { CheckpointSchema, evaluate, verdictText, type Checkpoint } from '../../../app/contract/lesson';
import { reduceAll, SOCKET_TEXT_KEEP, type ViewState } from '../../../app/contract/reducer';
import type { LabEvent } from '../../../app/contract/schema';
import type { Lab } from '../../../app/core/lab';
import { isLinux, newLab, ok as accepted, waitFor } from '../engine/helpers';
import { runToEnd } from '../interp/run-to-end';

const HEAD = `#ifndef PORT
#define PORT 5000
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
`;

/** Sets SO_REUSEADDR, accepts one client, reads "é" a byte at a time, then 5000 bytes; answers "bye". */
const SERVER = `${HEAD}
int main(void)
{
    struct sockaddr_in addr;
    char buf[6000];
    int one = 1;
    size_t total = 0;
    ssize_t n;

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    bind(lfd, (struct sockaddr *)&addr, sizeof addr);
    listen(lfd, 1);
    int cfd = accept(lfd, NULL, NULL);
    read(cfd, buf, 1);
    read(cfd, buf, 1);
    while (total < 5000) {
        n = read(cfd, buf + total, sizeof buf - total);
        if (n <= 0)
            break;
        total += n;
    }
    printf("got %zu bytes\\n", total);
    write(cfd, "bye", 3);
    fputs("server done\\n", stderr);
    close(cfd);
    close(lfd);
    return 3;
}
`;

/** Writes "é" as two one-byte writes, then "hello" and 4995 x's in one write; reads the answer. */
const CLIENT = `${HEAD}
int main(void)
{
    struct sockaddr_in addr;
    char buf[5000];

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return 1;
    }
    write(fd, "\\xc3", 1);
    write(fd, "\\xa9", 1);
    memset(buf, 'x', sizeof buf);
    memcpy(buf, "hello", 5);
    buf[4090] = 'E';
    buf[4096] = 'F';
    write(fd, buf, 5000);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read %zd bytes: %.*s\\n", n, (int)n, buf);
    close(fd);
    return 0;
}
`;

/** Faults: an index out of bounds. */
const FAULTS = `int main(void)
{
    int a[2];
    int i = 5;
    a[i] = 1;
    return 0;
}
`;

const parse = (cp: Checkpoint) => CheckpointSchema.parse(cp);
const holds = (cp: Checkpoint, v: ViewState) => evaluate(parse(cp), v).ok;
const say = (cp: Checkpoint, v: ViewState) => verdictText(evaluate(parse(cp), v).detail);

/** The number of events after which `cp` first holds (0: it never does). */
function firstHolds(events: readonly LabEvent[], cp: Checkpoint): number {
  const c = parse(cp);
  for (let n = 1; n <= events.length; n++) if (evaluate(c, reduceAll(events, n)).ok) return n;
  return 0;
}

/** The event that made `cp` hold: it does not hold one event before. */
function madeTrueBy(events: readonly LabEvent[], cp: Checkpoint): LabEvent {
  const n = firstHolds(events, cp);
  expect(n, JSON.stringify(cp)).toBeGreaterThan(0);
  expect(evaluate(parse(cp), reduceAll(events, n - 1)).ok).toBe(false);
  return events[n - 1]!;
}

const returnedCall = (e: LabEvent) => (e.type === 'call.returned' ? `${e.actor} ${e.call}=${e.ret}` : e.type);

async function start(lab: Lab, server: string, client: string): Promise<void> {
  expect(
    await lab.execute({
      type: 'reset',
      programs: { server: { name: 'server', source: server }, client: { name: 'client', source: client } },
    }),
  ).toEqual({ ok: true });
}

describe.runIf(isLinux)('checkpoints on real programs', () => {
  it('bytes, output, programAt, programEnded, sockopt, queueLength on a run of two C programs', async () => {
    const lab = await newLab();
    await start(lab, SERVER, CLIENT);
    // Before anything runs: the program is at its first line, nothing read, no option set.
    const v0 = lab.view();
    expect(holds({ kind: 'programAt', actor: 'server', text: 'socket(' }, v0)).toBe(false);
    // socket, setsockopt, bind, listen: the server stops before accept().
    for (let i = 0; i < 4; i++)
      await accepted(lab, lab.execute({ type: 'step', actor: 'server', unit: 'call' }));
    const atAccept = lab.view();
    const acceptLine = SERVER.split('\n').findIndex((l) => l.includes('accept(')) + 1;
    expect(holds({ kind: 'programAt', actor: 'server', text: 'accept(' }, atAccept)).toBe(true);
    expect(holds({ kind: 'programAt', actor: 'server', line: acceptLine }, atAccept)).toBe(true);
    expect(holds({ kind: 'programAt', actor: 'server', line: acceptLine, text: 'accept(' }, atAccept)).toBe(
      true,
    );
    expect(say({ kind: 'programAt', actor: 'server', text: 'read(' }, atAccept)).toBe(
      `server's program is at line ${acceptLine}, not at a line with "read("`,
    );
    expect(say({ kind: 'programAt', actor: 'server', line: 3 }, atAccept)).toBe(
      `server's program is at line ${acceptLine}, not line 3`,
    );
    expect(say({ kind: 'programAt', actor: 'server', text: 'select(' }, atAccept)).toBe(
      `no line of server's program contains "select("`,
    );
    expect(say({ kind: 'programAt', actor: 'server', line: acceptLine + 1, text: 'accept(' }, atAccept)).toBe(
      `line ${acceptLine + 1} of server's program does not contain "accept("`,
    );
    // The option the server set, on its listening socket (fd 3), by fd and by role.
    expect(holds({ kind: 'sockopt', actor: 'server', fd: 3, opt: 'SO_REUSEADDR' }, atAccept)).toBe(true);
    expect(
      holds({ kind: 'sockopt', actor: 'server', role: 'listening', opt: 'SO_REUSEADDR', value: 1 }, atAccept),
    ).toBe(true);
    expect(say({ kind: 'sockopt', actor: 'server', fd: 3, opt: 'SO_REUSEADDR', value: 0 }, atAccept)).toMatch(
      /^s\d+ has SO_REUSEADDR set to 1, not 0$/,
    );
    expect(say({ kind: 'sockopt', actor: 'server', fd: 3, opt: 'TCP_NODELAY' }, atAccept)).toBe(
      'server fd 3 has no TCP_NODELAY set by setsockopt()',
    );
    expect(holds({ kind: 'sockopt', actor: 'client', opt: 'SO_REUSEADDR' }, atAccept)).toBe(false);
    // The client connects; its connection waits in the queue until accept() takes it.
    await accepted(lab, lab.execute({ type: 'step', actor: 'client', unit: 'call' })); // socket
    await accepted(lab, lab.execute({ type: 'step', actor: 'client', unit: 'call' })); // connect
    await waitFor(lab, (v) => holds({ kind: 'queueLength', actor: 'server', atLeast: 1 }, v), 'one queued');
    const queued = lab.view();
    expect(holds({ kind: 'queueLength', actor: 'server', atLeast: 1, atMost: 1 }, queued)).toBe(true);
    expect(say({ kind: 'queueLength', actor: 'server', atMost: 0 }, queued)).toBe(
      "1 connection(s) waiting in server's accept queue, need ≤ 0",
    );
    expect(holds({ kind: 'queueLength', actor: 'server', atMost: 0 }, atAccept)).toBe(true);
    await runToEnd(lab, ['server', 'client']);
    const events = lab.events();
    const end = lab.view();

    // setsockopt's return made the option hold.
    expect(
      returnedCall(madeTrueBy(events, { kind: 'sockopt', actor: 'server', fd: 3, opt: 'SO_REUSEADDR' })),
    ).toBe('server setsockopt=0');
    // The accept queue, by its bounds.
    expect(returnedCall(madeTrueBy(events, { kind: 'queueLength', actor: 'server', atLeast: 1 }))).toBe(
      'socket.queue',
    );
    // Once accept() has taken it, the queue is empty again.
    expect(holds({ kind: 'queueLength', actor: 'server', atMost: 0 }, end)).toBe(true);

    // What the server read: "é" whole although it came a byte at a time, then the 5000 bytes,
    // the text kept up to SOCKET_TEXT_KEEP bytes and every byte counted.
    const conn = { kind: 'bytes', actor: 'server', role: 'connection', side: 'received' } as const;
    const received = Object.values(end.sockets).find((s) => (s.received?.bytes ?? 0) > 3)!.received!;
    expect(received.bytes).toBe(5002);
    expect(received.text.startsWith('éhello')).toBe(true);
    expect(received.text).toHaveLength(SOCKET_TEXT_KEEP - 1); // é is 2 bytes, 1 character
    expect(received.text.endsWith('Exxx')).toBe(true);
    expect(holds({ ...conn, contains: 'é' }, end)).toBe(true);
    expect(holds({ ...conn, contains: 'éhello' }, end)).toBe(true);
    expect(holds({ ...conn, contains: 'Exxx' }, end)).toBe(true);
    // The stream's byte 4092 is 'E', the last kept are 3 x's; its byte 4098 ('F') is past the
    // bound: not in the text, but counted.
    expect(holds({ ...conn, contains: 'F' }, end)).toBe(false);
    expect(holds({ ...conn, atLeast: 5002 }, end)).toBe(true);
    expect(holds({ ...conn, atLeast: 5003 }, end)).toBe(false);
    expect(holds({ ...conn, contains: 'hello', atLeast: 5002 }, end)).toBe(true);
    expect(say({ ...conn, atLeast: 6000 }, end)).toMatch(
      /^s\d+: the program read 5002 byte\(s\) "éhelloxx[x]+"…, need ≥ 6000 bytes$/,
    );
    // The read that took "hello" made it hold.
    const hello = madeTrueBy(events, { ...conn, contains: 'hello' });
    expect(returnedCall(hello)).toMatch(/^server read=\d+$/);
    // The first byte alone is no character yet; the second completes "é".
    expect(returnedCall(madeTrueBy(events, { ...conn, contains: 'é' }))).toBe('server read=1');
    // What each side wrote.
    expect(holds({ kind: 'bytes', actor: 'server', fd: 4, side: 'sent', contains: 'bye' }, end)).toBe(false); // closed
    expect(
      returnedCall(
        madeTrueBy(events, {
          kind: 'bytes',
          actor: 'server',
          role: 'connection',
          side: 'sent',
          contains: 'bye',
        }),
      ),
    ).toBe('server write=3');
    const clientSent = { kind: 'bytes', actor: 'client', role: 'connection', side: 'sent' } as const;
    expect(holds({ ...clientSent, contains: 'éhello' + 'x'.repeat(100) }, end)).toBe(true);
    expect(holds({ ...clientSent, atLeast: 5002 }, end)).toBe(true);
    expect(
      holds({ kind: 'bytes', actor: 'client', side: 'received', contains: 'bye', atLeast: 3 }, end),
    ).toBe(true);
    expect(holds({ kind: 'bytes', actor: 'client', side: 'received', contains: 'hello' }, end)).toBe(false);
    // The events carry no more text than the bound, each way of each socket.
    const carried = events.flatMap((e) => (e.type === 'call.returned' && e.out?.data ? [e] : []));
    for (const actor of ['server', 'client'])
      for (const call of ['read', 'write'] as const) {
        const bytes = carried
          .filter((e) => e.actor === actor && e.call === call)
          .reduce((n, e) => n + Buffer.byteLength(e.out!.data!), 0);
        expect(bytes).toBeLessThanOrEqual(SOCKET_TEXT_KEEP);
      }

    // Output, per stream or on either.
    expect(holds({ kind: 'output', actor: 'server', contains: 'got 5000 bytes' }, end)).toBe(true);
    expect(
      holds({ kind: 'output', actor: 'server', contains: 'got 5000 bytes', stream: 'stderr' }, end),
    ).toBe(false);
    expect(holds({ kind: 'output', actor: 'server', contains: 'server done', stream: 'stderr' }, end)).toBe(
      true,
    );
    // A text that spans the two streams is in neither.
    expect(holds({ kind: 'output', actor: 'server', contains: 'bytes\nserver' }, end)).toBe(false);
    expect(holds({ kind: 'output', actor: 'client', contains: 'read 3 bytes: bye' }, end)).toBe(true);
    expect(say({ kind: 'output', actor: 'client', contains: 'nope' }, end)).toBe(
      `client's output does not contain "nope" yet (it ends "read 3 bytes: bye\\n")`,
    );
    expect(say({ kind: 'output', actor: 'client', contains: 'x', stream: 'stderr' }, end)).toBe(
      'client has printed nothing on stderr yet (waiting for "x")',
    );
    expect(evaluate(parse({ kind: 'output', actor: 'client', contains: 'x' }), v0).detail).toMatchObject({
      code: 'output.nothing',
    });

    // Exit statuses.
    expect(holds({ kind: 'programEnded', actor: 'server' }, end)).toBe(true);
    expect(holds({ kind: 'programEnded', actor: 'server', status: 3 }, end)).toBe(true);
    expect(holds({ kind: 'programEnded', actor: 'client', status: 0 }, end)).toBe(true);
    expect(say({ kind: 'programEnded', actor: 'server', status: 0 }, end)).toBe(
      "server's program exited with status 3, not 0",
    );
    expect(holds({ kind: 'programEnded', actor: 'server', status: 3 }, atAccept)).toBe(false);
    expect(madeTrueBy(events, { kind: 'programEnded', actor: 'server', status: 3 }).type).toBe(
      'program.ended',
    );
    // Ended: no line any more.
    expect(say({ kind: 'programAt', actor: 'server', text: 'accept(' }, end)).toBe(
      "server's program is not at a line (not started, or ended)",
    );
  }, 30_000);

  it('a program that faults has not exited with a status', async () => {
    const lab = await newLab();
    await start(lab, FAULTS, CLIENT);
    await runToEnd(lab, ['server']);
    const v = lab.view();
    expect(v.actors.server!.end).toMatchObject({ how: 'fault', line: 5 });
    expect(holds({ kind: 'programEnded', actor: 'server' }, v)).toBe(true);
    expect(holds({ kind: 'programEnded', actor: 'server', status: 0 }, v)).toBe(false);
    expect(say({ kind: 'programEnded', actor: 'server', status: 0 }, v)).toBe(
      "server's program faulted at line 5 instead of exiting with status 0",
    );
  });
});

describe('the schemas of the newer kinds', () => {
  it('want what each kind needs, and refuse stray fields', () => {
    const valid = (cp: unknown) => CheckpointSchema.safeParse(cp).success;
    expect(valid({ kind: 'bytes', actor: 'server', side: 'received' })).toBe(false);
    expect(valid({ kind: 'bytes', actor: 'server', side: 'recv', contains: 'x' })).toBe(false);
    expect(valid({ kind: 'bytes', actor: 'server', side: 'sent', contains: '' })).toBe(false);
    expect(
      valid({ kind: 'bytes', actor: 'server', side: 'sent', contains: 'x'.repeat(SOCKET_TEXT_KEEP + 1) }),
    ).toBe(false);
    expect(valid({ kind: 'bytes', actor: 'server', fd: 4, side: 'sent', atLeast: 1 })).toBe(true);
    expect(valid({ kind: 'output', actor: 'server' })).toBe(false);
    expect(valid({ kind: 'output', actor: 'server', contains: 'x', stream: 'stdin' })).toBe(false);
    expect(valid({ kind: 'programAt', actor: 'server' })).toBe(false);
    expect(valid({ kind: 'programAt', actor: 'server', line: 0 })).toBe(false);
    expect(valid({ kind: 'programAt', actor: 'server', label: 'x' })).toBe(false);
    expect(valid({ kind: 'programEnded', actor: 'server', status: 1.5 })).toBe(false);
    expect(valid({ kind: 'queueLength', actor: 'server' })).toBe(false);
    expect(valid({ kind: 'queueLength', actor: 'server', atMost: 0 })).toBe(true);
    expect(valid({ kind: 'sockopt', actor: 'server', opt: 'SO_NOSUCH' })).toBe(false);
    expect(
      valid({ kind: 'sockopt', actor: 'server', opt: 'SO_LINGER', value: { onoff: 1, linger: 0 } }),
    ).toBe(true);
    expect(valid({ kind: 'segmentSeen', flags: ['ACK'], seq: -1 })).toBe(false);
    expect(valid({ kind: 'segmentSeen', flags: ['ACK'], ack: 2 ** 32 })).toBe(false);
    expect(valid({ kind: 'retransmission' })).toBe(true);
    expect(valid({ kind: 'retransmission', flags: [] })).toBe(false);
    expect(valid({ kind: 'retransmission', actor: 'client' })).toBe(false);
    expect(() => CheckpointSchema.parse({ kind: 'queueLength', actor: 'server' })).toThrow(
      /atLeast or atMost/,
    );
    expect(() => CheckpointSchema.parse({ kind: 'programAt', actor: 'server' })).toThrow(/line or text/);
    expect(() => CheckpointSchema.parse({ kind: 'bytes', actor: 'server', side: 'sent' })).toThrow(
      /contains or atLeast/,
    );
  });
});
