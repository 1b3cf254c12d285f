/**
 * macOS, which cannot run here: every constant against the header value written below (with
 * its header), DARWIN_ERRNO, the TCPS_* names, the BSD sockaddr layout, struct pollfd, and
 * the tcp_connection_info decoder on hand-made buffers. Offsets of a transcription of xnu's
 * struct tcp_connection_info are also checked with gcc where it is installed (same LP64
 * alignment rules as macOS on x86_64 and arm64). None of this has run on a Mac.
 */
import { describe, expect, it } from 'vitest';
import { decodeDarwinTcpInfo, DARWIN_CONSTANTS, DARWIN_EXTRA } from '../../../app/core/sys/darwin';
import { DARWIN_ERRNO, LINUX_ERRNO } from '../../../app/core/sys/errno';
import { PosixPollBuffer } from '../../../app/core/sys/linux';
import { decodeSockAddr, encodeSockAddr } from '../../../app/core/sys/sockaddr';
import { darwinTcpState } from '../../../app/core/sys/tcp-states';
import { compileAndRun, hasCompiler } from './cc';

describe('macOS constants (from the headers)', () => {
  it('<sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>, <sys/fcntl.h>', () => {
    const C = DARWIN_CONSTANTS;
    expect({
      AF_INET: C.AF_INET, // <sys/socket.h>
      AF_INET6: C.AF_INET6, // <sys/socket.h>: 30 (Linux 10, Windows 23)
      SOCK_STREAM: C.SOCK_STREAM,
      SOL_SOCKET: C.SOL_SOCKET,
      SHUT_RD: C.SHUT_RD,
      SHUT_WR: C.SHUT_WR,
      SHUT_RDWR: C.SHUT_RDWR,
      IPPROTO_TCP: C.IPPROTO_TCP, // <netinet/in.h>
      F_GETFL: C.F_GETFL, // <sys/fcntl.h>
      F_SETFL: C.F_SETFL,
      O_NONBLOCK: C.O_NONBLOCK,
      SOCKADDR_IN_SIZE: C.SOCKADDR_IN_SIZE,
      SOCKADDR_IN6_SIZE: C.SOCKADDR_IN6_SIZE,
    }).toEqual({
      AF_INET: 2,
      AF_INET6: 30,
      SOCK_STREAM: 1,
      SOL_SOCKET: 0xffff,
      SHUT_RD: 0,
      SHUT_WR: 1,
      SHUT_RDWR: 2,
      IPPROTO_TCP: 6,
      F_GETFL: 3,
      F_SETFL: 4,
      O_NONBLOCK: 0x0004,
      SOCKADDR_IN_SIZE: 16,
      SOCKADDR_IN6_SIZE: 28,
    });
  });

  it('<poll.h>: the BSD bits, no POLLRDHUP', () => {
    expect(DARWIN_CONSTANTS.POLL).toEqual({
      POLLIN: 0x0001,
      POLLPRI: 0x0002,
      POLLOUT: 0x0004,
      POLLERR: 0x0008,
      POLLHUP: 0x0010,
      POLLNVAL: 0x0020,
      POLLRDHUP: 0,
    });
  });

  it('socket options: <sys/socket.h> SO_* at SOL_SOCKET, <netinet/tcp.h> TCP_NODELAY', () => {
    const so = (name: number): { level: number; name: number } => ({ level: 0xffff, name });
    expect(DARWIN_CONSTANTS.OPT).toEqual({
      SO_REUSEADDR: so(0x0004),
      SO_KEEPALIVE: so(0x0008),
      SO_LINGER: so(0x0080),
      SO_REUSEPORT: so(0x0200),
      SO_SNDBUF: so(0x1001),
      SO_RCVBUF: so(0x1002),
      SO_ERROR: so(0x1007),
      SO_TYPE: so(0x1008),
      TCP_NODELAY: { level: 6, name: 0x01 },
    });
  });

  it('the numbers only macOS needs', () => {
    expect(DARWIN_EXTRA).toEqual({
      F_SETFD: 2, // <sys/fcntl.h>
      FD_CLOEXEC: 1, // <sys/fcntl.h>
      SO_NOSIGPIPE: 0x1022, // <sys/socket.h>
      SO_NWRITE: 0x1024, // <sys/socket.h>
      SO_LINGER_SEC: 0x1080, // <sys/socket.h>
      MSG_PEEK: 0x2, // <sys/socket.h>
      FIONREAD: 0x4004667f, // <sys/filio.h>: _IOR('f', 127, int)
      TCP_CONNECTION_INFO: 0x106, // <netinet/tcp.h>
      TCP_CONNECTION_INFO_SIZE: 112,
    });
    // _IOR(g, n, t) = IOC_OUT | (sizeof(t) & IOCPARM_MASK) << 16 | g << 8 | n (<sys/ioccom.h>).
    const IOC_OUT = 0x40000000;
    expect((IOC_OUT | (4 << 16) | ('f'.charCodeAt(0) << 8) | 127) >>> 0).toBe(DARWIN_EXTRA.FIONREAD);
  });
});

