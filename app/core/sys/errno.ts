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

/**
 * macOS errno numbers (<sys/errno.h>, BSD numbering; the same on x86_64 and arm64). macOS
 * keeps ENOTSUP (45) and EOPNOTSUPP (102) apart, where Linux has one number for both.
 * Written from the header; not checked on a Mac.
 */
export const DARWIN_ERRNO: Readonly<Record<number, string>> = Object.freeze({
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  4: 'EINTR',
  5: 'EIO',
  6: 'ENXIO',
  7: 'E2BIG',
  9: 'EBADF',
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
  35: 'EAGAIN',
  36: 'EINPROGRESS',
  37: 'EALREADY',
  38: 'ENOTSOCK',
  39: 'EDESTADDRREQ',
  40: 'EMSGSIZE',
  41: 'EPROTOTYPE',
  42: 'ENOPROTOOPT',
  43: 'EPROTONOSUPPORT',
  44: 'ESOCKTNOSUPPORT',
  45: 'ENOTSUP',
  46: 'EPFNOSUPPORT',
  47: 'EAFNOSUPPORT',
  48: 'EADDRINUSE',
  49: 'EADDRNOTAVAIL',
  50: 'ENETDOWN',
  51: 'ENETUNREACH',
  52: 'ENETRESET',
  53: 'ECONNABORTED',
  54: 'ECONNRESET',
  55: 'ENOBUFS',
  56: 'EISCONN',
  57: 'ENOTCONN',
  58: 'ESHUTDOWN',
  60: 'ETIMEDOUT',
  61: 'ECONNREFUSED',
  64: 'EHOSTDOWN',
  65: 'EHOSTUNREACH',
  78: 'ENOSYS',
  102: 'EOPNOTSUPP',
});

/**
 * Windows Sockets error codes (WSAGetLastError; <winsock2.h>, <winerror.h>) to the POSIX name
 * each stands for: WSAEWOULDBLOCK (10035) is 'EAGAIN'. Codes with no POSIX counterpart
 * (WSANOTINITIALISED 10093, WSASYSNOTREADY 10091, WSAEDISCON 10101, …) are left out and show
 * as E<number>. A connect in progress also gives WSAEWOULDBLOCK: win32.ts turns that one into
 * 'EINPROGRESS' in connect() itself, since the number alone cannot tell. Written from the
 * headers; not checked on a Windows machine.
 */
export const WINSOCK_ERRNO: Readonly<Record<number, string>> = Object.freeze({
  10004: 'EINTR', // WSAEINTR
  10009: 'EBADF', // WSAEBADF
  10013: 'EACCES', // WSAEACCES
  10014: 'EFAULT', // WSAEFAULT
  10022: 'EINVAL', // WSAEINVAL
  10024: 'EMFILE', // WSAEMFILE
  10035: 'EAGAIN', // WSAEWOULDBLOCK
  10036: 'EINPROGRESS', // WSAEINPROGRESS (Windows: a blocking call is already running)
  10037: 'EALREADY', // WSAEALREADY
  10038: 'ENOTSOCK', // WSAENOTSOCK
  10039: 'EDESTADDRREQ', // WSAEDESTADDRREQ
  10040: 'EMSGSIZE', // WSAEMSGSIZE
  10041: 'EPROTOTYPE', // WSAEPROTOTYPE
  10042: 'ENOPROTOOPT', // WSAENOPROTOOPT
  10043: 'EPROTONOSUPPORT', // WSAEPROTONOSUPPORT
  10044: 'ESOCKTNOSUPPORT', // WSAESOCKTNOSUPPORT
  10045: 'EOPNOTSUPP', // WSAEOPNOTSUPP
  10046: 'EPFNOSUPPORT', // WSAEPFNOSUPPORT
  10047: 'EAFNOSUPPORT', // WSAEAFNOSUPPORT
  10048: 'EADDRINUSE', // WSAEADDRINUSE
  10049: 'EADDRNOTAVAIL', // WSAEADDRNOTAVAIL
  10050: 'ENETDOWN', // WSAENETDOWN
  10051: 'ENETUNREACH', // WSAENETUNREACH
  10052: 'ENETRESET', // WSAENETRESET
  10053: 'ECONNABORTED', // WSAECONNABORTED
  10054: 'ECONNRESET', // WSAECONNRESET
  10055: 'ENOBUFS', // WSAENOBUFS
  10056: 'EISCONN', // WSAEISCONN
  10057: 'ENOTCONN', // WSAENOTCONN
  10058: 'ESHUTDOWN', // WSAESHUTDOWN
  10060: 'ETIMEDOUT', // WSAETIMEDOUT
  10061: 'ECONNREFUSED', // WSAECONNREFUSED
  10064: 'EHOSTDOWN', // WSAEHOSTDOWN
  10065: 'EHOSTUNREACH', // WSAEHOSTUNREACH
});

/** The POSIX name of errno `n` in `table`, or `E<n>` when the table has none. */
export function errnoName(table: Readonly<Record<number, string>>, n: number): string {
  return Object.hasOwn(table, n) ? table[n]! : `E${n}`;
}

/**
 * A Winsock error code's POSIX name, for a call's failure. Every SOCKET the lab hands to
 * win32.ts was made there, so WSAENOTSOCK (10038) can only mean one that was closed: POSIX's EBADF.
 */
export function winsockErrno(code: number): string {
  return code === 10038 ? 'EBADF' : errnoName(WINSOCK_ERRNO, code);
}

/** The number a table gives a POSIX errno name, or null. */
export function errnoNumber(table: Readonly<Record<number, string>>, name: string): number | null {
  for (const [n, v] of Object.entries(table)) if (v === name) return Number(n);
  return null;
}
