/**
 * The checker's state while it walks one program: the problems found so far (at most
 * MAX_PROBLEMS), the headers included, the macros defined, the program's functions, the
 * scopes of its variables, and how deep it is inside loops, switches and nesting.
 * No Node or DOM import; syntax nodes are web-tree-sitter's (types only).
 */
import type { Node } from 'web-tree-sitter';
import { msg, type Message } from '../messages';
import type { ProgramProblem } from '../program';
import type { C_PROBLEM_PARAMS, CProblemCode } from './problems';

/** Most problems one check reports; one more (c.tooMany) says there are more. */
export const MAX_PROBLEMS = 50;
/** Deepest nesting of statements and expressions the checker (and the interpreter) follows. */
export const MAX_DEPTH = 200;
/** Longest piece of source a problem quotes. */
const MAX_QUOTE = 40;

/** The parameters of a problem code, as msg takes them. */
export type CParams<K extends CProblemCode> = (typeof C_PROBLEM_PARAMS)[K] extends readonly []
  ? []
  : [Record<(typeof C_PROBLEM_PARAMS)[K][number], string | number>];

/** A function of the program: its parameter count (null for `()`), whether it has a body. */
export interface FnInfo {
  params: number | null;
  defined: boolean;
}

/** A position of tree-sitter (0-based row, column in UTF-16 units). */
interface Point {
  row: number;
  column: number;
}

/** Source text quoted in a problem: its first line, shortened. */
export function quote(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE - 1)}…` : line;
}

/** The first token of a node (a keyword or name to say what it is). */
export function firstToken(node: Node): string {
  let n: Node = node;
  while (n.childCount > 0 && n.firstChild) n = n.firstChild;
  return quote(n.text || node.type);
}

export class Ctx {
  readonly problems: ProgramProblem[] = [];
  /** Headers included so far (`stdio.h`). */
  readonly headers = new Set<string>();
  /** Feature-test macros defined before the first #include (`_GNU_SOURCE`). */
  readonly features = new Set<string>();
  /**
   * Macros defined so far. `PORT` is predefined, as the lab defines it in every program (as
   * `gcc -DPORT=n` would): a program that uses it without `#define` still runs in the lab.
   */
  readonly macros = new Set<string>(['PORT']);
  /** The program's functions (prototypes and definitions), found before the walk. */
  readonly functions = new Map<string, FnInfo>();
  /** Functions defined (with a body) so far. */
  readonly defined = new Set<string>();
  /** Library names already reported for a missing header. */
  readonly headerReported = new Set<string>();
  /** Functions declared above the point the walk has reached. */
  readonly declared = new Set<string>();
  /** Variable scopes, innermost last; the first holds the globals. */
  private readonly scopes: Set<string>[] = [new Set()];
  loops = 0;
  switches = 0;
  private depth = 0;
  private deepReported = false;

  /** Whether no more problems are taken. */
  get full(): boolean {
    return this.problems.length > MAX_PROBLEMS;
  }

  /** Report `code` over `node`. */
  report<K extends CProblemCode>(node: Node, code: K, ...params: CParams<K>): void {
    this.reportAt(node.startPosition, node.endPosition, code, ...params);
  }

  /** Report `code` from `start` to `end` (positions of tree-sitter, 0-based). */
  reportAt<K extends CProblemCode>(start: Point, end: Point, code: K, ...params: CParams<K>): void {
    if (this.full) return;
    const say = msg as (code: CProblemCode, params?: Record<string, string | number>) => Message;
    const text =
      this.problems.length === MAX_PROBLEMS ? say('c.tooMany', { max: MAX_PROBLEMS }) : say(code, params[0]);
    this.problems.push({
      line: start.row + 1,
      col: start.column + 1,
      endLine: end.row + 1,
      endCol: end.column + 1,
      text,
    });
  }

  /** Enter a nested statement or expression; false (reported once) when it is too deep. */
  enter(node: Node): boolean {
    if (this.depth >= MAX_DEPTH) {
      if (!this.deepReported) this.report(node, 'c.tooDeep', { max: MAX_DEPTH });
      this.deepReported = true;
      return false;
    }
    this.depth++;
    return true;
  }
  leave(): void {
    this.depth--;
  }

  /** Open a block scope. */
  push(): void {
    this.scopes.push(new Set());
  }
  pop(): void {
    if (this.scopes.length > 1) this.scopes.pop();
  }
  /** Whether the walk is inside a function. */
  get local(): boolean {
    return this.scopes.length > 1;
  }

  /** Declare a variable named by `nameNode` in the innermost scope (twice in one is a problem). */
  declare(nameNode: Node): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    const name = nameNode.text;
    if (scope.has(name) || (!this.local && this.functions.has(name))) {
      this.report(nameNode, 'c.redefined', { name });
    }
    scope.add(name);
  }

  /** Whether `name` is a variable in scope. */
  isVariable(name: string): boolean {
    return this.scopes.some((s) => s.has(name));
  }
}
