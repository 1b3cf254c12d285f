/**
 * struct sockaddr_in and sockaddr_in6 in each platform's layout (<netinet/in.h>):
 * - Linux and Windows: u16 sin_family (host order), u16 sin_port (network order), …
 * - macOS (BSD): u8 sin_len, u8 sin_family, u16 sin_port, …
 * sockaddr_in is 16 bytes (address at 4); sockaddr_in6 is 28 (flowinfo at 4, address at 8,
 * scope id at 24). Address text is parsed and printed here (IPv4 dotted quad, IPv6 RFC 5952).
 */
import type { SockAddr } from './types';

type Layout = 'linux' | 'darwin' | 'win32';

const AF: Readonly<Record<Layout, { inet: number; inet6: number }>> = {
  linux: { inet: 2, inet6: 10 },
  darwin: { inet: 2, inet6: 30 },
  win32: { inet: 2, inet6: 23 },
};

/** The bytes of `addr` as `layout`'s sockaddr_in or sockaddr_in6. */
export function encodeSockAddr(addr: SockAddr, layout: Layout): Buffer {
  const inet = addr.family === 'inet';
  const b = Buffer.alloc(inet ? 16 : 28);
  const af = AF[layout][addr.family];
  if (layout === 'darwin') {
    b[0] = b.length;
    b[1] = af;
  } else b.writeUInt16LE(af, 0);
  b.writeUInt16BE(addr.port, 2);
  if (inet) parseIPv4(addr.host).copy(b, 4);
  else parseIPv6(addr.host).copy(b, 8);
  return b;
}

/** The address in a sockaddr the kernel wrote, or null for a family the lab does not use. */
export function decodeSockAddr(b: Buffer, layout: Layout): SockAddr | null {
  if (b.length < 4) return null;
  const af = layout === 'darwin' ? b[1]! : b.readUInt16LE(0);
  const port = b.readUInt16BE(2);
  if (af === AF[layout].inet && b.length >= 8) {
    return { family: 'inet', host: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port };
  }
  if (af === AF[layout].inet6 && b.length >= 24) {
    return { family: 'inet6', host: formatIPv6(b.subarray(8, 24)), port };
  }
  return null;
}

/** Four bytes of a dotted quad; throws on anything else. */
export function parseIPv4(s: string): Buffer {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) throw new Error(`not an IPv4 address: ${s}`);
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) throw new Error(`not an IPv4 address: ${s}`);
  return Buffer.from(parts);
}

/** Sixteen bytes of an IPv6 address (with ::, and an IPv4 tail as in ::ffff:127.0.0.1). */
export function parseIPv6(s: string): Buffer {
  let text = s;
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (v4) {
    // An IPv4 tail stands for the last two groups.
    const q = parseIPv4(v4[1]!);
    const hi = ((q[0]! << 8) | q[1]!).toString(16);
    const lo = ((q[2]! << 8) | q[3]!).toString(16);
    text = `${text.slice(0, -v4[1]!.length)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`not an IPv6 address: ${s}`);
  const group = (h: string): number[] =>
    h === ''
      ? []
      : h.split(':').map((g) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new Error(`not an IPv6 address: ${s}`);
          return parseInt(g, 16);
        });
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const known = head.length + rest.length;
  if (halves.length === 1 && known !== 8) throw new Error(`not an IPv6 address: ${s}`);
  if (known > 8 || (halves.length === 2 && known === 8)) throw new Error(`not an IPv6 address: ${s}`);
  const words = [...head, ...new Array<number>(8 - known).fill(0), ...rest];
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, i * 2));
  return b;
}

/** RFC 5952 text of sixteen bytes: lowercase, the longest run of two or more zero groups as ::. */
export function formatIPv6(b: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i));
  // ::ffff:a.b.c.d for IPv4-mapped addresses, as inet_ntop writes them.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
