/**
 * Windows, which cannot run here: every constant against the header value written below (with
 * its header), WINSOCK_ERRNO, the TCPSTATE names, the sockaddr layout, WSAPOLLFD (pointer-sized
 * SOCKET), struct linger (two u_short) and the TCP_INFO_v0 decoder on hand-made buffers. Where
 * mingw-w64's cross-compiler is installed, the same numbers and layouts are checked against its
 * Windows headers with _Static_assert. None of this has run on Windows.
 */
import { describe, expect, it } from 'vitest';
import { LINUX_ERRNO, WINSOCK_ERRNO, winsockErrno } from '../../../app/core/sys/errno';
import { decodeSockAddr, encodeSockAddr } from '../../../app/core/sys/sockaddr';
import { win32TcpState } from '../../../app/core/sys/tcp-states';
import {
  decodeWin32Opt,
  decodeWin32TcpInfo,
  encodeWin32Opt,
  Win32PollBuffer,
  WIN32_CONSTANTS,
  WIN32_EXTRA,
} from '../../../app/core/sys/win32-abi';
import { compileOnly, hasCompiler } from './cc';

const MINGW = 'x86_64-w64-mingw32-gcc';
const mingw = hasCompiler(MINGW);
if (!mingw) console.warn(`${MINGW} is not installed: the Windows header cross-checks are skipped`);

describe('Windows constants (from the headers)', () => {
  it('<ws2def.h>, <winsock2.h>: families, SOL_SOCKET, SD_*; no fcntl (0)', () => {
    const C = WIN32_CONSTANTS;
    expect({ ...C, POLL: undefined, OPT: undefined }).toEqual({
      AF_INET: 2,
      AF_INET6: 23,
      SOCK_STREAM: 1,
      IPPROTO_TCP: 6,
      SOL_SOCKET: 0xffff,
      SHUT_RD: 0, // SD_RECEIVE
      SHUT_WR: 1, // SD_SEND
      SHUT_RDWR: 2, // SD_BOTH
      F_GETFL: 0,
      F_SETFL: 0,
      O_NONBLOCK: 0,
      POLL: undefined,
      OPT: undefined,
      SOCKADDR_IN_SIZE: 16,
      SOCKADDR_IN6_SIZE: 28,
    });
  });
  it('<winsock2.h> WSAPoll bits: POLLIN is RDNORM|RDBAND, POLLOUT is WRNORM', () => {
    expect(WIN32_CONSTANTS.POLL).toEqual({
      POLLIN: 0x0300,
      POLLPRI: 0x0400,
      POLLOUT: 0x0010,
      POLLERR: 0x0001,
      POLLHUP: 0x0002,
      POLLNVAL: 0x0004,
      POLLRDHUP: 0,
    });
  });
  it('socket options (<ws2def.h>, <winsock2.h>); SO_REUSEPORT does not exist (0)', () => {
    const so = (name: number): { level: number; name: number } => ({ level: 0xffff, name });
    expect(WIN32_CONSTANTS.OPT).toEqual({
      SO_REUSEADDR: so(0x0004),
      SO_KEEPALIVE: so(0x0008),
      SO_LINGER: so(0x0080),
      SO_REUSEPORT: so(0),
      SO_SNDBUF: so(0x1001),
      SO_RCVBUF: so(0x1002),
      SO_ERROR: so(0x1007),
      SO_TYPE: so(0x1008),
      TCP_NODELAY: { level: 6, name: 0x0001 },
    });
  });
  it('ioctls and flags, computed from their macros', () => {
    // <winsock2.h>: _IOW(x,y,t) = IOC_IN | (sizeof(t) & IOCPARM_MASK) << 16 | x << 8 | y; _IOR with IOC_OUT.
    const f = 'f'.charCodeAt(0) << 8;
    expect((0x80000000 | (4 << 16) | f | 126) >>> 0).toBe(WIN32_EXTRA.FIONBIO);
    expect((0x40000000 | (4 << 16) | f | 127) >>> 0).toBe(WIN32_EXTRA.FIONREAD);
    // <mstcpip.h>: SIO_TCP_INFO = _WSAIORW(IOC_VENDOR, 39) = IOC_INOUT | IOC_VENDOR | 39.
    expect((0xc0000000 | 0x18000000 | 39) >>> 0).toBe(WIN32_EXTRA.SIO_TCP_INFO);
    expect(WIN32_EXTRA).toMatchObject({
      WINSOCK_VERSION: 0x0202, // MAKEWORD(2, 2)
      TCP_INFO_V0_SIZE: 88,
      WSA_FLAG_OVERLAPPED: 0x01,
      WSA_FLAG_NO_HANDLE_INHERIT: 0x80,
      POLL_REQUEST_MASK: 0x0330,
      WSAEWOULDBLOCK: 10035,
      MSG_PEEK: 0x2,
      WSAESHUTDOWN: 10058,
    });
  });
});

