/**
 * Values of the interpreter and the places that hold them: an integer with its C type, a
 * pointer, a struct's bytes; an lvalue is a typed place in memory. Loading and storing go
 * through memory.ts, so every fault is checked there.
 */
import { msg } from '../../contract/schema';
import {
  Block,
  copyBytes,
  fault,
  readBig,
  readInt,
  readPtr,
  writeInt,
  writePtr,
  type Pointer,
} from './memory';
import {
  isInt,
  ptrTo,
  sizeOf,
  T,
  wrapInt,
  type CType,
  type IntType,
  type PtrType,
  type StructType,
} from './types';

/**
 * An integer: `n` its value as a number; an eight-byte integer also carries its exact value
 * `x` (a double is exact only up to 2^53: `(size_t)-1`, ULONG_MAX / 3 are not), which its
 * arithmetic, conversions, stores and printf use. `n` is exact for every smaller type.
 */
export type IntValue = { k: 'int'; t: IntType; n: number; x?: bigint };
export type Value =
  | IntValue
  | { k: 'ptr'; t: PtrType; p: Pointer | null }
  | { k: 'struct'; t: StructType; p: Pointer }
  | { k: 'void' };

/** A typed place in memory, with the name the program gives it. */
export interface LValue {
  p: Pointer;
  t: CType;
  name: string;
}

export const intVal = (n: number, t: IntType = T.int): Value =>
  t.size === 8 && Number.isFinite(n) ? bigVal(BigInt(Math.trunc(n)), t) : { k: 'int', t, n: wrapInt(t, n) };

/** The integer of type `t` that the exact value `x` wraps to (two's complement, as C converts). */
export function bigVal(x: bigint, t: IntType): IntValue {
  const w = t.signed ? BigInt.asIntN(t.size * 8, x) : BigInt.asUintN(t.size * 8, x);
  return t.size === 8 ? { k: 'int', t, n: Number(w), x: w } : { k: 'int', t, n: Number(w) };
}

/** An integer's exact value. */
export function exact(v: IntValue): bigint {
  return v.x ?? BigInt(v.n);
}
export const VOID: Value = { k: 'void' };

/** The value an lvalue holds (an array decays to a pointer to its first element). */
export function load(lv: LValue): Value {
  const t = lv.t;
  switch (t.kind) {
    case 'int':
      return t.size === 8
        ? bigVal(readBig(lv.p, t, lv.name), t)
        : { k: 'int', t, n: readInt(lv.p, t, lv.name) };
    case 'ptr':
      return { k: 'ptr', t, p: readPtr(lv.p, lv.name) };
    case 'array':
      return { k: 'ptr', t: ptrTo(t.of), p: lv.p };
    case 'struct':
      return { k: 'struct', t, p: lv.p };
    case 'void':
      return VOID;
  }
}

/** Store v into lv, converted to lv's type as assignment converts. */
export function store(lv: LValue, v: Value): void {
  const t = lv.t;
  if (t.kind === 'int') return writeInt(lv.p, t, v.k === 'int' ? exact(v) : asNumber(v, lv.name), lv.name);
  if (t.kind === 'ptr') {
    if (v.k === 'ptr') return writePtr(lv.p, v.p, lv.name);
    if (v.k === 'int' && v.n === 0) return writePtr(lv.p, null, lv.name);
    throw fault(msg('fault.notPointer', { what: lv.name }));
  }
  if (t.kind === 'struct' && v.k === 'struct') return copyBytes(lv.p, v.p, t.size, lv.name);
  throw fault(msg('fault.unsupported', { construct: `assignment to ${lv.name}` }));
}

/** An integer (a pointer counts as non-null 1 / null 0 only for truth tests). */
export function asNumber(v: Value, what: string): number {
  if (v.k === 'int') return v.n;
  if (v.k === 'ptr') return v.p ? 1 : 0;
  throw fault(msg('fault.unsupported', { construct: `${what} used as a number` }));
}

export function truthy(v: Value): boolean {
  if (v.k === 'int') return v.n !== 0;
  if (v.k === 'ptr') return v.p !== null;
  throw fault(msg('fault.unsupported', { construct: 'a struct used as a condition' }));
}

/** v converted to type t (a cast). */
export function convert(v: Value, t: CType, what: string): Value {
  if (t.kind === 'void') return VOID;
  if (t.kind === 'int') {
    if (v.k === 'int') return bigVal(exact(v), t);
    if (v.k === 'ptr') return { k: 'int', t, n: v.p ? 1 : 0 };
    throw fault(msg('fault.unsupported', { construct: `cast of ${what}` }));
  }
  if (t.kind === 'ptr') {
    if (v.k === 'ptr') return { k: 'ptr', t, p: v.p };
    if (v.k === 'int' && v.n === 0) return { k: 'ptr', t, p: null };
    throw fault(msg('fault.notPointer', { what }));
  }
  if (t.kind === 'struct' && v.k === 'struct' && v.t.name === t.name) return v;
  throw fault(msg('fault.unsupported', { construct: `cast of ${what}` }));
}

/** A fresh variable: a block of its type's size, named as the program names it. */
export function newVar(name: string, t: CType, zero: boolean): LValue {
  const b = new Block(name, Math.max(1, sizeOf(t)));
  if (zero) b.init.fill(1);
  return { p: { block: b, off: 0 }, t, name };
}

export { isInt };
