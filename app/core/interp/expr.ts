/**
 * Expressions: each tree-sitter expression node evaluated to a value (or to an lvalue, a
 * place), as C evaluates it — the usual arithmetic conversions, pointer arithmetic in
 * elements, short-circuit && and ||, sizeof without evaluating. Calls go to the machine.
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { check, fault, type Pointer } from './memory';
import { promote, ptrTo, sizeOf, T, TYPE_NAMES, typeName, type CType } from './types';
import { arith } from './arith';
import { charLiteral, numberLiteral, stringBytes } from './literals';
import {
  asNumber,
  bigVal,
  convert,
  exact,
  intVal,
  load,
  store,
  truthy,
  type LValue,
  type Value,
} from './values';
import { own } from '../../contract/own';

/** What expressions need of the machine. */
export interface ExprHost {
  /** The variable `name` in scope (locals, then globals), or undefined. */
  variable(name: string): LValue | undefined;
  /** A #define's value, or a library constant, as a value; undefined if none. */
  constant(name: string): Value | undefined;
  /** Call a function of the program or of the library. */
  call(name: string, args: Node[], node: Node): Promise<Value>;
  /** The type a type_descriptor (casts, sizeof) names. */
  typeOf(desc: Node): CType;
  /** The block of a string literal (one per literal node, read-only). */
  literal(node: Node, text: Uint8Array): Pointer;
}

const short = (n: Node): string => (n.text.length > 40 ? n.text.slice(0, 39) + '…' : n.text);

function field(n: Node, name: string): Node {
  const c = n.childForFieldName(name);
  if (!c) throw fault(msg('fault.unsupported', { construct: n.type }));
  return c;
}

/** The operator token of a binary, unary, update or assignment expression. */
function operator(n: Node): string {
  const op = n.childForFieldName('operator');
  if (op) return op.text;
  for (const c of n.children) if (c && !c.isNamed) return c.text;
  return '';
}

/** Evaluate to a value. */
export async function evaluate(h: ExprHost, n: Node): Promise<Value> {
  // `(socklen_t)-1`: a cast where no variable has the name (casts.ts).
  if (n.cast && !n.cast.names.some((x) => h.variable(x))) return evaluate(h, n.cast.node);
  switch (n.type) {
    case 'number_literal':
      return numberLiteral(n.text);
    case 'char_literal':
      return intVal(charLiteral(n), T.int);
    case 'string_literal':
    case 'concatenated_string': {
      const bytes = stringBytes(n);
      return { k: 'ptr', t: ptrTo(T.char), p: h.literal(n, bytes) };
    }
    case 'true':
      return intVal(1);
    case 'false':
      return intVal(0);
    case 'null':
      return { k: 'ptr', t: ptrTo(T.void), p: null };
    case 'identifier': {
      const v = h.variable(n.text);
      if (v) return load(v);
      const c = h.constant(n.text);
      if (c) return c;
      throw fault(msg('fault.undeclared', { name: n.text }));
    }
    case 'parenthesized_expression':
      return evaluate(h, n.namedChild(0)!);
    case 'subscript_expression':
    case 'field_expression':
      return load(await place(h, n));
    case 'pointer_expression': {
      if (operator(n) === '&') {
        const lv = await place(h, field(n, 'argument'));
        return { k: 'ptr', t: ptrTo(lv.t), p: lv.p };
      }
      return load(await place(h, n));
    }
    case 'assignment_expression':
      return assign(h, n);
    case 'update_expression': {
      const lv = await place(h, field(n, 'argument'));
      const old = load(lv);
      const op = operator(n);
      const next = arith(op.startsWith('+') ? '+' : '-', old, intVal(1), n);
      store(lv, next);
      const prefix = n.child(0)?.isNamed === false;
      return prefix ? load(lv) : old;
    }
    case 'unary_expression': {
      const op = operator(n);
      const v = await evaluate(h, field(n, 'argument'));
      if (op === '!') return intVal(truthy(v) ? 0 : 1);
      const t = v.k === 'int' ? promote(v.t) : T.int;
      // Exactly, as a BigInt (eight-byte values do not fit a double).
      const x = v.k === 'int' ? exact(v) : BigInt(asNumber(v, short(n)));
      if (op === '-') return bigVal(-x, t);
      if (op === '+') return bigVal(x, t);
      if (op === '~') return bigVal(~x, t);
      throw fault(msg('fault.unsupported', { construct: op }));
    }
    case 'binary_expression':
      return binary(h, n);
    case 'conditional_expression':
      return truthy(await evaluate(h, field(n, 'condition')))
        ? evaluate(h, field(n, 'consequence'))
        : evaluate(h, field(n, 'alternative'));
    case 'comma_expression':
      await evaluate(h, field(n, 'left'));
      return evaluate(h, field(n, 'right'));
    case 'cast_expression': {
      const t = h.typeOf(field(n, 'type'));
      return convert(await evaluate(h, field(n, 'value')), t, short(n));
    }
    case 'sizeof_expression':
      return intVal(sizeOf(sizeofType(h, n)), T.size_t);
    case 'call_expression': {
      const fn = field(n, 'function');
      if (fn.type !== 'identifier')
        throw fault(msg('fault.unsupported', { construct: 'a call through a pointer' }));
      const args = field(n, 'arguments').namedChildren.filter(
        (c): c is Node => c !== null && c.type !== 'comment',
      );
      return h.call(fn.text, args, n);
    }
    default:
      throw fault(msg('fault.unsupported', { construct: n.type.replace(/_/g, ' ') }));
  }
}

