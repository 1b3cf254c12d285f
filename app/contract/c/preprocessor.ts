/**
 * Directives in the subset, at the top level of the file: `#include <…>` of the usual
 * headers, `#define NAME constant`, feature-test macros, and `#ifdef`/`#ifndef` around
 * defines (`#ifndef PORT` / `#define PORT 5000` / `#endif`). Everything else is refused.
 */
import type { Node } from 'web-tree-sitter';
import { firstToken, type Ctx } from './context';
import { CONSTANT_NAMES, FEATURE_MACROS, HEADERS, OPAQUE_TYPES, SCALAR_TYPES, STRUCTS } from './names';

const HEADER_SET: ReadonlySet<string> = new Set(HEADERS);
const FEATURES: ReadonlySet<string> = new Set(FEATURE_MACROS);
/** Words a constant's definition may hold besides constants and earlier macros. */
const TYPE_WORDS: ReadonlySet<string> = new Set([
  'sizeof',
  'struct',
  'signed',
  'unsigned',
  'short',
  'long',
  ...SCALAR_TYPES,
  ...OPAQUE_TYPES,
  ...Object.keys(STRUCTS),
]);
const CONSTANTS: ReadonlySet<string> = new Set(CONSTANT_NAMES);
/**
 * One lexical item of a constant's definition (tree-sitter leaves a #define's value as raw
 * text): space, a comment, an integer, a character or string literal, a word, an operator.
 */
const ITEM =
  /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*(?![\w.])|'(?:\\.|[^'\\\n])+'|"(?:\\.|[^"\\\n])*"|([A-Za-z_]\w*)|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>?:()]/y;

/** Check a directive at the top level of the file. */
export function directive(ctx: Ctx, node: Node): void {
  switch (node.type) {
    case 'preproc_include':
      return include(ctx, node);
    case 'preproc_def':
      return define(ctx, node);
    case 'preproc_function_def':
      return ctx.report(node, 'c.functionMacro', { name: node.childForFieldName('name')?.text ?? '' });
    case 'preproc_ifdef':
      return ifdef(ctx, node);
    case 'preproc_call': {
      const d = node.childForFieldName('directive');
      return ctx.report(d ?? node, 'c.preprocessor', { directive: d?.text ?? firstToken(node) });
    }
  }
  ctx.report(node.child(0) ?? node, 'c.preprocessor', { directive: firstToken(node) });
}

/** `#include <header>`: one of HEADERS. */
function include(ctx: Ctx, node: Node): void {
  const path = node.childForFieldName('path');
  if (path?.type === 'system_lib_string') {
    const header = path.text.slice(1, -1).trim();
    if (HEADER_SET.has(header)) ctx.headers.add(header);
    else ctx.report(path, 'c.unknownHeader', { header: path.text });
  } else if (path?.type === 'string_literal') {
    ctx.report(path, 'c.unknownHeader', { header: path.text });
  } else ctx.report(node, 'c.preprocessor', { directive: '#include' });
}

/** `#define NAME value`: a feature-test macro, or a constant. */
function define(ctx: Ctx, node: Node): void {
  const name = node.childForFieldName('name')?.text ?? '';
  const value = node.childForFieldName('value');
  if (FEATURES.has(name)) {
    if (ctx.headers.size === 0) ctx.features.add(name);
  } else if (value && !constantText(ctx, value.text)) ctx.report(value, 'c.defineValue', { name });
  ctx.macros.add(name);
}

/** Whether a #define's value reads as a constant: literals, constants, macros, operators, sizeof. */
function constantText(ctx: Ctx, text: string): boolean {
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < text.length) {
    const m = ITEM.exec(text);
    if (!m) return false;
    const word = m[1];
    if (word !== undefined && !CONSTANTS.has(word) && !ctx.macros.has(word) && !TYPE_WORDS.has(word))
      return false;
  }
  return true;
}

/** `#ifdef NAME` / `#ifndef NAME` around #define lines only, without #else. */
function ifdef(ctx: Ctx, node: Node): void {
  const directive = node.child(0)?.type ?? '#ifdef';
  const name = node.childForFieldName('name');
  const alternative = node.childForFieldName('alternative');
  for (const c of node.namedChildren) {
    if (c.id === name?.id || c.id === alternative?.id || c.type === 'comment') continue;
    if (c.type === 'preproc_def') define(ctx, c);
    else ctx.report(c, 'c.ifdefBody', { directive });
  }
  if (alternative)
    ctx.report(alternative.child(0) ?? alternative, 'c.preprocessor', { directive: firstToken(alternative) });
}
