/** The pcap reader, TCP decoder and writer on bytes built here, byte for byte. */
import { describe, expect, it } from 'vitest';
import {
  LINKTYPE,
  PcapFormatError,
  PcapReader,
  decodeTcp,
  writePcap,
  type PcapPacket,
} from '../../../app/core/capture';

/** A TCP header with options (padded to 4 bytes) and a payload. */
function tcp(o: {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  opts?: number[];
  payload?: number;
}): number[] {
  const opts = [...(o.opts ?? [])];
  while (opts.length % 4) opts.push(0);
  const hlen = 20 + opts.length;
  const h = [
    o.sport >> 8,
    o.sport & 0xff,
    o.dport >> 8,
    o.dport & 0xff,
    (o.seq >>> 24) & 0xff,
    (o.seq >>> 16) & 0xff,
    (o.seq >>> 8) & 0xff,
    o.seq & 0xff,
    (o.ack >>> 24) & 0xff,
    (o.ack >>> 16) & 0xff,
    (o.ack >>> 8) & 0xff,
    o.ack & 0xff,
    (hlen / 4) << 4,
    o.flags,
    o.win >> 8,
    o.win & 0xff,
    0,
    0,
    0,
    0,
    ...opts,
  ];
  return [...h, ...new Array<number>(o.payload ?? 0).fill(0x61)];
}

function ipv4(src: number[], dst: number[], seg: number[]): number[] {
  const total = 20 + seg.length;
  return [0x45, 0, total >> 8, total & 0xff, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst, ...seg];
}

function ipv6(src: number[], dst: number[], seg: number[]): number[] {
  return [0x60, 0, 0, 0, seg.length >> 8, seg.length & 0xff, 6, 64, ...src, ...dst, ...seg];
}

const LO6 = [...new Array<number>(15).fill(0), 1];
const SYN_OPTS = [2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];

/** A pcap file in either byte order and either timestamp precision. */
function pcapFile(
  linkType: number,
  packets: Array<{ sec: number; frac: number; data: number[] }>,
  le: boolean,
  nanos: boolean,
): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) =>
    le
      ? [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]
      : [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const u16 = (v: number) => (le ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  parts.push(
    ...u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4),
    ...u16(2),
    ...u16(4),
    ...u32(0),
    ...u32(0),
    ...u32(65535),
    ...u32(linkType),
  );
  for (const p of packets)
    parts.push(...u32(p.sec), ...u32(p.frac), ...u32(p.data.length), ...u32(p.data.length), ...p.data);
  return Uint8Array.from(parts);
}

const synV4 = ipv4(
  [127, 0, 0, 1],
  [127, 0, 0, 1],
  tcp({ sport: 40000, dport: 5000, seq: 0xfffffff0, ack: 0, flags: 0x02, win: 65495, opts: SYN_OPTS }),
);
const dataV6 = ipv6(
  LO6,
  LO6,
  tcp({
    sport: 5000,
    dport: 40000,
    seq: 1000,
    ack: 0xfffffff1,
    flags: 0x18,
    win: 512,
    opts: [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1],
    payload: 5,
  }),
);
const ETH_V4 = [...new Array<number>(12).fill(0), 0x08, 0x00];
const ETH_V6 = [...new Array<number>(12).fill(0), 0x86, 0xdd];

describe('PcapReader', () => {
  for (const le of [true, false]) {
    for (const nanos of [false, true]) {
      it(`reads a ${le ? 'little' : 'big'}-endian ${nanos ? 'nanosecond' : 'microsecond'} file split at every byte`, () => {
        const file = pcapFile(
          LINKTYPE.EN10MB,
          [
            { sec: 1_700_000_000, frac: nanos ? 123_456_789 : 123_456, data: [...ETH_V4, ...synV4] },
            { sec: 1_700_000_001, frac: nanos ? 999_999_999 : 999_999, data: [...ETH_V6, ...dataV6] },
          ],
          le,
          nanos,
        );
        for (let cut = 0; cut <= file.length; cut++) {
          const r = new PcapReader();
          const got = [...r.push(file.subarray(0, cut)), ...r.push(file.subarray(cut))];
          expect(got).toHaveLength(2);
          expect(r.header).toMatchObject({ littleEndian: le, nanos, linkType: 1, snaplen: 65535 });
          expect(got[0]!.tsUs).toBe(1_700_000_000_123_456);
          expect(got[1]!.tsUs).toBe(1_700_000_001_999_999);
          expect(Array.from(got[1]!.data)).toEqual([...ETH_V6, ...dataV6]);
          expect(r.buffered).toBe(0);
        }
        // One byte at a time.
        const r = new PcapReader();
        let n = 0;
        for (let i = 0; i < file.length; i++) n += r.push(file.subarray(i, i + 1)).length;
        expect(n).toBe(2);
      });
    }
  }

  it('rejects pcapng and other streams with a clear error', () => {
    expect(() =>
      new PcapReader().push(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...new Array<number>(20).fill(0)])),
    ).toThrow(/pcapng/);
    expect(() => new PcapReader().push(new Uint8Array(24))).toThrow(PcapFormatError);
  });
});

