/**
 * A system call as C would print it, in strace's notation: `connect(3, {AF_INET,
 * 127.0.0.1:5000}, 16)`, `write(4, "hello", 5)`, `poll([{fd=3, events=POLLIN}], 1, -1)`. Read
 * from the program's memory when the call starts; what the kernel will write (a read's
 * buffer, accept's address) is shown by the name the program gave it.
 */
import type { Args } from './clib';
import { CONSTANTS } from './clib';
import type { Pointer } from './memory';
import { exact } from './values';
import { formatAddress } from './addresses';
import { own } from '../../contract/own';

const C = CONSTANTS as Record<string, number>;
const MAX = 300;

/** The name of a constant among `names` whose value is v, or v. */
function named(v: number, names: string[]): string {
  return names.find((n) => own(C, n) === v) ?? String(v);
}

function bytes(p: Pointer | null, n: number): Uint8Array | null {
  if (!p || !p.block.alive || p.off < 0 || p.off + n > p.block.size) return null;
  for (let i = 0; i < n; i++) if (!p.block.init[p.off + i]) return null;
  return p.block.bytes.subarray(p.off, p.off + n);
}

/** `"text"`, escaped, at most 32 bytes then `...`. */
function quoted(b: Uint8Array): string {
  let s = '';
  for (const c of b.subarray(0, 32))
    s +=
      c === 10
        ? '\\n'
        : c === 13
          ? '\\r'
          : c === 9
            ? '\\t'
            : c === 34
              ? '\\"'
              : c === 92
                ? '\\\\'
                : c >= 32 && c < 127
                  ? String.fromCharCode(c)
                  : `\\x${c.toString(16).padStart(2, '0')}`;
  return `"${s}"${b.length > 32 ? '...' : ''}`;
}

function sockaddr(p: Pointer | null, fallback: string): string {
  const b = bytes(p, 8);
  if (!b) return p ? fallback : 'NULL';
  const fam = b[0]! | (b[1]! << 8);
  const port = (b[2]! << 8) | b[3]!;
  if (fam === C.AF_INET) return `{AF_INET, ${formatAddress(C.AF_INET!, b.subarray(4, 8))}:${port}}`;
  const b6 = bytes(p, 24);
  if (fam === C.AF_INET6 && b6)
    return `{AF_INET6, [${formatAddress(C.AF_INET6!, b6.subarray(8, 24))}]:${port}}`;
  return fallback;
}

function fdSet(p: Pointer | null, nfds: number, fallback: string): string {
  if (!p) return 'NULL';
  const b = bytes(p, 128);
  if (!b) return fallback;
  const fds: number[] = [];
  for (let fd = 0; fd < Math.min(nfds, 1024); fd++) if (b[fd >> 3]! & (1 << (fd & 7))) fds.push(fd);
  return `[${fds.join(' ')}]`;
}

const EVENTS = ['POLLIN', 'POLLPRI', 'POLLOUT', 'POLLRDHUP', 'POLLERR', 'POLLHUP', 'POLLNVAL'];

/** The call `a` as C would print it. */
export function callText(a: Args): string {
  const v = (i: number) => {
    const x = a.values[i];
    if (!x) return '?';
    if (x.k === 'int') return String(exact(x));
    if (x.k === 'ptr' && !x.p) return 'NULL';
    return a.text(i);
  };
  const ptr = (i: number): Pointer | null => {
    const x = a.values[i];
    return x?.k === 'ptr' ? x.p : null;
  };
  const int = (i: number): number => {
    const x = a.values[i];
    return x?.k === 'int' ? x.n : 0;
  };
  let args: string[];
  switch (a.fn) {
    case 'socket':
      args = [named(int(0), ['AF_INET', 'AF_INET6']), named(int(1), ['SOCK_STREAM', 'SOCK_DGRAM']), v(2)];
      break;
    case 'bind':
    case 'connect':
      args = [v(0), sockaddr(ptr(1), a.text(1)), v(2)];
      break;
    case 'write':
    case 'send': {
      const b = bytes(ptr(1), Math.max(0, Math.min(int(2), 64)));
      args = [
        v(0),
        b ? quoted(b) + (int(2) > 64 ? '...' : '') : a.text(1),
        ...a.values.slice(2).map((_, i) => v(i + 2)),
      ];
      break;
    }
    case 'shutdown':
      args = [v(0), named(int(1), ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'])];
      break;
    case 'setsockopt':
    case 'getsockopt': {
      const level = named(int(1), ['SOL_SOCKET', 'IPPROTO_TCP']);
      const opt =
        int(1) === C.IPPROTO_TCP
          ? named(int(2), ['TCP_NODELAY'])
          : named(int(2), [
              'SO_REUSEADDR',
              'SO_REUSEPORT',
              'SO_LINGER',
              'SO_RCVBUF',
              'SO_SNDBUF',
              'SO_ERROR',
              'SO_KEEPALIVE',
              'SO_TYPE',
            ]);
      let val = a.text(3);
      const b = a.fn === 'setsockopt' ? bytes(ptr(3), int(2) === C.SO_LINGER ? 8 : 4) : null;
      if (b) {
        const w = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
        val =
          int(2) === C.SO_LINGER && int(1) === C.SOL_SOCKET
            ? `{l_onoff=${w(0)}, l_linger=${w(4)}}`
            : `[${w(0)}]`;
      }
      args = [v(0), level, opt, val, v(4)];
      break;
    }
    case 'fcntl': {
      const cmd = named(int(1), ['F_GETFL', 'F_SETFL']);
      const rest =
        a.values.length > 2 && int(1) === C.F_SETFL
          ? [int(2) & C.O_NONBLOCK! ? `O_RDWR|O_NONBLOCK` : String(int(2))]
          : [];
      args = [v(0), cmd, ...rest];
      break;
    }
    case 'poll': {
      const items: string[] = [];
      const p = ptr(0);
      for (let i = 0; i < Math.min(int(1), 8); i++) {
        const b = p ? bytes({ block: p.block, off: p.off + i * 8 }, 6) : null;
        if (!b) break;
        const fd = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
        const ev = b[4]! | (b[5]! << 8);
        items.push(`{fd=${fd}, events=${EVENTS.filter((e) => ev & own(C, e)!).join('|') || 0}}`);
      }
      args = [items.length ? `[${items.join(', ')}${int(1) > 8 ? ', ...' : ''}]` : a.text(0), v(1), v(2)];
      break;
    }
    case 'select': {
      const tv = bytes(ptr(4), 16);
      const long = (b: Uint8Array, o: number) =>
        b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
      args = [
        v(0),
        fdSet(ptr(1), int(0), a.text(1)),
        fdSet(ptr(2), int(0), a.text(2)),
        fdSet(ptr(3), int(0), a.text(3)),
        ptr(4) ? (tv ? `{tv_sec=${long(tv, 0)}, tv_usec=${long(tv, 8)}}` : a.text(4)) : 'NULL',
      ];
      break;
    }
    default:
      args = a.values.map((_, i) => v(i));
  }
  const s = `${a.fn}(${args.join(', ')})`;
  return s.length > MAX ? s.slice(0, MAX - 1) + '…' : s;
}
