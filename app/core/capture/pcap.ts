/**
 * The classic pcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html):
 * a streaming reader (bytes may arrive split anywhere, as from a pipe), a decoder from a
 * link-layer frame down to its TCP segment, and a writer for exports that `tcpdump -r` and
 * Wireshark open. Pure: no I/O.
 */
import type { Endpoint, TcpFlag } from '../../contract/schema';
import { formatIPv6 } from '../kernel/address';

/** Link-layer header types the decoder understands (LINKTYPE_* values as stored in files). */
export const LINKTYPE = {
  /** BSD loopback (macOS lo0): 4-byte address family in the capturing host's byte order. */
  NULL: 0,
  /** Ethernet; Linux's `lo` captures as Ethernet with zero MAC addresses. */
  EN10MB: 1,
  /** Raw IP, no link header. */
  RAW: 101,
  /** OpenBSD loopback: 4-byte address family in network byte order. */
  LOOP: 108,
  /** Linux cooked capture v1 (`-i any` on older libpcap). */
  LINUX_SLL: 113,
  /** Raw IPv4 / raw IPv6. */
  IPV4: 228,
  IPV6: 229,
  /** Linux cooked capture v2 (`-i any` on libpcap ≥ 1.10). */
  LINUX_SLL2: 276,
} as const;

/** The global header of a capture file. */
export interface PcapHeader {
  /** True when the file's multi-byte fields are little-endian. */
  littleEndian: boolean;
  /** True for the nanosecond variant (magic a1b23c4d). */
  nanos: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
}

/** One packet record, with the bytes exactly as captured (at most snaplen of them). */
export interface PcapPacket {
  /** Capture time in microseconds since the Unix epoch. */
  tsUs: number;
  /** Length of the packet on the wire (the captured bytes may be fewer). */
  origLen: number;
  /** The captured bytes, starting with the link-layer header. */
  data: Uint8Array;
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
/** A record larger than this is taken as a corrupt stream rather than buffered forever. */
const MAX_RECORD = 256 * 1024;

/** A stream that is not classic pcap, or is corrupt. */
export class PcapFormatError extends Error {
  override name = 'PcapFormatError';
}

/**
 * Reads a pcap stream incrementally: `push()` each chunk as it arrives; it returns the
 * packets completed by that chunk. The global header is read from the first 24 bytes.
 */
export class PcapReader {
  /** The global header once read, else null. */
  header: PcapHeader | null = null;
  private pending: Uint8Array = new Uint8Array(0);

  /** Adds bytes; returns every packet they complete. Throws PcapFormatError on a bad stream. */
  push(chunk: Uint8Array): PcapPacket[] {
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const out: PcapPacket[] = [];
    let off = 0;
    const buf = this.pending;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (!this.header) {
      if (buf.length < 24) return out;
      this.header = readHeader(view);
      off = 24;
    }
    const h = this.header;
    const le = h.littleEndian;
    while (buf.length - off >= 16) {
      const sec = view.getUint32(off, le);
      const frac = view.getUint32(off + 4, le);
      const incl = view.getUint32(off + 8, le);
      const orig = view.getUint32(off + 12, le);
      if (incl > MAX_RECORD)
        throw new PcapFormatError(`a packet record of ${incl} bytes: the stream is corrupt`);
      if (buf.length - off - 16 < incl) break;
      // A copy, so the packet does not pin the whole chunk in memory.
      const data = buf.slice(off + 16, off + 16 + incl);
      out.push({ tsUs: sec * 1e6 + (h.nanos ? Math.floor(frac / 1000) : frac), origLen: orig, data });
      off += 16 + incl;
    }
    this.pending = buf.subarray(off);
    return out;
  }

