/**
 * Expressions in the subset: operators, literals, names, calls (their arguments counted, a
 * printf format's conversions counted), casts and sizeof; and which expressions are constants
 * (array sizes, case values).
 */
import type { Node } from 'web-tree-sitter';
import { firstToken, MAX_DEPTH, quote, type Ctx } from './context';
import {
  CONSTANT_NAMES,
  FIELD_NAMES,
  FORMAT_ARG,
  FORMAT_CONVERSIONS,
  LIB_IDENTIFIERS,
  LIB_SIGNATURES,
  NEEDS_FEATURE,
  NOT_AVAILABLE_CONSTANTS,
  TYPEDEF_CASTS,
  TYPEDEF_NAMES,
  isNotAvailable,
  type Header,
  type LibCallable,
} from './names';
import { own } from '../own';
import { typeName } from './types';

const CONSTANTS: ReadonlySet<string> = new Set(CONSTANT_NAMES);
const UNAVAILABLE_CONSTANTS: ReadonlySet<string> = new Set(NOT_AVAILABLE_CONSTANTS);
const CONVERSIONS: ReadonlySet<string> = new Set(FORMAT_CONVERSIONS);
const TYPEDEFS: ReadonlySet<string> = new Set(TYPEDEF_NAMES);
/** Prefix operators, by the field of their operand. */
const PREFIX: Readonly<Record<string, string>> = {
  cast_expression: 'value',
  unary_expression: 'argument',
  pointer_expression: 'argument',
};
/** An integer literal of C11: decimal, octal or hexadecimal, with u and l suffixes. */
const INTEGER = /^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/;
const FLOATING =
  /^(?:[0-9]*\.[0-9]*(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|0[xX][0-9a-fA-F.]*[pP][+-]?[0-9]+)[fFlL]?$/;
const ESCAPE = /^\\(?:[abfnrtv\\'"?]|[0-7]{1,3}|x[0-9a-fA-F]+)$/;
/** A printf conversion: flags, width, precision, length, the conversion. */
const CONVERSION = /%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?(hh|h|ll|l|z)?(.?)/g;

/** Check an expression; `comma`: the comma operator is allowed here (a for's parentheses). */
export function expression(ctx: Ctx, node: Node | null, comma = false): void {
  if (!node || node.type === 'comment' || !ctx.enter(node)) return;
  try {
    check(ctx, node, comma);
  } finally {
    ctx.leave();
  }
}

function check(ctx: Ctx, node: Node, comma: boolean): void {
  const field = (name: string) => node.childForFieldName(name);
  switch (node.type) {
    case 'identifier':
      return name(ctx, node);
    case 'number_literal': {
      // The grammar takes a sign into the literal (-1): the sign is C's unary operator.
      const digits = node.text.replace(/^[-+]\s*/, '');
      if (FLOATING.test(digits)) ctx.report(node, 'c.floatingPoint', { text: quote(node.text) });
      else if (!INTEGER.test(digits)) ctx.report(node, 'c.number', { text: quote(node.text) });
      return;
    }
    case 'char_literal':
    case 'string_literal':
      return literal(ctx, node);
    case 'concatenated_string':
      for (const c of node.namedChildren) expression(ctx, c);
      return;
    case 'null':
      if (node.text !== 'NULL') ctx.report(node, 'c.unsupportedExpression', { construct: node.text });
      return;
    case 'true':
    case 'false':
      return ctx.report(node, 'c.unknownName', { name: node.text });
    case 'parenthesized_expression':
      if (node.namedChildren.some((c) => c.type === 'compound_statement')) {
        return ctx.report(node, 'c.statementExpression');
      }
      for (const c of node.namedChildren) expression(ctx, c);
      return;
    case 'comma_expression':
      if (!comma) ctx.report(node, 'c.comma');
      expression(ctx, field('left'), true);
      expression(ctx, field('right'), true);
      return;
    case 'binary_expression':
    case 'assignment_expression':
      expression(ctx, field('left'));
      expression(ctx, field('right'));
      return;
    case 'unary_expression':
    case 'update_expression':
    case 'pointer_expression':
      return expression(ctx, field('argument'));
    case 'conditional_expression':
      if (!field('consequence')) ctx.report(node, 'c.unsupportedExpression', { construct: '?:' });
      expression(ctx, field('condition'));
      expression(ctx, field('consequence'));
      expression(ctx, field('alternative'));
      return;
    case 'cast_expression':
      typeName(ctx, field('type')!, 'cast');
      return expression(ctx, field('value'));
    case 'sizeof_expression': {
      const type = field('type');
      if (type) typeName(ctx, type, 'sizeof');
      const value = field('value');
      // sizeof(socklen_t): the grammar reads a typedef name as a parenthesized name.
      const only = value?.type === 'parenthesized_expression' ? value.namedChildren : [];
      if (only.length === 1 && only[0]!.type === 'identifier' && TYPEDEFS.has(only[0]!.text)) return;
      return expression(ctx, value);
    }
    case 'subscript_expression':
      expression(ctx, field('argument'));
      return expression(ctx, field('index'));
    case 'field_expression': {
      expression(ctx, field('argument'));
      const f = field('field');
      if (f && !FIELD_NAMES.has(f.text)) ctx.report(f, 'c.unknownField', { name: f.text });
      return;
    }
    case 'call_expression':
      return call(ctx, node);
    case 'compound_literal_expression':
      return ctx.report(node, 'c.compoundLiteral');
  }
  // _Generic, offsetof, __extension__, asm, a brace list where a value belongs, …
  const construct = node.type === 'initializer_list' ? '{ … }' : firstToken(node);
  ctx.report(node, 'c.unsupportedExpression', { construct });
}

/** A name used as a value: a variable, a macro, a constant or variable of the library. */
function name(ctx: Ctx, node: Node): void {
  const n = node.text;
  if (ctx.isVariable(n) || ctx.macros.has(n)) return;
  if (typedefCast(ctx, node.parent)) return;
  if (CONSTANTS.has(n)) return needsHeader(ctx, node, []);
  if (Object.hasOwn(LIB_IDENTIFIERS, n)) {
    return needsHeader(ctx, node, LIB_IDENTIFIERS[n as keyof typeof LIB_IDENTIFIERS]);
  }
  if (ctx.functions.has(n) || Object.hasOwn(LIB_SIGNATURES, n)) ctx.report(node, 'c.functionPointer');
  else if (UNAVAILABLE_CONSTANTS.has(n)) ctx.report(node, 'c.constantNotAvailable', { name: n });
  else if (isNotAvailable(n)) ctx.report(node, 'c.notAvailable', { name: n });
  else ctx.report(node, 'c.unknownName', { name: n });
}

/**
 * `(socklen_t)` read by the grammar as a parenthesized name: a cast where C reads one (see
 * castShape), else reported. True when the name is a typedef's, not a variable's.
 */
function typedefCast(ctx: Ctx, paren: Node | null): boolean {
  const only = paren?.type === 'parenthesized_expression' ? paren.namedChildren : [];
  const type = only.length === 1 && only[0]!.type === 'identifier' ? only[0]!.text : '';
  if (!Object.hasOwn(TYPEDEF_CASTS, type) || ctx.isVariable(type)) return false;
  if (!castShape(paren!)) ctx.report(paren!, 'c.typedefCast', { type, instead: TYPEDEF_CASTS[type]! });
  return true;
}

/**
 * Where the grammar reads a cast to a typedef name it does not know as something else, as
 * the interpreter takes it (app/core/interp/casts.ts): `(socklen_t)-1`, `(socklen_t)+n`,
 * `(in_addr_t)*p`, `(T)&x` (the parenthesized name, or prefix operators ending with it as in
 * `(int)(socklen_t)-1`, just before a binary - + * or &) and
 * `(in_port_t)(x + 1)` (a call of it with one argument).
 */
function castShape(paren: Node): boolean {
  // Prefix operators around it: `(int)(socklen_t)-1`, `-(socklen_t)-1`.
  let top = paren;
  for (let up = top.parent; up; up = top.parent) {
    const field = own(PREFIX, up.type);
    if (!field || up.childForFieldName(field)?.id !== top.id) break;
    top = up;
  }
  // The operator just after it: of the first binary expression it is (at the end of) the left side of.
  let left = top;
  while (left.parent?.type === 'binary_expression' && left.parent.childForFieldName('right')?.id === left.id)
    left = left.parent;
  const up = left.parent;
  if (up?.type === 'binary_expression' && up.childForFieldName('left')?.id === left.id) {
    return ['-', '+', '*', '&'].includes(up.childForFieldName('operator')?.text ?? '');
  }
  if (up?.type === 'call_expression' && up.childForFieldName('function')?.id === paren.id) {
    const args = up.childForFieldName('arguments')?.namedChildren.filter((c) => c?.type !== 'comment');
    return args?.length === 1;
  }
  return false;
}

/**
 * A library name used without any header that declares it, or without the feature-test
 * macro glibc declares it under (each reported once per name).
 */
function needsHeader(ctx: Ctx, node: Node, headers: readonly Header[]): void {
  const n = node.text;
  if (ctx.headerReported.has(n)) return;
  const features = Object.hasOwn(NEEDS_FEATURE, n) ? NEEDS_FEATURE[n]! : [];
  if (headers.length > 0 && !headers.some((h) => ctx.headers.has(h))) {
    ctx.report(node, 'c.needsHeader', { name: n, header: headers[0]! });
  } else if (features.length > 0 && !features.some((f) => ctx.features.has(f))) {
    ctx.report(node, 'c.needsFeature', { name: n, macro: features[0]! });
  } else return;
  ctx.headerReported.add(n);
}

/** A character or string literal: no prefix (L, u8…), escapes of C, one character in '…'. */
function literal(ctx: Ctx, node: Node): void {
  const open = node.child(0)?.type ?? '';
  const parts = node.namedChildren.filter((c) => c.type !== 'comment');
  if (open !== '"' && open !== "'") {
    return ctx.report(node, 'c.unsupportedExpression', { construct: quote(node.text) });
  }
  if (node.type === 'char_literal' && parts.length !== 1) {
    return ctx.report(node, 'c.unsupportedExpression', { construct: quote(node.text) });
  }
  for (const p of parts) {
    if (p.type === 'escape_sequence' && !ESCAPE.test(p.text)) ctx.report(p, 'c.escape', { text: p.text });
  }
}

/** A call: to a function of the program (declared above) or of the library, with its arguments. */
function call(ctx: Ctx, node: Node): void {
  const fn = node.childForFieldName('function')!;
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c.type !== 'comment');
  const n = fn.text;
  if (typedefCast(ctx, fn)) {
    // (in_port_t)(x + 1): a cast (or reported, with more than one argument).
  } else if (fn.type !== 'identifier' || ctx.isVariable(n)) {
    ctx.report(fn, 'c.functionPointer');
  } else if (ctx.functions.has(n)) {
    const want = ctx.functions.get(n)!.params;
    if (!ctx.declared.has(n)) ctx.report(fn, 'c.declareBefore', { name: n });
    if (want !== null && want !== args.length)
      ctx.report(node, 'c.argCount', { name: n, want, got: args.length });
  } else if (Object.hasOwn(LIB_SIGNATURES, n)) {
    const lib = LIB_SIGNATURES[n as LibCallable];
    needsHeader(ctx, fn, lib.headers);
    arity(ctx, node, n, lib.args, args.length);
    const f = FORMAT_ARG[n as LibCallable];
    if (f !== undefined && args[f]) format(ctx, n, args[f], args.length - f - 1);
  } else {
    // An unknown or unavailable call: its arguments would only add noise.
    if (isNotAvailable(n)) ctx.report(fn, 'c.notAvailable', { name: n });
    else ctx.report(fn, 'c.unknownFunction', { name: n });
    return;
  }
  for (const a of args) expression(ctx, a);
}

/** The number of arguments of a library call. */
function arity(ctx: Ctx, node: Node, name: string, [min, max]: readonly [number, number], got: number): void {
  if (got >= min && got <= max) return;
  if (min === max) ctx.report(node, 'c.argCount', { name, want: min, got });
  else if (max === Infinity) ctx.report(node, 'c.argCountMin', { name, min, got });
  else ctx.report(node, 'c.argCountRange', { name, min, max, got });
}

/** A literal format of printf or snprintf: its conversions supported, as many values as given. */
function format(ctx: Ctx, name: string, fmt: Node, given: number): void {
  const strings =
    fmt.type === 'string_literal' ? [fmt] : fmt.type === 'concatenated_string' ? fmt.namedChildren : [];
  if (strings.length === 0 || strings.some((s) => s.type !== 'string_literal')) return;
  const text = strings.map((s) => s.namedChildren.map((c) => c.text).join('')).join('');
  let want = 0;
  for (const m of text.matchAll(CONVERSION)) {
    const [conv, , width, precision, , c] = m;
    if (c === '%') continue;
    if (!c || !CONVERSIONS.has(c)) ctx.report(fmt, 'c.formatConversion', { name, conv: quote(conv) });
    want += 1 + (width === '*' ? 1 : 0) + (precision === '*' ? 1 : 0);
  }
  if (want !== given) ctx.report(fmt, 'c.formatArgs', { name, want, got: given });
}

/** Whether an expression is a constant of C (an array size, a case value). */
export function isConstant(ctx: Ctx, node: Node | null, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  const sub = (f: string) => isConstant(ctx, node.childForFieldName(f), depth + 1);
  switch (node.type) {
    case 'number_literal':
    case 'char_literal':
    case 'sizeof_expression':
      return true;
    case 'identifier':
      return ctx.macros.has(node.text) || CONSTANTS.has(node.text);
    case 'parenthesized_expression':
      return node.namedChildren.length === 1 && isConstant(ctx, node.namedChildren[0]!, depth + 1);
    case 'unary_expression':
      return sub('argument');
    case 'binary_expression':
      return sub('left') && sub('right');
    case 'conditional_expression':
      return sub('condition') && sub('consequence') && sub('alternative');
    case 'cast_expression':
      return sub('value');
  }
  return false;
}
