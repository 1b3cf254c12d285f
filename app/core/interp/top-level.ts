/**
 * A program's top level, read before main runs: #define macros (unless predefined), the
 * #ifdef / #ifndef blocks whose test holds, function definitions, and global variables with
 * their initializers (run later, in order, by the machine). Prototypes declare nothing. What
 * it reads goes into the machine's own tables, so a macro defined above is seen by the
 * constant sizes of the declarations below it.
 */
import type { SNode as Node } from './ast';
import { declType, parseDeclarator } from './decl';
import type { CType } from './types';
import type { LValue } from './values';

/** A function of the program. */
export interface Fn {
  name: string;
  ret: CType;
  params: { name: string; t: CType }[];
  body: Node;
}

/** The machine's tables the top level fills. */
export interface TopLevel {
  readonly functions: Map<string, Fn>;
  readonly macros: Map<string, Node>;
  readonly globals: Map<string, LValue>;
  readonly globalVars: LValue[];
  readonly globalInits: [LValue, Node][];
}

/** What reading the top level needs of the machine. */
export interface TopHost {
  readonly predefined: Readonly<Record<string, number>>;
  parseMacro(text: string): Node | null;
  /** A constant integer expression (array sizes). */
  constSize(n: Node): number;
  /** A new variable, counted against the program's memory. */
  newVar(name: string, t: CType, zero: boolean): LValue;
}

/** Read every item of the program's top level into `top`. */
export function readTopLevel(root: Node, top: TopLevel, host: TopHost): void {
  for (const n of root.namedChildren) if (n) topItem(n, top, host);
}

function topItem(n: Node, top: TopLevel, host: TopHost): void {
  switch (n.type) {
    case 'preproc_def': {
      const name = n.childForFieldName('name')!.text;
      const value = n.childForFieldName('value');
      if (Object.hasOwn(host.predefined, name) || !value) return;
      const e = host.parseMacro(value.text.trim());
      if (e) top.macros.set(name, e);
      return;
    }
    case 'preproc_ifdef': {
      const name = n.childForFieldName('name')!.text;
      const defined = Object.hasOwn(host.predefined, name) || top.macros.has(name);
      const ifndef = n.child(0)?.text === '#ifndef';
      if (defined !== ifndef)
        for (const c of n.namedChildren.slice(1))
          if (c && !c.type.startsWith('preproc_else')) topItem(c, top, host);
      return;
    }
    case 'function_definition': {
      const f = functionOf(n, host);
      top.functions.set(f.name, f);
      return;
    }
    case 'declaration': {
      const base = declType(n.childForFieldName('type')!);
      for (const d of n.childrenForFieldName('declarator')) {
        if (!d) continue;
        const decl = parseDeclarator(d, base, (s) => host.constSize(s));
        if (decl.fn) continue; // a prototype
        const lv = host.newVar(decl.name, decl.type, true);
        top.globals.set(decl.name, lv);
        top.globalVars.push(lv);
        if (decl.init) top.globalInits.push([lv, decl.init]);
      }
      return;
    }
  }
}

function functionOf(n: Node, host: TopHost): Fn {
  const base = declType(n.childForFieldName('type')!);
  const d = parseDeclarator(n.childForFieldName('declarator')!, base, (s) => host.constSize(s));
  return { name: d.name, ret: d.type, params: d.params ?? [], body: n.childForFieldName('body')! };
}