/** <winsock2.h> / <winerror.h> WSAE* codes and the POSIX names they stand for. */
const WSAE: Array<[string, number, string]> = [
  ['WSAEINTR', 10004, 'EINTR'],
  ['WSAEBADF', 10009, 'EBADF'],
  ['WSAEACCES', 10013, 'EACCES'],
  ['WSAEFAULT', 10014, 'EFAULT'],
  ['WSAEINVAL', 10022, 'EINVAL'],
  ['WSAEMFILE', 10024, 'EMFILE'],
  ['WSAEWOULDBLOCK', 10035, 'EAGAIN'],
  ['WSAEINPROGRESS', 10036, 'EINPROGRESS'],
  ['WSAEALREADY', 10037, 'EALREADY'],
  ['WSAENOTSOCK', 10038, 'ENOTSOCK'],
  ['WSAEDESTADDRREQ', 10039, 'EDESTADDRREQ'],
  ['WSAEMSGSIZE', 10040, 'EMSGSIZE'],
  ['WSAEPROTOTYPE', 10041, 'EPROTOTYPE'],
  ['WSAENOPROTOOPT', 10042, 'ENOPROTOOPT'],
  ['WSAEPROTONOSUPPORT', 10043, 'EPROTONOSUPPORT'],
  ['WSAESOCKTNOSUPPORT', 10044, 'ESOCKTNOSUPPORT'],
  ['WSAEOPNOTSUPP', 10045, 'EOPNOTSUPP'],
  ['WSAEPFNOSUPPORT', 10046, 'EPFNOSUPPORT'],
  ['WSAEAFNOSUPPORT', 10047, 'EAFNOSUPPORT'],
  ['WSAEADDRINUSE', 10048, 'EADDRINUSE'],
  ['WSAEADDRNOTAVAIL', 10049, 'EADDRNOTAVAIL'],
  ['WSAENETDOWN', 10050, 'ENETDOWN'],
  ['WSAENETUNREACH', 10051, 'ENETUNREACH'],
  ['WSAENETRESET', 10052, 'ENETRESET'],
  ['WSAECONNABORTED', 10053, 'ECONNABORTED'],
  ['WSAECONNRESET', 10054, 'ECONNRESET'],
  ['WSAENOBUFS', 10055, 'ENOBUFS'],
  ['WSAEISCONN', 10056, 'EISCONN'],
  ['WSAENOTCONN', 10057, 'ENOTCONN'],
  ['WSAESHUTDOWN', 10058, 'ESHUTDOWN'],
  ['WSAETIMEDOUT', 10060, 'ETIMEDOUT'],
  ['WSAECONNREFUSED', 10061, 'ECONNREFUSED'],
  ['WSAEHOSTDOWN', 10064, 'EHOSTDOWN'],
  ['WSAEHOSTUNREACH', 10065, 'EHOSTUNREACH'],
];

