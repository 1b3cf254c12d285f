/**
 * What the C subset is, by name: the headers a program may include, the library functions,
 * macros, identifiers and constants it may use (names only: their values and behaviour are
 * the interpreter's), its types and the fields of the library's structs. The checker
 * (subset.ts) and the interpreter both take these lists from here. No Node or DOM import.
 */
import { ERRNOS, POLL_EVENTS, SOCKOPT_NAMES } from '../calls';

/** Headers a program may `#include <…>`; any other is refused. */
export const HEADERS = [
  'stdio.h',
  'stdlib.h',
  'string.h',
  'strings.h',
  'unistd.h',
  'errno.h',
  'stddef.h',
  'stdint.h',
  'limits.h',
  'signal.h',
  'fcntl.h',
  'poll.h',
  'sys/types.h',
  'sys/socket.h',
  'sys/select.h',
  'sys/time.h',
  'netinet/in.h',
  'netinet/tcp.h',
  'arpa/inet.h',
] as const;
export type Header = (typeof HEADERS)[number];

/** Feature-test macros a program may `#define` (they change nothing in the lab). */
export const FEATURE_MACROS = ['_POSIX_C_SOURCE', '_XOPEN_SOURCE', '_DEFAULT_SOURCE', '_GNU_SOURCE'] as const;

/**
 * Names glibc declares only under a feature-test macro (gcc -std=c11 refuses them without
 * one), and the macros that each bring it: one must be defined before the first #include.
 */
export const NEEDS_FEATURE: Readonly<Record<string, readonly (typeof FEATURE_MACROS)[number][]>> = {
  usleep: ['_DEFAULT_SOURCE', '_GNU_SOURCE'],
  SO_REUSEPORT: ['_DEFAULT_SOURCE', '_GNU_SOURCE'],
  POLLRDHUP: ['_GNU_SOURCE'],
};

/**
 * The library functions of the subset: how many arguments each takes ([least, most]; most is
 * Infinity for printf's kind) and the headers that declare it (gcc refuses a call without
 * one: the first is the one to suggest).
 */
export const LIB_SIGNATURES = {
  socket: { args: [3, 3], headers: ['sys/socket.h'] },
  bind: { args: [3, 3], headers: ['sys/socket.h'] },
  listen: { args: [2, 2], headers: ['sys/socket.h'] },
  accept: { args: [3, 3], headers: ['sys/socket.h'] },
  connect: { args: [3, 3], headers: ['sys/socket.h'] },
  recv: { args: [4, 4], headers: ['sys/socket.h'] },
  send: { args: [4, 4], headers: ['sys/socket.h'] },
  shutdown: { args: [2, 2], headers: ['sys/socket.h'] },
  setsockopt: { args: [5, 5], headers: ['sys/socket.h'] },
  getsockopt: { args: [5, 5], headers: ['sys/socket.h'] },
  getsockname: { args: [3, 3], headers: ['sys/socket.h'] },
  getpeername: { args: [3, 3], headers: ['sys/socket.h'] },
  read: { args: [3, 3], headers: ['unistd.h'] },
  write: { args: [3, 3], headers: ['unistd.h'] },
  close: { args: [1, 1], headers: ['unistd.h'] },
  sleep: { args: [1, 1], headers: ['unistd.h'] },
  usleep: { args: [1, 1], headers: ['unistd.h'] },
  fcntl: { args: [2, 3], headers: ['fcntl.h'] },
  poll: { args: [3, 3], headers: ['poll.h'] },
  select: { args: [5, 5], headers: ['sys/select.h', 'sys/time.h'] },
  htons: { args: [1, 1], headers: ['arpa/inet.h', 'netinet/in.h'] },
  ntohs: { args: [1, 1], headers: ['arpa/inet.h', 'netinet/in.h'] },
  htonl: { args: [1, 1], headers: ['arpa/inet.h', 'netinet/in.h'] },
  ntohl: { args: [1, 1], headers: ['arpa/inet.h', 'netinet/in.h'] },
  inet_pton: { args: [3, 3], headers: ['arpa/inet.h'] },
  inet_ntop: { args: [4, 4], headers: ['arpa/inet.h'] },
  inet_addr: { args: [1, 1], headers: ['arpa/inet.h'] },
  memset: { args: [3, 3], headers: ['string.h'] },
  memcpy: { args: [3, 3], headers: ['string.h'] },
  strlen: { args: [1, 1], headers: ['string.h'] },
  strcmp: { args: [2, 2], headers: ['string.h'] },
  strncmp: { args: [3, 3], headers: ['string.h'] },
  strcpy: { args: [2, 2], headers: ['string.h'] },
  strncpy: { args: [3, 3], headers: ['string.h'] },
  strcat: { args: [2, 2], headers: ['string.h'] },
  strerror: { args: [1, 1], headers: ['string.h'] },
  snprintf: { args: [3, Infinity], headers: ['stdio.h'] },
  printf: { args: [1, Infinity], headers: ['stdio.h'] },
  fprintf: { args: [2, Infinity], headers: ['stdio.h'] },
  puts: { args: [1, 1], headers: ['stdio.h'] },
  fputs: { args: [2, 2], headers: ['stdio.h'] },
  putchar: { args: [1, 1], headers: ['stdio.h'] },
  fflush: { args: [1, 1], headers: ['stdio.h'] },
  perror: { args: [1, 1], headers: ['stdio.h'] },
  exit: { args: [1, 1], headers: ['stdlib.h'] },
  atoi: { args: [1, 1], headers: ['stdlib.h'] },
  // Macros that are called like functions.
  FD_ZERO: { args: [1, 1], headers: ['sys/select.h', 'sys/time.h'] },
  FD_SET: { args: [2, 2], headers: ['sys/select.h', 'sys/time.h'] },
  FD_ISSET: { args: [2, 2], headers: ['sys/select.h', 'sys/time.h'] },
  FD_CLR: { args: [2, 2], headers: ['sys/select.h', 'sys/time.h'] },
} as const satisfies Record<string, { args: readonly [number, number]; headers: readonly Header[] }>;

