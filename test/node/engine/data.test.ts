/**
 * Lessons 2 and 3 at engine level: the handshake and the accept queue, blocking reads, full
 * duplex, and flow control against the kernel's real queues.
 */
import { describe, expect, it } from 'vitest';
import {
  call,
  connectedPair,
  isLinux,
  kernelState,
  newLab,
  ret,
  returned,
  serverListening,
  sock,
  sockOf,
  waitFor,
  said,
} from './helpers';

describe('handshake and accept queue', () => {
  it("connect returns while accept has not been called: the kernel's accept queue holds the connection", async () => {
    const lab = await newLab();
    await serverListening(lab);
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(
      await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() }),
    ).toEqual({ ret: 0 });
    const v = await waitFor(
      lab,
      (x) => sockOf(x, 'server', 3).acceptQueue?.length === 1 && x,
      'queue length 1',
    );
    const listener = sockOf(v, 'server', 3);
    // The queue is the kernel's (TCP_INFO): one connection, and listen()'s backlog of 5.
    expect(listener.acceptQueue).toEqual({ length: 1, backlog: 5 });
    const client = sockOf(v, 'client', 3);
    expect(client.state).toBe('ESTABLISHED');
    expect(client.transitions.map((t) => t.to)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(client.transitions.at(-1)!.source).toBe('kernel');
    // The three segments of the handshake, inferred, with relative sequence numbers; the
    // server's socket has no lab id before accept().
    const hs = v.segments.map((g) => ({
      f: g.flags.join('+'),
      from: g.from,
      to: g.to,
      seq: g.seqNo,
      ack: g.ackNo,
    }));
    expect(hs).toEqual([
      { f: 'SYN', from: client.id, to: listener.id, seq: 0, ack: null },
      { f: 'SYN+ACK', from: null, to: client.id, seq: 0, ack: 1 },
      { f: 'ACK', from: client.id, to: null, seq: 1, ack: 1 },
    ]);
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
    const after = lab.view();
    expect(sockOf(after, 'server', 3).acceptQueue).toEqual({ length: 0, backlog: 5 });
    const conn = sockOf(after, 'server', 4);
    expect(conn.state).toBe('ESTABLISHED');
    expect(conn.listener).toBe(listener.id);
    expect(conn.transitions.map((t) => t.to)).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    expect(conn.peer).toBe(client.id);
    expect(sockOf(after, 'client', 3).peer).toBe(conn.id);
    expect(conn.local).toEqual(client.remote);
    expect(conn.remote).toEqual(client.local);
    if (isLinux) {
      await kernelState(lab, client.id, 'ESTABLISHED');
      await kernelState(lab, conn.id, 'ESTABLISHED');
    }
  });
});

