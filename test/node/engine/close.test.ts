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
  said,
  varOf,
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
    'simultaneous close as lesson 4 makes it: the kernel shows FIN_WAIT_1, then CLOSING, then TIME_WAIT on both, and the model agrees',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      // The client writes 1 MB the server does not read: the kernel takes it (the server's
      // receive queue, then the client's send queue), so write returns.
      expect(await ret(lab, 'client', 'write', { fd: 3, fill: 1_000_000 })).toEqual({ ret: 1_000_000 });
      await waitFor(
        lab,
        (v) => sock(v, client.id).buffers.sendApp === 0 && sock(v, client.id).buffers.sendKernel > 0,
        "the megabyte in the client's kernel send queue",
      );
      // Its FIN queues behind those bytes in the kernel: FIN_WAIT_1 lasts.
      expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
      expect(sock(lab.view(), client.id).state).toBe('FIN_WAIT_1');
      await kernelState(lab, client.id, 'FIN_WAIT_1');
      // The server's FIN leaves at once and reaches the client before the ACK of its own FIN.
      expect(await ret(lab, 'server', 'shutdown', { fd: 4, how: 'SHUT_WR' })).toEqual({ ret: 0 });
      await kernelState(lab, client.id, 'CLOSING');
      await modelState(lab, client.id, 'CLOSING');
      await kernelState(lab, server.id, 'FIN_WAIT_2');
      await modelState(lab, server.id, 'FIN_WAIT_2');
      // The server reads the megabyte, then 0 at the client's FIN: both sides in TIME_WAIT.
      let total = 0;
      let eof = false;
      for (let i = 0; i < 10_000 && !eof; i++) {
        const r = await call(lab, 'server', 'read', { fd: 4, max: 1_000_000 });
        const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
        expect(n).toBeGreaterThanOrEqual(0);
        if (n === 0) eof = true;
        total += n;
      }
      expect({ total, eof }).toEqual({ total: 1_000_000, eof: true });
      await kernelState(lab, client.id, 'TIME_WAIT');
      await kernelState(lab, server.id, 'TIME_WAIT');
      await modelState(lab, client.id, 'TIME_WAIT');
      await modelState(lab, server.id, 'TIME_WAIT');
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

  it.runIf(isLinux)(
    'an interrupted write returns the bytes the kernel took; the FIN queues behind them in the kernel',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      // 16 MB is more than both kernels take: the write blocks with bytes not yet copied.
      const w = await call(lab, 'client', 'write', { fd: 3, fill: 16 * 1024 * 1024 });
      expect(w).toMatchObject({ status: 'blocked', reason: 'send-full' });
      const held = await waitFor(
        lab,
        (v) => sock(v, client.id).buffers.sendApp > 0 && sock(v, client.id).buffers,
        'bytes the program still holds',
      );
      // Never counted twice: what the program holds and what the kernel holds is at most what was written.
      expect(held.sendApp + held.sendKernel).toBeLessThanOrEqual(16 * 1024 * 1024);
      const r = await lab.handle({ type: 'interrupt', actor: 'client' });
      const copied = r.ok && typeof r.value === 'object' && r.value.status === 'returned' ? r.value.ret : -1;
      // A C write interrupted after copying some bytes returns their count.
      expect(copied).toBeGreaterThan(0);
      expect(copied).toBeLessThan(16 * 1024 * 1024);
      await waitFor(lab, (v) => sock(v, client.id).buffers.sendApp === 0, 'nothing held by the program');
      expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: -1, errno: 'EPIPE' });
      // The FIN waits behind the kernel's send queue: FIN_WAIT_1, the kernel's own word.
      await kernelState(lab, client.id, 'FIN_WAIT_1');
      expect(sock(lab.view(), client.id).state).toBe('FIN_WAIT_1');
      let total = 0;
      for (let i = 0; i < 100_000; i++) {
        const rr = await call(lab, 'server', 'read', { fd: 4, max: 16 * 1024 * 1024 });
        const n = rr.status === 'returned' ? rr.ret : (await returned(lab, 'server', rr.callId)).ret;
        if (n <= 0) break;
        total += n;
      }
      expect(total).toBe(copied);
      await modelState(lab, client.id, 'FIN_WAIT_2');
      await modelState(lab, server.id, 'CLOSE_WAIT');
      const path = sock(lab.view(), client.id).transitions;
      expect(path.map((t) => t.to)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2']);
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
    expect(said(lab.view().actors['server']!.last?.detail)).toMatch(/^note.unreadRst /);
    await modelState(lab, client.id, 'CLOSED');
    const v = lab.view();
    expect(sock(v, server.id).state).toBe('CLOSED');
    expect(v.segments.at(-1)).toMatchObject({ flags: ['RST'], from: server.id, to: client.id });
    expect(await ret(lab, 'client', 'read', { fd: 3 })).toEqual({ ret: -1, errno: 'ECONNRESET' });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: -1, errno: 'EPIPE' });
    // The connection no longer exists: shutdown answers ENOTCONN, as Linux does.
    expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({
      ret: -1,
      errno: 'ENOTCONN',
    });
    if (isLinux) {
      // The client still holds its descriptor: TCP_INFO says CLOSED; the table has no row.
      await kernelState(lab, client.id, 'CLOSED');
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
      source:
        '#include <sys/socket.h>\nint main(void) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  return fd > 0 ? 0 : 1;\n}\n',
    };
    const before = lab.events().length;
    expect(await lab.handle({ type: 'reset', programs: { client: prog, client2: prog } })).toEqual({
      ok: true,
    });
    const v = lab.view();
    expect(v.seq).toBeGreaterThan(before);
    expect(v.actorOrder).toEqual(['server', 'client', 'client2']);
    expect(v.actors['client']!.program?.name).toBe('tiny');
    expect(v.actors['client2']!.pc).toBe(3);
    expect(await lab.handle({ type: 'step', actor: 'client2' })).toMatchObject({
      ok: true,
      value: { ret: 3 },
    });
    expect(varOf(lab.view(), 'client2', 'fd')).toBe('3');
    expect(await lab.handle({ type: 'run', actor: 'client2' })).toMatchObject({ ok: true, value: 'ended' });
    expect(lab.view().actors['client2']!.pc).toBeNull();
    expect(lab.view().actors['client2']!.end).toEqual({ how: 'exit', status: 0 });
    // The kernel closed what the process held.
    expect(lab.view().actors['client2']!.fds).toEqual({});
  });

  it('a program that cannot run is refused with its problems, and the lab stays as it was', async () => {
    const lab = await newLab();
    const before = lab.events().length;
    const r = await lab.handle({
      type: 'reset',
      programs: { client: { name: 'bad', source: 'int main(void) {\n  goto out;\n}\n' } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems?.[0]).toMatchObject({ line: 2 });
    expect(lab.events().length).toBe(before);
  });
});