describe('DARWIN_ERRNO (<sys/errno.h>)', () => {
  const HEADER: Record<number, string> = {
    1: 'EPERM',
    2: 'ENOENT',
    3: 'ESRCH',
    4: 'EINTR',
    5: 'EIO',
    6: 'ENXIO',
    7: 'E2BIG',
    9: 'EBADF',
    12: 'ENOMEM',
    13: 'EACCES',
    14: 'EFAULT',
    16: 'EBUSY',
    17: 'EEXIST',
    22: 'EINVAL',
    23: 'ENFILE',
    24: 'EMFILE',
    25: 'ENOTTY',
    28: 'ENOSPC',
    32: 'EPIPE',
    35: 'EAGAIN',
    36: 'EINPROGRESS',
    37: 'EALREADY',
    38: 'ENOTSOCK',
    39: 'EDESTADDRREQ',
    40: 'EMSGSIZE',
    41: 'EPROTOTYPE',
    42: 'ENOPROTOOPT',
    43: 'EPROTONOSUPPORT',
    44: 'ESOCKTNOSUPPORT',
    45: 'ENOTSUP',
    46: 'EPFNOSUPPORT',
    47: 'EAFNOSUPPORT',
    48: 'EADDRINUSE',
    49: 'EADDRNOTAVAIL',
    50: 'ENETDOWN',
    51: 'ENETUNREACH',
    52: 'ENETRESET',
    53: 'ECONNABORTED',
    54: 'ECONNRESET',
    55: 'ENOBUFS',
    56: 'EISCONN',
    57: 'ENOTCONN',
    58: 'ESHUTDOWN',
    60: 'ETIMEDOUT',
    61: 'ECONNREFUSED',
    64: 'EHOSTDOWN',
    65: 'EHOSTUNREACH',
    78: 'ENOSYS',
    102: 'EOPNOTSUPP',
  };
  it('is the header’s numbering', () => {
    expect({ ...DARWIN_ERRNO }).toEqual(HEADER);
  });
  it('names every errno the Linux table names (plus ENOTSUP, apart from EOPNOTSUPP), each once', () => {
    const names = Object.values(DARWIN_ERRNO);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set([...Object.values(LINUX_ERRNO), 'ENOTSUP']));
  });
});

describe('macOS TCP states (<netinet/tcp_fsm.h> TCPS_*)', () => {
  it('names 0…10 and shows anything else as CLOSED', () => {
    const names = [
      'CLOSED',
      'LISTEN',
      'SYN_SENT',
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'FIN_WAIT_1',
      'CLOSING',
      'LAST_ACK',
      'FIN_WAIT_2',
      'TIME_WAIT',
    ];
    names.forEach((n, i) => expect([i, darwinTcpState(i)]).toEqual([i, n]));
    expect(darwinTcpState(11)).toBe('CLOSED');
  });
});

