/**
 * The receive buffer in the view: bytes that arrive while no read() waits must show, in
 * recvApp (bytes Node already took from the kernel) plus recvKernel (the kernel's receive
 * queue), after a socket has been read once too (Node keeps pulling into its own stream
 * buffer while paused), with coalesced buffer events whose last one is always sent.
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../app/core/lab';
import { call, connectedPair, isLinux, newLab, ret, returned, sock, waitFor } from './helpers';

/** Read on the server's connfd until `want` bytes came; the first read's detail (its text). */
async function readAll(lab: Lab, want: number): Promise<string> {
  let text = '';
  let total = 0;
  for (let i = 0; i < 10_000 && total < want; i++) {
    const r = await call(lab, 'server', 'read', { fd: 4, max: 16 * 1024 * 1024 });
    const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
    expect(n).toBeGreaterThan(0);
    if (total === 0) text = lab.view().actors['server']!.last!.detail ?? '';
    total += n;
  }
  expect(total).toBe(want);
  return text;
}

/** No two buffer events of one socket closer than 16 ms (coalescing). */
function expectCoalesced(lab: Lab, id: string): void {
  const ts = lab
    .events()
    .filter((e) => e.type === 'socket.buffers' && e.socket === id)
    .map((e) => e.t);
  for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeGreaterThanOrEqual(15.9);
}

describe('receive buffer after a first read', () => {
  it.runIf(isLinux)(
    'bytes written while no read waits show in recvApp + recvKernel, and a later read returns them',
    async () => {
      const lab = await newLab();
      const { server } = await connectedPair(lab);
      // A first read: the socket is resumed once, takes a chunk and pauses again.
      const r = await call(lab, 'server', 'read', { fd: 4 });
      expect(r).toMatchObject({ status: 'blocked', reason: 'recv-empty' });
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'first' })).toEqual({ ret: 5 });
      expect((await returned(lab, 'server', r.callId)).ret).toBe(5);
      await waitFor(lab, (v) => sock(v, server.id).buffers.recvApp === 0, 'the first bytes read');
      // Now the peer writes again and nobody reads.
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'second write' })).toEqual({ ret: 12 });
      const b = await waitFor(
        lab,
        (v) => {
          const x = sock(v, server.id).buffers;
          return x.recvApp + x.recvKernel === 12 && x;
        },
        "the second write in the server's receive buffer",
      );
      if (b.recvApp > 0) expect(b.recvPreview).toBe('second write');
      expect(await ret(lab, 'server', 'read', { fd: 4, max: 100 })).toEqual({ ret: 12 });
      expect(lab.view().actors['server']!.last!.detail).toContain('second write');
      await waitFor(
        lab,
        (v) => sock(v, server.id).buffers.recvApp + sock(v, server.id).buffers.recvKernel === 0,
        'the receive buffer empty again',
      );
      expectCoalesced(lab, server.id);
    },
  );

  it.runIf(isLinux)(
    'a large write after a read: what Node holds, what both kernels hold, add up to every byte',
    async () => {
      const lab = await newLab();
      const { server, client } = await connectedPair(lab);
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: 1 });
      const r = await call(lab, 'server', 'read', { fd: 4 });
      const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      expect(n).toBe(1);
      // Several writes in a row, none of them read: more than Node's stream buffer and the
      // reader's kernel queue hold, so the rest waits in the writer's send queue.
      const size = 300_000;
      for (let i = 0; i < 3; i++) {
        expect(await ret(lab, 'client', 'write', { fd: 3, fill: size / 3 })).toEqual({ ret: size / 3 });
      }
      const b = await waitFor(
        lab,
        (v) => {
          const rx = sock(v, server.id);
          const tx = sock(v, client.id).buffers;
          const recv = rx.buffers.recvApp + rx.buffers.recvKernel;
          return (
            recv + tx.sendApp + tx.sendKernel === size &&
            (rx.kernel?.recvQ ?? -1) === rx.buffers.recvKernel &&
            rx.buffers
          );
        },
        `${size} bytes between the writer's send buffer and the reader's receive buffer`,
      ).catch((e: unknown) => {
        const x = sock(lab.view(), server.id);
        const y = sock(lab.view(), client.id);
        throw new Error(
          `${String(e)}; reader ${JSON.stringify({ ...x.buffers, recvPreview: '' })}, writer ${JSON.stringify({ ...y.buffers, sendPreview: '' })}`,
        );
      });
      // Node took bytes from the kernel after the first read without a read waiting: they show.
      expect(b.recvApp).toBeGreaterThan(0);
      expect(b.recvPreview).toMatch(/^abcdefghij/);
      expect(await readAll(lab, size)).toContain('abcdefghij');
      await waitFor(
        lab,
        (v) => sock(v, server.id).buffers.recvApp + sock(v, server.id).buffers.recvKernel === 0,
        'the receive buffer empty again',
      );
      expectCoalesced(lab, server.id);
    },
  );

  it('without a kernel table, bytes Node took after a read still show in recvApp', async () => {
    const lab = await newLab({ kernel: 'none' });
    const { server } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'one' })).toEqual({ ret: 3 });
    const r = await call(lab, 'server', 'read', { fd: 4 });
    const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
    expect(n).toBe(3);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'two' })).toEqual({ ret: 3 });
    // After a read, Node keeps reading from the kernel into its own stream buffer although
    // the socket is paused: those bytes are the lab's (recvApp), and the view shows them.
    await waitFor(
      lab,
      (v) => sock(v, server.id).buffers.recvApp === 3 && sock(v, server.id).buffers.recvPreview === 'two',
      'the bytes Node took in recvApp',
    );
    const r2 = await call(lab, 'server', 'read', { fd: 4 });
    const n2 = r2.status === 'returned' ? r2.ret : (await returned(lab, 'server', r2.callId)).ret;
    expect(n2).toBe(3);
    expect(lab.view().actors['server']!.last!.detail).toContain('two');
    await waitFor(lab, (v) => sock(v, server.id).buffers.recvApp === 0, 'the receive buffer empty again');
  });

  it('without a kernel table, a FIN behind unread bytes shows in the buffers before anyone reads', async () => {
    const lab = await newLab({ kernel: 'none' });
    const { server } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'hi' })).toEqual({ ret: 2 });
    const r = await call(lab, 'server', 'read', { fd: 4 });
    expect(r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret).toBe(2);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'bye' })).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    await waitFor(
      lab,
      (v) => {
        const b = sock(v, server.id).buffers;
        return b.finReceived && b.recvApp === 3 && sock(v, server.id).state === 'CLOSE_WAIT';
      },
      'the FIN behind 3 unread bytes, and CLOSE_WAIT',
    );
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 0 });
  });
});
