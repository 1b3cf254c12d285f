/**
 * Lessons 4 and 5 and RST at engine level: the four-way close with the long states confirmed
 * by the kernel's table, simultaneous close, RST on close with unread data, and reset
 * leaving nothing open.
 */
import { describe, expect, it } from 'vitest';
import {
  call,
  connectedPair,
  isLinux,
  kernelRows,
  kernelState,
  modelState,
  newLab,
  ret,
  returned,
  sock,
  waitFor,
} from './helpers';

describe('closing', () => {
  it("close sends FIN: the peer's read returns 0, CLOSE_WAIT and FIN_WAIT_2 last until the peer closes; TIME_WAIT on the side that closed first", async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    const r = await call(lab, 'server', 'read', { fd: 4 });
    expect(r.status).toBe('blocked');
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    expect((await returned(lab, 'server', r.callId)).ret).toBe(0);
    await modelState(lab, server.id, 'CLOSE_WAIT');
    await modelState(lab, client.id, 'FIN_WAIT_2');
    const v = lab.view();
    expect(sock(v, client.id).transitions.map((t) => t.to)).toEqual([
      'SYN_SENT',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'FIN_WAIT_2',
    ]);
    expect(sock(v, client.id).released).toBe(true);
    expect(sock(v, server.id).buffers.finReceived).toBe(true);
    // Reading again: still 0.
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 0 });
    if (isLinux) {
      await kernelState(lab, server.id, 'CLOSE_WAIT');
      await kernelState(lab, client.id, 'FIN_WAIT_2');
      // They last: every read of the kernel table for 300 ms shows them (a measurement of
      // duration, not a wait for something to happen).
      const start = performance.now();
      let reads = 0;
      while (performance.now() - start < 300) {
        const rows = await kernelRows(lab.defaultPort());
        expect(rows.map((x) => x.state).sort()).toEqual(['CLOSE_WAIT', 'FIN_WAIT_2', 'LISTEN']);
        reads++;
      }
      expect(reads).toBeGreaterThan(3);
      expect(sock(lab.view(), server.id).state).toBe('CLOSE_WAIT');
      expect(sock(lab.view(), client.id).state).toBe('FIN_WAIT_2');
    }
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    await modelState(lab, server.id, 'CLOSED');
    await modelState(lab, client.id, 'TIME_WAIT');
    const t = lab.view();
    expect(sock(t, server.id).transitions.map((x) => x.to)).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    expect(sock(t, client.id).transitions.map((x) => x.to)).toEqual([
      'SYN_SENT',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'FIN_WAIT_2',
      'TIME_WAIT',
    ]);
    const flags = t.segments.map((g) => `${g.from === client.id ? 'c' : 's'}:${g.flags.join('+')}`);
    expect(flags.slice(-4)).toEqual(['c:FIN+ACK', 's:ACK', 's:FIN+ACK', 'c:ACK']);
    if (isLinux) {
      await kernelState(lab, client.id, 'TIME_WAIT');
      await kernelState(lab, server.id, null, '(the row is gone after LAST_ACK)');
      const k = lab.view().sockets[client.id]!.kernel!;
      expect(k.timerMs).toBeGreaterThan(1000);
      expect(sock(lab.view(), client.id).confirmed).toBe(true);
    }
  });

  it('shutdown(SHUT_WR) half-closes: the peer reads 0 but can still write back; writing after it is EPIPE', async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    expect(sock(lab.view(), client.id).state).toBe('FIN_WAIT_1');
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: -1, errno: 'EPIPE' });
    const r = await call(lab, 'server', 'read', { fd: 4 });
    const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
    expect(n).toBe(0);
    await modelState(lab, server.id, 'CLOSE_WAIT');
    await modelState(lab, client.id, 'FIN_WAIT_2');
    expect(await ret(lab, 'server', 'write', { fd: 4, data: 'still here' })).toEqual({ ret: 10 });
    const c = await call(lab, 'client', 'read', { fd: 3 });
    const cn = c.status === 'returned' ? c.ret : (await returned(lab, 'client', c.callId)).ret;
    expect(cn).toBe(10);
    if (isLinux) await kernelState(lab, client.id, 'FIN_WAIT_2');
  });

  it.runIf(isLinux)(
    'both sides close in the same turn: the kernel decides whose FIN came first, and the model agrees with it',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      const [a, b] = await Promise.all([
        ret(lab, 'client', 'close', { fd: 3 }),
        ret(lab, 'server', 'close', { fd: 4 }),
      ]);
      expect(a).toEqual({ ret: 0 });
      expect(b).toEqual({ ret: 0 });
      // Whatever the order, the model ends where the kernel ends: TIME_WAIT on a side that
      // closed first (both, for a true simultaneous close), CLOSED after LAST_ACK otherwise.
      await waitFor(
        lab,
        (v) =>
          [client.id, server.id].every((id) => {
            const s = sock(v, id);
            return (
              s.kernel && (s.kernel.state === s.state || (s.kernel.state === null && s.state === 'CLOSED'))
            );
          }),
        'model and kernel to agree on both sides',
      );
      const v = lab.view();
      const ends = [sock(v, client.id).state, sock(v, server.id).state].sort();
      expect(ends.includes('TIME_WAIT')).toBe(true);
      for (const id of [client.id, server.id]) {
        const path = sock(v, id).transitions.map((t) => t.to);
        expect(path.includes('FIN_WAIT_1') || path.includes('LAST_ACK')).toBe(true);
      }
    },
  );

  it.runIf(isLinux)(
    'simultaneous close: both FINs wait behind unread data, one side passes CLOSING, both end in TIME_WAIT (kernel)',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      // Each side writes more than the other's receive buffer holds: the writes block, and
      // a FIN sent now waits behind those bytes until the peer reads them.
      for (const [actor, fd] of [
        ['client', 3],
        ['server', 4],
      ] as const) {
        const w = await call(lab, actor, 'write', { fd, fill: 16 * 1024 * 1024 });
        expect(w).toMatchObject({ status: 'blocked', reason: 'send-full' });
        expect(await lab.handle({ type: 'interrupt', actor })).toMatchObject({
          ok: true,
          value: { errno: 'EINTR' },
        });
      }
      expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
      expect(await ret(lab, 'server', 'shutdown', { fd: 4, how: 'SHUT_WR' })).toEqual({ ret: 0 });
      expect(sock(lab.view(), client.id).state).toBe('FIN_WAIT_1');
      expect(sock(lab.view(), server.id).state).toBe('FIN_WAIT_1');
      // Read one chunk at a time until `stop()` holds (or the peer's FIN: read returns 0).
      const readUntil = async (
        actor: string,
        fd: number,
        stop: () => Promise<boolean> | boolean,
      ): Promise<{ total: number; eof: boolean }> => {
        let total = 0;
        for (let i = 0; i < 100_000; i++) {
          if (await stop()) return { total, eof: false };
          const r = await call(lab, actor, 'read', { fd, max: 16 * 1024 * 1024 });
          const n = r.status === 'returned' ? r.ret : (await returned(lab, actor, r.callId)).ret;
          if (n <= 0) return { total, eof: true };
          total += n;
        }
        throw new Error('read loop did not end');
      };
      // The kernel's own state of a lab socket, read now (the observer polls every 40 ms; the
      // window looked for here may be shorter).
      const kstate = async (id: string) => {
        const local = lab.view().sockets[id]!.local!;
        return (await kernelRows(local.port)).find((r) => r.local.port === local.port && r.state !== 'LISTEN')
          ?.state;
      };
      // Node passes its FIN (shutdown(2)) to the kernel only after the bytes it still holds:
      // each side reads a part, until the peer's kernel shows FIN_WAIT_1 (its FIN queued in
      // the kernel behind bytes not read yet). Then the client reads everything: the
      // server's FIN reaches it while its own FIN is still unacknowledged: CLOSING.
      const s1 = await readUntil('server', 4, async () => (await kstate(client.id)) === 'FIN_WAIT_1');
      const c1 = await readUntil('client', 3, async () => (await kstate(server.id)) === 'FIN_WAIT_1');
      expect({ s1, c1 }).toEqual({
        s1: { total: expect.any(Number), eof: false },
        c1: { total: expect.any(Number), eof: false },
      });
      const c2 = await readUntil('client', 3, () => false);
      expect(c2.eof).toBe(true);
      expect(c1.total + c2.total).toBe(16 * 1024 * 1024);
      await modelState(lab, client.id, 'CLOSING');
      await modelState(lab, server.id, 'FIN_WAIT_2');
      await kernelState(lab, client.id, 'CLOSING');
      await kernelState(lab, server.id, 'FIN_WAIT_2');
      // The server reads everything: the client's FIN arrives; both sides in TIME_WAIT.
      const s2 = await readUntil('server', 4, () => false);
      expect(s2.eof).toBe(true);
      expect(s1.total + s2.total).toBe(16 * 1024 * 1024);
      await modelState(lab, client.id, 'TIME_WAIT');
      await modelState(lab, server.id, 'TIME_WAIT');
      await kernelState(lab, client.id, 'TIME_WAIT');
      await kernelState(lab, server.id, 'TIME_WAIT');
      const v = lab.view();
      expect(sock(v, client.id).transitions.map((t) => t.to)).toEqual([
        'SYN_SENT',
        'ESTABLISHED',
        'FIN_WAIT_1',
        'CLOSING',
        'TIME_WAIT',
      ]);
      expect(sock(v, server.id).transitions.map((t) => t.to)).toEqual([
        'SYN_RECEIVED',
        'ESTABLISHED',
        'FIN_WAIT_1',
        'FIN_WAIT_2',
        'TIME_WAIT',
      ]);
      const rows = (await kernelRows(lab.defaultPort())).filter((r) => r.state !== 'LISTEN');
      expect(rows.map((r) => r.state)).toEqual(['TIME_WAIT', 'TIME_WAIT']);
    },
    60_000,
  );

  it("close with unread data sends RST: the peer's read returns -1 ECONNRESET", async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'never read' })).toEqual({ ret: 10 });
    if (isLinux)
      await waitFor(
        lab,
        (v) => sock(v, server.id).kernel?.recvQ === 10,
        "the bytes in the server's kernel queue",
      );
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    expect(lab.view().actors['server']!.last?.detail).toMatch(/RST/);
    const v = lab.view();
    expect(sock(v, server.id).state).toBe('CLOSED');
    expect(sock(v, client.id).state).toBe('CLOSED');
    expect(v.segments.at(-1)).toMatchObject({ flags: ['RST'], from: server.id, to: client.id });
    expect(await ret(lab, 'client', 'read', { fd: 3 })).toEqual({ ret: -1, errno: 'ECONNRESET' });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: -1, errno: 'EPIPE' });
    if (isLinux) {
      await kernelState(lab, client.id, null);
      expect((await kernelRows(lab.defaultPort())).filter((r) => r.state !== 'LISTEN')).toEqual([]);
    }
  });

  it('a server that forgets close() piles up CLOSE_WAIT connections, one per client', async () => {
    const lab = await newLab();
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });
    const ids = ['client', 'client2', 'client3'];
    expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: 'client2' });
    expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: 'client3' });
    for (const [i, c] of ids.entries()) {
      expect(await ret(lab, c, 'socket')).toEqual({ ret: 3 });
      expect(await ret(lab, c, 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
      const a = await call(lab, 'server', 'accept', { fd: 3 });
      const fd = a.status === 'returned' ? a.ret : (await returned(lab, 'server', a.callId)).ret;
      expect(fd).toBe(4 + i);
      expect(await ret(lab, c, 'close', { fd: 3 })).toEqual({ ret: 0 });
    }
    const conns = [4, 5, 6].map((fd) => lab.view().actors['server']!.fds[fd]!);
    for (const id of conns) await modelState(lab, id, 'CLOSE_WAIT');
    if (isLinux) {
      for (const id of conns) await kernelState(lab, id, 'CLOSE_WAIT');
      const rows = await kernelRows(port);
      expect(rows.filter((r) => r.state === 'CLOSE_WAIT' && r.local.port === port)).toHaveLength(3);
    }
  });
});