describe('macOS sockaddr and pollfd layouts', () => {
  it('sockaddr_in: u8 sin_len 16, u8 sin_family 2, port big-endian, address at 4', () => {
    const b = encodeSockAddr({ family: 'inet', host: '127.0.0.1', port: 8080 }, 'darwin');
    expect([...b]).toEqual([16, 2, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeSockAddr(b, 'darwin')).toEqual({ family: 'inet', host: '127.0.0.1', port: 8080 });
  });
  it('sockaddr_in6: sin6_len 28, AF_INET6 30, flowinfo at 4, address at 8, scope id at 24', () => {
    const b = encodeSockAddr({ family: 'inet6', host: '::1', port: 443 }, 'darwin');
    expect(b.length).toBe(28);
    expect([b[0], b[1], b.readUInt16BE(2), b.readUInt32LE(4), b[23], b.readUInt32LE(24)]).toEqual([
      28, 30, 443, 0, 1, 0,
    ]);
    expect(decodeSockAddr(b, 'darwin')).toEqual({ family: 'inet6', host: '::1', port: 443 });
  });
  it('a Linux-layout buffer is not read as a macOS one', () => {
    const linux = encodeSockAddr({ family: 'inet', host: '127.0.0.1', port: 1 }, 'linux');
    expect(decodeSockAddr(linux, 'darwin')).toBeNull();
    expect(decodeSockAddr(Buffer.alloc(3), 'darwin')).toBeNull();
  });
  it('struct pollfd is POSIX’s: int fd; short events; short revents (8 bytes)', () => {
    const p = new PosixPollBuffer(2);
    p.set(1, 7, DARWIN_CONSTANTS.POLL.POLLIN | DARWIN_CONSTANTS.POLL.POLLOUT);
    expect(p.mem.length).toBe(16);
    expect([p.mem.readInt32LE(0), p.mem.readInt32LE(8), p.mem.readInt16LE(12)]).toEqual([-1, 7, 5]);
    p.mem.writeInt16LE(DARWIN_CONSTANTS.POLL.POLLHUP, 14);
    expect([p.fd(1), p.revents(1)]).toEqual([7, 0x10]);
  });
});

/** A tcp_connection_info with a distinct value in each field. */
function handMade(): Buffer {
  const b = Buffer.alloc(112);
  b[0] = 4; // TCPS_ESTABLISHED
  b[1] = 6; // snd_wscale
  b[2] = 8; // rcv_wscale
  const u32: Array<[number, number]> = [
    [4, 0x7],
    [8, 0],
    [12, 201],
    [16, 16344],
    [20, 1 << 30],
    [24, 40000],
    [28, 146988],
    [32, 512],
    [36, 408300],
    [40, 3],
    [44, 2],
    [48, 1],
    [52, 0],
  ];
  for (const [off, v] of u32) b.writeUInt32LE(v, off);
  const u64: Array<[number, bigint]> = [
    [56, 10n],
    [64, 12345678901n],
    [72, 0n],
    [80, 9n],
    [88, 9876543210n],
    [96, 0n],
    [104, 4n],
  ];
  for (const [off, v] of u64) b.writeBigUInt64LE(v, off);
  return b;
}

describe('decodeDarwinTcpInfo on hand-made buffers', () => {
  it('maps struct tcp_connection_info into TcpInfo, the fields macOS lacks as 0', () => {
    expect(decodeDarwinTcpInfo(handMade())).toEqual({
      state: 'ESTABLISHED',
      retransmits: 0,
      totalRetrans: 4, // tcpi_txretransmitpackets
      unacked: 0,
      sacked: 0,
      rttUs: 2000, // tcpi_srtt, ms
      sndMss: 16344, // tcpi_maxseg
      sndWscale: 6,
      rcvWscale: 8,
      bytesAcked: 0,
      bytesReceived: 9876543210, // tcpi_rxbytes
      notsentBytes: 0,
      sndWnd: 146988,
    });
  });
  it('a short answer: what is missing reads 0 / null', () => {
    const info = decodeDarwinTcpInfo(handMade().subarray(0, 20));
    expect(info).toMatchObject({
      state: 'ESTABLISHED',
      sndMss: 16344,
      rttUs: 0,
      sndWnd: null,
      bytesReceived: 0,
    });
    expect(decodeDarwinTcpInfo(Buffer.alloc(0)).state).toBe('CLOSED');
  });
});

/** xnu bsd/netinet/tcp.h's struct tcp_connection_info, transcribed (u_int*_t as <stdint.h>). */
const TRANSCRIPTION_C = `
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
struct tcp_connection_info {
  uint8_t tcpi_state; uint8_t tcpi_snd_wscale; uint8_t tcpi_rcv_wscale; uint8_t __pad1;
  uint32_t tcpi_options; uint32_t tcpi_flags; uint32_t tcpi_rto; uint32_t tcpi_maxseg;
  uint32_t tcpi_snd_ssthresh; uint32_t tcpi_snd_cwnd; uint32_t tcpi_snd_wnd;
  uint32_t tcpi_snd_sbbytes; uint32_t tcpi_rcv_wnd; uint32_t tcpi_rttcur; uint32_t tcpi_srtt;
  uint32_t tcpi_rttvar;
  uint32_t tcpi_tfo_cookie_req:1, tcpi_tfo_cookie_rcv:1, tcpi_tfo_syn_loss:1,
    tcpi_tfo_syn_data_sent:1, tcpi_tfo_syn_data_acked:1, tcpi_tfo_syn_data_rcv:1,
    tcpi_tfo_cookie_req_rcv:1, tcpi_tfo_cookie_sent:1, tcpi_tfo_cookie_invalid:1,
    tcpi_tfo_cookie_wrong:1, tcpi_tfo_no_cookie_rcv:1, tcpi_tfo_heuristics_disable:1,
    tcpi_tfo_send_blackhole:1, tcpi_tfo_recv_blackhole:1, tcpi_tfo_onebyte_proxy:1, __pad2:17;
  uint64_t tcpi_txpackets __attribute__((aligned(8)));
  uint64_t tcpi_txbytes __attribute__((aligned(8)));
  uint64_t tcpi_txretransmitbytes __attribute__((aligned(8)));
  uint64_t tcpi_rxpackets __attribute__((aligned(8)));
  uint64_t tcpi_rxbytes __attribute__((aligned(8)));
  uint64_t tcpi_rxoutoforderbytes __attribute__((aligned(8)));
  uint64_t tcpi_txretransmitpackets __attribute__((aligned(8)));
};
#define O(f) printf("%s %zu\\n", #f, offsetof(struct tcp_connection_info, f))
int main(void) {
  O(tcpi_snd_wscale); O(tcpi_rcv_wscale); O(tcpi_maxseg); O(tcpi_snd_wnd); O(tcpi_srtt);
  O(tcpi_rxbytes); O(tcpi_txretransmitpackets);
  printf("size %zu\\n", sizeof(struct tcp_connection_info));
  return 0;
}
`;

describe.skipIf(!hasCompiler('gcc'))(
  'tcp_connection_info offsets (gcc, on a transcription of the header)',
  () => {
    it('puts the fields the decoder reads where it reads them', () => {
      const out = compileAndRun(TRANSCRIPTION_C)!;
      const v = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])]),
      );
      expect(v).toEqual({
        tcpi_snd_wscale: 1,
        tcpi_rcv_wscale: 2,
        tcpi_maxseg: 16,
        tcpi_snd_wnd: 28,
        tcpi_srtt: 44,
        tcpi_rxbytes: 88,
        tcpi_txretransmitpackets: 104,
        size: DARWIN_EXTRA.TCP_CONNECTION_INFO_SIZE,
      });
    });
  },
);
