/**
 * Declarations in the subset: variables and arrays (global or local, several to a
 * declaration, with initializers and brace lists), prototypes at the top level, and the
 * parameters of a function.
 */
import type { Node } from 'web-tree-sitter';
import { quote, type Ctx } from './context';
import { expression, isConstant } from './expressions';
import { FIELD_NAMES } from './names';
import { checkShape, shape, specifiers, type Shape } from './types';

/** Where a declaration stands. */
export type Place = 'global' | 'local';

/** A parameter as the signature check of main needs it. */
export interface Param {
  base: string | null;
  shape: Shape;
}

/** A declaration statement: its type, then each declarator with its initializer. */
export function declaration(ctx: Ctx, node: Node, place: Place): void {
  const base = specifiers(ctx, node);
  const declarators = node.childrenForFieldName('declarator');
  if (declarators.length === 0 && base !== null) {
    ctx.report(node, 'c.unsupportedStatement', { construct: quote(node.text) });
  }
  for (const d of declarators) {
    const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    const s = shape(ctx, d);
    if (s.params && !s.refused) {
      prototype(ctx, d, s, base, place);
      continue;
    }
    if (s.name) ctx.declare(s.name);
    if (s.refused) continue;
    checkShape(ctx, base, s, 'var', d);
    const name = s.name?.text ?? '';
    for (const size of s.arrays) {
      if (!size) {
        if (!value) ctx.report(d, 'c.arraySize', { name });
      } else if (!isConstant(ctx, size)) ctx.report(size, 'c.vla', { name });
      else expression(ctx, size);
    }
    if (place === 'global' && value && value.descendantsOfType('call_expression').length > 0) {
      ctx.report(value, 'c.globalInit', { name });
    }
    if (value?.type === 'initializer_list') initializer(ctx, value);
    else expression(ctx, value);
  }
}

/** A function's prototype: at the top level only. */
function prototype(ctx: Ctx, d: Node, s: Shape, base: string | null, place: Place): void {
  const name = s.name?.text ?? '';
  if (place !== 'global') return ctx.report(d, 'c.functionInFunction', { name });
  checkShape(ctx, base, { ...s, params: null }, 'return', d);
  parameters(ctx, s.params!, name, false);
  ctx.declared.add(name);
}

/** A brace initializer: values, nested lists, `.field =` designators. */
export function initializer(ctx: Ctx, list: Node): void {
  if (!ctx.enter(list)) return;
  try {
    for (const c of list.namedChildren) {
      if (c.type === 'initializer_list') initializer(ctx, c);
      else if (c.type === 'initializer_pair') {
        for (const des of c.childrenForFieldName('designator')) {
          const field = des.type === 'field_designator' ? des.namedChildren[0] : null;
          if (!field) ctx.report(des, 'c.unsupportedExpression', { construct: `${quote(des.text)} =` });
          else if (!FIELD_NAMES.has(field.text)) ctx.report(field, 'c.unknownField', { name: field.text });
        }
        const value = c.childForFieldName('value');
        if (value?.type === 'initializer_list') initializer(ctx, value);
        else expression(ctx, value);
      } else expression(ctx, c);
    }
  } finally {
    ctx.leave();
  }
}

/**
 * The parameters of a function `name` (a definition declares them in the current scope).
 * Null for `()` or refused lists, else each parameter; `(void)` has none.
 */
export function parameters(ctx: Ctx, list: Node, name: string, definition: boolean): Param[] | null {
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  if (items.some((c) => c.type === 'identifier')) {
    ctx.report(list, 'c.krDefinition', { name });
    return null;
  }
  if (items.length === 0) return null;
  const first = items[0]!;
  if (items.length === 1 && first.type === 'parameter_declaration' && first.text.trim() === 'void') return [];
  const params: Param[] = [];
  for (const p of items) {
    if (p.type === 'variadic_parameter') {
      ctx.report(p, 'c.variadic', { name });
      return null;
    }
    if (p.type !== 'parameter_declaration') {
      ctx.report(p, 'c.unsupportedType', { type: quote(p.text) });
      return null;
    }
    const base = specifiers(ctx, p);
    const s = shape(ctx, p.childForFieldName('declarator'));
    if (s.params) {
      if (!s.refused) ctx.report(p, 'c.functionPointer');
      return null;
    }
    const argv = name === 'main' && params.length === 1;
    checkShape(ctx, base, s, argv ? 'argv' : 'param', p);
    if (definition && s.name) ctx.declare(s.name);
    params.push({ base, shape: s });
  }
  return params;
}

/** The number of parameters a list declares, as a call must give (null: not known, `()`). */
export function parameterCount(list: Node | null): number | null {
  const items = (list?.namedChildren ?? []).filter((c) => c.type !== 'comment');
  if (items.length === 0 || items.some((c) => c.type !== 'parameter_declaration')) return null;
  return items.length === 1 && items[0]!.text.trim() === 'void' ? 0 : items.length;
}
