/**
 * What only real system calls can show (issue 9): the kernel's accept queue bounded by
 * listen's backlog with a further connect blocked in SYN_SENT, TIME_WAIT holding a port
 * until SO_REUSEADDR, SO_LINGER {1, 0} resetting, EPIPE after a refused connect, and
 * non-blocking sockets with poll and select. Errnos are the ones C gets on Linux.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  call,
  connectedPair,
  isLinux,
  kernelState,
  modelState,
  newLab,
  ret,
  returned,
  serverListening,
  sockOf,
  waitFor,
} from './helpers';

/** ss(8)'s view of the sockets on `port`: state (the lab's spelling), Recv-Q, Send-Q, ends. */
function ss(port: number): { state: string; recvQ: number; sendQ: number; local: string; peer: string }[] {
  const out = execFileSync('ss', ['-tanH', 'state', 'all', `( sport = :${port} or dport = :${port} )`], {
    encoding: 'utf8',
  });
  const name = (x: string) =>
    ({ ESTAB: 'ESTABLISHED', 'SYN-RECV': 'SYN_RECEIVED', UNCONN: 'CLOSED' })[x] ?? x.replace(/-/g, '_');
  return out
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [state, recvQ, sendQ, local, peer] = l.trim().split(/\s+/);
      return { state: name(state!), recvQ: Number(recvQ), sendQ: Number(sendQ), local: local!, peer: peer! };
    });
}

const hasSs = isLinux && spawnSync('ss', ['-V']).status === 0;

