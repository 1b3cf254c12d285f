/**
 * Declarations: the C type a declaration's specifiers and declarator give a name (`char
 * buf[1024]`, `struct sockaddr_in *p`, `int main(int argc, char *argv[])`), and the types
 * casts and sizeof name (`(struct sockaddr *)`, `sizeof(struct sockaddr_in)`).
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { fault } from './memory';
import { arrayOf, ptrTo, STRUCTS, T, TYPE_NAMES, type CType } from './types';
import { own } from '../../contract/own';

/** A declared name: its type, its initializer, and for a function its parameters. */
export interface Declared {
  name: string;
  type: CType;
  init?: Node;
  fn?: boolean;
  params?: { name: string; t: CType }[];
}

type SizeOf = (n: Node) => number;

const PRIMITIVE: Record<string, CType> = {
  int: T.int,
  char: T.char,
  short: T.short,
  long: T.long,
  void: T.void,
  unsigned: T.uint,
  signed: T.int,
  size_t: T.size_t,
  ssize_t: T.ssize_t,
  bool: T.int,
  _Bool: T.int,
  uint8_t: T.uint8_t,
  uint16_t: T.uint16_t,
  uint32_t: T.uint32_t,
};

/** The type a declaration's type specifier names. */
export function declType(n: Node): CType {
  switch (n.type) {
    case 'primitive_type': {
      const t = own(PRIMITIVE, n.text);
      if (t) return t;
      break;
    }
    case 'sized_type_specifier': {
      const words = n.text.split(/\s+/);
      const unsigned = words.includes('unsigned');
      const base = words.filter((w) => w !== 'unsigned' && w !== 'signed' && w !== 'int');
      if (base.includes('long')) return unsigned ? T.ulong : T.long;
      if (base.includes('short')) return unsigned ? T.ushort : T.short;
      if (base.includes('char')) return unsigned ? T.uchar : T.char;
      return unsigned ? T.uint : T.int;
    }
    case 'type_identifier': {
      const t = own(TYPE_NAMES, n.text);
      if (t) return t;
      break;
    }
    case 'struct_specifier': {
      const name = n.childForFieldName('name')?.text ?? '';
      if (n.childForFieldName('body')) break;
      const t = Object.hasOwn(STRUCTS, name) ? STRUCTS[name] : undefined;
      if (t) return t;
      break;
    }
  }
  throw fault(msg('fault.unsupported', { construct: `the type ${n.text}` }));
}

/** What a declarator declares, given the base type of its declaration. */
export function parseDeclarator(d: Node, base: CType, size: SizeOf): Declared {
  switch (d.type) {
    case 'identifier':
    case 'field_identifier':
      return { name: d.text, type: base };
    case 'init_declarator': {
      const inner = parseDeclarator(d.childForFieldName('declarator')!, base, size);
      const init = d.childForFieldName('value')!;
      // char msg[] = "hello": the array takes its length from the initializer.
      if (inner.type.kind === 'array' && inner.type.len === -1) {
        inner.type = arrayOf(inner.type.of, initLength(init));
      }
      return { ...inner, init };
    }
    case 'pointer_declarator':
      return parseDeclarator(d.childForFieldName('declarator')!, ptrTo(base), size);
    case 'array_declarator': {
      const s = d.childForFieldName('size');
      const len = s ? size(s) : -1;
      if (s && (len < 0 || len > 64 * 1024 * 1024))
        throw fault(msg('fault.unsupported', { construct: `an array of ${len} elements` }));
      return parseDeclarator(d.childForFieldName('declarator')!, arrayOf(base, len), size);
    }
    case 'parenthesized_declarator':
      return parseDeclarator(d.namedChild(0)!, base, size);
    case 'function_declarator': {
      const inner = parseDeclarator(d.childForFieldName('declarator')!, base, size);
      const params: { name: string; t: CType }[] = [];
      for (const p of d.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!p || p.type !== 'parameter_declaration') continue;
        const pt = declType(p.childForFieldName('type')!);
        const pd = p.childForFieldName('declarator');
        if (!pd) continue; // (void)
        const x = pd.type.startsWith('abstract') ? { name: '', type: pt } : parseDeclarator(pd, pt, size);
        // A parameter declared as an array is a pointer.
        params.push({ name: x.name, t: x.type.kind === 'array' ? ptrTo(x.type.of) : x.type });
      }
      return { name: inner.name, type: inner.type, fn: true, params };
    }
  }
  throw fault(msg('fault.unsupported', { construct: `the declaration ${d.text}` }));
}

/** The type a type_descriptor names: `struct sockaddr *`, `socklen_t`, `char [16]`. */
export function typeFromDescriptor(desc: Node, size: SizeOf): CType {
  let t = declType(desc.childForFieldName('type')!);
  let d = desc.childForFieldName('declarator');
  // Abstract declarators nest from the outside in: `*` then `[n]` …
  const ops: Node[] = [];
  while (d) {
    ops.push(d);
    d = d.childForFieldName('declarator');
  }
  for (const op of ops) {
    if (op.type === 'abstract_pointer_declarator') t = ptrTo(t);
    else if (op.type === 'abstract_array_declarator') {
      const s = op.childForFieldName('size');
      t = arrayOf(t, s ? size(s) : 0);
    } else if (op.type !== 'abstract_parenthesized_declarator')
      throw fault(msg('fault.unsupported', { construct: `the type ${desc.text}` }));
  }
  return t;
}

/** The number of elements an initializer gives an array of unknown length. */
function initLength(init: Node): number {
  if (init.type === 'string_literal' || init.type === 'concatenated_string') {
    let n = 0;
    const parts = init.type === 'concatenated_string' ? init.namedChildren : [init];
    for (const p of parts)
      for (const c of p?.namedChildren ?? [])
        if (c) n += c.type === 'escape_sequence' ? 1 : new TextEncoder().encode(c.text).length;
    return n + 1;
  }
  if (init.type === 'initializer_list')
    return init.namedChildren.filter((c) => c && c.type !== 'comment').length;
  throw fault(msg('fault.unsupported', { construct: `the initializer ${init.text}` }));
}