describe('WINSOCK_ERRNO', () => {
  it('maps each WSAE* code to its POSIX name, and nothing else', () => {
    expect({ ...WINSOCK_ERRNO }).toEqual(Object.fromEntries(WSAE.map(([, n, posix]) => [n, posix])));
  });
  it('every name is one the Linux table knows; codes without one show as E<n>', () => {
    const linux = new Set(Object.values(LINUX_ERRNO));
    for (const name of Object.values(WINSOCK_ERRNO)) expect([name, linux.has(name)]).toEqual([name, true]);
    expect(winsockErrno(10093)).toBe('E10093'); // WSANOTINITIALISED
    expect(winsockErrno(10035)).toBe('EAGAIN');
  });
  it('winsockErrno: WSAENOTSOCK is EBADF (every socket handed in was made by the layer)', () => {
    expect(winsockErrno(10038)).toBe('EBADF');
  });
});

describe('Windows TCPSTATE (<mstcpip.h>)', () => {
  it('names 0…10 (an order unlike macOS’s) and shows anything else as CLOSED', () => {
    const names = [
      'CLOSED',
      'LISTEN',
      'SYN_SENT',
      'SYN_RECEIVED',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'FIN_WAIT_2',
      'CLOSE_WAIT',
      'CLOSING',
      'LAST_ACK',
      'TIME_WAIT',
    ];
    names.forEach((n, i) => expect([i, win32TcpState(i)]).toEqual([i, n]));
    expect(win32TcpState(11)).toBe('CLOSED'); // TCPSTATE_MAX
  });
});

describe('Windows layouts', () => {
  it('sockaddr_in: u16 family (little-endian), port big-endian, address at 4', () => {
    const b = encodeSockAddr({ family: 'inet', host: '127.0.0.1', port: 8080 }, 'win32');
    expect([...b.subarray(0, 8)]).toEqual([2, 0, 0x1f, 0x90, 127, 0, 0, 1]);
    expect(decodeSockAddr(b, 'win32')).toEqual({ family: 'inet', host: '127.0.0.1', port: 8080 });
  });
  it('sockaddr_in6: AF_INET6 23, address at 8, 28 bytes', () => {
    const b = encodeSockAddr({ family: 'inet6', host: '::ffff:127.0.0.1', port: 80 }, 'win32');
    expect([b.length, b.readUInt16LE(0), b.readUInt16BE(2), b.readUInt16BE(18), b[20], b[23]]).toEqual([
      28, 23, 80, 0xffff, 127, 1,
    ]);
    expect(decodeSockAddr(b, 'win32')).toEqual({ family: 'inet6', host: '::ffff:127.0.0.1', port: 80 });
    // Linux's AF_INET6 (10) is not Windows's.
    expect(
      decodeSockAddr(encodeSockAddr({ family: 'inet6', host: '::1', port: 1 }, 'linux'), 'win32'),
    ).toBeNull();
  });
  it('WSAPOLLFD on 64-bit: 16 bytes, SOCKET at 0 (8 bytes), events at 8, revents at 10', () => {
    const p = new Win32PollBuffer(3);
    expect([p.mem.length, p.entrySize]).toEqual([48, 16]);
    expect([p.fd(0), p.fd(2)]).toEqual([-1, -1]); // INVALID_SOCKET, ignored by WSAPoll
    expect(p.mem.readBigUInt64LE(0)).toBe(0xffffffffffffffffn);
    p.set(1, 0x1f4, WIN32_CONSTANTS.POLL.POLLIN | WIN32_CONSTANTS.POLL.POLLOUT);
    expect([p.mem.readBigInt64LE(16), p.mem.readUInt16LE(24), p.mem.readUInt16LE(26)]).toEqual([
      0x1f4n,
      0x310,
      0,
    ]);
    p.mem.writeUInt16LE(WIN32_CONSTANTS.POLL.POLLHUP | 0x0100, 26);
    expect([p.fd(1), p.revents(1)]).toEqual([0x1f4, 0x0102]);
  });
  it('WSAPOLLFD on 32-bit: 8 bytes, SOCKET at 0 (4 bytes), events at 4, revents at 6', () => {
    const p = new Win32PollBuffer(2, 4);
    expect([p.mem.length, p.entrySize, p.fd(1)]).toEqual([16, 8, -1]);
    p.set(1, 88, WIN32_CONSTANTS.POLL.POLLIN);
    expect([p.mem.readInt32LE(8), p.mem.readUInt16LE(12)]).toEqual([88, 0x300]);
    p.mem.writeUInt16LE(0x0001, 14);
    expect([p.fd(1), p.revents(1)]).toEqual([88, WIN32_CONSTANTS.POLL.POLLERR]);
  });
  it('set() drops the bits WSAPoll refuses in a request (POLLPRI, result-only bits)', () => {
    const P = WIN32_CONSTANTS.POLL;
    const p = new Win32PollBuffer(1);
    p.set(0, 4, P.POLLIN | P.POLLPRI | P.POLLERR | P.POLLHUP | P.POLLNVAL | P.POLLRDHUP);
    expect(p.mem.readUInt16LE(8)).toBe(P.POLLIN);
  });
  it('struct linger is two u_short (4 bytes); other options are a 4-byte int', () => {
    const l = encodeWin32Opt('SO_LINGER', { onoff: 1, linger: 30 });
    expect([...l]).toEqual([1, 0, 30, 0]);
    expect(decodeWin32Opt('SO_LINGER', l)).toEqual({ onoff: 1, linger: 30 });
    expect([...encodeWin32Opt('SO_LINGER', 1)]).toEqual([1, 0, 0, 0]);
    const nd = encodeWin32Opt('TCP_NODELAY', 1);
    expect([...nd]).toEqual([1, 0, 0, 0]);
    expect(decodeWin32Opt('SO_RCVBUF', Buffer.from([0, 0, 1, 0]))).toBe(65536);
  });
});

