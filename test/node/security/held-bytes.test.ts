/**
 * A global limit on the bytes the lab holds for peers that do not read (issue 12): a blocked
 * write holds its buffer until it returns, and over all actors the lab holds at most
 * Limits.heldBytes. A write that would block beyond it returns at once with what the kernel
 * took (or -1 ENOBUFS when it took nothing) and says why; the bytes come back when a blocked
 * write returns. On real loopback sockets, with a server that never reads.
 */
import { describe, expect, it } from 'vitest';
import { call, isLinux, newLab, ret, returned, serverListening, sockOf, waitFor } from '../engine/helpers';

const MiB = 1024 * 1024;
const WRITE = 16 * MiB;

describe('bytes held for peers that do not read', () => {
  it.runIf(isLinux)(
    'the write that would hold more than heldBytes returns at once, with a note; the bytes come back on return',
    async () => {
      const lab = await newLab({ limits: { heldBytes: 24 * MiB } });
      await serverListening(lab);
      const clients = ['client', 'client2', 'client3'];
      expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: 'client2' });
      expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: 'client3' });
      for (const [i, c] of clients.entries()) {
        expect(await ret(lab, c, 'socket')).toEqual({ ret: 3 });
        expect(await ret(lab, c, 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() })).toEqual({
          ret: 0,
        });
        await waitFor(lab, (v) => sockOf(v, 'server', 3).acceptQueue?.length === 1, 'a queued connection');
        expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 + i });
      }

      // The first 16 MiB write blocks: loopback's buffers take a few MiB, the lab holds the buffer.
      const first = await call(lab, 'client', 'write', { fd: 3, fill: WRITE });
      expect(first).toMatchObject({ status: 'blocked', reason: 'send-full' });

      // The second would hold 32 MiB: it returns what the kernel took, and says why.
      const second = await call(lab, 'client2', 'write', { fd: 3, fill: WRITE });
      if (second.status !== 'returned') throw new Error(`client2's write ${second.status}`);
      expect(second.ret).toBeGreaterThan(0);
      expect(second.ret).toBeLessThan(WRITE);
      const note = lab.view().actors['client2']!.last!.detail;
      expect(note).toEqual({ code: 'note.heldFull', params: { held: 16, max: 24 } });
      expect(lab.view().actors['client2']!.current).toBeNull();

      // Again until the kernel's queues are full (the peer never reads, so they fill): each write
      // returns what the kernel took, with the note, and one that it takes nothing of -1 ENOBUFS.
      let again = await call(lab, 'client2', 'write', { fd: 3, fill: WRITE });
      for (let i = 0; i < 100 && again.status === 'returned' && again.ret > 0; i++) {
        expect(lab.view().actors['client2']!.last!.detail).toMatchObject({ code: 'note.heldFull' });
        again = await call(lab, 'client2', 'write', { fd: 3, fill: WRITE });
      }
      expect(again).toMatchObject({ status: 'returned', ret: -1, errno: 'ENOBUFS' });
      expect(lab.view().actors['client2']!.last!.detail).toMatchObject({ code: 'note.heldFull' });

      // The first write is interrupted (it returns the bytes it copied): its 16 MiB are let go,
      // and a third client's write may now block within the limit.
      expect(await lab.handle({ type: 'interrupt', actor: 'client' })).toMatchObject({ ok: true });
      const back = await returned(lab, 'client', first.callId);
      expect(back.ret).toBeGreaterThan(0);
      const third = await call(lab, 'client3', 'write', { fd: 3, fill: WRITE });
      expect(third).toMatchObject({ status: 'blocked', reason: 'send-full' });

      // A write that fits beside it (16 + 8 MiB held, the limit itself) blocks too.
      const small = await call(lab, 'client2', 'write', { fd: 3, fill: 8 * MiB });
      expect(small).toMatchObject({ status: 'blocked', reason: 'send-full' });

      // The server reads client3's stream: its write returns in full, as a blocking write does.
      let read = 0;
      while (lab.view().actors['client3']!.current !== null) {
        const r = await call(lab, 'server', 'read', { fd: 6, max: 4 * MiB });
        read += r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      }
      expect((await returned(lab, 'client3', third.callId)).ret).toBe(WRITE);
      expect(read).toBeGreaterThan(0);
    },
  );
});
