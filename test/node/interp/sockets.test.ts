/**
 * C programs that use the calls beyond the echo pair, run on the lab's real sockets:
 * SO_REUSEADDR, fcntl(O_NONBLOCK) and EAGAIN, poll, accept with the peer's address,
 * getsockname, getsockopt, select with an fd_set, SO_LINGER's RST (test/fixtures/c/).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../app/core/lab';
import { newLab } from '../engine/helpers';
import { runToEnd } from './run-to-end';

const fixture = (f: string) => ({
  name: f.replace(/\.c$/, ''),
  source: readFileSync(`test/fixtures/c/${f}`, 'utf8'),
});

const out = (lab: Lab, a: string, stream = 'stdout') =>
  lab
    .view()
    .actors[a]!.output.filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');

describe('C socket programs on the lab', () => {
  it("a poll/select server and its client run to their ends with the kernel's answers", async () => {
    const lab = await newLab();
    expect(
      await lab.execute({
        type: 'reset',
        programs: { server: fixture('poll-server.c'), client: fixture('poll-client.c') },
      }),
    ).toEqual({ ok: true });
    expect(await lab.execute({ type: 'run', actor: 'server' })).toMatchObject({
      ok: true,
      value: { status: 'blocked', reason: 'poll-wait' },
    });
    await runToEnd(lab, ['server', 'client']);
    expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 0 });
    expect(out(lab, 'server')).toBe(
      [
        'accept: nothing yet (EAGAIN)',
        'poll: 1 ready, POLLIN set',
        'accepted fd 4 from 127.0.0.1 (len 16)',
        'my port is PORT: yes',
        'SO_REUSEADDR on',
        'select: 1 ready, cfd readable',
        'read 4: ping',
        '',
      ].join('\n'),
    );
    // SO_LINGER {1, 0}: the close sent RST, and the client's read got ECONNRESET from the kernel.
    expect(out(lab, 'client', 'stderr')).toBe('read: Connection reset by peer\n');
    const calls = lab.events().filter((e) => e.type === 'call.returned' && e.actor === 'server');
    expect(
      calls.map((e) =>
        e.type === 'call.returned' ? `${e.call}=${e.ret}${e.errno ? ' ' + e.errno : ''}` : '',
      ),
    ).toEqual([
      'socket=3',
      'setsockopt=0',
      'bind=0',
      'listen=0',
      'fcntl=2',
      'fcntl=0',
      'accept=-1 EAGAIN',
      'poll=1',
      'accept=4',
      'getsockname=0',
      'getsockopt=0',
      'select=1',
      'read=4',
      'setsockopt=0',
      'close=0',
      'close=0',
    ]);
    await lab.dispose();
  });

  it('bind to INADDR_ANY binds loopback and says so', async () => {
    const lab = await newLab();
    const src = fixture('poll-server.c').source.replace('htonl(INADDR_LOOPBACK)', 'htonl(INADDR_ANY)');
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'any', source: src } });
    await lab.execute({ type: 'run', actor: 'server' });
    const s = Object.values(lab.view().sockets).find((k) => k.actor === 'server');
    expect(s?.local?.host).toBe('127.0.0.1');
    expect(
      lab.view().notices.some((n) => typeof n.text === 'object' && n.text.code === 'note.loopbackOnly'),
    ).toBe(true);
    await lab.dispose();
  });
});

describe('SIGPIPE', () => {
  it('a write on a connection the peer has reset ends the program as the signal would; send with MSG_NOSIGNAL gets EPIPE', async () => {
    const lab = await newLab();
    const server = `#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  struct sockaddr_in a;
  struct linger lg = { 1, 0 };
  int l = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(PORT);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  int c = accept(l, NULL, NULL);
  setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(c);
  return 0;
}
`;
    const client = (flags: string) => `#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  struct sockaddr_in a;
  char b[8];
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(PORT);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  connect(fd, (struct sockaddr *)&a, sizeof a);
  if (read(fd, b, sizeof b) < 0) perror("read");
  if (send(fd, "x", 1, ${flags}) < 0) perror("send");
  return 0;
}
`;
    for (const [flags, end] of [
      ['0', { how: 'fault', text: { code: 'fault.sigpipe' } }],
      ['MSG_NOSIGNAL', { how: 'exit', status: 0 }],
    ] as const) {
      const r = await lab.execute({
        type: 'reset',
        programs: { server: { name: 's', source: server }, client: { name: 'c', source: client(flags) } },
      });
      expect(r, JSON.stringify(r)).toEqual({ ok: true });
      await runToEnd(lab, ['server', 'client']);
      expect(lab.view().actors['client']!.end).toMatchObject(end);
      const err = out(lab, 'client', 'stderr');
      expect(err).toContain('read: Connection reset by peer');
      if (flags === 'MSG_NOSIGNAL') expect(err).toContain('send: Broken pipe');
    }
    await lab.dispose();
  });
});

describe('interrupt', () => {
  it("a program's blocked accept returns -1 EINTR and the program goes on with errno set", async () => {
    const lab = await newLab();
    const src = `#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  struct sockaddr_in a;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(PORT);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  if (accept(l, NULL, NULL) < 0)
    perror("accept");
  return 2;
}
`;
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'intr', source: src } });
    expect(await lab.execute({ type: 'run', actor: 'server' })).toMatchObject({
      value: { status: 'blocked', reason: 'no-connection' },
    });
    expect(lab.view().actors['server']!.current?.text).toBe('accept(3, NULL, NULL)');
    expect(await lab.execute({ type: 'interrupt', actor: 'server' })).toMatchObject({
      ok: true,
      value: { ret: -1, errno: 'EINTR' },
    });
    await runToEnd(lab, ['server']);
    expect(out(lab, 'server', 'stderr')).toBe('accept: Interrupted system call\n');
    expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 2 });
    await lab.dispose();
  });
});

describe('a command right after a call returns', () => {
  it('waits for the program to stop at its next statement: interrupt then run goes on, not "ended"', async () => {
    const lab = await newLab();
    const src = `#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void) {
  struct sockaddr_in a;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(PORT);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  if (accept(l, NULL, NULL) < 0)
    perror("accept");
  printf("after\\n");
  return 3;
}
`;
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'race', source: src } });
    await lab.execute({ type: 'run', actor: 'server' });
    // One right after the other, as a lesson's sequence sends them: the run must not find the
    // program "ended" while it is between the interrupted call and its next statement.
    const i = await lab.execute({ type: 'interrupt', actor: 'server' });
    const r = await lab.execute({ type: 'run', actor: 'server' });
    expect(i).toMatchObject({ ok: true, value: { errno: 'EINTR' } });
    expect(r).toEqual({ ok: true, value: 'ended' });
    expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 3 });
    expect(out(lab, 'server')).toBe('after\n');
    await lab.dispose();
  });
});

describe("the lab's write limit", () => {
  it("holds for a program's write as for the sandbox's: past it the program stops with a fault", async () => {
    const lab = await newLab({ limits: { bytesPerWrite: 4 } });
    const src = `#include <sys/socket.h>\n#include <unistd.h>\nint main(void) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  write(fd, "hello", 5);\n  return 0;\n}\n`;
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'big', source: src } });
    await runToEnd(lab, ['server']);
    expect(lab.view().actors['server']!.end).toMatchObject({
      how: 'fault',
      line: 5,
      text: { code: 'fault.tooBig', params: { fn: 'write', n: 5, max: 4 } },
    });
    await lab.dispose();
  });
});
