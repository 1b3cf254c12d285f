/**
 * Linux's constants, errno names and struct tcp_info layout cross-checked against this
 * machine: koffi.os.errno for every errno name, and a tiny C program (gcc) printing the
 * headers' constants and a struct tcp_info filled field by field. Skipped, saying so, where
 * gcc is missing or the machine is not Linux.
 */
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { errnoName, LINUX_ERRNO } from '../../../app/core/sys/errno';
import { decodeLinuxTcpInfo, LINUX_CONSTANTS } from '../../../app/core/sys/linux';
import { hasCompiler, compileAndRun } from './cc';

const linux = process.platform === 'linux';
const gcc = linux && hasCompiler('gcc');
if (linux && !gcc) console.warn('gcc is not installed: the Linux header cross-checks are skipped');

describe.skipIf(!linux)('LINUX_ERRNO against koffi.os.errno', () => {
  it('every name in the table has koffi’s number for it', () => {
    const os = koffi.os.errno as Record<string, number>;
    for (const [n, name] of Object.entries(LINUX_ERRNO)) expect([name, os[name]]).toEqual([name, Number(n)]);
  });
  it('names each number once; a number without a name shows as E<n>', () => {
    const names = Object.values(LINUX_ERRNO);
    expect(new Set(names).size).toBe(names.length);
    expect(errnoName(LINUX_ERRNO, 11)).toBe('EAGAIN');
    expect(errnoName(LINUX_ERRNO, 9999)).toBe('E9999');
  });
});

const CONSTANTS_C = `
#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#define P(name) printf("%s %ld\\n", #name, (long)(name))
int main(void) {
  P(AF_INET); P(AF_INET6); P(SOCK_STREAM); P(IPPROTO_TCP); P(SOL_SOCKET);
  P(SHUT_RD); P(SHUT_WR); P(SHUT_RDWR); P(F_GETFL); P(F_SETFL); P(O_NONBLOCK);
  P(POLLIN); P(POLLPRI); P(POLLOUT); P(POLLERR); P(POLLHUP); P(POLLNVAL); P(POLLRDHUP);
  P(SO_REUSEADDR); P(SO_REUSEPORT); P(SO_LINGER); P(SO_RCVBUF); P(SO_SNDBUF); P(SO_ERROR);
  P(SO_KEEPALIVE); P(SO_TYPE); P(TCP_NODELAY);
  P(sizeof(struct sockaddr_in)); P(sizeof(struct sockaddr_in6));
  P(offsetof(struct sockaddr_in, sin_port)); P(offsetof(struct sockaddr_in, sin_addr));
  P(offsetof(struct sockaddr_in6, sin6_addr)); P(offsetof(struct sockaddr_in6, sin6_scope_id));
  P(sizeof(struct pollfd)); P(offsetof(struct pollfd, events)); P(offsetof(struct pollfd, revents));
  P(sizeof(struct linger));
  return 0;
}
`;

/** A struct tcp_info with a distinct value in each field the decoder reads, as hex bytes. */
const TCP_INFO_C = `
#include <stdio.h>
#include <string.h>
#include <linux/tcp.h>
int main(void) {
  struct tcp_info t;
  memset(&t, 0, sizeof t);
  t.tcpi_state = 10; t.tcpi_retransmits = 3; t.tcpi_snd_wscale = 7; t.tcpi_rcv_wscale = 9;
  t.tcpi_snd_mss = 1004; t.tcpi_unacked = 1001; t.tcpi_sacked = 1002; t.tcpi_rtt = 1003;
  t.tcpi_total_retrans = 1005; t.tcpi_bytes_acked = 10000000001ULL;
  t.tcpi_bytes_received = 10000000002ULL; t.tcpi_notsent_bytes = 1006; t.tcpi_snd_wnd = 1007;
  const unsigned char *b = (const unsigned char *)&t;
  for (size_t i = 0; i < sizeof t; i++) printf("%02x", b[i]);
  printf("\\n");
  return 0;
}
`;

describe.skipIf(!gcc)('Linux headers (gcc on this machine)', () => {
  it('LINUX_CONSTANTS are the headers’ values, sockaddr/pollfd/linger layouts as used', () => {
    const out = compileAndRun(CONSTANTS_C)!;
    // One "NAME VALUE" a line; the name may hold spaces (sizeof(struct …)).
    const v: Record<string, number> = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
    );
    const C = LINUX_CONSTANTS;
    for (const k of ['AF_INET', 'AF_INET6', 'SOCK_STREAM', 'IPPROTO_TCP', 'SOL_SOCKET'] as const) {
      expect([k, C[k]]).toEqual([k, v[k]]);
    }
    for (const k of ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR', 'F_GETFL', 'F_SETFL', 'O_NONBLOCK'] as const) {
      expect([k, C[k]]).toEqual([k, v[k]]);
    }
    for (const [k, n] of Object.entries(C.POLL)) expect([k, n]).toEqual([k, v[k]]);
    for (const [k, o] of Object.entries(C.OPT)) {
      expect([k, o.name]).toEqual([k, v[k]]);
      expect([k, o.level]).toEqual([k, k.startsWith('TCP_') ? v.IPPROTO_TCP : v.SOL_SOCKET]);
    }
    // sockaddr.ts: port at 2, IPv4 address at 4, IPv6 address at 8, scope id at 24;
    // PosixPollBuffer: 8 bytes, events at 4, revents at 6; encodeOpt's linger is 8 bytes.
    expect({
      in: v['sizeof(struct sockaddr_in)'],
      in6: v['sizeof(struct sockaddr_in6)'],
      port: v['offsetof(struct sockaddr_in, sin_port)'],
      addr: v['offsetof(struct sockaddr_in, sin_addr)'],
      addr6: v['offsetof(struct sockaddr_in6, sin6_addr)'],
      scope: v['offsetof(struct sockaddr_in6, sin6_scope_id)'],
      pollfd: v['sizeof(struct pollfd)'],
      events: v['offsetof(struct pollfd, events)'],
      revents: v['offsetof(struct pollfd, revents)'],
      linger: v['sizeof(struct linger)'],
    }).toEqual({
      in: C.SOCKADDR_IN_SIZE,
      in6: C.SOCKADDR_IN6_SIZE,
      port: 2,
      addr: 4,
      addr6: 8,
      scope: 24,
      pollfd: 8,
      events: 4,
      revents: 6,
      linger: 8,
    });
  });

  it('decodeLinuxTcpInfo reads each field where <linux/tcp.h> puts it', () => {
    const hex = compileAndRun(TCP_INFO_C)!.trim();
    const info = decodeLinuxTcpInfo(Buffer.from(hex, 'hex'));
    expect(info).toEqual({
      state: 'LISTEN',
      retransmits: 3,
      totalRetrans: 1005,
      unacked: 1001,
      sacked: 1002,
      rttUs: 1003,
      sndMss: 1004,
      sndWscale: 7,
      rcvWscale: 9,
      bytesAcked: 10000000001,
      bytesReceived: 10000000002,
      notsentBytes: 1006,
      sndWnd: 1007,
    });
  });
});
