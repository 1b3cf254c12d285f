/**
 * Casts to the library's typedef names that the grammar cannot read as casts. tree-sitter-c
 * knows size_t, ssize_t, uint16_t… as types, but not socklen_t, in_addr_t or in_port_t
 * (TYPEDEF_CASTS): where a cast's operand begins with - + * or &, it reads `(socklen_t)-1` as
 * the subtraction `socklen_t - 1`, `(in_addr_t)*p` as a product; `(in_port_t)(x + 1)` it
 * reads as a call. C reads each as a cast, as gcc does, unless a variable of that name is in
 * scope. Such a node gets the tree C reads beside its own (`cast`), which the evaluator takes
 * where no variable has the names; the checker accepts the same shapes
 * (app/contract/c/expressions.ts, castShape()).
 *
 * A binary expression holding such a name is read again from its operands and operators in
 * order: a name followed by - + * & takes that operator as a unary one on what follows, and
 * the rest is C's precedence (a cast binds tighter than any binary operator: `(socklen_t)-a
 * * b` is `((socklen_t)-a) * b`, `x + (socklen_t)-1 - y` is `(x + (socklen_t)(-1)) - y`).
 */
import { TYPEDEF_CASTS } from '../../contract/c/names';
import { own } from '../../contract/own';
import { SNode } from './ast';

/** The unary operators a cast's operand may begin with that the grammar reads as binary. */
const UNARY: Readonly<Record<string, string>> = {
  '-': 'unary_expression',
  '+': 'unary_expression',
  '*': 'pointer_expression',
  '&': 'pointer_expression',
};
/** Prefix operators, by the field of their operand. */
const PREFIX: Readonly<Record<string, string>> = {
  cast_expression: 'value',
  unary_expression: 'argument',
  pointer_expression: 'argument',
};
/** C's binary operators by precedence (higher binds tighter); all associate to the left. */
const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

let ids = 0;

/** A node made here: spans [start, end) of `at`'s source, at `at`'s position. */
function make(type: string, at: SNode, start: number, end: number, kids: [SNode, string | null][]): SNode {
  const n = new SNode(type, true, -++ids, at.startPosition, false, at.source, start, end);
  for (const [c, f] of kids) n.add(c, f);
  return n;
}

/** A copy of `n` with `value` in place of its child `old`, spanning both. */
function rebuilt(n: SNode, old: SNode, value: SNode): SNode {
  const kids = n.children.map((c, i): [SNode, string | null] => [
    c === old ? value : c,
    n.fieldNameForChild(i),
  ]);
  return make(
    n.type,
    n,
    Math.min(n.startIndex, value.startIndex),
    Math.max(n.endIndex, value.endIndex),
    kids,
  );
}

/** The typedef name of `(socklen_t)` read as a parenthesized name, or null. */
export function typedefParen(n: SNode | null): string | null {
  if (n?.type !== 'parenthesized_expression') return null;
  const only = n.namedChildren;
  const id = only.length === 1 && only[0]!.type === 'identifier' ? only[0]!.text : '';
  return Object.hasOwn(TYPEDEF_CASTS, id) ? id : null;
}

/** The prefix operators of `n` down to a typedef name it ends with (`(int)(socklen_t)`), or null. */
function endsInTypedef(n: SNode): SNode[] | null {
  const chain = [n];
  for (let c = n; !typedefParen(c);) {
    const next = Object.hasOwn(PREFIX, c.type) ? c.childForFieldName(PREFIX[c.type]!) : null;
    if (!next) return null;
    chain.push((c = next));
  }
  return chain;
}

/** `(T)` applied to `value`: a cast_expression, as the grammar builds one for a known type. */
function castOf(paren: SNode, value: SNode): SNode {
  const id = paren.namedChildren[0]!;
  const tid = make('type_identifier', id, id.startIndex, id.endIndex, []);
  const desc = make('type_descriptor', id, id.startIndex, id.endIndex, [[tid, 'type']]);
  const kids = paren.children;
  return make('cast_expression', paren, paren.startIndex, value.endIndex, [
    [kids[0]!, null],
    [desc, 'type'],
    [kids[kids.length - 1]!, null],
    [value, 'value'],
  ]);
}

type Item = { operand: SNode } | { op: SNode };

/** A binary expression's operands and operators in order. */
function flatten(n: SNode, out: Item[]): Item[] {
  const op = n.childForFieldName('operator');
  if (n.type === 'binary_expression' && op && Object.hasOwn(PRECEDENCE, op.text)) {
    flatten(n.childForFieldName('left')!, out);
    out.push({ op });
    flatten(n.childForFieldName('right')!, out);
  } else out.push({ operand: n });
  return out;
}

/** Reads `items` again as C does (see the file's comment); the names it cast to. */
function reparse(items: Item[], names: string[]): SNode {
  let i = 0;
  const operand = (): SNode => {
    const it = items[i++] as { operand: SNode };
    const chain = endsInTypedef(it.operand);
    const next = items[i] as { op: SNode } | undefined;
    if (!chain || !next || !Object.hasOwn(UNARY, next.op.text)) return it.operand;
    i++;
    const paren = chain[chain.length - 1]!;
    names.push(typedefParen(paren)!);
    const arg = operand();
    const unary = make(UNARY[next.op.text]!, next.op, next.op.startIndex, arg.endIndex, [
      [next.op, 'operator'],
      [arg, 'argument'],
    ]);
    let built = castOf(paren, unary);
    for (let k = chain.length - 2; k >= 0; k--) built = rebuilt(chain[k]!, chain[k + 1]!, built);
    return built;
  };
  const climb = (min: number): SNode => {
    let left = operand();
    for (;;) {
      const next = items[i] as { op: SNode } | undefined;
      const prec = next ? (own(PRECEDENCE, next.op.text) ?? 0) : 0;
      if (!next || prec < min) return left;
      i++;
      const right = climb(prec + 1);
      left = make('binary_expression', left, left.startIndex, right.endIndex, [
        [left, 'left'],
        [next.op, 'operator'],
        [right, 'right'],
      ]);
    }
  };
  return climb(1);
}

/** The tree C reads for `n` where the grammar read a typedef cast as something else, or null. */
function castForm(n: SNode, parent: SNode | null): { names: string[]; node: SNode } | null {
  if (n.type === 'call_expression') {
    const paren = n.childForFieldName('function');
    const args = n.childForFieldName('arguments');
    const inner = args?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    const name = typedefParen(paren);
    if (!name || !args || inner.length !== 1) return null;
    const value = make('parenthesized_expression', args, args.startIndex, args.endIndex, [
      ...args.children.map((c): [SNode, null] => [c, null]),
    ]);
    return { names: [name], node: castOf(paren!, value) };
  }
  // Once per binary expression: at its top.
  if (n.type !== 'binary_expression' || parent?.type === 'binary_expression') return null;
  const items = flatten(n, []);
  const wanted = items.some(
    (it, k) =>
      'operand' in it &&
      endsInTypedef(it.operand) &&
      Object.hasOwn(UNARY, (items[k + 1] as { op?: SNode } | undefined)?.op?.text ?? ''),
  );
  if (!wanted) return null;
  const names: string[] = [];
  return { names, node: reparse(items, names) };
}

/** Gives every node of `root` that C reads as a cast to a typedef name its cast form. */
export function markTypedefCasts(root: SNode): SNode {
  const walk = (n: SNode, parent: SNode | null): void => {
    for (const c of n.children) walk(c, n);
    n.cast = castForm(n, parent);
  };
  walk(root, null);
  return root;
}
