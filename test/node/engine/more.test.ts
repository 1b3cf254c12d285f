/**
 * The lab without a kernel table (the peer-inferred close), IPv6 loopback, buffer events
 * coalesced under a flood, and a kernel source that fails.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { KernelTableSource } from '../../../app/core/kernel/types';
import {
  said,
  call,
  connectedPair,
  modelState,
  newLab,
  ret,
  returned,
  sock,
  sockOf,
  waitFor,
} from './helpers';

describe('without a kernel table', () => {
  it('sockets without a descriptor follow their lab peer: FIN_WAIT_2, CLOSE_WAIT, LAST_ACK, TIME_WAIT (inferred)', async () => {
    const lab = await newLab({ kernel: 'none' });
    expect(lab.view().kernelSource).toBe('none');
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    await modelState(lab, client.id, 'FIN_WAIT_2');
    await modelState(lab, server.id, 'CLOSE_WAIT');
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    await modelState(lab, server.id, 'CLOSED');
    await modelState(lab, client.id, 'TIME_WAIT');
    const v = lab.view();
    // What the peer implies is labelled so: no kernel source saw it.
    expect(
      sock(v, client.id)
        .transitions.slice(-2)
        .map((t) => [t.to, t.source]),
    ).toEqual([
      ['FIN_WAIT_2', 'inferred'],
      ['TIME_WAIT', 'inferred'],
    ]);
    expect(sock(v, server.id).transitions.map((t) => t.to)).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
  });
});

describe('a kernel source that fails', () => {
  it('says so once in a notice and the lab goes on', async () => {
    const failing: KernelTableSource = {
      kind: 'procfs',
      read: () => Promise.reject(new Error('no table here')),
    };
    const lab = await newLab({ kernel: failing, pollMs: 5 });
    await connectedPair(lab);
    // The table is read for sockets without a descriptor: close one.
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    await waitFor(lab, (v) => v.notices.some((n) => said(n.text)!.includes('no table here')), 'the notice');
    expect(await ret(lab, 'client', 'read', { fd: 3 })).toEqual({ ret: 0 });
    expect(lab.view().notices.filter((n) => said(n.text)!.includes('no table here'))).toHaveLength(1);
  });
});

const hasIPv6 = await new Promise<boolean>((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(0, '::1', () => s.close(() => resolve(true)));
});

describe.runIf(hasIPv6)('IPv6 loopback', () => {
  it('an inet6 server on ::1 and an inet6 client talk', async () => {
    const lab = await newLab();
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket', { family: 'inet6' })).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '::1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'client', 'socket', { family: 'inet6' })).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({
      ret: -1,
      errno: 'EAFNOSUPPORT',
    });
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: 'localhost', port })).toEqual({ ret: 0 });
    const a = await call(lab, 'server', 'accept', { fd: 3 });
    expect(a.status === 'returned' ? a.ret : (await returned(lab, 'server', a.callId)).ret).toBe(4);
    const v = lab.view();
    const c = sockOf(v, 'client', 3);
    expect(c.remote).toEqual({ host: '::1', port });
    expect(c.peer).toBe(sockOf(v, 'server', 4).id);
    if (process.platform === 'linux') {
      await waitFor(lab, (x) => sock(x, c.id).kernel?.state === 'ESTABLISHED', 'the tcp6 row');
    }
  });
});

describe('buffer events', () => {
  it('are coalesced: at most one per socket per 16 ms during a 16 MB transfer', async () => {
    const lab = await newLab();
    const { server, client } = await connectedPair(lab);
    const size = 16 * 1024 * 1024;
    const w = await call(lab, 'client', 'write', { fd: 3, fill: size });
    let read = 0;
    for (let i = 0; i < 100_000 && read < size; i++) {
      const r = await call(lab, 'server', 'read', { fd: 4, max: 16 * 1024 * 1024 });
      const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      expect(n).toBeGreaterThan(0);
      read += n;
    }
    expect(read).toBe(size);
    if (w.status === 'blocked') expect((await returned(lab, 'client', w.callId)).ret).toBe(size);
    // The writer's buffers went from 16 MB waiting to empty: the last change is emitted too
    // (coalescing delays it, never drops it).
    await waitFor(lab, (v) => sock(v, client.id).buffers.sendApp === 0, 'the send buffer to show empty');
    const sizes = lab
      .events()
      .flatMap((e) => (e.type === 'socket.buffers' && e.socket === client.id ? [e.buffers.sendApp] : []));
    // The first shows what the program still held after the kernel took what it could.
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[0]).toBeLessThan(size);
    for (const id of [server.id, client.id]) {
      const ts = lab
        .events()
        .filter((e) => e.type === 'socket.buffers' && e.socket === id)
        .map((e) => e.t);
      for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeGreaterThanOrEqual(15.9);
    }
  });
});