/** Evaluate to a place (an lvalue). */
export async function place(h: ExprHost, n: Node): Promise<LValue> {
  switch (n.type) {
    case 'identifier': {
      const v = h.variable(n.text);
      if (!v) throw fault(msg('fault.undeclared', { name: n.text }));
      return v;
    }
    case 'parenthesized_expression':
      return place(h, n.namedChild(0)!);
    case 'subscript_expression': {
      const base = await evaluate(h, field(n, 'argument'));
      const idx = asNumber(await evaluate(h, field(n, 'index')), short(n));
      if (base.k !== 'ptr') throw fault(msg('fault.notPointer', { what: short(field(n, 'argument')) }));
      return element(base, idx, field(n, 'argument').text);
    }
    case 'field_expression': {
      const arrow = operator(n) === '->';
      const arg = field(n, 'argument');
      let lv: LValue;
      if (arrow) {
        const p = await evaluate(h, arg);
        if (p.k !== 'ptr') throw fault(msg('fault.notPointer', { what: short(arg) }));
        check(p.p, sizeOf(p.t.to), short(arg));
        lv = { p: p.p!, t: p.t.to, name: `*${short(arg)}` };
      } else lv = await place(h, arg);
      if (lv.t.kind !== 'struct')
        throw fault(msg('fault.unsupported', { construct: `${short(n)}: not a struct` }));
      const name = field(n, 'field').text;
      const f = lv.t.fields.find((x) => x.name === name);
      if (!f) throw fault(msg('fault.undeclared', { name: `${typeName(lv.t)}.${name}` }));
      return { p: { block: lv.p.block, off: lv.p.off + f.offset }, t: f.type, name: short(n) };
    }
    case 'pointer_expression': {
      if (operator(n) !== '*') break;
      const arg = field(n, 'argument');
      const p = await evaluate(h, arg);
      if (p.k !== 'ptr') throw fault(msg('fault.notPointer', { what: short(arg) }));
      if (p.t.to.kind === 'void')
        throw fault(msg('fault.unsupported', { construct: 'dereferencing a void *' }));
      check(p.p, sizeOf(p.t.to), `*${short(arg)}`);
      return { p: p.p!, t: p.t.to, name: `*${short(arg)}` };
    }
  }
  throw fault(msg('fault.unsupported', { construct: `assignment to ${short(n)}` }));
}

