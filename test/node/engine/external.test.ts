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
  waitFor,
  said,
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
      expect(said(lab.view().actors['server']!.last?.detail)).toContain('from outside');
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

  it('resets both ways with an outside peer: the lab reads ECONNRESET, the outside peer gets it too', async () => {
    const lab = await newLab();
    await serverListening(lab);
    const plain1 = net.connect({ host: '127.0.0.1', port: lab.defaultPort() });
    const plain2 = net.connect({ host: '127.0.0.1', port: lab.defaultPort() });
    try {
      await Promise.all([plain1, plain2].map((p) => new Promise<void>((r) => p.once('connect', () => r()))));
      expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
      const a = await call(lab, 'server', 'accept', { fd: 3 });
      expect(a.status === 'returned' ? a.ret : (await returned(lab, 'server', a.callId)).ret).toBe(5);
      const byPort = (fd: number) => sockOf(lab.view(), 'server', fd).remote!.port;
      const [first, second] = byPort(4) === plain1.localPort ? [plain1, plain2] : [plain2, plain1];
      // The outside peer resets (destroy with unread data on its side): the lab's read says so.
      await ret(lab, 'server', 'write', { fd: 4, data: 'unread by the outside peer' });
      first.pause();
      first.resetAndDestroy();
      const r = await call(lab, 'server', 'read', { fd: 4 });
      const got = r.status === 'returned' ? r : await returned(lab, 'server', r.callId);
      expect(got).toMatchObject({ ret: -1, errno: 'ECONNRESET' });
      expect(sockOf(lab.view(), 'server', 4).state).toBe('CLOSED');
      // The lab closes with bytes unread: the outside peer sees ECONNRESET.
      const err = new Promise<string>((resolve) =>
        second.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')),
      );
      second.write('never read by the lab');
      if (isLinux) {
        const id = sockOf(lab.view(), 'server', 5).id;
        await waitFor(lab, (v) => v.sockets[id]!.kernel?.recvQ === 21, 'the bytes in the kernel');
      }
      expect(await ret(lab, 'server', 'close', { fd: 5 })).toEqual({ ret: 0 });
      expect(await err).toBe('ECONNRESET');
    } finally {
      plain1.destroy();
      plain2.destroy();
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