describe.runIf(isLinux)('the kernel decides', () => {
  it.runIf(hasSs)('states and queues in the view are what ss(8) shows', async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x'.repeat(1000) })).toEqual({ ret: 1000 });
    expect(await ret(lab, 'server', 'shutdown', { fd: 4, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    await modelState(lab, server.id, 'FIN_WAIT_2');
    await modelState(lab, client.id, 'CLOSE_WAIT');
    await waitFor(lab, (v) => v.sockets[server.id]!.buffers.recvKernel === 1000, 'the unread bytes');
    // Buffer events are coalesced (16 ms): wait until they show the kernel's last reading.
    await waitFor(
      lab,
      (v) =>
        [server.id, client.id].every((id) => {
          const x = v.sockets[id]!;
          return x.buffers.sendKernel === x.kernel?.sendQ && x.buffers.recvKernel === x.kernel?.recvQ;
        }),
      'buffers as the kernel last said',
    );
    const rows = ss(lab.defaultPort());
    const v = lab.view();
    for (const s of [server, client].map((x) => v.sockets[x.id]!)) {
      const here = `${s.local!.host}:${s.local!.port}`;
      const there = `${s.remote!.host}:${s.remote!.port}`;
      const row = rows.find((r) => r.local === here && r.peer === there);
      expect(row, here).toBeDefined();
      // ss's Recv-Q counts a received FIN's sequence number (rcv_nxt − copied_seq); SIOCINQ,
      // the bytes a read() can take, does not.
      const fin = s.buffers.finReceived ? 1 : 0;
      const lab3 = { state: s.state, recvQ: s.buffers.recvKernel + fin, sendQ: s.buffers.sendKernel };
      expect(lab3, here).toEqual({ state: row!.state, recvQ: row!.recvQ, sendQ: row!.sendQ });
    }
    const listener = rows.find((r) => r.state === 'LISTEN')!;
    expect(listener).toBeDefined();
    // ss prints a listener's accept queue as Recv-Q and its backlog as Send-Q.
    expect(sockOf(v, 'server', 3).acceptQueue).toEqual({ length: listener.recvQ, backlog: listener.sendQ });
  });

  it('listen(fd, 1): the kernel queues 2, a third connect stays in SYN_SENT until accept makes room', async () => {
    const lab = await newLab();
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3, backlog: 1 })).toEqual({ ret: 0 });
    for (const id of ['client2', 'client3'])
      expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: id });
    for (const c of ['client', 'client2']) {
      expect(await ret(lab, c, 'socket')).toEqual({ ret: 3 });
      expect(await ret(lab, c, 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    }
    await waitFor(lab, (v) => sockOf(v, 'server', 3).acceptQueue?.length === 2, 'two in the accept queue');
    expect(sockOf(lab.view(), 'server', 3).acceptQueue).toEqual({ length: 2, backlog: 1 });
    expect(await ret(lab, 'client3', 'socket')).toEqual({ ret: 3 });
    const c3 = await call(lab, 'client3', 'connect', { fd: 3, host: '127.0.0.1', port });
    expect(c3).toMatchObject({ status: 'blocked', reason: 'handshake' });
    const third = sockOf(lab.view(), 'client3', 3).id;
    await kernelState(lab, third, 'SYN_SENT');
    expect(sockOf(lab.view(), 'client3', 3).state).toBe('SYN_SENT');
    // accept() makes room: the retransmitted SYN is answered and connect returns 0.
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
    expect((await returned(lab, 'client3', c3.callId)).ret).toBe(0);
    await modelState(lab, third, 'ESTABLISHED');
  }, 60_000);

  it('bind() to a port in TIME_WAIT is EADDRINUSE; with SO_REUSEADDR on both servers it is 0', async () => {
    const lab = await newLab();
    const port = lab.defaultPort();
    const at = { fd: 3, host: '127.0.0.1', port };
    const reuse = { fd: 3, opt: 'SO_REUSEADDR', value: 1 };
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'setsockopt', reuse)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'bind', at)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'connect', at)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
    const conn = sockOf(lab.view(), 'server', 4).id;
    // The server closes first: its side of the connection goes to TIME_WAIT; then it stops.
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'close', { fd: 3 })).toEqual({ ret: 0 });
    await modelState(lab, conn, 'TIME_WAIT');
    await kernelState(lab, conn, 'TIME_WAIT');
    // A restarted server without the option: the kernel refuses the port.
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', at)).toEqual({ ret: -1, errno: 'EADDRINUSE' });
    expect(await ret(lab, 'server', 'setsockopt', reuse)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'bind', at)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'getsockopt', { fd: 3, opt: 'SO_REUSEADDR' })).toEqual({ ret: 0 });
    expect(lab.view().actors['server']!.last!.out).toEqual({ optval: 1 });
  });

  it('SO_LINGER {1, 0}: close() sends RST and the peer reads ECONNRESET', async () => {
    const lab = await newLab();
    const { client } = await connectedPair(lab);
    const linger = { fd: 4, opt: 'SO_LINGER', value: { onoff: 1, linger: 0 } };
    expect(await ret(lab, 'server', 'setsockopt', linger)).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    await modelState(lab, client.id, 'CLOSED');
    expect(await ret(lab, 'client', 'read', { fd: 3 })).toEqual({ ret: -1, errno: 'ECONNRESET' });
  });

  it('write() after a refused connect is EPIPE', async () => {
    const lab = await newLab();
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    const to = { fd: 3, host: '127.0.0.1', port: lab.defaultPort() };
    expect(await ret(lab, 'client', 'connect', to)).toEqual({ ret: -1, errno: 'ECONNREFUSED' });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: -1, errno: 'EPIPE' });
  });

  it('non-blocking: EAGAIN on accept and read, EINPROGRESS on connect; poll and select say what is ready', async () => {
    const lab = await newLab();
    await serverListening(lab);
    const nb = { cmd: 'F_SETFL', flags: ['O_NONBLOCK'] };
    expect(await ret(lab, 'server', 'fcntl', { fd: 3, ...nb })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'fcntl', { fd: 3, cmd: 'F_GETFL' })).toEqual({ ret: 2 | 0o4000 });
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: -1, errno: 'EAGAIN' });
    expect(await ret(lab, 'server', 'poll', { fds: [{ fd: 3, events: ['POLLIN'] }], timeout: 0 })).toEqual({
      ret: 0,
    });
    const p = await call(lab, 'server', 'poll', { fds: [{ fd: 3, events: ['POLLIN'] }], timeout: 10_000 });
    expect(p).toMatchObject({ status: 'blocked', reason: 'poll-wait' });
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'fcntl', { fd: 3, ...nb })).toEqual({ ret: 0 });
    const c = await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() });
    expect(c).toEqual({ ret: -1, errno: 'EINPROGRESS' });
    expect((await returned(lab, 'server', p.callId)).ret).toBe(1);
    expect(lab.view().actors['server']!.last!.out).toEqual({ revents: [{ fd: 3, revents: ['POLLIN'] }] });
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
    expect(await ret(lab, 'client', 'select', { writefds: [3], timeout: 5000 })).toEqual({ ret: 1 });
    expect(await ret(lab, 'client', 'getsockopt', { fd: 3, opt: 'SO_ERROR' })).toEqual({ ret: 0 });
    expect(lab.view().actors['client']!.last!.out).toEqual({ optval: 0 });
    // A new descriptor from accept() is blocking in C; make it non-blocking too.
    expect(await ret(lab, 'server', 'fcntl', { fd: 4, ...nb })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: -1, errno: 'EAGAIN' });
    expect(await ret(lab, 'server', 'select', { readfds: [4], timeout: 0 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'hi' })).toEqual({ ret: 2 });
    expect(await ret(lab, 'server', 'select', { readfds: [3, 4], timeout: 5000 })).toEqual({ ret: 1 });
    expect(lab.view().actors['server']!.last!.out).toEqual({ readfds: [4], writefds: [] });
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 2 });
    expect(await ret(lab, 'server', 'poll', { fds: [{ fd: 9, events: ['POLLIN'] }], timeout: 0 })).toEqual({
      ret: 1,
    });
    expect(lab.view().actors['server']!.last!.out).toEqual({ revents: [{ fd: 9, revents: ['POLLNVAL'] }] });
  });

  it('a blocked write: what the program holds plus what the kernel holds never passes what was written', async () => {
    const lab = await newLab();
    const { client } = await connectedPair(lab);
    const size = 8 * 1024 * 1024;
    const w = await call(lab, 'client', 'write', { fd: 3, fill: size });
    expect(w).toMatchObject({ status: 'blocked', reason: 'send-full' });
    const b = await waitFor(
      lab,
      (v) => {
        const x = sockOf(v, 'client', 3).buffers;
        return x.sendApp > 0 && x.sendKernel > 0 && x;
      },
      'bytes on both sides',
    );
    expect(b.sendApp + b.sendKernel).toBeLessThanOrEqual(size);
    expect(sockOf(lab.view(), 'client', 3).id).toBe(client.id);
    expect(await lab.handle({ type: 'interrupt', actor: 'client' })).toMatchObject({ ok: true });
  });
});
