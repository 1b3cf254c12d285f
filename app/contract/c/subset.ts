/**
 * The C subset of the lab: what of C a program may use, checked on tree-sitter-c's syntax
 * tree before the program runs, by the engine and by the window alike. A program with a
 * syntax error gets only its syntax problems (an ERROR or MISSING node each); a parsed one
 * gets every construct, type, name and call outside the subset, at its place, said as a
 * message code (app/contract/c/problems.ts). The lists of what the subset holds are in
 * names.ts (re-exported here): the interpreter takes them from there.
 *
 * No Node or DOM import, and no wasm: the caller parses (web-tree-sitter with
 * tree-sitter-c.wasm) and hands over the root node.
 */
import type { Node } from 'web-tree-sitter';
import { MAX_PROGRAM_CHARS, type ProgramProblem } from '../program';
import { Ctx, firstToken, quote } from './context';
import { declaration, parameterCount, parameters } from './declarations';
import { directive } from './preprocessor';
import { block } from './statements';
import { baseType, checkShape, shape, specifiers } from './types';
import { LIB_IDENTIFIERS, LIB_SIGNATURES, isNotAvailable } from './names';

export * from './names';
export { C_PROBLEM_CODES, C_PROBLEM_PARAMS, type CProblemCode } from './problems';
export { MAX_DEPTH, MAX_PROBLEMS } from './context';

/** The start of the source: where a problem of the whole program is placed. */
const START = { row: 0, column: 0 };

/** What is wrong with a program (its translation_unit): nothing when it is inside the subset. */
export function checkProgram(root: Node): ProgramProblem[] {
  const ctx = new Ctx();
  if (root.text.length > MAX_PROGRAM_CHARS) {
    ctx.reportAt(START, START, 'c.tooLong', { max: MAX_PROGRAM_CHARS });
    return ctx.problems;
  }
  if (root.hasError) {
    syntax(ctx, root);
    if (ctx.problems.length > 0) return ctx.problems;
  }
  collectFunctions(ctx, root);
  for (const item of root.namedChildren) topLevel(ctx, item);
  if (!ctx.functions.get('main')?.defined) ctx.reportAt(START, START, 'c.noMain');
  return ctx.problems;
}

/** Every ERROR node with no error inside it, and every MISSING node, in the source's order. */
function syntax(ctx: Ctx, root: Node): void {
  const stack: Node[] = [root];
  while (stack.length > 0 && !ctx.full) {
    const n = stack.pop()!;
    const children = n.children;
    if (n.isMissing) {
      if (n.isNamed) ctx.report(n, 'c.syntax', { near: quote(n.parent?.text ?? n.type) });
      else ctx.report(n, 'c.missing', { what: n.type });
    } else if (n.isError && !children.some((c) => c.hasError)) {
      ctx.report(n, 'c.syntax', { near: quote(n.text) || firstToken(n) });
    }
    for (let i = children.length - 1; i >= 0; i--) if (children[i]!.hasError) stack.push(children[i]!);
  }
}

/** The function a declarator declares (`f(…)`, `*f(…)`), with its name and parameter list. */
function functionOf(declarator: Node | null): { declarator: Node; name: string; params: Node | null } | null {
  let d = declarator;
  while (d?.type === 'pointer_declarator') d = d.childForFieldName('declarator');
  const id = d?.childForFieldName('declarator');
  if (d?.type !== 'function_declarator' || id?.type !== 'identifier') return null;
  return { declarator: d, name: id.text, params: d.childForFieldName('parameters') };
}

/** The program's functions, prototypes and definitions, so that calls and names can be told apart. */
function collectFunctions(ctx: Ctx, root: Node): void {
  for (const item of root.namedChildren) {
    const defined = item.type === 'function_definition';
    const declarators = defined
      ? [item.childForFieldName('declarator')]
      : item.type === 'declaration'
        ? item.childrenForFieldName('declarator')
        : [];
    for (const d of declarators) {
      const f = functionOf(d);
      if (!f) continue;
      const known = ctx.functions.get(f.name);
      if (known) known.defined ||= defined;
      else ctx.functions.set(f.name, { params: parameterCount(f.params), defined });
    }
  }
}

/** An item at the top level of the file. */
function topLevel(ctx: Ctx, item: Node): void {
  if (item.type === 'comment') return;
  if (item.type.startsWith('preproc_')) return directive(ctx, item);
  switch (item.type) {
    case 'function_definition':
      return functionDefinition(ctx, item);
    case 'declaration':
      return declaration(ctx, item, 'global');
    case 'type_definition':
      return ctx.report(item, 'c.unsupportedKeyword', { keyword: 'typedef' });
    case 'linkage_specification':
      return ctx.report(item, 'c.unsupportedKeyword', { keyword: 'extern' });
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      if (baseType(ctx, item) === null) return;
      break;
    case 'expression_statement':
      if (item.namedChildCount === 0) return;
  }
  ctx.report(item, 'c.unsupportedStatement', { construct: firstToken(item) });
}

/** A function definition: its return type, its parameters, its body; main's signature. */
function functionDefinition(ctx: Ctx, node: Node): void {
  const base = specifiers(ctx, node);
  const f = functionOf(node.childForFieldName('declarator'));
  const s = shape(ctx, node.childForFieldName('declarator'));
  if (!f || s.refused) {
    if (!s.refused) ctx.report(node, 'c.unsupportedStatement', { construct: firstToken(node) });
    return;
  }
  const nameNode = s.name ?? f.declarator;
  if (
    Object.hasOwn(LIB_SIGNATURES, f.name) ||
    Object.hasOwn(LIB_IDENTIFIERS, f.name) ||
    isNotAvailable(f.name)
  ) {
    ctx.report(nameNode, 'c.redefinesLibrary', { name: f.name });
  } else if (ctx.defined.has(f.name)) ctx.report(nameNode, 'c.redefined', { name: f.name });
  ctx.defined.add(f.name);
  checkShape(ctx, base, { ...s, params: null }, 'return', f.declarator);
  const kr = (f.params?.namedChildren ?? []).some((c) => c.type === 'identifier');
  if (kr || node.namedChildren.some((c) => c.type === 'declaration')) {
    // Its parameters are not what they seem: the body would only add noise.
    return ctx.report(f.declarator, 'c.krDefinition', { name: f.name });
  }
  ctx.declared.add(f.name);
  ctx.push();
  const params = f.params ? parameters(ctx, f.params, f.name, true) : null;
  if (f.name === 'main') mainSignature(ctx, f.declarator, base, s.pointers, params, f.params);
  ctx.loops = 0;
  ctx.switches = 0;
  const body = node.childForFieldName('body');
  if (body) block(ctx, body, false);
  ctx.pop();
}

/** main is `int main(void)`, `int main()` or `int main(int argc, char *argv[])` (or `char **argv`). */
function mainSignature(
  ctx: Ctx,
  at: Node,
  base: string | null,
  pointers: number,
  params: ReturnType<typeof parameters>,
  list: Node | null,
): void {
  const empty = (list?.namedChildren ?? []).filter((c) => c.type !== 'comment').length === 0;
  const argcArgv =
    params?.length === 2 &&
    params[0]!.base === 'int' &&
    params[0]!.shape.pointers + params[0]!.shape.arrays.length === 0 &&
    params[1]!.base === 'char' &&
    params[1]!.shape.pointers + params[1]!.shape.arrays.length === 2;
  const ok = base === 'int' && pointers === 0 && (empty || params?.length === 0 || argcArgv);
  if (!ok && base !== null) ctx.report(at, 'c.mainSignature');
}
