/**
 * The interpreter's memory: every object (a variable, an array, a string literal) is a block
 * of bytes with a mask of which bytes hold a value, so an out-of-bounds index, a read of an
 * uninitialised byte, a null or dangling pointer is a fault at the line that made it, not
 * garbage. Pointers are a block and an offset; stored in memory they keep that identity.
 */
import { msg, type Message } from '../../contract/schema';
import { isInt, sizeOf, wrapInt, type CType, type IntType } from './types';

/** One object. */
export class Block {
  readonly bytes: Uint8Array;
  readonly init: Uint8Array;
  alive = true;
  /** Every byte holds a value (a byte never loses its value once given one). */
  full = false;
  /** Pointers stored in this block, by offset. */
  readonly ptrs = new Map<number, Pointer>();
  constructor(
    /** The object as the program names it (`buf`, `"hello"`). */
    readonly name: string,
    size: number,
    readonly readonly = false,
  ) {
    this.bytes = new Uint8Array(size);
    this.init = new Uint8Array(size);
  }
  get size(): number {
    return this.bytes.length;
  }
}

/** A pointer to a byte of a block (null: the null pointer). */
export interface Pointer {
  block: Block;
  off: number;
}

/** A fault of the program: stops its actor at the current line with this message. */
export class CFault extends Error {
  constructor(readonly text: Message) {
    super(text.code);
  }
}

export const fault = (m: Message): CFault => new CFault(m);

/** `what` for messages: the block's name, with the index when it is inside an array. */
function what(b: Block, off: number): string {
  return off === 0 ? b.name : `${b.name}+${off}`;
}

/** Check that [off, off+n) is inside a live block. */
export function check(p: Pointer | null, n: number, name?: string): Pointer {
  if (!p) throw fault(msg('fault.nullPointer', { what: name ?? 'NULL' }));
  const b = p.block;
  if (!b.alive) throw fault(msg('fault.dangling', { what: name ?? b.name }));
  if (p.off < 0 || p.off + n > b.size)
    throw fault(msg('fault.outOfBounds', { what: name ?? b.name, index: p.off, size: b.size }));
  return p;
}

/** Read an integer of type `t` at p (little-endian, as x86-64); eight bytes only nearly (readBig). */
export function readInt(p: Pointer | null, t: IntType, name?: string): number {
  if (t.size === 8) return Number(readBig(p, t, name));
  const q = check(p, t.size, name);
  const { bytes, init } = q.block;
  for (let i = 0; i < t.size; i++)
    if (!init[q.off + i]) throw fault(msg('fault.uninit', { what: name ?? what(q.block, q.off) }));
  let v = 0;
  for (let i = t.size - 1; i >= 0; i--) v = v * 256 + bytes[q.off + i]!;
  return wrapInt(t, t.signed ? wrapSigned(v, t.size) : v);
}

/** Read an integer of type `t` at p exactly. */
export function readBig(p: Pointer | null, t: IntType, name?: string): bigint {
  const q = check(p, t.size, name);
  const { bytes, init } = q.block;
  let b = 0n;
  for (let i = t.size - 1; i >= 0; i--) {
    if (!init[q.off + i]) throw fault(msg('fault.uninit', { what: name ?? what(q.block, q.off) }));
    b = (b << 8n) | BigInt(bytes[q.off + i]!);
  }
  return t.signed ? BigInt.asIntN(t.size * 8, b) : b;
}

function wrapSigned(v: number, size: number): number {
  const m = 2 ** (size * 8);
  return v >= m / 2 ? v - m : v;
}

/** Write an integer of type `t` at p (a BigInt: exactly, wrapped to the type's width). */
export function writeInt(p: Pointer | null, t: IntType, v: number | bigint, name?: string): void {
  const q = check(p, t.size, name);
  if (q.block.readonly) throw fault(msg('fault.readOnly', { what: name ?? q.block.name }));
  const { bytes, init } = q.block;
  if (t.size === 8) {
    let b = BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number.isFinite(v) ? v : 0)));
    for (let i = 0; i < 8; i++) {
      bytes[q.off + i] = Number(b & 0xffn);
      init[q.off + i] = 1;
      b >>= 8n;
    }
  } else {
    let u =
      typeof v === 'bigint' ? Number(BigInt.asUintN(t.size * 8, v)) : wrapInt({ ...t, signed: false }, v);
    for (let i = 0; i < t.size; i++) {
      bytes[q.off + i] = u % 256;
      init[q.off + i] = 1;
      u = Math.floor(u / 256);
    }
  }
  clearPtrs(q.block, q.off, t.size);
}

/** Read a pointer stored at p. */
export function readPtr(p: Pointer | null, name?: string): Pointer | null {
  const q = check(p, 8, name);
  const stored = q.block.ptrs.get(q.off);
  if (stored) return stored;
  for (let i = 0; i < 8; i++)
    if (!q.block.init[q.off + i]) throw fault(msg('fault.uninit', { what: name ?? what(q.block, q.off) }));
  return null; // eight bytes of value and no pointer stored there: NULL (0) in the subset
}