describe('decodeTcp', () => {
  it('decodes an IPv4 SYN: endpoints, flags, seq, no ack, window, options, wscale', () => {
    expect(decodeTcp(LINKTYPE.EN10MB, Uint8Array.from([...ETH_V4, ...synV4]))).toEqual({
      family: 4,
      src: { host: '127.0.0.1', port: 40000 },
      dst: { host: '127.0.0.1', port: 5000 },
      flags: ['SYN'],
      seqNo: 0xfffffff0,
      ackNo: null,
      win: 65495,
      wscale: 7,
      len: 0,
      options: ['MSS=65495', 'SACK_PERM', 'TS val=1 ecr=0', 'NOP', 'WS=7'],
    });
  });

  it('decodes IPv6 data with PSH and the payload length from the IP header, even cut short', () => {
    const frame = Uint8Array.from([...ETH_V6, ...dataV6]);
    const full = decodeTcp(LINKTYPE.EN10MB, frame);
    expect(full).toMatchObject({
      family: 6,
      src: { host: '::1', port: 5000 },
      dst: { host: '::1', port: 40000 },
      flags: ['ACK', 'PSH'],
      seqNo: 1000,
      ackNo: 0xfffffff1,
      win: 512,
      wscale: null,
      len: 5,
      options: ['NOP', 'NOP', 'TS val=2 ecr=1'],
    });
    // Snap length cut into the payload: the length still comes from the IP header.
    expect(decodeTcp(LINKTYPE.EN10MB, frame.subarray(0, frame.length - 4))?.len).toBe(5);
    // Cut inside the TCP header: not decodable.
    expect(decodeTcp(LINKTYPE.EN10MB, frame.subarray(0, 14 + 40 + 10))).toBeNull();
  });

  it('finds the IP header behind every supported link layer', () => {
    const nullLe = [2, 0, 0, 0]; // AF_INET, little-endian (macOS lo0)
    const null6 = [30, 0, 0, 0]; // AF_INET6 on macOS
    const loop = [0, 0, 0, 2];
    const sll = [0, 0, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
    const sll2 = [0x86, 0xdd, 0, 0, 0, 0, 0, 1, 3, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const vlan = [...new Array<number>(12).fill(0), 0x81, 0x00, 0, 5, 0x08, 0x00];
    const cases: Array<[number, number[], number]> = [
      [LINKTYPE.NULL, [...nullLe, ...synV4], 4],
      [LINKTYPE.NULL, [...null6, ...dataV6], 6],
      [LINKTYPE.LOOP, [...loop, ...synV4], 4],
      [LINKTYPE.RAW, synV4, 4],
      [LINKTYPE.RAW, dataV6, 6],
      [LINKTYPE.LINUX_SLL, [...sll, ...synV4], 4],
      [LINKTYPE.LINUX_SLL2, [...sll2, ...dataV6], 6],
      [LINKTYPE.EN10MB, [...vlan, ...synV4], 4],
    ];
    for (const [lt, bytes, family] of cases) {
      const seg = decodeTcp(lt, Uint8Array.from(bytes));
      expect(seg?.family, `link type ${lt}`).toBe(family);
      expect(seg?.dst.port === 5000 || seg?.dst.port === 40000).toBe(true);
    }
    expect(decodeTcp(999, Uint8Array.from(synV4))).toBeNull();
  });

  it('skips non-TCP and non-first fragments', () => {
    const udp = [...synV4];
    udp[9] = 17;
    expect(decodeTcp(LINKTYPE.RAW, Uint8Array.from(udp))).toBeNull();
    const frag = [...synV4];
    frag[7] = 8; // fragment offset 8
    expect(decodeTcp(LINKTYPE.RAW, Uint8Array.from(frag))).toBeNull();
  });
});

describe('writePcap', () => {
  it('writes packets that read back byte for byte with their timestamps', () => {
    const packets: PcapPacket[] = [
      { tsUs: 1_700_000_000_000_001, origLen: 300, data: Uint8Array.from([...ETH_V4, ...synV4]) },
      {
        tsUs: 1_700_000_000_500_000,
        origLen: 14 + dataV6.length,
        data: Uint8Array.from([...ETH_V6, ...dataV6]),
      },
    ];
    const file = writePcap(packets, LINKTYPE.EN10MB, 256);
    const r = new PcapReader();
    const back = r.push(file);
    expect(r.header).toEqual({
      littleEndian: true,
      nanos: false,
      versionMajor: 2,
      versionMinor: 4,
      snaplen: 256,
      linkType: 1,
    });
    expect(back).toEqual(packets);
  });
});
