/**
 * The Linux system-call layer on real loopback sockets: every Sys method, with the kernel's
 * answers (EAGAIN, EINPROGRESS, EADDRINUSE, EBADF, EPIPE, TCP_INFO on LISTEN). Waits are
 * poll(2) on the descriptors with a timeout, never sleeps.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadLinux } from '../../../app/core/sys/linux';
import type { SockAddr, Sys } from '../../../app/core/sys/types';

const linux = process.platform === 'linux';
const LO: SockAddr = { family: 'inet', host: '127.0.0.1', port: 0 };

describe.skipIf(!linux)('Linux Sys on real loopback sockets', () => {
  let sys: Sys;
  let open: number[] = [];
  beforeAll(() => {
    sys = loadLinux();
  });
  afterEach(() => {
    for (const fd of open) sys.close(fd);
    open = [];
  });

  /** A new descriptor, closed after the test. */
  const track = (fd: number): number => {
    expect(fd).toBeGreaterThanOrEqual(0);
    open.push(fd);
    return fd;
  };
  const tcp = (family: 'inet' | 'inet6' = 'inet'): number => {
    const r = sys.socket(family);
    expect(r.errno).toBeNull();
    return track(r.ret);
  };
  /** poll(2) for `events` on fd, up to 5 s; the revents. */
  const waitFor = (fd: number, events: number): number => {
    const buf = sys.pollBuffer(1);
    buf.set(0, fd, events);
    const r = sys.poll(buf, 5000);
    expect(r.ret).toBe(1);
    return buf.revents(0);
  };
  const P = (): Sys['constants']['POLL'] => sys.constants.POLL;
  /** A listener on 127.0.0.1 (ephemeral port) and its address. */
  const listener = (backlog = 8): { fd: number; addr: SockAddr } => {
    const fd = tcp();
    expect(sys.bind(fd, LO)).toEqual({ ret: 0, errno: null });
    expect(sys.listen(fd, backlog)).toEqual({ ret: 0, errno: null });
    const name = sys.getsockname(fd);
    expect(name.addr?.port).toBeGreaterThan(0);
    return { fd, addr: name.addr! };
  };
  /** A connected client and its accepted peer. */
  const pair = (): { lst: number; cli: number; srv: number } => {
    const l = listener();
    const cli = tcp();
    const c = sys.connect(cli, l.addr);
    expect(c).toEqual({ ret: -1, errno: 'EINPROGRESS' });
    expect(waitFor(cli, P().POLLOUT) & P().POLLOUT).toBeTruthy();
    waitFor(l.fd, P().POLLIN);
    const a = sys.accept(l.fd);
    return { lst: l.fd, cli, srv: track(a.ret) };
  };

  it('socket: a TCP descriptor, non-blocking underneath; setNonBlocking toggles it', () => {
    const fd = tcp();
    expect(sys.platform).toBe('linux');
    expect(sys.getNonBlocking(fd)).toBe(true);
    expect(sys.setNonBlocking(fd, false).ret).toBe(0);
    expect(sys.getNonBlocking(fd)).toBe(false);
    expect(sys.setNonBlocking(fd, true).ret).toBe(0);
    expect(sys.getNonBlocking(fd)).toBe(true);
    expect(sys.getsockopt(fd, 'SO_TYPE').value).toBe(sys.constants.SOCK_STREAM);
  });

  it('accept on an empty queue gives EAGAIN; connect gives EINPROGRESS, then POLLOUT and SO_ERROR 0', () => {
    const l = listener();
    expect(sys.accept(l.fd)).toEqual({ ret: -1, errno: 'EAGAIN', addr: null });
    const cli = tcp();
    expect(sys.connect(cli, l.addr)).toEqual({ ret: -1, errno: 'EINPROGRESS' });
    expect(waitFor(cli, P().POLLOUT) & P().POLLOUT).toBe(P().POLLOUT);
    expect(sys.getsockopt(cli, 'SO_ERROR')).toEqual({ ret: 0, errno: null, value: 0 });
    expect(waitFor(l.fd, P().POLLIN) & P().POLLIN).toBe(P().POLLIN);
    const a = sys.accept(l.fd);
    track(a.ret);
    const local = sys.getsockname(cli).addr;
    expect(a.addr).toEqual(local);
    expect(sys.getpeername(a.ret).addr).toEqual(local);
    expect(sys.getpeername(cli).addr).toEqual(l.addr);
    // The accepted descriptor is non-blocking too (accept4 SOCK_NONBLOCK).
    expect(sys.getNonBlocking(a.ret)).toBe(true);
    expect(sys.accept(l.fd).errno).toBe('EAGAIN');
  });

  it('tcpInfo on LISTEN: unacked is the accept queue, sacked the backlog', () => {
    const l = listener(2);
    const cli = tcp();
    sys.connect(cli, l.addr);
    waitFor(cli, P().POLLOUT);
    waitFor(l.fd, P().POLLIN);
    const info = sys.tcpInfo(l.fd);
    expect(info).toMatchObject({ state: 'LISTEN', unacked: 1, sacked: 2 });
    track(sys.accept(l.fd).ret);
    expect(sys.tcpInfo(l.fd)).toMatchObject({ state: 'LISTEN', unacked: 0, sacked: 2 });
  });

  it('send and recv; inq counts what waits; a full window leaves bytes in outq', () => {
    const { cli, srv } = pair();
    const hello = Buffer.from('hello');
    expect(sys.send(cli, hello, 0, 5)).toEqual({ ret: 5, errno: null });
    waitFor(srv, P().POLLIN);
    expect(sys.inq(srv)).toBe(5);
    const got = Buffer.alloc(16);
    expect(sys.recv(srv, got, 16)).toEqual({ ret: 5, errno: null });
    expect(got.subarray(0, 5).toString()).toBe('hello');
    expect(sys.recv(srv, got, 16).errno).toBe('EAGAIN');
    // send's offset and length: bytes 1..3 of 'hello'.
    expect(sys.send(cli, hello, 1, 3).ret).toBe(3);
    waitFor(srv, P().POLLIN);
    expect(sys.recv(srv, got, 16).ret).toBe(3);
    expect(got.subarray(0, 3).toString()).toBe('ell');

    // Fill the peer's window (it never reads) until send says EAGAIN: every byte sent is then
    // either unacknowledged (client's outq) or in the server's receive queue.
    const chunk = Buffer.alloc(65536, 0x61);
    let sent = 0;
    for (;;) {
      const r = sys.send(cli, chunk, 0, chunk.length);
      if (r.ret === -1) {
        expect(r.errno).toBe('EAGAIN');
        break;
      }
      sent += r.ret;
    }
    const outq = sys.outq(cli);
    const inq = sys.inq(srv);
    expect(outq).toBeGreaterThan(0);
    expect(inq).toBeGreaterThan(0);
    expect(outq + inq).toBeGreaterThanOrEqual(sent);
    const info = sys.tcpInfo(cli)!;
    expect(info.state).toBe('ESTABLISHED');
    expect(info.sndMss).toBeGreaterThan(0);
    expect(info.bytesAcked).toBeGreaterThan(0);
    expect(info.notsentBytes).toBeLessThanOrEqual(outq);
    expect(sys.tcpInfo(srv)!.bytesReceived).toBeGreaterThanOrEqual(inq);
  });

  it('shutdown(SHUT_WR): the peer reads end of file, the writer gets EPIPE (no SIGPIPE), the other way still works', () => {
    const { cli, srv } = pair();
    expect(sys.shutdown(cli, 'SHUT_WR')).toEqual({ ret: 0, errno: null });
    expect(waitFor(srv, P().POLLIN | P().POLLRDHUP) & P().POLLRDHUP).toBe(P().POLLRDHUP);
    expect(sys.recv(srv, Buffer.alloc(4), 4)).toEqual({ ret: 0, errno: null });
    expect(sys.send(cli, Buffer.from('x'), 0, 1)).toEqual({ ret: -1, errno: 'EPIPE' });
    // FIN_WAIT_2 once the peer's ACK of the FIN is in; it may still be on its way.
    expect(['FIN_WAIT_1', 'FIN_WAIT_2']).toContain(sys.tcpInfo(cli)!.state);
    expect(sys.tcpInfo(srv)!.state).toBe('CLOSE_WAIT');
    expect(sys.send(srv, Buffer.from('back'), 0, 4).ret).toBe(4);
    waitFor(cli, P().POLLIN);
    expect(sys.recv(cli, Buffer.alloc(8), 8).ret).toBe(4);
    expect(sys.shutdown(cli, 'SHUT_RD').ret).toBe(0);
    expect(sys.shutdown(srv, 'SHUT_RDWR').ret).toBe(0);
  });

  it('close: 0, then EBADF for the same descriptor and for every call on it', () => {
    const fd = sys.socket('inet').ret;
    expect(sys.close(fd)).toEqual({ ret: 0, errno: null });
    expect(sys.close(fd)).toEqual({ ret: -1, errno: 'EBADF' });
    expect(sys.getsockname(fd)).toEqual({ ret: -1, errno: 'EBADF', addr: null });
    expect(sys.getsockopt(fd, 'SO_ERROR')).toEqual({ ret: -1, errno: 'EBADF', value: null });
    expect(sys.getNonBlocking(fd)).toBeNull();
    expect(sys.setNonBlocking(fd, true).errno).toBe('EBADF');
    expect(sys.inq(fd)).toBe(-1);
    expect(sys.outq(fd)).toBe(-1);
    expect(sys.tcpInfo(fd)).toBeNull();
  });

  it('bind EADDRINUSE against another socket on the same port; connect to a closed port is refused', () => {
    const l = listener();
    const other = tcp();
    expect(sys.bind(other, l.addr)).toEqual({ ret: -1, errno: 'EADDRINUSE' });
    // The listener closed: its port refuses, reported by poll and SO_ERROR (ECONNREFUSED = 111).
    const port = l.addr.port;
    sys.close(l.fd);
    open = open.filter((fd) => fd !== l.fd);
    const cli = tcp();
    const c = sys.connect(cli, { ...LO, port });
    expect(c.errno).toBe('EINPROGRESS');
    expect(waitFor(cli, P().POLLOUT) & P().POLLERR).toBe(P().POLLERR);
    expect(sys.getsockopt(cli, 'SO_ERROR').value).toBe(111);
  });

  it('setsockopt and getsockopt: every option, SO_LINGER as struct linger', () => {
    const fd = tcp();
    for (const opt of ['SO_REUSEADDR', 'SO_REUSEPORT', 'SO_KEEPALIVE', 'TCP_NODELAY'] as const) {
      expect(sys.getsockopt(fd, opt).value).toBe(0);
      expect(sys.setsockopt(fd, opt, 1)).toEqual({ ret: 0, errno: null });
      expect(sys.getsockopt(fd, opt).value).toBe(1);
    }
    // Linux doubles the asked buffer size for its own bookkeeping (socket(7)).
    for (const opt of ['SO_RCVBUF', 'SO_SNDBUF'] as const) {
      expect(sys.setsockopt(fd, opt, 32768).ret).toBe(0);
      expect(sys.getsockopt(fd, opt).value).toBe(65536);
    }
    expect(sys.getsockopt(fd, 'SO_LINGER').value).toEqual({ onoff: 0, linger: 0 });
    expect(sys.setsockopt(fd, 'SO_LINGER', { onoff: 1, linger: 5 }).ret).toBe(0);
    expect(sys.getsockopt(fd, 'SO_LINGER').value).toEqual({ onoff: 1, linger: 5 });
    expect(sys.getsockopt(fd, 'SO_TYPE').value).toBe(1);
    expect(sys.getsockopt(fd, 'SO_ERROR').value).toBe(0);
    expect(sys.setsockopt(fd, 'SO_TYPE', 1)).toEqual({ ret: -1, errno: 'ENOPROTOOPT' });
  });

  it('IPv6 on ::1: bind, connect, accept with inet6 addresses', (ctx) => {
    const l = tcp('inet6');
    const b = sys.bind(l, { family: 'inet6', host: '::1', port: 0 });
    if (b.errno === 'EADDRNOTAVAIL') ctx.skip(); // no ::1 on this machine
    expect(b.ret).toBe(0);
    sys.listen(l, 4);
    const addr = sys.getsockname(l).addr!;
    expect(addr).toMatchObject({ family: 'inet6', host: '::1' });
    const cli = tcp('inet6');
    expect(sys.connect(cli, addr).errno).toBe('EINPROGRESS');
    waitFor(cli, P().POLLOUT);
    waitFor(l, P().POLLIN);
    const a = sys.accept(l);
    track(a.ret);
    expect(a.addr).toEqual(sys.getsockname(cli).addr);
    expect(a.addr?.family).toBe('inet6');
  });

  it('pipe: both ends non-blocking; poll(0) asks without waiting; pollAsync is woken by a write', async () => {
    const p = sys.pipe();
    expect(p.errno).toBeNull();
    const [rd, wr] = p.fds!;
    track(rd);
    track(wr);
    expect(sys.getNonBlocking(rd)).toBe(true);
    expect(sys.getNonBlocking(wr)).toBe(true);
    const buf = sys.pollBuffer(2);
    expect(buf.length).toBe(2);
    expect(buf.fd(1)).toBe(-1); // an unused entry is ignored by poll
    buf.set(0, rd, P().POLLIN);
    expect(buf.fd(0)).toBe(rd);
    expect(sys.poll(buf, 0)).toEqual({ ret: 0, errno: null });
    expect(sys.readFd(rd, Buffer.alloc(1), 1).errno).toBe('EAGAIN');

    let settled = false;
    const waiting = sys.pollAsync(buf, 10_000).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(sys.writeFd(wr, Buffer.from('w'), 1)).toEqual({ ret: 1, errno: null });
    expect(await waiting).toEqual({ ret: 1, errno: null });
    expect(buf.revents(0) & P().POLLIN).toBe(P().POLLIN);
    const one = Buffer.alloc(4);
    expect(sys.readFd(rd, one, 4)).toEqual({ ret: 1, errno: null });
    expect(one.toString('utf8', 0, 1)).toBe('w');
    expect(sys.tcpInfo(rd)).toBeNull();
  });
});