describe('reset and dispose', () => {
  it.runIf(isLinux)(
    'reset closes every socket: no LISTEN or ESTABLISHED row of the lab stays in /proc/net/tcp',
    async () => {
      const lab = await newLab();
      const port = lab.defaultPort();
      const { client } = await connectedPair(lab);
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'pending' })).toEqual({ ret: 7 });
      const blocked = await call(lab, 'client', 'read', { fd: 3 });
      expect(blocked.status).toBe('blocked');
      await kernelState(lab, client.id, 'ESTABLISHED');
      const localPort = sock(lab.view(), client.id).local!.port;
      expect(await lab.handle({ type: 'reset' })).toEqual({ ok: true });
      const v = lab.view();
      expect(v.actorOrder).toEqual(['server', 'client']);
      expect(v.socketOrder).toEqual([]);
      expect(v.actors['client']!.current).toBeNull();
      const live = (rows: Awaited<ReturnType<typeof kernelRows>>) =>
        rows.filter((r) =>
          ['LISTEN', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECEIVED', 'CLOSE_WAIT'].includes(r.state),
        );
      expect(live(await kernelRows(port))).toEqual([]);
      expect(live(await kernelRows(localPort))).toEqual([]);
      // The lab works again after the reset, on its new port.
      await connectedPair(lab);
      const port2 = lab.defaultPort();
      await lab.dispose();
      await lab.dispose();
      expect(live(await kernelRows(port2))).toEqual([]);
      expect(await lab.handle({ type: 'reset' })).toMatchObject({ ok: false });
    },
  );

  it('reset with programs loads them', async () => {
    const lab = await newLab();
    const prog = {
      name: 'tiny',
      lines: [{ code: 'socket();', call: 'socket' as const, args: {}, assign: 'fd' }],
    };
    const before = lab.events().length;
    expect(await lab.handle({ type: 'reset', programs: { client: prog, client2: prog } })).toEqual({
      ok: true,
    });
    const v = lab.view();
    expect(v.seq).toBeGreaterThan(before);
    expect(v.actorOrder).toEqual(['server', 'client', 'client2']);
    expect(v.actors['client']!.program?.name).toBe('tiny');
    expect(v.actors['client2']!.vars['PORT']).toBe(lab.defaultPort());
    expect(await lab.handle({ type: 'step', actor: 'client2' })).toMatchObject({
      ok: true,
      value: { ret: 3 },
    });
    expect(lab.view().actors['client2']!.pc).toBeNull();
  });
});
