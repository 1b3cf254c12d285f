/**
 * What the interpreter's C library shares: the constants (Linux's values), errno numbers,
 * stdout and stderr, the arguments of a library call, what a system call gives back, what
 * the library needs of the lab, and exit(). Apart from library.ts and syscalls.ts so that
 * neither imports the other for them.
 */
import type { SNode as Node } from './ast';
import { msg, type Call, type CallOut, type Message } from '../../contract/schema';
import { LINUX_ERRNO } from '../sys/errno';
import { Block, cString, fault, type Pointer } from './memory';
import { ptrTo, T, type CType, type IntType } from './types';
import { bigVal, intVal, type Value } from './values';
import { own } from '../../contract/own';

/** exit() or main's return. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** What a system call gives back to the program. */
export interface SysReturn {
  ret: number;
  errno?: string;
  bytes?: Uint8Array;
  out?: CallOut;
}

/** What the machine's library needs of the lab. */
export interface MachineIO {
  /** Make a system call through the engine (the call as the contract writes it). */
  sys(call: Call, payload?: Uint8Array, text?: string): Promise<SysReturn>;
  output(stream: 'stdout' | 'stderr', text: string): void;
  /** glibc's text for an errno number (strerror, perror). */
  strerror(errno: number): string;
  /** Wait for sleep()/usleep(): ms of real time. */
  sleep(ms: number): Promise<void>;
  /** Something the lab did differently from C on another machine (binding INADDR_ANY on loopback). */
  note(m: Message): void;
}

const ERRNO_NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(LINUX_ERRNO).map(([n, name]) => [name, Number(n)]),
);

/** Linux x86-64's values of the constants the subset knows. */
export const CONSTANTS: Record<string, number> = {
  AF_UNSPEC: 0,
  AF_INET: 2,
  AF_INET6: 10,
  PF_INET: 2,
  PF_INET6: 10,
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  IPPROTO_IP: 0,
  IPPROTO_TCP: 6,
  INADDR_ANY: 0,
  INADDR_LOOPBACK: 0x7f000001,
  SOL_SOCKET: 1,
  SO_REUSEADDR: 2,
  SO_TYPE: 3,
  SO_ERROR: 4,
  SO_SNDBUF: 7,
  SO_RCVBUF: 8,
  SO_KEEPALIVE: 9,
  SO_LINGER: 13,
  SO_REUSEPORT: 15,
  TCP_NODELAY: 1,
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  O_RDWR: 2,
  O_NONBLOCK: 0o4000,
  POLLIN: 0x1,
  POLLPRI: 0x2,
  POLLOUT: 0x4,
  POLLERR: 0x8,
  POLLHUP: 0x10,
  POLLNVAL: 0x20,
  POLLRDHUP: 0x2000,
  MSG_NOSIGNAL: 0x4000,
  INET_ADDRSTRLEN: 16,
  INET6_ADDRSTRLEN: 46,
  EXIT_SUCCESS: 0,
  EXIT_FAILURE: 1,
  FD_SETSIZE: 1024,
  BUFSIZ: 8192,
  STDIN_FILENO: 0,
  STDOUT_FILENO: 1,
  STDERR_FILENO: 2,
  EWOULDBLOCK: 11,
  ...ERRNO_NUMBERS,
};

/** The name of errno number n (Linux numbering). */
export function errnoName(n: number): string {
  return LINUX_ERRNO[n] ?? `E${n}`;
}
export function errnoNumber(name: string): number {
  return own(ERRNO_NUMBERS, name) ?? 0;
}

/** stdout and stderr, as FILE pointers the program can pass to fputs. */
export const STDOUT = new Block('stdout', 1);
export const STDERR = new Block('stderr', 1);

/**
 * The limits of <limits.h> and <stdint.h>, of LP64 Linux, with the types glibc gives them
 * (SHRT_MAX, UINT16_MAX are ints; UINT32_MAX an unsigned int; SIZE_MAX an unsigned long).
 */
export const LIMITS: Readonly<Record<string, readonly [bigint, IntType]>> = {
  CHAR_BIT: [8n, T.int],
  SCHAR_MIN: [-128n, T.int],
  SCHAR_MAX: [127n, T.int],
  UCHAR_MAX: [255n, T.int],
  CHAR_MIN: [-128n, T.int],
  CHAR_MAX: [127n, T.int],
  SHRT_MIN: [-32768n, T.int],
  SHRT_MAX: [32767n, T.int],
  USHRT_MAX: [65535n, T.int],
  INT_MIN: [-(2n ** 31n), T.int],
  INT_MAX: [2n ** 31n - 1n, T.int],
  UINT_MAX: [2n ** 32n - 1n, T.uint],
  LONG_MIN: [-(2n ** 63n), T.long],
  LONG_MAX: [2n ** 63n - 1n, T.long],
  ULONG_MAX: [2n ** 64n - 1n, T.ulong],
  UINT8_MAX: [255n, T.int],
  UINT16_MAX: [65535n, T.int],
  UINT32_MAX: [2n ** 32n - 1n, T.uint],
  SIZE_MAX: [2n ** 64n - 1n, T.ulong],
};

/** A library constant (or stdout/stderr), or undefined. */
export function libraryConstant(name: string): Value | undefined {
  if (name === 'stdout') return { k: 'ptr', t: ptrTo(T.void), p: { block: STDOUT, off: 0 } };
  if (name === 'stderr') return { k: 'ptr', t: ptrTo(T.void), p: { block: STDERR, off: 0 } };
  if (name === 'NULL') return { k: 'ptr', t: ptrTo(T.void), p: null };
  const limit = own(LIMITS, name);
  if (limit) return bigVal(limit[0], limit[1]);
  const v = own(CONSTANTS, name);
  return v === undefined ? undefined : intVal(v, v > 0x7fffffff ? T.uint : T.int);
}

/** Arguments evaluated, with the helpers a library function needs to read them. */
export class Args {
  constructor(
    readonly fn: string,
    readonly values: Value[],
    readonly nodes: Node[],
  ) {}
  count(n: number): this {
    if (this.values.length !== n)
      throw fault(msg('fault.args', { fn: this.fn, want: n, got: this.values.length }));
    return this;
  }
  int(i: number): number {
    const v = this.values[i];
    if (v?.k === 'int') return v.n;
    if (v?.k === 'ptr' && v.p === null) return 0;
    throw fault(msg('fault.argType', { fn: this.fn, n: i + 1, want: 'int' }));
  }
  ptr(i: number): Pointer | null {
    const v = this.values[i];
    if (v?.k === 'ptr') return v.p;
    if (v?.k === 'int' && v.n === 0) return null;
    throw fault(msg('fault.argType', { fn: this.fn, n: i + 1, want: 'pointer' }));
  }
  /** The pointed-to type of argument i. */
  pointee(i: number): CType | null {
    const v = this.values[i];
    return v?.k === 'ptr' ? v.t.to : null;
  }
  /** The argument as the program wrote it (for messages). */
  text(i: number): string {
    const t = this.nodes[i]?.text ?? '?';
    return t.length > 40 ? t.slice(0, 39) + '…' : t;
  }
  str(i: number): string {
    return cString(this.ptr(i), this.fn, this.text(i));
  }
}
