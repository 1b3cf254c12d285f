/**
 * The receive buffer in the view: bytes that arrive while no read() waits stay in the
 * kernel's receive queue (recvKernel, SIOCINQ; the preview is a MSG_PEEK of them), after a
 * socket has been read once too, with coalesced buffer events whose last one is always sent.
 * read() is the kernel's recv(2): the lab never holds received bytes itself (recvApp is 0).
 */
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../app/core/lab';
import { said, call, connectedPair, isLinux, newLab, ret, returned, sock, waitFor } from './helpers';

/** Read on the server's connfd until `want` bytes came; the first read's detail (its text). */
async function readAll(lab: Lab, want: number): Promise<string> {
  let text = '';
  let total = 0;
  for (let i = 0; i < 10_000 && total < want; i++) {
    const r = await call(lab, 'server', 'read', { fd: 4, max: 16 * 1024 * 1024 });
    const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
    expect(n).toBeGreaterThan(0);
    if (total === 0) text = said(lab.view().actors['server']!.last!.detail) ?? '';
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
          return x.recvApp === 0 && x.recvKernel === 12 && x;
        },
        "the second write in the server's receive buffer",
      );
      expect(b.recvPreview).toBe('second write');
      expect(await ret(lab, 'server', 'read', { fd: 4, max: 100 })).toEqual({ ret: 12 });
      expect(said(lab.view().actors['server']!.last!.detail)).toContain('second write');
      await waitFor(
        lab,
        (v) => sock(v, server.id).buffers.recvApp + sock(v, server.id).buffers.recvKernel === 0,
        'the receive buffer empty again',
      );
      expectCoalesced(lab, server.id);
    },
  );

  it.runIf(isLinux)('a large write after a read: what both kernels hold adds up to every byte', async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'x' })).toEqual({ ret: 1 });
    const r = await call(lab, 'server', 'read', { fd: 4 });
    const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
    expect(n).toBe(1);
    // Several writes in a row, none of them read: they wait in the reader's receive queue
    // and the writer's send queue.
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
    expect(b.recvApp).toBe(0);
    expect(b.recvPreview).toMatch(/^abcdefghij/);
    expect(await readAll(lab, size)).toContain('abcdefghij');
    await waitFor(
      lab,
      (v) => sock(v, server.id).buffers.recvApp + sock(v, server.id).buffers.recvKernel === 0,
      'the receive buffer empty again',
    );
    expectCoalesced(lab, server.id);
  });

  it.runIf(isLinux)('a FIN behind unread bytes shows in the buffers before anyone reads', async () => {
    const lab = await newLab();
    const { server } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'bye' })).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    await waitFor(
      lab,
      (v) => {
        const b = sock(v, server.id).buffers;
        return b.finReceived && b.recvKernel === 3 && sock(v, server.id).state === 'CLOSE_WAIT';
      },
      'the FIN behind 3 unread bytes, and CLOSE_WAIT',
    );
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 0 });
  });
});