/** Store a pointer at p. */
export function writePtr(p: Pointer | null, v: Pointer | null, name?: string): void {
  const q = check(p, 8, name);
  if (q.block.readonly) throw fault(msg('fault.readOnly', { what: name ?? q.block.name }));
  clearPtrs(q.block, q.off, 8);
  q.block.bytes.fill(0, q.off, q.off + 8);
  q.block.init.fill(1, q.off, q.off + 8);
  if (v) q.block.ptrs.set(q.off, v);
}

function clearPtrs(b: Block, off: number, n: number): void {
  if (b.ptrs.size === 0) return;
  for (const k of [...b.ptrs.keys()]) if (k + 8 > off && k < off + n) b.ptrs.delete(k);
}

/** Copy n bytes (memcpy; the init mask and stored pointers go with them). */
export function copyBytes(
  dst: Pointer | null,
  src: Pointer | null,
  n: number,
  dn?: string,
  sn?: string,
): void {
  if (n === 0) return;
  const d = check(dst, n, dn);
  const s = check(src, n, sn);
  if (d.block.readonly) throw fault(msg('fault.readOnly', { what: dn ?? d.block.name }));
  const ptrs = [...s.block.ptrs].filter(([k]) => k >= s.off && k + 8 <= s.off + n);
  d.block.bytes.set(s.block.bytes.subarray(s.off, s.off + n), d.off);
  d.block.init.set(s.block.init.subarray(s.off, s.off + n), d.off);
  clearPtrs(d.block, d.off, n);
  for (const [k, v] of ptrs) d.block.ptrs.set(d.off + (k - s.off), v);
}

/** Set n bytes to c (memset). */
export function fillBytes(dst: Pointer | null, c: number, n: number, name?: string): void {
  if (n === 0) return;
  const d = check(dst, n, name);
  if (d.block.readonly) throw fault(msg('fault.readOnly', { what: name ?? d.block.name }));
  d.block.bytes.fill(c & 0xff, d.off, d.off + n);
  d.block.init.fill(1, d.off, d.off + n);
  clearPtrs(d.block, d.off, n);
}

/** Write bytes from outside (what read() received) at p. */
export function putBytes(dst: Pointer | null, data: Uint8Array, name?: string): void {
  if (data.length === 0) return;
  const d = check(dst, data.length, name);
  d.block.bytes.set(data, d.off);
  d.block.init.fill(1, d.off, d.off + data.length);
  clearPtrs(d.block, d.off, data.length);
}

/** n bytes at p, every one of which must hold a value (what write() sends). */
export function getBytes(src: Pointer | null, n: number, name?: string): Uint8Array {
  const s = check(src, n, name);
  // indexOf runs natively: a 64 KB write does not walk its mask byte by byte in JavaScript,
  // and a block found full once is full for good.
  const b = s.block;
  if (!b.full && b.init.indexOf(0) < 0) b.full = true;
  const hole = b.full ? -1 : b.init.subarray(s.off, s.off + n).indexOf(0);
  if (hole >= 0) throw fault(msg('fault.uninit', { what: `${name ?? s.block.name}[${s.off + hole}]` }));
  return s.block.bytes.slice(s.off, s.off + n);
}

/** The C string at p, up to its NUL: a fault when it runs off its block or into bytes with no value. */
export function cString(p: Pointer | null, fn: string, name?: string): string {
  if (!p) throw fault(msg('fault.nullPointer', { what: name ?? 'NULL' }));
  const b = check(p, 0, name).block;
  let end = p.off;
  while (end < b.size && b.bytes[end] !== 0) {
    if (!b.init[end]) throw fault(msg('fault.noString', { fn, what: name ?? b.name }));
    end++;
  }
  if (end >= b.size || !b.init[end]) throw fault(msg('fault.noString', { fn, what: name ?? b.name }));
  return new TextDecoder().decode(b.bytes.subarray(p.off, end));
}

/** A block holding the string `s` and its NUL (string literals: read-only). */
export function stringBlock(s: string | Uint8Array, readonly: boolean, name: string): Block {
  const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : s;
  const b = new Block(name, bytes.length + 1, false);
  b.bytes.set(bytes);
  b.init.fill(1);
  return readonly ? freeze(b) : b;
}

function freeze(b: Block): Block {
  const r = new Block(b.name, b.size, true);
  r.bytes.set(b.bytes);
  r.init.fill(1);
  return r;
}

/** A fresh object of type t: uninitialised, or zero-filled (globals, `= {0}`). */
export function newObject(name: string, t: CType, zero: boolean): Block {
  const b = new Block(name, Math.max(1, sizeOf(t)));
  if (zero) b.init.fill(1);
  return b;
}

export { isInt };
