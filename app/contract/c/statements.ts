/**
 * Statements in the subset: blocks, declarations, expressions, if/else, while, do/while, for,
 * switch with case and default, break, continue, return. goto, labels, asm, typedefs and
 * directives inside functions are refused.
 */
import type { Node } from 'web-tree-sitter';
import { firstToken, type Ctx } from './context';
import { declaration } from './declarations';
import { expression, isConstant } from './expressions';
import { baseType } from './types';

/** Check a statement. */
export function statement(ctx: Ctx, node: Node | null): void {
  if (!node || node.type === 'comment' || !ctx.enter(node)) return;
  try {
    check(ctx, node);
  } finally {
    ctx.leave();
  }
}

/** The statements of a block; `scope`: the block opens its own (a function's body shares its parameters'). */
export function block(ctx: Ctx, node: Node, scope = true): void {
  if (scope) ctx.push();
  for (const c of node.namedChildren) statement(ctx, c);
  if (scope) ctx.pop();
}

/** A loop's body: break and continue belong to it. */
function loopBody(ctx: Ctx, body: Node | null): void {
  ctx.loops++;
  statement(ctx, body);
  ctx.loops--;
}

function check(ctx: Ctx, node: Node): void {
  const field = (name: string) => node.childForFieldName(name);
  switch (node.type) {
    case 'compound_statement':
      return block(ctx, node);
    case 'declaration':
      return declaration(ctx, node, 'local');
    case 'expression_statement': {
      const e = node.namedChildren.find((c) => c.type !== 'comment');
      if (e?.type === 'gnu_asm_expression')
        return ctx.report(e, 'c.unsupportedStatement', { construct: 'asm' });
      return expression(ctx, e ?? null);
    }
    case 'if_statement':
      expression(ctx, field('condition'));
      statement(ctx, field('consequence'));
      return statement(ctx, field('alternative')?.namedChildren.find((c) => c.type !== 'comment') ?? null);
    case 'while_statement':
      expression(ctx, field('condition'));
      return loopBody(ctx, field('body'));
    case 'do_statement':
      loopBody(ctx, field('body'));
      return expression(ctx, field('condition'));
    case 'for_statement': {
      ctx.push();
      const init = field('initializer');
      if (init?.type === 'declaration') declaration(ctx, init, 'local');
      else expression(ctx, init, true);
      expression(ctx, field('condition'), true);
      expression(ctx, field('update'), true);
      loopBody(ctx, field('body'));
      ctx.pop();
      return;
    }
    case 'switch_statement':
      return switchStatement(ctx, node);
    case 'case_statement':
      ctx.report(node.child(0) ?? node, 'c.caseOutside', { keyword: firstToken(node) });
      return caseBody(ctx, node);
    case 'break_statement':
      if (ctx.loops === 0 && ctx.switches === 0) ctx.report(node, 'c.breakOutside');
      return;
    case 'continue_statement':
      if (ctx.loops === 0) ctx.report(node, 'c.continueOutside');
      return;
    case 'return_statement':
      return expression(ctx, node.namedChildren.find((c) => c.type !== 'comment') ?? null);
    case 'goto_statement':
      return ctx.report(node, 'c.unsupportedStatement', { construct: 'goto' });
    case 'labeled_statement': {
      const label = field('label');
      ctx.report(label ?? node, 'c.label', { name: label?.text ?? '' });
      return statement(
        ctx,
        node.namedChildren.find((c) => c.id !== label?.id && c.type !== 'comment') ?? null,
      );
    }
    case 'type_definition':
      return ctx.report(node, 'c.unsupportedKeyword', { keyword: 'typedef' });
    case 'function_definition': {
      const name = node.childForFieldName('declarator')?.descendantsOfType('identifier')[0]?.text ?? '';
      return ctx.report(node, 'c.functionInFunction', { name });
    }
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      if (baseType(ctx, node) === null) return;
      break;
    case 'attributed_statement':
      return ctx.report(node, 'c.unsupportedKeyword', { keyword: firstToken(node) });
  }
  if (node.type.startsWith('preproc_'))
    return ctx.report(node, 'c.directivePlace', { directive: firstToken(node) });
  ctx.report(node, 'c.unsupportedStatement', { construct: firstToken(node) });
}

/** A switch: case and default directly inside its braces, break leaves it. */
function switchStatement(ctx: Ctx, node: Node): void {
  expression(ctx, node.childForFieldName('condition'));
  const body = node.childForFieldName('body');
  ctx.switches++;
  if (body?.type === 'compound_statement') {
    ctx.push();
    for (const c of body.namedChildren) {
      if (c.type !== 'case_statement') statement(ctx, c);
      else if (ctx.enter(c)) {
        const value = c.childForFieldName('value');
        if (value && !isConstant(ctx, value)) ctx.report(value, 'c.caseValue');
        else expression(ctx, value);
        caseBody(ctx, c);
        ctx.leave();
      }
    }
    ctx.pop();
  } else statement(ctx, body);
  ctx.switches--;
}

/** The statements after a case label; a declaration right after it needs braces in C11. */
function caseBody(ctx: Ctx, node: Node): void {
  const value = node.childForFieldName('value');
  let first = true;
  for (const c of node.namedChildren) {
    if (c.id === value?.id || c.type === 'comment') continue;
    if (first && c.type === 'declaration') ctx.report(c, 'c.caseDeclaration');
    first = false;
    statement(ctx, c);
  }
}
