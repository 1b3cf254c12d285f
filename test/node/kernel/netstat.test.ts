/** The netstat parsers (macOS and Windows) on recorded outputs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMacNetstat, parseWindowsNetstat } from '../../../app/core/kernel';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/kernel/${name}`, import.meta.url)), 'utf8');

describe('parseMacNetstat (netstat -anv -p tcp)', () => {
  const rows = parseMacNetstat(fixture('netstat-macos-anv.txt'));

  it('reads every tcp4, tcp6 and tcp46 row with its state', () => {
    expect(rows.map((r) => r.state)).toEqual([
      'ESTABLISHED',
      'ESTABLISHED',
      'LISTEN',
      'FIN_WAIT_2',
      'CLOSE_WAIT',
      'TIME_WAIT',
      'LISTEN',
      'ESTABLISHED',
      'ESTABLISHED',
      'LISTEN',
      'SYN_SENT',
      'LAST_ACK',
      'SYN_RECEIVED',
    ]);
  });

  it('reads Recv-Q and Send-Q as the queues, addresses and ports after the last dot', () => {
    expect(rows[1]).toEqual({
      local: { host: '127.0.0.1', port: 8080 },
      remote: { host: '127.0.0.1', port: 52344 },
      state: 'ESTABLISHED',
      recvQ: 11,
      sendQ: 0,
      timerMs: null,
      inode: 0,
    });
    expect(rows[7]).toMatchObject({
      local: { host: '::1', port: 61022 },
      remote: { host: '::1', port: 9090 },
      sendQ: 5,
    });
    expect(rows[4]).toMatchObject({ state: 'CLOSE_WAIT', recvQ: 1 });
  });

  it('reads *.* and *.port as the wildcard of the family, and drops zones', () => {
    expect(rows[2]).toMatchObject({
      local: { host: '127.0.0.1', port: 8080 },
      remote: { host: '0.0.0.0', port: 0 },
    });
    expect(rows[6]).toMatchObject({ local: { host: '::1', port: 9090 }, remote: { host: '::', port: 0 } });
    expect(rows[9]).toMatchObject({ local: { host: '::', port: 5000 }, remote: { host: '::', port: 0 } });
    expect(rows[10]).toMatchObject({
      local: { host: 'fe80::1', port: 49152 },
      remote: { host: 'fe80::1', port: 5000 },
    });
  });

  it('skips headers, UDP and unknown lines', () => {
    expect(parseMacNetstat('Active Internet connections\nudp4 0 0 *.5353 *.*\ntcp4 0 0 a b WEIRD\n')).toEqual(
      [],
    );
  });
});

describe('parseWindowsNetstat (netstat -ano -p TCP / TCPv6)', () => {
  it('reads IPv4 rows, LISTENING as LISTEN, no queues', () => {
    const rows = parseWindowsNetstat(fixture('netstat-windows-ano-tcp.txt'));
    expect(rows).toHaveLength(10);
    expect(rows[2]).toEqual({
      local: { host: '127.0.0.1', port: 8080 },
      remote: { host: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      sendQ: 0,
      recvQ: 0,
      timerMs: null,
      inode: 0,
    });
    expect(rows.slice(3, 9).map((r) => r.state)).toEqual([
      'ESTABLISHED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'FIN_WAIT_2',
      'TIME_WAIT',
      'SYN_SENT',
    ]);
    expect(rows[7]).toMatchObject({ local: { port: 52349 }, remote: { host: '127.0.0.1', port: 8080 } });
  });

  it('reads bracketed IPv6 rows with zones (CRLF line ends)', () => {
    const rows = parseWindowsNetstat(fixture('netstat-windows-ano-tcpv6.txt'));
    expect(rows.map((r) => [r.local.host, r.local.port, r.remote.host, r.remote.port, r.state])).toEqual([
      ['::', 135, '::', 0, 'LISTEN'],
      ['::1', 9090, '::', 0, 'LISTEN'],
      ['::1', 9090, '::1', 61022, 'ESTABLISHED'],
      ['::1', 61022, '::1', 9090, 'ESTABLISHED'],
      ['::1', 61030, '::1', 9090, 'TIME_WAIT'],
      ['fe80::1c2d:3e4f:5a6b:7c8d', 49700, 'fe80::aa:bbff:fecc:ddee', 445, 'ESTABLISHED'],
    ]);
  });

  it('skips UDP rows (which have no state) and localized states', () => {
    expect(
      parseWindowsNetstat(
        '  UDP    0.0.0.0:5353           *:*                                    1234\r\n  TCP    127.0.0.1:1  127.0.0.1:2  HERGESTELLT  4\r\n',
      ),
    ).toEqual([]);
  });
});
