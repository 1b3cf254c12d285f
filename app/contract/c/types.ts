/**
 * Types in the subset: a declaration's specifiers (its base type, `static`, `const`), the
 * shape of a declarator (pointers, arrays, a function's parameters) and type names in casts
 * and sizeof. Each refuses what the subset has not, reporting on the context.
 */
import type { Node } from 'web-tree-sitter';
import { firstToken, quote, type Ctx } from './context';
import { OPAQUE_TYPES, STRUCTS } from './names';

/** Type names the grammar gives as one word, accepted as they are. */
const WORD_TYPES = new Set<string>([
  'int',
  'char',
  'void',
  'size_t',
  'ssize_t',
  'uint8_t',
  'uint16_t',
  'uint32_t',
  'socklen_t',
  'in_addr_t',
  'in_port_t',
  ...OPAQUE_TYPES,
]);
/** Type words the subset's specifiers may combine (signed, unsigned, short, long). */
const SIZE_WORDS = new Set(['signed', 'unsigned', 'short', 'long']);

/**
 * The base type a node of specifiers names, canonical (`unsigned long`, `struct sockaddr_in`,
 * `fd_set`), or null when the subset has not that type (reported).
 */
export function baseType(ctx: Ctx, t: Node): string | null {
  const name = t.childForFieldName('name')?.text ?? '';
  switch (t.type) {
    case 'primitive_type':
    case 'type_identifier':
      if (WORD_TYPES.has(t.text)) return t.text;
      if (SIZE_WORDS.has(t.text)) return sized(ctx, t, [t.text], null);
      break;
    case 'sized_type_specifier': {
      const words = t.children.filter((c) => SIZE_WORDS.has(c.type)).map((c) => c.type);
      return sized(ctx, t, words, t.childForFieldName('type')?.text ?? null);
    }
    case 'struct_specifier':
      if (t.childForFieldName('body')) {
        ctx.report(t, 'c.structDefinition', { name: `struct ${name}`.trim() });
        return null;
      }
      if (Object.hasOwn(STRUCTS, name)) return `struct ${name}`;
      break;
  }
  ctx.report(t, 'c.unsupportedType', { type: quote(t.text.replace(/\s*\{[\s\S]*$/, '')) });
  return null;
}

/** `unsigned`, `long long int`, `unsigned char`… canonical, or null (reported). */
function sized(ctx: Ctx, t: Node, words: string[], base: string | null): string | null {
  const count = (w: string) => words.filter((x) => x === w).length;
  const [signed, unsigned, short, long] = ['signed', 'unsigned', 'short', 'long'].map(count) as [
    number,
    number,
    number,
    number,
  ];
  const u = unsigned > 0 ? 'unsigned ' : '';
  const ok = signed + unsigned <= 1 && short <= 1 && long <= 2 && !(short && long);
  if (ok && base === 'char' && !short && !long)
    return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  if (ok && (base === null || base === 'int')) {
    if (short) return `${u}short`;
    if (long) return `${u}long`;
    return unsigned ? 'unsigned' : 'int';
  }
  ctx.report(t, 'c.unsupportedType', { type: quote(t.text) });
  return null;
}

/**
 * The specifiers of a declaration, parameter, function definition or type name: its base
 * type (null when refused or absent); `static` and `const` are accepted and ignored.
 */
export function specifiers(ctx: Ctx, node: Node): string | null {
  let base: string | null = null;
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    const field = node.fieldNameForChild(i);
    if (field === 'type') base = baseType(ctx, c);
    else if (field !== null) continue;
    else if (c.type === 'storage_class_specifier') {
      if (c.text !== 'static') ctx.report(c, 'c.unsupportedKeyword', { keyword: c.text });
    } else if (c.type === 'type_qualifier') {
      if (c.text !== 'const') ctx.report(c, 'c.unsupportedKeyword', { keyword: c.text });
    } else if (/^(attribute|ms_)/.test(c.type)) {
      ctx.report(c, 'c.unsupportedKeyword', { keyword: firstToken(c) });
    }
  }
  return base;
}

/** What a declarator makes of its base type. */
export interface Shape {
  /** The declared name (absent in a type name or an unnamed parameter). */
  name: Node | null;
  /** Pointer levels on the base type (`char *argv[]`: 1). */
  pointers: number;
  /** Array sizes, outermost first (null: `[]`). */
  arrays: (Node | null)[];
  /** A function declarator's parameter list. */
  params: Node | null;
  /** Whether it was refused (reported). */
  refused: boolean;
}

