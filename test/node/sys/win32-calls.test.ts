/**
 * loadWin32's calls, with koffi replaced by a recording fake (ws2_32.dll cannot load here):
 * WSAStartup first, which Winsock functions it calls with which numbers, how WSAGetLastError
 * codes become POSIX names (connect's WSAEWOULDBLOCK as EINPROGRESS), and the loopback socket
 * pair that stands in for the wake pipe. This checks the wiring only; the layer has not run
 * on Windows.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeState } from './fake-koffi';
import { callsTo, fakeState } from './fake-koffi';

const h = vi.hoisted(() => ({ state: undefined as unknown as FakeState, lastError: 0 }));
vi.mock('koffi', async () => {
  const { fakeKoffi, fakeState: fresh } = await import('./fake-koffi');
  h.state = fresh();
  return { default: fakeKoffi(h.state) };
});

const { loadWin32 } = await import('../../../app/core/sys/win32');
const {
  WIN32_EXTRA: X,
  WIN32_CONSTANTS: C,
  Win32PollBuffer,
} = await import('../../../app/core/sys/win32-abi');

const LO = { family: 'inet' as const, host: '127.0.0.1', port: 9 };

describe('loadWin32 (koffi faked)', () => {
  beforeEach(() => {
    Object.assign(h.state, fakeState());
    h.lastError = 0;
    h.state.impl.WSAGetLastError = () => h.lastError;
  });
  const load = (): ReturnType<typeof loadWin32> => loadWin32();
  /** The next call to `name` fails with WSA code `code`. */
  const failWith = (name: string, code: number): void => {
    h.state.impl[name] = () => {
      h.lastError = code;
      return -1;
    };
  };

  it('loads ws2_32.dll, calls WSAStartup(2.2) first, declares __stdcall', () => {
    const sys = load();
    expect(sys.platform).toBe('win32');
    expect(h.state.loaded).toEqual(['ws2_32.dll']);
    expect(h.state.calls[0]!.name).toBe('WSAStartup');
    expect(h.state.calls[0]!.args[0]).toBe(0x0202);
    expect(h.state.protos.every((p) => / __stdcall \w+\(/.test(p))).toBe(true);
    expect(h.state.protos).toContain('intptr_t __stdcall accept(intptr_t, void *, void *)');
  });

  it('a failed WSAStartup throws, naming the code', () => {
    h.state.impl.WSAStartup = () => 10092; // WSAVERNOTSUPPORTED
    expect(() => load()).toThrow(/WSAStartup failed: E10092/);
  });

  it('socket: WSASocketW without handle inheritance, then FIONBIO 1; getNonBlocking remembers', () => {
    const sys = load();
    h.state.impl.WSASocketW = () => 0x1f4;
    expect(sys.socket('inet6')).toEqual({ ret: 0x1f4, errno: null });
    expect(callsTo(h.state, 'WSASocketW')).toEqual([[23, 1, 6, null, 0, 0x81]]);
    const [io] = callsTo(h.state, 'ioctlsocket');
    expect(io!.slice(0, 2)).toEqual([0x1f4, X.FIONBIO]);
    expect((io![2] as Buffer).readUInt32LE(0)).toBe(1);
    expect(sys.getNonBlocking(0x1f4)).toBe(true);
    expect(sys.setNonBlocking(0x1f4, false).ret).toBe(0);
    expect(sys.getNonBlocking(0x1f4)).toBe(false);
    expect(sys.close(0x1f4).ret).toBe(0);
    expect(callsTo(h.state, 'closesocket')).toEqual([[0x1f4]]);
    expect(sys.getNonBlocking(0x1f4)).toBeNull();
  });

  it('INVALID_SOCKET (-1) from WSASocketW reports WSAGetLastError by its POSIX name', () => {
    const sys = load();
    failWith('WSASocketW', 10024);
    expect(sys.socket('inet')).toEqual({ ret: -1, errno: 'EMFILE' });
    expect(callsTo(h.state, 'ioctlsocket')).toEqual([]);
  });

  it('connect: WSAEWOULDBLOCK is EINPROGRESS there; other codes keep their names', () => {
    const sys = load();
    failWith('connect', 10035);
    expect(sys.connect(4, LO)).toEqual({ ret: -1, errno: 'EINPROGRESS' });
    failWith('connect', 10037);
    expect(sys.connect(4, LO)).toEqual({ ret: -1, errno: 'EALREADY' });
    failWith('connect', 10061);
    expect(sys.connect(4, LO)).toEqual({ ret: -1, errno: 'ECONNREFUSED' });
    const sa = callsTo(h.state, 'connect')[0]![1] as Buffer;
    expect([sa.readUInt16LE(0), sa.readUInt16BE(2), sa.length]).toEqual([2, 9, 16]);
  });

  it('recv/send/accept: WSAEWOULDBLOCK is EAGAIN; WSAESHUTDOWN is end of file / EPIPE; WSAENOTSOCK is EBADF', () => {
    const sys = load();
    failWith('recv', 10035);
    expect(sys.recv(4, Buffer.alloc(4), 4)).toEqual({ ret: -1, errno: 'EAGAIN' });
    failWith('recv', 10058);
    expect(sys.recv(4, Buffer.alloc(4), 4)).toEqual({ ret: 0, errno: null });
    failWith('send', 10058);
    expect(sys.send(4, Buffer.from('x'), 0, 1)).toEqual({ ret: -1, errno: 'EPIPE' });
    failWith('send', 10054);
    expect(sys.send(4, Buffer.from('x'), 0, 1)).toEqual({ ret: -1, errno: 'ECONNRESET' });
    failWith('accept', 10035);
    expect(sys.accept(4)).toEqual({ ret: -1, errno: 'EAGAIN', addr: null });
    failWith('closesocket', 10038);
    expect(sys.close(4)).toEqual({ ret: -1, errno: 'EBADF' });
    failWith('bind', 10048);
    expect(sys.bind(4, LO)).toEqual({ ret: -1, errno: 'EADDRINUSE' });
    expect(callsTo(h.state, 'send').map((a) => a[3])).toEqual([0, 0]); // no MSG_NOSIGNAL on Windows
  });

  it('errnoName names WSAE* codes (SO_ERROR gives them); peek is recv with MSG_PEEK', () => {
    const sys = load();
    expect([sys.errnoName(10061), sys.errnoName(10035), sys.errnoName(10093)]).toEqual([
      'ECONNREFUSED',
      'EAGAIN',
      'E10093',
    ]);
    h.state.impl.recv = () => 3;
    expect(sys.peek!(4, Buffer.alloc(8), 3)).toEqual({ ret: 3, errno: null });
    expect(callsTo(h.state, 'recv')[0]!.slice(2)).toEqual([3, X.MSG_PEEK]);
  });

  it('accept: the peer from a Windows sockaddr; FIONBIO set on the new socket', () => {
    const sys = load();
    h.state.impl.accept = ((_s: number, sa: Buffer, len: Buffer) => {
      sa.set([2, 0, 0x9c, 0x40, 127, 0, 0, 1]);
      len.writeInt32LE(16);
      return 0x208;
    }) as never;
    expect(sys.accept(0x1f4)).toEqual({
      ret: 0x208,
      errno: null,
      addr: { family: 'inet', host: '127.0.0.1', port: 40000 },
    });
    expect(callsTo(h.state, 'ioctlsocket')[0]!.slice(0, 2)).toEqual([0x208, X.FIONBIO]);
  });

  it('options: SO_LINGER as two u_short, SO_REUSEPORT ENOPROTOOPT without a call', () => {
    const sys = load();
    expect(sys.setsockopt(4, 'SO_LINGER', { onoff: 1, linger: 7 }).ret).toBe(0);
    const [set] = callsTo(h.state, 'setsockopt');
    expect([set![1], set![2], [...(set![3] as Buffer)], set![4]]).toEqual([0xffff, 0x80, [1, 0, 7, 0], 4]);
    h.state.impl.getsockopt = ((_s: number, _l: number, _n: number, v: Buffer) => {
      v.writeUInt16LE(1, 0);
      v.writeUInt16LE(7, 2);
      return 0;
    }) as never;
    expect(sys.getsockopt(4, 'SO_LINGER').value).toEqual({ onoff: 1, linger: 7 });
    const before = h.state.calls.length;
    expect(sys.setsockopt(4, 'SO_REUSEPORT', 1)).toEqual({ ret: -1, errno: 'ENOPROTOOPT' });
    expect(sys.getsockopt(4, 'SO_REUSEPORT')).toEqual({ ret: -1, errno: 'ENOPROTOOPT', value: null });
    expect(h.state.calls.length).toBe(before);
  });

  it('inq by ioctlsocket(FIONREAD); outq unknown (-1); tcpInfo by WSAIoctl(SIO_TCP_INFO, v0)', () => {
    const sys = load();
    h.state.impl.ioctlsocket = ((_s: number, _c: number, b: Buffer) => {
      b.writeUInt32LE(21, 0);
      return 0;
    }) as never;
    expect(sys.inq(4)).toBe(21);
    expect(callsTo(h.state, 'ioctlsocket')[0]!.slice(0, 2)).toEqual([4, X.FIONREAD]);
    expect(sys.outq(4)).toBe(-1);
    h.state.impl.WSAIoctl = ((...a: unknown[]) => {
      (a[4] as Buffer).writeUInt32LE(7, 0); // TCPSTATE_CLOSE_WAIT
      (a[6] as Buffer).writeUInt32LE(88, 0);
      return 0;
    }) as never;
    expect(sys.tcpInfo(4)?.state).toBe('CLOSE_WAIT');
    const [w] = callsTo(h.state, 'WSAIoctl');
    expect([w![0], w![1], (w![2] as Buffer).readUInt32LE(0), w![3], (w![4] as Buffer).length, w![5]]).toEqual(
      [4, X.SIO_TCP_INFO, 0, 4, 88, 88],
    );
    failWith('WSAIoctl', 10022);
    expect(sys.tcpInfo(4)).toBeNull();
  });

  it('pipe: a loopback socket pair (listener on 127.0.0.1:0, connect, accept, listener closed)', () => {
    const sys = load();
    let next = 0x100;
    h.state.impl.WSASocketW = () => (next += 4);
    h.state.impl.accept = () => 0x200;
    // The listener (0x104) is on port 50000; the client (0x108) on 50001; the accepted peer is it.
    h.state.impl.getsockname = ((s: number, sa: Buffer, len: Buffer) => {
      sa.set([2, 0, 0, 0, 127, 0, 0, 1]);
      sa.writeUInt16BE(s === 0x104 ? 50000 : 50001, 2);
      len.writeInt32LE(16);
      return 0;
    }) as never;
    h.state.impl.getpeername = ((_s: number, sa: Buffer, len: Buffer) => {
      sa.set([2, 0, 0, 0, 127, 0, 0, 1]);
      sa.writeUInt16BE(50001, 2);
      len.writeInt32LE(16);
      return 0;
    }) as never;
    expect(sys.pipe()).toEqual({ ret: 0, errno: null, fds: [0x200, 0x108] });
    const bound = callsTo(h.state, 'bind')[0]![1] as Buffer;
    expect([bound.readUInt16BE(2), [...bound.subarray(4, 8)]]).toEqual([0, [127, 0, 0, 1]]);
    expect(callsTo(h.state, 'listen')).toEqual([[0x104, 1]]);
    expect((callsTo(h.state, 'connect')[0]![1] as Buffer).readUInt16BE(2)).toBe(50000);
    expect(callsTo(h.state, 'closesocket')).toEqual([[0x104]]);
    expect(callsTo(h.state, 'ioctlsocket').map((a) => a.slice(0, 2))).toEqual([
      [0x200, X.FIONBIO],
      [0x108, X.FIONBIO],
    ]);
    expect(sys.getNonBlocking(0x200)).toBe(true);
    expect(callsTo(h.state, 'setsockopt')[0]!.slice(0, 3)).toEqual([0x108, 6, 1]); // TCP_NODELAY
    // readFd/writeFd on the pair are recv/send.
    h.state.impl.send = () => 1;
    expect(sys.writeFd(0x108, Buffer.from('w'), 1)).toEqual({ ret: 1, errno: null });
    expect(callsTo(h.state, 'send')[0]![0]).toBe(0x108);
  });

  it('pipe: a stranger accepted instead of our client is refused, every socket closed', () => {
    const sys = load();
    let next = 0x100;
    h.state.impl.WSASocketW = () => (next += 4);
    h.state.impl.accept = () => 0x200;
    h.state.impl.getsockname = ((_s: number, sa: Buffer, len: Buffer) => {
      sa.set([2, 0, 0xc3, 0x50, 127, 0, 0, 1]);
      len.writeInt32LE(16);
      return 0;
    }) as never;
    h.state.impl.getpeername = ((_s: number, sa: Buffer, len: Buffer) => {
      sa.set([2, 0, 0x12, 0x34, 127, 0, 0, 1]);
      len.writeInt32LE(16);
      return 0;
    }) as never;
    expect(sys.pipe()).toEqual({ ret: -1, errno: 'ECONNABORTED', fds: null });
    expect(callsTo(h.state, 'closesocket').map((a) => a[0])).toEqual([0x104, 0x108, 0x200]);
  });

  it('poll and pollAsync hand WSAPOLLFD[] (16 bytes an entry) to WSAPoll', async () => {
    const sys = load();
    h.state.impl.WSAPoll = () => 1;
    const buf = sys.pollBuffer(2);
    expect(buf).toBeInstanceOf(Win32PollBuffer);
    buf.set(0, 0x200, C.POLL.POLLIN);
    expect(sys.poll(buf, 0)).toEqual({ ret: 1, errno: null });
    expect(await sys.pollAsync(buf, -1)).toEqual({ ret: 1, errno: null });
    expect(callsTo(h.state, 'WSAPoll').map((a) => [(a[0] as Buffer).length, a[1], a[2]])).toEqual([
      [32, 2, 0],
      [32, 2, -1],
    ]);
    failWith('WSAPoll', 10022);
    expect(sys.poll(buf, 0)).toEqual({ ret: -1, errno: 'EINVAL' });
  });
});