/** A TCP_INFO_v0 with a distinct value in each field. */
function handMade(): Buffer {
  const b = Buffer.alloc(88);
  b.writeUInt32LE(4, 0); // TCPSTATE_ESTABLISHED
  b.writeUInt32LE(65495, 4); // Mss
  b.writeBigUInt64LE(1234n, 8); // ConnectionTimeMs
  b[16] = 1; // TimestampsEnabled
  const u32: Array<[number, number]> = [
    [20, 150],
    [24, 90],
    [28, 700],
    [32, 64000],
    [36, 2621440],
    [40, 65536],
    [44, 131072],
    [64, 0],
    [68, 1460],
    [72, 2],
    [76, 5],
    [80, 1],
  ];
  for (const [off, v] of u32) b.writeUInt32LE(v, off);
  b.writeBigUInt64LE(11111111111n, 48); // BytesOut
  b.writeBigUInt64LE(22222222222n, 56); // BytesIn
  b[84] = 3; // SynRetrans
  return b;
}

describe('decodeWin32TcpInfo on hand-made buffers', () => {
  it('maps TCP_INFO_v0 into TcpInfo, the fields Windows lacks as 0', () => {
    expect(decodeWin32TcpInfo(handMade())).toEqual({
      state: 'ESTABLISHED',
      retransmits: 0,
      totalRetrans: 3, // FastRetrans + TimeoutEpisodes
      unacked: 0,
      sacked: 0,
      rttUs: 150,
      sndMss: 65495,
      sndWscale: 0,
      rcvWscale: 0,
      bytesAcked: 0,
      bytesReceived: 22222222222,
      notsentBytes: 0,
      sndWnd: 2621440,
    });
  });
  it('a short answer: what is missing reads 0 / null', () => {
    expect(decodeWin32TcpInfo(handMade().subarray(0, 24))).toMatchObject({
      state: 'ESTABLISHED',
      rttUs: 150,
      sndWnd: null,
      bytesReceived: 0,
    });
    const listen = Buffer.alloc(88);
    listen.writeUInt32LE(1, 0);
    expect(decodeWin32TcpInfo(listen).state).toBe('LISTEN');
  });
});