/** The shape of a declarator (or abstract declarator); refuses function pointers and the like. */
export function shape(ctx: Ctx, declarator: Node | null): Shape {
  const s: Shape = { name: null, pointers: 0, arrays: [], params: null, refused: false };
  let d = declarator;
  while (d && !s.refused) {
    switch (d.type) {
      case 'identifier':
      case 'field_identifier':
        s.name = d;
        return s;
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        qualifiers(ctx, d);
        if (s.params) s.refused = refuse(ctx, d, s);
        s.pointers++;
        break;
      case 'array_declarator':
      case 'abstract_array_declarator':
        qualifiers(ctx, d);
        if (s.params) s.refused = refuse(ctx, d, s);
        s.arrays.push(d.childForFieldName('size'));
        break;
      case 'function_declarator':
        if (s.params || s.arrays.length > 0) s.refused = refuse(ctx, d, s);
        s.params = d.childForFieldName('parameters');
        break;
      case 'init_declarator':
        break;
      case 'attributed_declarator':
        ctx.report(d, 'c.unsupportedKeyword', { keyword: firstToken(d.namedChildren[1] ?? d) });
        d = d.namedChildren[0] ?? null;
        continue;
      default:
        s.refused = refuse(ctx, d, s);
    }
    d = d.childForFieldName('declarator');
  }
  return s;
}

/** Report a declarator the subset has not: a function pointer, or another intricate one. */
function refuse(ctx: Ctx, d: Node, s: Shape): true {
  s.name = d.descendantsOfType('identifier')[0] ?? null;
  if (s.params || d.descendantsOfType(['function_declarator', 'abstract_function_declarator']).length > 0) {
    ctx.report(d, 'c.functionPointer');
  } else {
    ctx.report(d, 'c.unsupportedType', { type: quote(d.text) });
  }
  return true;
}

/** `const` inside a pointer or array declarator is accepted; anything else there is not. */
function qualifiers(ctx: Ctx, d: Node): void {
  for (const c of d.children) {
    if (c.type === 'type_qualifier' && c.text !== 'const') {
      ctx.report(c, 'c.unsupportedKeyword', { keyword: c.text });
    } else if (c.type === 'static' || /^(ms_|attribute)/.test(c.type)) {
      ctx.report(c, 'c.unsupportedKeyword', { keyword: firstToken(c) });
    }
  }
}

/** Where a type is used, which decides what void and arrays may be. */
export type TypeUse = 'var' | 'param' | 'argv' | 'return' | 'cast' | 'sizeof';

/**
 * Check a declared or named type: one array dimension at most, one pointer level (main's
 * argv has two), void only as a return type, a cast to void or `(void)` parameters.
 */
export function checkShape(ctx: Ctx, base: string | null, s: Shape, use: TypeUse, at: Node): void {
  if (base === null || s.refused) return;
  const name = s.name?.text ?? quote(at.text);
  const param = use === 'param' || use === 'argv';
  if (s.arrays.length > 1) ctx.report(at, 'c.array2d', { name });
  else if (s.arrays.length > 0 && (use === 'cast' || use === 'sizeof' || use === 'return')) {
    ctx.report(at, 'c.unsupportedType', { type: quote(at.text) });
  } else if (s.pointers + (param ? s.arrays.length : 0) > (use === 'argv' ? 2 : 1)) {
    ctx.report(at, 'c.pointerToPointer', { name });
  } else if (base === 'void') {
    if (s.pointers > 0) ctx.report(at, 'c.unsupportedType', { type: 'void *' });
    else if (use !== 'return' && use !== 'cast') ctx.report(at, 'c.unsupportedType', { type: 'void' });
  } else if (use === 'cast' && base.startsWith('struct ') && s.pointers === 0) {
    ctx.report(at, 'c.unsupportedType', { type: quote(at.text) });
  }
}

/** A type name in a cast or sizeof (`struct sockaddr *`, `int`). */
export function typeName(ctx: Ctx, td: Node, use: 'cast' | 'sizeof'): void {
  const base = specifiers(ctx, td);
  checkShape(ctx, base, shape(ctx, td.childForFieldName('declarator')), use, td);
}