describe('data transfer', () => {
  it('read blocks on an empty receive buffer, then returns what the peer wrote', async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    const r = await call(lab, 'server', 'read', { fd: 4, max: 100 });
    expect(r).toMatchObject({ status: 'blocked', reason: 'recv-empty' });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'hello' })).toEqual({ ret: 5 });
    const got = await returned(lab, 'server', r.callId);
    expect(got.ret).toBe(5);
    expect(got.detail).toContain('hello');
    const data = lab.view().segments.filter((g) => g.len > 0);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ from: client.id, to: server.id, len: 5, seqNo: 1, ackNo: 1 });
  });

  it('bytes not yet read stay in the kernel receive queue; read takes at most max', async () => {
    const lab = await newLab();
    const { server } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'abcdefgh' })).toEqual({ ret: 8 });
    if (isLinux) {
      await waitFor(lab, (v) => sock(v, server.id).kernel?.recvQ === 8, 'recvQ 8 in the kernel table');
      await waitFor(lab, (v) => sock(v, server.id).buffers.recvKernel === 8, 'recvKernel 8 in the buffers');
    }
    expect(await ret(lab, 'server', 'read', { fd: 4, max: 3 })).toEqual({ ret: 3 });
    expect(said(lab.view().actors['server']!.last?.detail)).toContain('abc');
    await waitFor(
      lab,
      (v) =>
        sock(v, server.id).buffers.recvApp === 0 &&
        sock(v, server.id).buffers.recvKernel === 5 &&
        sock(v, server.id).buffers.recvPreview === 'defgh',
      'the rest still in the kernel (MSG_PEEK preview)',
    );
    expect(await ret(lab, 'server', 'read', { fd: 4, max: 100 })).toEqual({ ret: 5 });
  });

  it("full duplex: both sides write at once and both reads return the other side's bytes", async () => {
    const lab = await newLab();
    await connectedPair(lab);
    // Both sides write at once, neither waiting for the other: two independent directions.
    const [a, b] = await Promise.all([
      ret(lab, 'client', 'write', { fd: 3, data: 'ping from client' }),
      ret(lab, 'server', 'write', { fd: 4, data: 'pong from server!' }),
    ]);
    expect(a).toEqual({ ret: 16 });
    expect(b).toEqual({ ret: 17 });
    const [x, y] = await Promise.all([
      ret(lab, 'client', 'read', { fd: 3 }),
      ret(lab, 'server', 'read', { fd: 4 }),
    ]);
    expect(x).toEqual({ ret: 17 });
    expect(y).toEqual({ ret: 16 });
    expect(said(lab.view().actors['client']!.last?.detail)).toContain('pong from server!');
    expect(said(lab.view().actors['server']!.last?.detail)).toContain('ping from client');
  });

  it('a request/response loop: many messages each way, in order', async () => {
    const lab = await newLab();
    await connectedPair(lab);
    for (let i = 0; i < 20; i++) {
      const msg = `request ${i}`;
      expect(await ret(lab, 'client', 'write', { fd: 3, data: msg })).toEqual({ ret: msg.length });
      const r = await call(lab, 'server', 'read', { fd: 4 });
      const got = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      expect(got).toBe(msg.length);
      expect(said(lab.view().actors['server']!.last?.detail)).toContain(msg);
      expect(await ret(lab, 'server', 'write', { fd: 4, data: `re: ${msg}` })).toEqual({
        ret: msg.length + 4,
      });
      const c = await call(lab, 'client', 'read', { fd: 3 });
      const cg = c.status === 'returned' ? c.ret : (await returned(lab, 'client', c.callId)).ret;
      expect(cg).toBe(msg.length + 4);
    }
  });

  it.runIf(isLinux)(
    'a reader that stops reading: its kernel receive queue fills, then the writer blocks in send-full',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      let blocked: { callId: string } | null = null;
      let total = 0;
      for (let i = 0; i < 64 && !blocked; i++) {
        const o = await call(lab, 'client', 'write', { fd: 3, fill: 1024 * 1024 });
        if (o.status === 'blocked') {
          expect(o.reason).toBe('send-full');
          blocked = o;
        } else {
          expect(o.ret).toBe(1024 * 1024);
          total += o.ret;
        }
      }
      expect(blocked).not.toBeNull();
      // The kernel shows the bytes queued on both sides; the lab shows them in the buffers.
      await waitFor(
        lab,
        (v) => (sock(v, server.id).kernel?.recvQ ?? 0) > 100_000,
        "the reader's kernel receive queue to grow",
      );
      await waitFor(
        lab,
        (v) => (sock(v, client.id).kernel?.sendQ ?? 0) > 100_000,
        "the writer's kernel send queue to grow",
      );
      await waitFor(
        lab,
        (v) => sock(v, client.id).buffers.sendApp > 0 && sock(v, server.id).buffers.recvKernel > 100_000,
        'buffers to show both',
      );
      expect(lab.view().actors['client']!.current?.blocked).toBe('send-full');
      // The reader reads: the writer's write returns when the send buffer drains.
      let read = 0;
      for (let i = 0; i < 10_000; i++) {
        const r = await call(lab, 'server', 'read', { fd: 4, max: 1024 * 1024 });
        const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
        expect(n).toBeGreaterThan(0);
        read += n;
        if (lab.view().actors['client']!.current === null) break;
      }
      const w = lab.view().actors['client']!.last!;
      expect(w.callId).toBe(blocked!.callId);
      expect(w.ret).toBe(1024 * 1024);
      // The kernel buffers on both sides absorb part of what was written, so the write returns
      // once enough was read for Node to hand the rest to the kernel, not after all of it.
      expect(read).toBeGreaterThan(0);
      expect(total).toBeGreaterThan(0);
    },
  );
});
