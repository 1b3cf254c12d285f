/**
 * C's binary arithmetic on the interpreter's values: the usual arithmetic conversions,
 * wrapping to the type's width, shifts, division by zero as a fault, and pointer arithmetic
 * in elements within one object.
 */
import { msg } from '../../contract/schema';
import type { SNode as Node } from './ast';
import { fault } from './memory';
import { commonType, promote, sizeOf, T, wrapInt, type IntType } from './types';
import { bigVal, exact, intVal, type Value } from './values';

const short = (n: Node): string => (n.text.length > 40 ? n.text.slice(0, 39) + '…' : n.text);

/** a op b for every binary operator but && and ||. */
export function arith(op: string, a: Value, b: Value, n: Node): Value {
  if (a.k === 'ptr' || b.k === 'ptr') return pointerArith(op, a, b, n);
  if (a.k !== 'int' || b.k !== 'int')
    throw fault(msg('fault.unsupported', { construct: `${op} on ${short(n)}` }));
  if (op === '<<' || op === '>>') {
    const t = promote(a.t);
    const s = BigInt(b.n & (t.size * 8 - 1));
    const x = exact(bigVal(exact(a), t));
    return bigVal(op === '<<' ? x << s : x >> s, t);
  }
  const t = commonType(a.t, b.t);
  if (t.size === 8) return arith64(op, exact(bigVal(exact(a), t)), exact(bigVal(exact(b), t)), t);
  const x = wrapInt(t, a.n);
  const y = wrapInt(t, b.n);
  switch (op) {
    case '+':
      return intVal(x + y, t);
    case '-':
      return intVal(x - y, t);
    case '*':
      return intVal(mulWrap(t, x, y), t);
    case '/':
      if (y === 0) throw fault(msg('fault.divZero'));
      return intVal(Math.trunc(x / y), t);
    case '%':
      if (y === 0) throw fault(msg('fault.divZero'));
      return intVal(x % y, t);
    case '&':
      return intVal(
        bits(t, x, y, (p, q) => p & q),
        t,
      );
    case '|':
      return intVal(
        bits(t, x, y, (p, q) => p | q),
        t,
      );
    case '^':
      return intVal(
        bits(t, x, y, (p, q) => p ^ q),
        t,
      );
    case '==':
      return intVal(x === y ? 1 : 0);
    case '!=':
      return intVal(x !== y ? 1 : 0);
    case '<':
      return intVal(x < y ? 1 : 0);
    case '<=':
      return intVal(x <= y ? 1 : 0);
    case '>':
      return intVal(x > y ? 1 : 0);
    case '>=':
      return intVal(x >= y ? 1 : 0);
  }
  throw fault(msg('fault.unsupported', { construct: op }));
}

/** An operator on two eight-byte integers of type `t`, exactly (BigInt). */
function arith64(op: string, x: bigint, y: bigint, t: IntType): Value {
  switch (op) {
    case '+':
      return bigVal(x + y, t);
    case '-':
      return bigVal(x - y, t);
    case '*':
      return bigVal(x * y, t);
    case '/':
      if (y === 0n) throw fault(msg('fault.divZero'));
      return bigVal(x / y, t);
    case '%':
      if (y === 0n) throw fault(msg('fault.divZero'));
      return bigVal(x % y, t);
    case '&':
      return bigVal(x & y, t);
    case '|':
      return bigVal(x | y, t);
    case '^':
      return bigVal(x ^ y, t);
    case '==':
      return intVal(x === y ? 1 : 0);
    case '!=':
      return intVal(x !== y ? 1 : 0);
    case '<':
      return intVal(x < y ? 1 : 0);
    case '<=':
      return intVal(x <= y ? 1 : 0);
    case '>':
      return intVal(x > y ? 1 : 0);
    case '>=':
      return intVal(x >= y ? 1 : 0);
  }
  throw fault(msg('fault.unsupported', { construct: op }));
}

function mulWrap(t: IntType, x: number, y: number): number {
  const p = BigInt(x) * BigInt(y);
  const w = BigInt(t.size * 8);
  return Number(t.signed ? BigInt.asIntN(Number(w), p) : BigInt.asUintN(Number(w), p));
}

function bits(t: IntType, x: number, y: number, f: (p: bigint, q: bigint) => bigint): number {
  return Number(f(BigInt(x), BigInt(y)) & ((1n << BigInt(t.size * 8)) - 1n));
}

function pointerArith(op: string, a: Value, b: Value, n: Node): Value {
  if (a.k === 'ptr' && b.k === 'int' && (op === '+' || op === '-')) {
    if (!a.p) throw fault(msg('fault.nullPointer', { what: short(n) }));
    const d = (op === '+' ? b.n : -b.n) * sizeOf(a.t.to);
    return { k: 'ptr', t: a.t, p: { block: a.p.block, off: a.p.off + d } };
  }
  if (a.k === 'int' && b.k === 'ptr' && op === '+') return pointerArith('+', b, a, n);
  if (a.k === 'ptr' && b.k === 'ptr') {
    const same = a.p?.block === b.p?.block;
    const oa = a.p?.off ?? 0;
    const ob = b.p?.off ?? 0;
    switch (op) {
      case '-':
        if (!same)
          throw fault(msg('fault.unsupported', { construct: 'subtracting pointers into different objects' }));
        return intVal((oa - ob) / sizeOf(a.t.to), T.long);
      case '==':
        return intVal(same && oa === ob ? 1 : 0);
      case '!=':
        return intVal(same && oa === ob ? 0 : 1);
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (!same)
          throw fault(msg('fault.unsupported', { construct: 'comparing pointers into different objects' }));
        return arith(op, intVal(oa, T.long), intVal(ob, T.long), n);
    }
  }
  if ((op === '==' || op === '!=') && (a.k === 'int' || b.k === 'int')) {
    const p = a.k === 'ptr' ? a : b;
    const z = a.k === 'int' ? a : b;
    if (p.k === 'ptr' && z.k === 'int' && z.n === 0) return intVal((p.p === null) === (op === '==') ? 1 : 0);
  }
  throw fault(msg('fault.unsupported', { construct: `${op} on pointers (${short(n)})` }));
}