/** A function or function-like macro of the library a program may call. */
export type LibCallable = keyof typeof LIB_SIGNATURES;
/** Every name a program may call from the library (functions and the FD_* macros). */
export const LIB_CALLABLES = Object.keys(LIB_SIGNATURES) as LibCallable[];
/** The macros among them. */
export const LIB_MACROS = [
  'FD_ZERO',
  'FD_SET',
  'FD_ISSET',
  'FD_CLR',
] as const satisfies readonly LibCallable[];
/** The functions among them. */
export const LIB_FUNCTIONS = LIB_CALLABLES.filter(
  (n) => !(LIB_MACROS as readonly string[]).includes(n),
) as Exclude<LibCallable, (typeof LIB_MACROS)[number]>[];
/** Which argument of a printf-like function is its format (the checker counts its conversions). */
export const FORMAT_ARG: Partial<Record<LibCallable, number>> = { printf: 0, fprintf: 1, snprintf: 2 };

/** The library's variables a program may use (NULL is its own syntax), and their headers. */
export const LIB_IDENTIFIERS = {
  errno: ['errno.h'],
  stdout: ['stdio.h'],
  stderr: ['stdio.h'],
  in6addr_any: ['netinet/in.h', 'arpa/inet.h'],
  in6addr_loopback: ['netinet/in.h', 'arpa/inet.h'],
} as const satisfies Record<string, readonly Header[]>;
export type LibIdentifier = keyof typeof LIB_IDENTIFIERS;

