/**
 * IP address spelling shared by the kernel-table parsers and the observer: every parser
 * turns the table's own notation into one canonical text form, so rows and lab sockets can
 * be matched by plain string comparison.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Endpoint } from '../../contract/schema';

/**
 * Formats 16 bytes as an IPv6 address in the canonical form of RFC 5952 (lowercase, the
 * longest run of two or more zero groups written `::`), with an IPv4-mapped address written
 * `::ffff:a.b.c.d`.
 */
export function formatIPv6(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`an IPv6 address has 16 bytes, not ${bytes.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  // Longest run of zero groups (first one wins on a tie), only if at least two long.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Parses an IPv6 literal (with `::` and an optional dotted IPv4 tail) into 16 bytes, or null. */
export function parseIPv6(text: string): Uint8Array | null {
  const addr = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(addr)) return null;
  let body = addr;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4?.[1]) {
    const parts = v4[1].split('.').map(Number);
    tail.push(
      (((parts[0] ?? 0) << 8) | (parts[1] ?? 0)) >>> 0,
      (((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0,
    );
    body = body.slice(0, -v4[1].length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const want = 8 - tail.length;
  const [left = '', right] = body.split('::');
  const l = left ? left.split(':') : [];
  const r = right !== undefined ? (right ? right.split(':') : []) : null;
  const groups: number[] = [];
  for (const g of l) groups.push(parseInt(g, 16));
  if (r !== null) {
    for (let i = l.length + r.length; i < want; i++) groups.push(0);
    for (const g of r) groups.push(parseInt(g, 16));
  }
  groups.push(...tail);
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/**
 * The canonical text of an IP literal for matching: IPv4 as is, IPv6 in RFC 5952 form, and
 * an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, how a dual-stack socket's peer appears)
 * as its plain IPv4 address, so both spellings of one peer compare equal. Brackets and a
 * zone (`%lo0`) are dropped. Anything else (a name) is returned lowercased, unchanged.
 */
export function normalizeHost(host: string): string {
  const h = host.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(h)) return h;
  const bytes = parseIPv6(h);
  if (!bytes) return h.toLowerCase();
  const text = formatIPv6(bytes);
  return text.startsWith('::ffff:') && isIPv4(text.slice(7)) ? text.slice(7) : text;
}

/**
 * normalizeHost, remembered: kernel tables and captures hold thousands of rows or packets but
 * only a handful of distinct addresses (loopback, wildcard), and matching runs per poll and
 * per packet.
 */
const hostCache = new Map<string, string>();
function canonicalHost(host: string): string {
  let h = hostCache.get(host);
  if (h === undefined) {
    if (hostCache.size > 4096) hostCache.clear();
    h = normalizeHost(host);
    hostCache.set(host, h);
  }
  return h;
}

/** `e` with its host canonical (IPv4-mapped IPv6 folded into IPv4). */
export function canonicalEndpoint(e: Endpoint): Endpoint {
  return { host: canonicalHost(e.host), port: e.port };
}

/** The canonical `host|port` of an endpoint (IPv4-mapped IPv6 folded into IPv4), for map keys. */
export function endpointKey(e: Endpoint): string {
  return `${canonicalHost(e.host)}|${e.port}`;
}