/** The element idx of what pointer v points into, checked against its object. */
function element(v: Value & { k: 'ptr' }, idx: number, name: string): LValue {
  const size = sizeOf(v.t.to);
  if (!v.p) throw fault(msg('fault.nullPointer', { what: name }));
  const p = { block: v.p.block, off: v.p.off + idx * size };
  if (!p.block.alive) throw fault(msg('fault.dangling', { what: name }));
  if (p.off < 0 || p.off + size > p.block.size)
    throw fault(
      msg('fault.outOfBounds', { what: name, index: idx, size: Math.floor((p.block.size - v.p.off) / size) }),
    );
  return { p, t: v.t.to, name: `${name}[${idx}]` };
}

async function assign(h: ExprHost, n: Node): Promise<Value> {
  const lv = await place(h, field(n, 'left'));
  const op = operator(n);
  let v = await evaluate(h, field(n, 'right'));
  if (op !== '=') v = arith(op.slice(0, -1), load(lv), v, n);
  if (lv.t.kind === 'array')
    throw fault(msg('fault.unsupported', { construct: `assignment to the array ${lv.name}` }));
  store(lv, v);
  return load(lv);
}

async function binary(h: ExprHost, n: Node): Promise<Value> {
  const op = operator(n);
  if (op === '&&') {
    if (!truthy(await evaluate(h, field(n, 'left')))) return intVal(0);
    return intVal(truthy(await evaluate(h, field(n, 'right'))) ? 1 : 0);
  }
  if (op === '||') {
    if (truthy(await evaluate(h, field(n, 'left')))) return intVal(1);
    return intVal(truthy(await evaluate(h, field(n, 'right'))) ? 1 : 0);
  }
  const a = await evaluate(h, field(n, 'left'));
  const b = await evaluate(h, field(n, 'right'));
  return arith(op, a, b, n);
}

/** The type sizeof measures, without evaluating its operand. */
function sizeofType(h: ExprHost, n: Node): CType {
  const t = n.childForFieldName('type');
  if (t) return h.typeOf(t);
  let v = field(n, 'value');
  while (v.type === 'parenthesized_expression') v = v.namedChild(0)!;
  if (v.type === 'identifier') {
    const lv = h.variable(v.text);
    if (lv) return lv.t;
    const named = own(TYPE_NAMES, v.text);
    if (named) return named;
    const c = h.constant(v.text);
    if (c && c.k === 'int') return c.t;
  }
  return staticType(h, v);
}

/** The type of an expression without evaluating it (for sizeof of fields, indexes, literals). */
function staticType(h: ExprHost, n: Node): CType {
  switch (n.type) {
    case 'identifier': {
      const lv = h.variable(n.text);
      if (lv) return lv.t;
      break;
    }
    case 'field_expression': {
      let base = staticType(h, field(n, 'argument'));
      if (operator(n) === '->' && base.kind === 'ptr') base = base.to;
      if (base.kind === 'struct') {
        const f = base.fields.find((x) => x.name === field(n, 'field').text);
        if (f) return f.type;
      }
      break;
    }
    case 'subscript_expression': {
      const base = staticType(h, field(n, 'argument'));
      if (base.kind === 'array') return base.of;
      if (base.kind === 'ptr') return base.to;
      break;
    }
    case 'pointer_expression': {
      const base = staticType(h, field(n, 'argument'));
      if (operator(n) === '&') return ptrTo(base);
      if (base.kind === 'ptr') return base.to;
      if (base.kind === 'array') return base.of;
      break;
    }
    case 'string_literal':
    case 'concatenated_string':
      return { kind: 'array', of: T.char, len: stringBytes(n).length + 1 };
    case 'number_literal':
      return numberLiteral(n.text).t as CType;
    case 'char_literal':
      return T.int;
    case 'parenthesized_expression':
      return staticType(h, n.namedChild(0)!);
  }
  throw fault(msg('fault.unsupported', { construct: `sizeof ${short(n)}` }));
}