/** The library's constants a program may use, by name (the interpreter knows their values). */
export const CONSTANT_NAMES = [
  'AF_INET',
  'AF_INET6',
  'PF_INET',
  'PF_INET6',
  'SOCK_STREAM',
  'IPPROTO_TCP',
  'IPPROTO_IP',
  'INADDR_ANY',
  'INADDR_LOOPBACK',
  'SOMAXCONN',
  'SOL_SOCKET',
  ...SOCKOPT_NAMES,
  'MSG_NOSIGNAL',
  'SHUT_RD',
  'SHUT_WR',
  'SHUT_RDWR',
  'F_GETFL',
  'F_SETFL',
  'O_NONBLOCK',
  ...POLL_EVENTS,
  ...ERRNOS,
  'EWOULDBLOCK',
  'INET_ADDRSTRLEN',
  'INET6_ADDRSTRLEN',
  'EXIT_SUCCESS',
  'EXIT_FAILURE',
  'FD_SETSIZE',
  'BUFSIZ',
  // <limits.h>, <stdint.h> (LIMITS in app/core/interp/clib.ts).
  'CHAR_BIT',
  'SCHAR_MIN',
  'SCHAR_MAX',
  'UCHAR_MAX',
  'CHAR_MIN',
  'CHAR_MAX',
  'SHRT_MIN',
  'SHRT_MAX',
  'USHRT_MAX',
  'INT_MIN',
  'INT_MAX',
  'UINT_MAX',
  'LONG_MIN',
  'LONG_MAX',
  'ULONG_MAX',
  'UINT8_MAX',
  'UINT16_MAX',
  'UINT32_MAX',
  'SIZE_MAX',
] as const;
export type ConstantName = (typeof CONSTANT_NAMES)[number];

/**
 * C library functions a student may reach for that the lab does not offer: calling one says
 * "not available in the lab" rather than "unknown". Every name beginning with one of
 * NOT_AVAILABLE_PREFIXES is one too.
 */
// prettier-ignore
export const NOT_AVAILABLE = [
  // Processes and signals.
  'fork', 'vfork', 'wait', 'waitpid', 'execl', 'execlp', 'execle', 'execv', 'execvp', 'execve',
  'system', 'popen', 'pclose', 'signal', 'sigaction', 'sigemptyset', 'sigaddset', 'kill', 'raise',
  'alarm', 'pause', 'abort', 'atexit', '_exit', 'getpid', 'getppid',
  // Memory.
  'malloc', 'calloc', 'realloc', 'free', 'alloca', 'memmove', 'memcmp', 'memchr', 'bzero', 'bcopy',
  // Files and streams.
  'open', 'creat', 'lseek', 'fopen', 'fdopen', 'fclose', 'fread', 'fwrite', 'fgets', 'fgetc', 'getc',
  'getchar', 'gets', 'getline', 'fputc', 'putc', 'dprintf', 'sprintf', 'vprintf',
  'vfprintf', 'vsnprintf', 'scanf', 'fscanf', 'sscanf', 'setvbuf', 'fileno', 'remove',
  'unlink', 'dup', 'dup2', 'dup3', 'pipe', 'pipe2', 'ioctl',
  // Other socket calls and name lookup.
  'accept4', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendfile', 'socketpair', 'getaddrinfo',
  'freeaddrinfo', 'gai_strerror', 'getnameinfo', 'gethostbyname', 'gethostbyaddr', 'inet_ntoa',
  'inet_aton', 'pselect', 'ppoll', 'kqueue', 'kevent', 'WSAStartup', 'closesocket',
  // Strings, numbers, time.
  'strchr', 'strrchr', 'strstr', 'strtok', 'strtok_r', 'strdup', 'strndup', 'strnlen', 'strcasecmp',
  'strncasecmp', 'strspn', 'strcspn', 'strtol', 'strtoul', 'strtoll', 'atol', 'atof', 'strtod', 'abs',
  'labs', 'rand', 'srand', 'isdigit', 'isalpha', 'isspace', 'isprint', 'toupper', 'tolower', 'time',
  'clock', 'clock_gettime', 'gettimeofday', 'nanosleep', 'localtime', 'strftime', 'ctime', 'assert',
] as const;
export const NOT_AVAILABLE_PREFIXES = ['pthread_', 'epoll_', 'sem_', 'mq_', 'shm_', 'aio_'] as const;
/** Constants of the C library the lab does not offer (UDP, Unix sockets, send/recv flags). */
// prettier-ignore
export const NOT_AVAILABLE_CONSTANTS = [
  'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_SEQPACKET', 'SOCK_NONBLOCK', 'SOCK_CLOEXEC', 'AF_UNIX', 'AF_LOCAL',
  'AF_UNSPEC', 'PF_UNIX', 'PF_UNSPEC', 'IPPROTO_UDP', 'IPPROTO_IPV6', 'MSG_PEEK',
  'MSG_DONTWAIT', 'MSG_WAITALL', 'MSG_OOB', 'MSG_MORE', 'O_RDONLY', 'O_WRONLY',
  'O_RDWR', 'O_CREAT', 'F_GETFD', 'F_SETFD', 'FD_CLOEXEC', 'SIGPIPE', 'SIGINT', 'SIGTERM', 'SIG_IGN',
  'SIG_DFL', 'stdin', 'STDIN_FILENO', 'STDOUT_FILENO', 'STDERR_FILENO', 'EOF', 'INT_MAX',
  'INT_MIN', 'IN6ADDR_ANY_INIT', 'IN6ADDR_LOOPBACK_INIT', 'POLLRDNORM', 'POLLWRNORM',
] as const;

