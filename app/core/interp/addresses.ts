/**
 * Addresses as the C library reads and writes them: inet_pton's text to bytes, inet_ntop's
 * bytes to text, and the sockaddr structs the socket calls take, read from and written to the
 * program's memory (network byte order, Linux's layouts).
 */
import { msg, type Endpoint } from '../../contract/schema';
import { check, fault, getBytes, putBytes, type Pointer } from './memory';

const AF_INET = 2;
const AF_INET6 = 10;

/** inet_pton: the address's bytes; null when the text is not one; undefined for another family. */
export function parseAddress(af: number, text: string): Uint8Array | null | undefined {
  if (af === AF_INET) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!m) return null;
    const b = m.slice(1).map(Number);
    if (b.some((x) => x > 255)) return null;
    return Uint8Array.from(b);
  }
  if (af === AF_INET6) return parseIPv6(text);
  return undefined;
}

function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** inet_ntop: the text of an address's bytes. */
export function formatAddress(af: number, b: Uint8Array): string {
  if (af !== AF_INET6) return [...b.subarray(0, 4)].join('.');
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  // The longest run of zero groups (two or more) becomes "::".
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len && j - i >= 2) {
      best = i;
      len = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + len).join(':')}`;
}

/** A sockaddr the program passed (bind, connect): family, host text and port. */
export function readSockaddr(
  p: Pointer | null,
  len: number,
  fn: string,
  name: string,
): { family: 'inet' | 'inet6'; host: string; port: number } {
  const fam = getBytes(p, 2, name);
  const family = fam[0]! | (fam[1]! << 8);
  if (family === AF_INET) {
    const b = getBytes(check(p, Math.min(len, 16), name), 8, name);
    return { family: 'inet', port: (b[2]! << 8) | b[3]!, host: formatAddress(AF_INET, b.subarray(4, 8)) };
  }
  if (family === AF_INET6) {
    const b = getBytes(check(p, Math.min(len, 28), name), 24, name);
    return { family: 'inet6', port: (b[2]! << 8) | b[3]!, host: formatAddress(AF_INET6, b.subarray(8, 24)) };
  }
  throw fault(msg('fault.family', { fn, family }));
}

/** Write an address into the program's sockaddr (accept, getsockname): the bytes the kernel would. */
export function writeSockaddr(
  p: Pointer,
  room: number,
  addr: Endpoint & { family: 'inet' | 'inet6' },
  name: string,
): number {
  const inet6 = addr.family === 'inet6';
  const size = inet6 ? 28 : 16;
  const b = new Uint8Array(size);
  b[0] = (inet6 ? AF_INET6 : AF_INET) & 0xff;
  b[2] = addr.port >> 8;
  b[3] = addr.port & 0xff;
  const host = addr.host === 'localhost' ? (inet6 ? '::1' : '127.0.0.1') : addr.host;
  const bytes = parseAddress(inet6 ? AF_INET6 : AF_INET, host.replace(/^::ffff:/, ''));
  if (bytes) b.set(bytes, inet6 ? 8 : 4);
  // The kernel writes at most the room the program gave and says how long the address is.
  putBytes(check(p, Math.min(room, size), name), b.subarray(0, Math.min(room, size)), name);
  return size;
}
