/**
 * loadDarwin's calls, with koffi replaced by a recording fake (libSystem cannot load here):
 * which functions it calls with which macOS numbers, and how it reads their answers. This
 * checks the wiring only; the layer has not run on a Mac.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeState } from './fake-koffi';
import { callsTo, fakeState } from './fake-koffi';

const h = vi.hoisted(() => ({ state: undefined as unknown as FakeState }));
vi.mock('koffi', async () => {
  const { fakeKoffi, fakeState: fresh } = await import('./fake-koffi');
  h.state = fresh();
  return { default: fakeKoffi(h.state) };
});

const { loadDarwin, DARWIN_EXTRA: X } = await import('../../../app/core/sys/darwin');
const { DARWIN_CONSTANTS: C } = await import('../../../app/core/sys/darwin');

describe('loadDarwin (koffi faked)', () => {
  beforeEach(() => {
    Object.assign(h.state, fakeState());
  });
  const load = (): ReturnType<typeof loadDarwin> => loadDarwin();

  it('loads libSystem and declares the variadic fcntl/ioctl with ...', () => {
    const sys = load();
    expect(sys.platform).toBe('darwin');
    expect(h.state.loaded).toEqual(['/usr/lib/libSystem.B.dylib']);
    expect(h.state.protos).toContain('int fcntl(int, int, ...)');
    expect(h.state.protos).toContain('int ioctl(int, unsigned long, ...)');
    expect(h.state.protos).toContain('int poll(void *, unsigned int, int)');
  });

  it('socket: then FD_CLOEXEC, O_NONBLOCK and SO_NOSIGPIPE on the new descriptor', () => {
    const sys = load();
    h.state.impl.socket = () => 7;
    h.state.impl.fcntl = ((_fd: number, cmd: number) => (cmd === C.F_GETFL ? 0x2 : 0)) as never;
    expect(sys.socket('inet6')).toEqual({ ret: 7, errno: null });
    expect(callsTo(h.state, 'socket')).toEqual([[30, 1, 0]]);
    expect(callsTo(h.state, 'fcntl')).toEqual([
      [7, X.F_SETFD, 'int', X.FD_CLOEXEC],
      [7, C.F_GETFL],
      [7, C.F_SETFL, 'int', 0x2 | C.O_NONBLOCK],
    ]);
    const [so] = callsTo(h.state, 'setsockopt');
    expect(so!.slice(0, 3)).toEqual([7, 0xffff, X.SO_NOSIGPIPE]);
    expect((so![3] as Buffer).readInt32LE(0)).toBe(1);
  });

  it('a failed fcntl closes the new descriptor and reports its errno by macOS number', () => {
    const sys = load();
    h.state.impl.socket = () => 7;
    h.state.impl.fcntl = () => {
      h.state.errno = 24;
      return -1;
    };
    expect(sys.socket('inet')).toEqual({ ret: -1, errno: 'EMFILE' });
    expect(callsTo(h.state, 'close')).toEqual([[7]]);
  });

  it('errno names: 36 EINPROGRESS from connect, 35 EAGAIN from recv, 48 EADDRINUSE from bind', () => {
    const sys = load();
    const fail = (n: number) => () => {
      h.state.errno = n;
      return -1;
    };
    h.state.impl.connect = fail(36);
    h.state.impl.recv = fail(35);
    h.state.impl.bind = fail(48);
    const addr = { family: 'inet' as const, host: '127.0.0.1', port: 9 };
    expect(sys.connect(3, addr)).toEqual({ ret: -1, errno: 'EINPROGRESS' });
    expect(sys.recv(3, Buffer.alloc(4), 4)).toEqual({ ret: -1, errno: 'EAGAIN' });
    expect(sys.bind(3, addr)).toEqual({ ret: -1, errno: 'EADDRINUSE' });
    const sa = callsTo(h.state, 'bind')[0]![1] as Buffer;
    expect([sa[0], sa[1], sa.readUInt16BE(2)]).toEqual([16, 2, 9]); // BSD sin_len, sin_family
  });

  it('errnoName names macOS numbers (SO_ERROR); peek is recv with MSG_PEEK', () => {
    const sys = load();
    expect([sys.errnoName(61), sys.errnoName(35), sys.errnoName(999)]).toEqual([
      'ECONNREFUSED',
      'EAGAIN',
      'E999',
    ]);
    h.state.impl.recv = () => 2;
    expect(sys.peek!(4, Buffer.alloc(8), 2)).toEqual({ ret: 2, errno: null });
    expect(callsTo(h.state, 'recv')[0]!.slice(2)).toEqual([2, X.MSG_PEEK]);
  });

  it('send: flags 0 (SO_NOSIGPIPE does MSG_NOSIGNAL’s work), the asked slice', () => {
    const sys = load();
    h.state.impl.send = ((_fd: number, _b: Buffer, n: number) => n) as never;
    expect(sys.send(4, Buffer.from('hello'), 1, 3)).toEqual({ ret: 3, errno: null });
    const [args] = callsTo(h.state, 'send');
    expect([(args![1] as Buffer).toString(), args![2], args![3]]).toEqual(['ell', 3, 0]);
  });

  it('accept: the peer from a BSD sockaddr, and the new descriptor prepared', () => {
    const sys = load();
    h.state.impl.accept = ((_fd: number, sa: Buffer, len: Buffer) => {
      sa.set([16, 2, 0x9c, 0x40, 127, 0, 0, 1]);
      len.writeUInt32LE(16);
      return 9;
    }) as never;
    expect(sys.accept(5)).toEqual({
      ret: 9,
      errno: null,
      addr: { family: 'inet', host: '127.0.0.1', port: 40000 },
    });
    expect(callsTo(h.state, 'fcntl')[0]).toEqual([9, X.F_SETFD, 'int', X.FD_CLOEXEC]);
    expect(callsTo(h.state, 'setsockopt')[0]!.slice(0, 3)).toEqual([9, 0xffff, X.SO_NOSIGPIPE]);
  });

  it('SO_LINGER goes as SO_LINGER_SEC (seconds); other options at their header numbers', () => {
    const sys = load();
    h.state.impl.getsockopt = ((_fd: number, _l: number, _n: number, v: Buffer) => {
      v.writeInt32LE(1, 0);
      v.writeInt32LE(5, 4);
      return 0;
    }) as never;
    expect(sys.setsockopt(3, 'SO_LINGER', { onoff: 1, linger: 5 }).ret).toBe(0);
    expect(sys.getsockopt(3, 'SO_LINGER').value).toEqual({ onoff: 1, linger: 5 });
    sys.setsockopt(3, 'SO_REUSEADDR', 1);
    sys.setsockopt(3, 'TCP_NODELAY', 1);
    expect(callsTo(h.state, 'setsockopt').map((a) => a.slice(1, 3))).toEqual([
      [0xffff, X.SO_LINGER_SEC],
      [0xffff, 0x0004],
      [6, 0x01],
    ]);
    expect(callsTo(h.state, 'getsockopt')[0]!.slice(1, 3)).toEqual([0xffff, X.SO_LINGER_SEC]);
  });

  it('inq by FIONREAD, outq by SO_NWRITE, tcpInfo by TCP_CONNECTION_INFO', () => {
    const sys = load();
    h.state.impl.ioctl = ((_fd: number, _req: number, _t: string, b: Buffer) => {
      b.writeInt32LE(12, 0);
      return 0;
    }) as never;
    h.state.impl.getsockopt = ((_fd: number, _l: number, name: number, v: Buffer, len: Buffer) => {
      if (name === X.SO_NWRITE) v.writeInt32LE(34, 0);
      else {
        v[0] = 9; // TCPS_FIN_WAIT_2
        len.writeUInt32LE(112);
      }
      return 0;
    }) as never;
    expect(sys.inq(3)).toBe(12);
    expect(callsTo(h.state, 'ioctl')[0]!.slice(1, 3)).toEqual([X.FIONREAD, 'void *']);
    expect(sys.outq(3)).toBe(34);
    expect(sys.tcpInfo(3)?.state).toBe('FIN_WAIT_2');
    const g = callsTo(h.state, 'getsockopt');
    expect(g[0]!.slice(1, 3)).toEqual([0xffff, X.SO_NWRITE]);
    expect(g[1]!.slice(1, 3)).toEqual([6, X.TCP_CONNECTION_INFO]);
    expect((g[1]![3] as Buffer).length).toBe(112);
    h.state.impl.getsockopt = () => -1;
    expect(sys.tcpInfo(3)).toBeNull();
    expect(sys.outq(3)).toBe(-1);
  });

  it('pipe: pipe(2), then both ends close-on-exec and non-blocking (no SO_NOSIGPIPE on a pipe)', () => {
    const sys = load();
    h.state.impl.pipe = ((b: Buffer) => {
      b.writeInt32LE(5, 0);
      b.writeInt32LE(6, 4);
      return 0;
    }) as never;
    expect(sys.pipe()).toEqual({ ret: 0, errno: null, fds: [5, 6] });
    expect(callsTo(h.state, 'fcntl').map((a) => a.slice(0, 2))).toEqual([
      [5, X.F_SETFD],
      [5, C.F_GETFL],
      [5, C.F_SETFL],
      [6, X.F_SETFD],
      [6, C.F_GETFL],
      [6, C.F_SETFL],
    ]);
    expect(callsTo(h.state, 'setsockopt')).toEqual([]);
  });

  it('poll and pollAsync hand struct pollfd[] and nfds to poll', async () => {
    const sys = load();
    h.state.impl.poll = () => 1;
    const buf = sys.pollBuffer(2);
    buf.set(0, 5, C.POLL.POLLIN);
    expect(sys.poll(buf, 0)).toEqual({ ret: 1, errno: null });
    expect(await sys.pollAsync(buf, 100)).toEqual({ ret: 1, errno: null });
    const calls = callsTo(h.state, 'poll');
    expect(calls.map((a) => [(a[0] as Buffer).length, a[1], a[2]])).toEqual([
      [16, 2, 0],
      [16, 2, 100],
    ]);
  });
});