/** Whether calling `name` is a library call the lab refuses as "not available". */
export function isNotAvailable(name: string): boolean {
  return (
    (NOT_AVAILABLE as readonly string[]).includes(name) ||
    NOT_AVAILABLE_PREFIXES.some((p) => name.startsWith(p))
  );
}

/**
 * Scalar types, by their canonical spelling: `unsigned int` is `unsigned`, `long int` and
 * `long long` are `long`, `signed int` is `int`. `const` is accepted and ignored.
 */
export const SCALAR_TYPES = [
  'char',
  'signed char',
  'unsigned char',
  'short',
  'unsigned short',
  'int',
  'unsigned',
  'long',
  'unsigned long',
  'size_t',
  'ssize_t',
  'socklen_t',
  'in_addr_t',
  'in_port_t',
  'uint8_t',
  'uint16_t',
  'uint32_t',
] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];
/** Library types a program uses whole, through the library's calls and macros only. */
export const OPAQUE_TYPES = ['fd_set'] as const;
/**
 * The library's typedef names. The grammar cannot know them for types: it reads
 * `sizeof(socklen_t)` as sizeof of a parenthesized name (a cast `(socklen_t)x` it reads right).
 */
export const TYPEDEF_NAMES = ['socklen_t', 'in_addr_t', 'in_port_t', ...OPAQUE_TYPES] as const;
/**
 * The typedef names the grammar does not know as types: it reads `(socklen_t)-1`,
 * `(in_port_t)(x + 1)` or `(socklen_t)*p` as a parenthesized name (minus, call, times). The
 * checker and the interpreter take those shapes as the casts C reads; elsewhere (the name as
 * a value, `1 + (in_port_t)`) the checker says what to cast with instead.
 */
export const TYPEDEF_CASTS: Readonly<Record<string, string>> = {
  socklen_t: 'unsigned',
  in_addr_t: 'uint32_t',
  in_port_t: 'uint16_t',
};

/** The library's structs (`struct NAME`) and their fields; a program defines none of its own. */
export const STRUCTS = {
  sockaddr: ['sa_family', 'sa_data'],
  sockaddr_in: ['sin_family', 'sin_port', 'sin_addr', 'sin_zero'],
  sockaddr_in6: ['sin6_family', 'sin6_port', 'sin6_flowinfo', 'sin6_addr', 'sin6_scope_id'],
  sockaddr_storage: ['ss_family'],
  in_addr: ['s_addr'],
  in6_addr: ['s6_addr'],
  pollfd: ['fd', 'events', 'revents'],
  linger: ['l_onoff', 'l_linger'],
  timeval: ['tv_sec', 'tv_usec'],
} as const satisfies Record<string, readonly string[]>;
export type StructName = keyof typeof STRUCTS;
/** Every field name of the library's structs. */
export const FIELD_NAMES: ReadonlySet<string> = new Set(Object.values(STRUCTS).flat());

/** printf conversions the subset prints (with flags, width, precision, and hh h l ll z). */
export const FORMAT_CONVERSIONS = ['d', 'i', 'u', 'o', 'x', 'X', 'c', 's', '%'] as const;
