/** Address text and sockaddr bytes (sockaddr.ts): IPv4, IPv6 with :: and IPv4 tails, invalid input. */
import { describe, expect, it } from 'vitest';
import {
  decodeSockAddr,
  encodeSockAddr,
  formatIPv6,
  parseIPv4,
  parseIPv6,
} from '../../../app/core/sys/sockaddr';

const hex = (s: string): string => parseIPv6(s).toString('hex');

describe('parseIPv4', () => {
  it('reads a dotted quad', () => {
    expect([...parseIPv4('127.0.0.1')]).toEqual([127, 0, 0, 1]);
    expect([...parseIPv4('255.255.255.0')]).toEqual([255, 255, 255, 0]);
  });
  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', 'localhost', '', ' 127.0.0.1', '1.2.3.-4', '1234.1.1.1'])(
    'throws on %j',
    (s) => {
      expect(() => parseIPv4(s)).toThrow(/not an IPv4 address/);
    },
  );
});

describe('parseIPv6', () => {
  it('reads ::1, ::, a full address, and :: in the middle', () => {
    expect(hex('::1')).toBe(`${'0'.repeat(30)}01`);
    expect(hex('::')).toBe('0'.repeat(32));
    expect(hex('2001:db8:0:0:1:0:0:1')).toBe('20010db8000000000001000000000001');
    expect(hex('fe80::1:2')).toBe('fe800000000000000000000000010002');
    expect(hex('FE80::A')).toBe('fe80000000000000000000000000000a');
  });
  it('reads an IPv4 tail as the last two groups (::ffff:127.0.0.1)', () => {
    expect(hex('::ffff:127.0.0.1')).toBe('00000000000000000000ffff7f000001');
    expect(hex('64:ff9b::192.0.2.33')).toBe('0064ff9b0000000000000000c0000221');
  });
  it.each([
    ':::',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '::ffff:256.0.0.1',
    '127.0.0.1',
    '',
  ])('throws on %j', (s) => {
    expect(() => parseIPv6(s)).toThrow(/not an IP/);
  });
});

describe('formatIPv6 (RFC 5952)', () => {
  const fmt = (s: string): string => formatIPv6(parseIPv6(s));
  it('compresses the longest zero run, the first of equal ones, never a lone zero', () => {
    expect(fmt('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(fmt('0:0:0:0:0:0:0:0')).toBe('::');
    expect(fmt('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(fmt('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(fmt('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(fmt('FE80:0:0:0:0:0:0:0')).toBe('fe80::');
  });
  it('writes IPv4-mapped addresses with a dotted tail, as inet_ntop does', () => {
    expect(fmt('::ffff:7f00:1')).toBe('::ffff:127.0.0.1');
    expect(fmt('::ffff:127.0.0.1')).toBe('::ffff:127.0.0.1');
  });
});

describe('encodeSockAddr / decodeSockAddr (Linux layout)', () => {
  it('sockaddr_in: u16 AF_INET 2, port big-endian, address at 4, 16 bytes', () => {
    const b = encodeSockAddr({ family: 'inet', host: '127.0.0.1', port: 5000 }, 'linux');
    expect([...b]).toEqual([2, 0, 0x13, 0x88, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeSockAddr(b, 'linux')).toEqual({ family: 'inet', host: '127.0.0.1', port: 5000 });
  });
  it('sockaddr_in6: AF_INET6 10, address at 8, 28 bytes; round trips', () => {
    for (const host of ['::1', '::ffff:127.0.0.1', 'fe80::1']) {
      const b = encodeSockAddr({ family: 'inet6', host, port: 65535 }, 'linux');
      expect([b.length, b.readUInt16LE(0), b.readUInt16BE(2)]).toEqual([28, 10, 65535]);
      expect(decodeSockAddr(b, 'linux')).toEqual({ family: 'inet6', host, port: 65535 });
    }
  });
  it('an unknown family or a short buffer decodes to null; a bad host throws on encode', () => {
    const unix = Buffer.alloc(16);
    unix.writeUInt16LE(1, 0); // AF_UNIX
    expect(decodeSockAddr(unix, 'linux')).toBeNull();
    expect(decodeSockAddr(Buffer.alloc(2), 'linux')).toBeNull();
    const short6 = encodeSockAddr({ family: 'inet6', host: '::1', port: 1 }, 'linux').subarray(0, 20);
    expect(decodeSockAddr(short6, 'linux')).toBeNull();
    expect(() => encodeSockAddr({ family: 'inet', host: '::1', port: 1 }, 'linux')).toThrow();
    expect(() => encodeSockAddr({ family: 'inet6', host: 'x', port: 1 }, 'win32')).toThrow();
  });
});
