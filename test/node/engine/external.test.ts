/**
 * Peers outside the lab: a plain node:net client talking to a lab server and a lab client
 * talking to a plain node:net server, both ways, shown as they are (remote endpoint, no
 * lab peer).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  call,
  isLinux,
  kernelState,
  modelState,
  newLab,
  ret,
  returned,
  serverListening,
  sock,
  sockOf,
} from './helpers';

/** Resolve with the next `n` bytes a plain socket receives. */
function receive(s: net.Socket, n: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('utf8');
      if (got.length >= n) {
        s.off('data', onData);
        resolve(got);
      }
    };
    s.on('data', onData);
    s.once('error', reject);
  });
}

describe('peers outside the lab', () => {
  it('a plain node:net client connects to a lab server and they talk both ways', async () => {
    const lab = await newLab();
    await serverListening(lab);
    const acc = await call(lab, 'server', 'accept', { fd: 3 });
    expect(acc.status).toBe('blocked');
    const plain = net.connect({ host: '127.0.0.1', port: lab.defaultPort(), allowHalfOpen: true });
    await new Promise<void>((r) => plain.once('connect', () => r()));
    try {
      expect((await returned(lab, 'server', acc.callId)).ret).toBe(4);
      const conn = sockOf(lab.view(), 'server', 4);
      expect(conn.peer).toBeNull();
      expect(conn.remote).toEqual({ host: '127.0.0.1', port: plain.localPort });
      expect(conn.state).toBe('ESTABLISHED');
      // Its handshake is seen from the server's side only.
      const hs = lab.view().segments.map((g) => `${g.from === conn.id ? 's' : 'x'}:${g.flags.join('+')}`);
      expect(hs).toEqual(['x:SYN', 's:SYN+ACK', 'x:ACK']);
      plain.write('from outside');
      const r = await call(lab, 'server', 'read', { fd: 4 });
      const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      expect(n).toBe(12);
      expect(lab.view().actors['server']!.last?.detail).toContain('from outside');
      const back = receive(plain, 8);
      expect(await ret(lab, 'server', 'write', { fd: 4, data: 'answered' })).toEqual({ ret: 8 });
      expect(await back).toBe('answered');
      // The outside peer closes: the lab reads 0 and sits in CLOSE_WAIT.
      plain.end();
      const z = await call(lab, 'server', 'read', { fd: 4 });
      expect(z.status === 'returned' ? z.ret : (await returned(lab, 'server', z.callId)).ret).toBe(0);
      await modelState(lab, conn.id, 'CLOSE_WAIT');
      if (isLinux) await kernelState(lab, conn.id, 'CLOSE_WAIT');
      const closed = new Promise<void>((r) => plain.once('end', () => r()));
      plain.resume();
      expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
      await closed;
      await modelState(lab, conn.id, 'CLOSED');
    } finally {
      plain.destroy();
    }
  });

  it('a lab client connects to a plain node:net server and they talk both ways', async () => {
    const lab = await newLab();
    const server = net.createServer({ allowHalfOpen: true });
    const accepted = new Promise<net.Socket>((resolve) => {
      server.once('connection', resolve);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    let peer: net.Socket | null = null;
    try {
      expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
      expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
      peer = await accepted;
      const c = sockOf(lab.view(), 'client', 3);
      expect(c.peer).toBeNull();
      expect(c.remote).toEqual({ host: '127.0.0.1', port });
      expect(c.local).toEqual({ host: '127.0.0.1', port: peer.remotePort });
      expect(c.transitions.map((t) => t.to)).toEqual(['SYN_SENT', 'ESTABLISHED']);
      const got = receive(peer, 5);
      expect(await ret(lab, 'client', 'write', { fd: 3, data: 'hello' })).toEqual({ ret: 5 });
      expect(await got).toBe('hello');
      const r = await call(lab, 'client', 'read', { fd: 3 });
      expect(r.status).toBe('blocked');
      peer.write('world!');
      expect((await returned(lab, 'client', r.callId)).ret).toBe(6);
      if (isLinux) await kernelState(lab, c.id, 'ESTABLISHED');
      // The lab closes first: FIN_WAIT_2 until the outside server closes, then TIME_WAIT.
      const ended = new Promise<void>((res) => peer!.once('end', () => res()));
      expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
      await ended;
      if (isLinux) {
        await kernelState(lab, c.id, 'FIN_WAIT_2');
        await modelState(lab, c.id, 'FIN_WAIT_2');
        peer.end();
        await kernelState(lab, c.id, 'TIME_WAIT');
        await modelState(lab, c.id, 'TIME_WAIT');
        expect(sock(lab.view(), c.id).transitions.map((t) => t.to)).toEqual([
          'SYN_SENT',
          'ESTABLISHED',
          'FIN_WAIT_1',
          'FIN_WAIT_2',
          'TIME_WAIT',
        ]);
      }
    } finally {
      peer?.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