/** The same numbers and layouts, asserted against mingw-w64's Windows headers at compile time. */
const MINGW_C = `
#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0A00
#define NTDDI_VERSION 0x0A000006
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>
#include <stddef.h>
#define EQ(a, b) _Static_assert((long long)(a) == (long long)(b), #a " is " #b)
${Object.entries({
  AF_INET: 2,
  AF_INET6: 23,
  SOCK_STREAM: 1,
  IPPROTO_TCP: 6,
  SOL_SOCKET: 0xffff,
  SD_RECEIVE: 0,
  SD_SEND: 1,
  SD_BOTH: 2,
})
  .map(([k, v]) => `EQ(${k}, ${v});`)
  .join('\n')}
${Object.entries(WIN32_CONSTANTS.POLL)
  .filter(([k]) => k !== 'POLLRDHUP')
  .map(([k, v]) => `EQ(${k}, ${v});`)
  .join('\n')}
EQ(POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND, ${WIN32_EXTRA.POLL_REQUEST_MASK});
${Object.entries(WIN32_CONSTANTS.OPT)
  .filter(([k]) => k !== 'SO_REUSEPORT')
  .map(([k, v]) => `EQ(${k}, ${v.name});`)
  .join('\n')}
#ifdef SO_REUSEPORT
#error "Windows has SO_REUSEPORT after all"
#endif
EQ((unsigned long)FIONBIO, ${WIN32_EXTRA.FIONBIO}U);
EQ((unsigned long)FIONREAD, ${WIN32_EXTRA.FIONREAD}U);
EQ((unsigned long)_WSAIORW(IOC_VENDOR, 39), ${WIN32_EXTRA.SIO_TCP_INFO}U);
EQ(MSG_PEEK, ${WIN32_EXTRA.MSG_PEEK});
EQ(WSA_FLAG_OVERLAPPED, ${WIN32_EXTRA.WSA_FLAG_OVERLAPPED});
EQ(WSA_FLAG_NO_HANDLE_INHERIT, ${WIN32_EXTRA.WSA_FLAG_NO_HANDLE_INHERIT});
${WSAE.map(([name, n]) => `EQ(${name}, ${n});`).join('\n')}
EQ(TCPSTATE_CLOSED, 0); EQ(TCPSTATE_LISTEN, 1); EQ(TCPSTATE_SYN_SENT, 2); EQ(TCPSTATE_SYN_RCVD, 3);
EQ(TCPSTATE_ESTABLISHED, 4); EQ(TCPSTATE_FIN_WAIT_1, 5); EQ(TCPSTATE_FIN_WAIT_2, 6);
EQ(TCPSTATE_CLOSE_WAIT, 7); EQ(TCPSTATE_CLOSING, 8); EQ(TCPSTATE_LAST_ACK, 9); EQ(TCPSTATE_TIME_WAIT, 10);
EQ(sizeof(TCP_INFO_v0), ${WIN32_EXTRA.TCP_INFO_V0_SIZE});
EQ(offsetof(TCP_INFO_v0, Mss), 4); EQ(offsetof(TCP_INFO_v0, RttUs), 20);
EQ(offsetof(TCP_INFO_v0, SndWnd), 36); EQ(offsetof(TCP_INFO_v0, BytesIn), 56);
EQ(offsetof(TCP_INFO_v0, FastRetrans), 72); EQ(offsetof(TCP_INFO_v0, TimeoutEpisodes), 80);
EQ(sizeof(WSAPOLLFD), 16); EQ(offsetof(WSAPOLLFD, events), 8); EQ(offsetof(WSAPOLLFD, revents), 10);
EQ(sizeof(struct linger), 4); EQ(offsetof(struct linger, l_linger), 2);
EQ(sizeof(struct sockaddr_in), 16); EQ(offsetof(struct sockaddr_in, sin_addr), 4);
EQ(sizeof(struct sockaddr_in6), 28); EQ(offsetof(struct sockaddr_in6, sin6_addr), 8);
EQ(offsetof(struct sockaddr_in6, sin6_scope_id), 24);
EQ(sizeof(WSADATA) <= 512, 1);
`;

describe.skipIf(!mingw)('Windows headers (mingw-w64, compile-time asserts)', () => {
  it('every constant, WSAE* code, TCPSTATE, and the TCP_INFO_v0 / WSAPOLLFD / linger / sockaddr layouts', () => {
    expect(compileOnly(MINGW_C, MINGW)).toBe('');
  });
});