  /** Bytes received but not yet part of a complete record. */
  get buffered(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function readHeader(view: DataView): PcapHeader {
  const be = view.getUint32(0, false);
  const lem = view.getUint32(0, true);
  let littleEndian: boolean;
  let nanos: boolean;
  if (be === MAGIC_US || be === MAGIC_NS) {
    littleEndian = false;
    nanos = be === MAGIC_NS;
  } else if (lem === MAGIC_US || lem === MAGIC_NS) {
    littleEndian = true;
    nanos = lem === MAGIC_NS;
  } else if (be === 0x0a0d0d0a) {
    throw new PcapFormatError('this is pcapng, not classic pcap (dumpcap needs -P)');
  } else {
    throw new PcapFormatError(`not a pcap stream (magic ${be.toString(16).padStart(8, '0')})`);
  }
  return {
    littleEndian,
    nanos,
    versionMajor: view.getUint16(4, littleEndian),
    versionMinor: view.getUint16(6, littleEndian),
    snaplen: view.getUint32(16, littleEndian),
    // The upper bits may carry FCS information; the link type is the low 16 bits.
    linkType: view.getUint32(20, littleEndian) & 0xffff,
  };
}

/** A TCP segment decoded from a packet. */
export interface TcpSegment {
  family: 4 | 6;
  src: Endpoint;
  dst: Endpoint;
  /** Flags set, in the contract's order (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR). */
  flags: TcpFlag[];
  seqNo: number;
  /** The acknowledgement number; null when the ACK flag is not set (the field means nothing). */
  ackNo: number | null;
  /** The window field as sent, not scaled (as tcpdump prints it). */
  win: number;
  /** The window scale shift of a WS option (SYN segments only), else null. */
  wscale: number | null;
  /** TCP payload length, from the IP header (so it is right even when the capture is cut short). */
  len: number;
  /** Options in order, as text: 'MSS=65495', 'SACK_PERM', 'TS val=… ecr=…', 'NOP', 'WS=7', …. */
  options: string[];
}

/** Where the IP header starts and which version it is, or null for a frame that is not IP. */
function ipStart(linkType: number, d: Uint8Array): { off: number; version: 4 | 6 } | null {
  const u16 = (o: number): number => ((d[o] ?? 0) << 8) | (d[o + 1] ?? 0);
  const byEthertype = (type: number, off: number): { off: number; version: 4 | 6 } | null =>
    type === 0x0800 ? { off, version: 4 } : type === 0x86dd ? { off, version: 6 } : null;
  const byNibble = (off: number): { off: number; version: 4 | 6 } | null => {
    const v = (d[off] ?? 0) >> 4;
    return v === 4 ? { off, version: 4 } : v === 6 ? { off, version: 6 } : null;
  };
  switch (linkType) {
    case LINKTYPE.EN10MB: {
      let off = 12;
      let type = u16(off);
      // 802.1Q / 802.1ad tags.
      while ((type === 0x8100 || type === 0x88a8) && off < 20) {
        off += 4;
        type = u16(off);
      }
      return byEthertype(type, off + 2);
    }
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      // The family word's value differs per OS (AF_INET6 is 10, 24, 28 or 30) and, for NULL,
      // its byte order is the capturing host's: the IP version nibble is the reliable guide.
      return byNibble(4);
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return byNibble(0);
    case LINKTYPE.LINUX_SLL:
      return byEthertype(u16(14), 16);
    case LINKTYPE.LINUX_SLL2:
      return byEthertype(u16(0), 20);
    default:
      return null;
  }
}

const be32 = (d: Uint8Array, o: number): number =>
  (((d[o] ?? 0) << 24) | ((d[o + 1] ?? 0) << 16) | ((d[o + 2] ?? 0) << 8) | (d[o + 3] ?? 0)) >>> 0;
const be16 = (d: Uint8Array, o: number): number => ((d[o] ?? 0) << 8) | (d[o + 1] ?? 0);

/** IPv6 extension headers that may sit between the fixed header and TCP. */
const IPV6_EXT = new Set([0, 43, 60]);

/**
 * Decodes the TCP segment in one captured frame of the given link type; null when the frame
 * is not TCP over IPv4/IPv6, is a non-first fragment, or is cut before the TCP header ends.
 */
export function decodeTcp(linkType: number, d: Uint8Array): TcpSegment | null {
  const ip = ipStart(linkType, d);
  if (!ip) return null;
  let off = ip.off;
  let src: string;
  let dst: string;
  let tcpLen: number; // TCP header + payload, from the IP header
  if (ip.version === 4) {
    if (d.length < off + 20 || (d[off] ?? 0) >> 4 !== 4) return null;
    const ihl = ((d[off] ?? 0) & 0x0f) * 4;
    const total = be16(d, off + 2);
    if ((be16(d, off + 6) & 0x1fff) !== 0 || d[off + 9] !== 6 || ihl < 20) return null;
    src = `${d[off + 12]}.${d[off + 13]}.${d[off + 14]}.${d[off + 15]}`;
    dst = `${d[off + 16]}.${d[off + 17]}.${d[off + 18]}.${d[off + 19]}`;
    tcpLen = total - ihl;
    off += ihl;
  } else {
    if (d.length < off + 40 || (d[off] ?? 0) >> 4 !== 6) return null;
    let next = d[off + 6] ?? 0;
    tcpLen = be16(d, off + 4);
    src = formatIPv6(d.subarray(off + 8, off + 24));
    dst = formatIPv6(d.subarray(off + 24, off + 40));
    off += 40;
    for (let i = 0; i < 8 && IPV6_EXT.has(next); i++) {
      if (d.length < off + 2) return null;
      const extLen = ((d[off + 1] ?? 0) + 1) * 8;
      next = d[off] ?? 0;
      off += extLen;
      tcpLen -= extLen;
    }
    if (next !== 6) return null;
  }
  if (d.length < off + 20) return null;
  const dataOff = ((d[off + 12] ?? 0) >> 4) * 4;
  const fl = d[off + 13] ?? 0;
  const flags: TcpFlag[] = [];
  if (fl & 0x02) flags.push('SYN');
  if (fl & 0x10) flags.push('ACK');
  if (fl & 0x01) flags.push('FIN');
  if (fl & 0x04) flags.push('RST');
  if (fl & 0x08) flags.push('PSH');
  if (fl & 0x20) flags.push('URG');
  if (fl & 0x40) flags.push('ECE');
  if (fl & 0x80) flags.push('CWR');
  const { options, wscale } = decodeOptions(d.subarray(off + 20, Math.min(d.length, off + dataOff)));
  return {
    family: ip.version,
    src: { host: src, port: be16(d, off) },
    dst: { host: dst, port: be16(d, off + 2) },
    flags,
    seqNo: be32(d, off + 4),
    ackNo: fl & 0x10 ? be32(d, off + 8) : null,
    win: be16(d, off + 14),
    wscale,
    len: Math.max(0, tcpLen - dataOff),
    options,
  };
}

/** TCP options as text, in order; an option cut short by the capture ends the list. */
function decodeOptions(o: Uint8Array): { options: string[]; wscale: number | null } {
  const options: string[] = [];
  let wscale: number | null = null;
  for (let i = 0; i < o.length;) {
    const kind = o[i] ?? 0;
    if (kind === 0) {
      options.push('EOL');
      break;
    }
    if (kind === 1) {
      options.push('NOP');
      i++;
      continue;
    }
    const len = o[i + 1] ?? 0;
    if (len < 2 || i + len > o.length) break;
    switch (kind) {
      case 2:
        options.push(`MSS=${be16(o, i + 2)}`);
        break;
      case 3:
        wscale = o[i + 2] ?? 0;
        options.push(`WS=${wscale}`);
        break;
      case 4:
        options.push('SACK_PERM');
        break;
      case 5: {
        const blocks: string[] = [];
        for (let b = i + 2; b + 8 <= i + len; b += 8) blocks.push(`${be32(o, b)}-${be32(o, b + 4)}`);
        options.push(`SACK ${blocks.join(' ')}`);
        break;
      }
      case 8:
        options.push(`TS val=${be32(o, i + 2)} ecr=${be32(o, i + 6)}`);
        break;
      case 30:
        options.push('MPTCP');
        break;
      case 34:
        options.push('TFO');
        break;
      default:
        options.push(`OPT${kind}`);
    }
    i += len;
  }
  return { options, wscale };
}

/**
 * The 24-byte global header of a pcap file written by this module: little-endian,
 * microsecond timestamps, version 2.4.
 */
export function pcapFileHeader(linkType: number, snaplen = 262144): Uint8Array {
  const out = new Uint8Array(24);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC_US, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linkType, true);
  return out;
}

/** One packet record (16-byte header + the captured bytes) in the format of pcapFileHeader. */
export function pcapRecord(p: PcapPacket): Uint8Array {
  const out = new Uint8Array(16 + p.data.length);
  const v = new DataView(out.buffer);
  const sec = Math.floor(p.tsUs / 1e6);
  v.setUint32(0, sec, true);
  v.setUint32(4, Math.round(p.tsUs - sec * 1e6), true);
  v.setUint32(8, p.data.length, true);
  v.setUint32(12, Math.max(p.origLen, p.data.length), true);
  out.set(p.data, 16);
  return out;
}

/** A whole pcap file: the header and every packet's bytes as captured. */
export function writePcap(packets: readonly PcapPacket[], linkType: number, snaplen = 262144): Uint8Array {
  const parts = [pcapFileHeader(linkType, snaplen), ...packets.map(pcapRecord)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
