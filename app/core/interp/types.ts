/**
 * C types of the lab's subset, with the sizes and layouts of Linux x86-64 (LP64): what
 * `sizeof` answers, where a struct's fields are, how a value is read from bytes.
 */

/** An integer type: its size in bytes and whether it is signed. */
export interface IntType {
  kind: 'int';
  name: string;
  size: 1 | 2 | 4 | 8;
  signed: boolean;
}
export interface PtrType {
  kind: 'ptr';
  to: CType;
}
export interface ArrayType {
  kind: 'array';
  of: CType;
  len: number;
}
export interface Field {
  name: string;
  type: CType;
  offset: number;
}
export interface StructType {
  kind: 'struct';
  name: string;
  size: number;
  fields: Field[];
}
export interface VoidType {
  kind: 'void';
}
export type CType = IntType | PtrType | ArrayType | StructType | VoidType;

const int = (name: string, size: IntType['size'], signed: boolean): IntType => ({
  kind: 'int',
  name,
  size,
  signed,
});

export const T = {
  char: int('char', 1, true),
  uchar: int('unsigned char', 1, false),
  short: int('short', 2, true),
  ushort: int('unsigned short', 2, false),
  int: int('int', 4, true),
  uint: int('unsigned', 4, false),
  long: int('long', 8, true),
  ulong: int('unsigned long', 8, false),
  size_t: int('size_t', 8, false),
  ssize_t: int('ssize_t', 8, true),
  socklen_t: int('socklen_t', 4, false),
  uint8_t: int('uint8_t', 1, false),
  uint16_t: int('uint16_t', 2, false),
  uint32_t: int('uint32_t', 4, false),
  in_port_t: int('in_port_t', 2, false),
  in_addr_t: int('in_addr_t', 4, false),
  sa_family_t: int('sa_family_t', 2, false),
  nfds_t: int('nfds_t', 8, false),
  void: { kind: 'void' } as VoidType,
};

function struct(name: string, size: number, fields: [string, CType, number][]): StructType {
  return {
    kind: 'struct',
    name,
    size,
    fields: fields.map(([n, type, offset]) => ({ name: n, type, offset })),
  };
}
const arr = (of: CType, len: number): ArrayType => ({ kind: 'array', of, len });

const inAddr = struct('in_addr', 4, [['s_addr', T.in_addr_t, 0]]);
const in6Addr = struct('in6_addr', 16, [['s6_addr', arr(T.uint8_t, 16), 0]]);

/** The library's structs, by tag, laid out as glibc lays them out on x86-64. */
export const STRUCTS: Record<string, StructType> = {
  in_addr: inAddr,
  in6_addr: in6Addr,
  sockaddr: struct('sockaddr', 16, [
    ['sa_family', T.sa_family_t, 0],
    ['sa_data', arr(T.char, 14), 2],
  ]),
  sockaddr_in: struct('sockaddr_in', 16, [
    ['sin_family', T.sa_family_t, 0],
    ['sin_port', T.in_port_t, 2],
    ['sin_addr', inAddr, 4],
    ['sin_zero', arr(T.uchar, 8), 8],
  ]),
  sockaddr_in6: struct('sockaddr_in6', 28, [
    ['sin6_family', T.sa_family_t, 0],
    ['sin6_port', T.in_port_t, 2],
    ['sin6_flowinfo', T.uint32_t, 4],
    ['sin6_addr', in6Addr, 8],
    ['sin6_scope_id', T.uint32_t, 24],
  ]),
  sockaddr_storage: struct('sockaddr_storage', 128, [
    ['ss_family', T.sa_family_t, 0],
    ['__ss_padding', arr(T.char, 118), 2],
    ['__ss_align', T.ulong, 120],
  ]),
  pollfd: struct('pollfd', 8, [
    ['fd', T.int, 0],
    ['events', T.short, 4],
    ['revents', T.short, 6],
  ]),
  linger: struct('linger', 8, [
    ['l_onoff', T.int, 0],
    ['l_linger', T.int, 4],
  ]),
  timeval: struct('timeval', 16, [
    ['tv_sec', T.long, 0],
    ['tv_usec', T.long, 8],
  ]),
};

/** fd_set: 1024 bits (glibc's __fds_bits, sixteen longs). */
export const FD_SET_TYPE = struct('fd_set', 128, [['__fds_bits', arr(T.long, 16), 0]]);

/** Type names the subset knows (typedefs of the headers). */
export const TYPE_NAMES: Record<string, CType> = {
  size_t: T.size_t,
  ssize_t: T.ssize_t,
  socklen_t: T.socklen_t,
  uint8_t: T.uint8_t,
  uint16_t: T.uint16_t,
  uint32_t: T.uint32_t,
  in_port_t: T.in_port_t,
  in_addr_t: T.in_addr_t,
  sa_family_t: T.sa_family_t,
  nfds_t: T.nfds_t,
  fd_set: FD_SET_TYPE,
  bool: T.int,
};

/** sizeof. */
export function sizeOf(t: CType): number {
  switch (t.kind) {
    case 'int':
      return t.size;
    case 'ptr':
      return 8;
    case 'array':
      return sizeOf(t.of) * t.len;
    case 'struct':
      return t.size;
    case 'void':
      return 1;
  }
}

/** The type as C writes it: `int`, `char [1024]`, `struct sockaddr_in *`. */
export function typeName(t: CType): string {
  switch (t.kind) {
    case 'int':
      return t.name;
    case 'void':
      return 'void';
    case 'struct':
      return t.name === 'fd_set' ? 'fd_set' : `struct ${t.name}`;
    case 'ptr':
      return `${typeName(t.to)} *`;
    case 'array':
      return `${typeName(t.of)} [${t.len}]`;
  }
}

export const isInt = (t: CType): t is IntType => t.kind === 'int';
export const isPtrLike = (t: CType): boolean => t.kind === 'ptr' || t.kind === 'array';
export const ptrTo = (to: CType): PtrType => ({ kind: 'ptr', to });
export const arrayOf = (of: CType, len: number): ArrayType => arr(of, len);

/** `v` wrapped to the integer type's width, as C converts it. */
export function wrapInt(t: IntType, v: number): number {
  if (!Number.isFinite(v)) return 0;
  v = Math.trunc(v);
  if (t.size === 8) {
    // Kept as a double: exact up to 2^53, which is all a socket program's longs need.
    if (!t.signed && v < 0) return Number(BigInt.asUintN(64, BigInt(v)));
    return v;
  }
  const bits = t.size * 8;
  const m = 2 ** bits;
  let r = ((v % m) + m) % m;
  if (t.signed && r >= m / 2) r -= m;
  return r;
}

/** The usual arithmetic conversions of two integer types (LP64). */
export function commonType(a: IntType, b: IntType): IntType {
  const pa = promote(a);
  const pb = promote(b);
  if (pa.size !== pb.size) return pa.size > pb.size ? pa : pb;
  if (!pa.signed) return pa;
  if (!pb.signed) return pb;
  return pa;
}

/** Integer promotion: anything smaller than int becomes int. */
export function promote(t: IntType): IntType {
  return t.size < 4 ? T.int : t;
}

/** Two types are the same C type (for pointer checks). */
export function sameType(a: CType, b: CType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'int' && b.kind === 'int') return a.size === b.size && a.signed === b.signed;
  if (a.kind === 'ptr' && b.kind === 'ptr') return sameType(a.to, b.to);
  if (a.kind === 'array' && b.kind === 'array') return a.len === b.len && sameType(a.of, b.of);
  if (a.kind === 'struct' && b.kind === 'struct') return a.name === b.name;
  return true;
}
