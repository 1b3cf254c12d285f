/**
 * Constant expressions, evaluated at once (array sizes, case labels, #define values): numbers,
 * characters, strings, constants and macros, arithmetic, casts, sizeof. No call, no variable.
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { fault } from './memory';
import { arith } from './arith';
import type { ExprHost } from './expr';
import { charLiteral, numberLiteral, stringBytes } from './literals';
import { ptrTo, sizeOf, T, TYPE_NAMES } from './types';
import { bigVal, convert, exact, intVal, truthy, type Value } from './values';
import { own } from '../../contract/own';

/** The value of a constant expression. */
export function constEval(h: ExprHost, n: Node): Value {
  if (n.cast && !n.cast.names.some((x) => h.variable(x))) return constEval(h, n.cast.node);
  switch (n.type) {
    case 'number_literal':
      return numberLiteral(n.text);
    case 'char_literal':
      return intVal(charLiteral(n));
    case 'string_literal':
    case 'concatenated_string':
      return { k: 'ptr', t: ptrTo(T.char), p: h.literal(n, stringBytes(n)) };
    case 'identifier': {
      const c = h.constant(n.text);
      if (c) return c;
      break;
    }
    case 'parenthesized_expression':
      return constEval(h, n.namedChild(0)!);
    case 'unary_expression': {
      const op = n.child(0)?.text ?? '';
      const v = constEval(h, n.childForFieldName('argument')!);
      if (op === '!') return intVal(truthy(v) ? 0 : 1);
      if (v.k === 'int') {
        if (op === '-') return bigVal(-exact(v), v.t.size < 4 ? T.int : v.t);
        if (op === '+') return v;
        if (op === '~') return bigVal(~exact(v), v.t.size < 4 ? T.int : v.t);
      }
      break;
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text ?? '';
      const a = constEval(h, n.childForFieldName('left')!);
      const b = constEval(h, n.childForFieldName('right')!);
      if (op === '&&') return intVal(truthy(a) && truthy(b) ? 1 : 0);
      if (op === '||') return intVal(truthy(a) || truthy(b) ? 1 : 0);
      return arith(op, a, b, n);
    }
    case 'conditional_expression':
      return truthy(constEval(h, n.childForFieldName('condition')!))
        ? constEval(h, n.childForFieldName('consequence')!)
        : constEval(h, n.childForFieldName('alternative')!);
    case 'cast_expression':
      return convert(
        constEval(h, n.childForFieldName('value')!),
        h.typeOf(n.childForFieldName('type')!),
        n.text,
      );
    case 'sizeof_expression': {
      const t = n.childForFieldName('type');
      if (t) return intVal(sizeOf(h.typeOf(t)), T.size_t);
      let v = n.childForFieldName('value')!;
      while (v.type === 'parenthesized_expression') v = v.namedChild(0)!;
      const lv = v.type === 'identifier' ? h.variable(v.text) : undefined;
      if (lv) return intVal(sizeOf(lv.t), T.size_t);
      const named = v.type === 'identifier' ? own(TYPE_NAMES, v.text) : undefined;
      if (named) return intVal(sizeOf(named), T.size_t);
      break;
    }
  }
  throw fault(msg('fault.unsupported', { construct: `the constant ${n.text.slice(0, 40)}` }));
}
