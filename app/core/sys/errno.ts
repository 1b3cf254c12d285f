/**
 * errno numbers to their POSIX names, per platform, from each platform's headers:
 * Linux <asm-generic/errno-base.h> and <asm-generic/errno.h> (x86_64, arm64), macOS
 * <sys/errno.h>, Windows <winsock2.h> WSAE* codes mapped to the POSIX name they stand for.
 * The lab speaks only the names; a number without a name shows as `E<number>`.
 */

/** Linux errno numbers (asm-generic; the same on x86_64 and arm64). */
export const LINUX_ERRNO: Readonly<Record<number, string>> = Object.freeze({
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  6: 'ENXIO',
  7: 'E2BIG',
  9: 'EBADF',
  11: 'EAGAIN',
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
  38: 'ENOSYS',
  88: 'ENOTSOCK',
  89: 'EDESTADDRREQ',
  90: 'EMSGSIZE',
  91: 'EPROTOTYPE',
  92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT',
  94: 'ESOCKTNOSUPPORT',
  95: 'EOPNOTSUPP',
  96: 'EPFNOSUPPORT',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  100: 'ENETDOWN',
  101: 'ENETUNREACH',
  102: 'ENETRESET',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  105: 'ENOBUFS',
  106: 'EISCONN',
  107: 'ENOTCONN',
  108: 'ESHUTDOWN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  112: 'EHOSTDOWN',
  113: 'EHOSTUNREACH',
  114: 'EALREADY',
  115: 'EINPROGRESS',
});

/** The POSIX name of errno `n` in `table`, or `E<n>` when the table has none. */
export function errnoName(table: Readonly<Record<number, string>>, n: number): string {
  return Object.hasOwn(table, n) ? table[n]! : `E${n}`;
}
