/**
 * The machine: walks a C program's syntax tree one statement at a time. Frames of the call
 * stack hold scopes of variables; before every statement (and every loop test) it stops at
 * a step point, where the runner decides whether to go on. Library calls go to library.ts,
 * whose socket calls are made for real through the lab's engine; the top level (macros,
 * functions, globals) is read by top-level.ts.
 */
import type { SNode as Node } from './ast';
import { msg } from '../../contract/schema';
import { evaluate, type ExprHost } from './expr';
import { ExitSignal, libraryConstant, type MachineIO } from './clib';
import { callLibrary } from './library';
import { Block, fault, stringBlock, type Pointer } from './memory';
import { declType, parseDeclarator, typeFromDescriptor } from './decl';
import { readTopLevel, type Fn } from './top-level';
import { initialize } from './init';
import { constEval } from './const';
import { ptrTo, sizeOf, T, type CType } from './types';
import { caseIndex } from './cases';
import { convert, intVal, load, newVar, store, truthy, VOID, type LValue, type Value } from './values';

/** Deepest call stack a program may build (recursion beyond it is a fault). */
export const MAX_DEPTH = 200;
/** Most bytes a program's variables may hold at once (globals, statics and every frame). */
export const MAX_MEMORY = 64 * 1024 * 1024;

type Completion = undefined | { k: 'break' } | { k: 'continue' } | { k: 'return'; v: Value };

/** One frame of the call stack. */
export interface Frame {
  fn: string;
  line: number;
  scopes: Map<string, LValue>[];
  /** Every variable of the frame in the order declared (for the window), with its scope depth. */
  vars: LValue[];
}

/** Where the machine stops to ask whether to go on (the runner). */
export type PointHook = (line: number) => Promise<void>;

export class Machine implements ExprHost {
  readonly frames: Frame[] = [];
  private readonly globals = new Map<string, LValue>();
  readonly globalVars: LValue[] = [];
  private readonly functions = new Map<string, Fn>();
  private readonly macros = new Map<string, Node>();
  private readonly literals = new Map<Node, Block>();
  private readonly globalInits: [LValue, Node][] = [];
  private readonly statics = new Map<Node, LValue>();
  /** Static locals (shown with the globals: they outlive their function's frames). */
  readonly staticVars: LValue[] = [];
  /** errno, as the program reads it. */
  readonly errno: LValue = newVar('errno', T.int, true);
  /** Bytes the program's live variables hold. */
  private heldBytes = 0;
  line = 1;

  constructor(
    private readonly root: Node,
    readonly io: MachineIO,
    private readonly point: PointHook,
    private readonly predefined: Readonly<Record<string, number>>,
    private readonly parseMacro: (text: string) => Node | null,
  ) {}

  /** Run main to its end: the exit status. Faults come out as CFault. */
  async run(): Promise<number> {
    this.top(this.root);
    for (const [lv, init] of this.globalInits) await initialize(this, lv, init);
    const main = this.functions.get('main');
    if (!main) throw fault(msg('fault.undeclared', { name: 'main' }));
    try {
      const args: Value[] = [];
      if (main.params.length >= 1) args.push(intVal(1));
      if (main.params.length >= 2) args.push(this.argv());
      const r = await this.invoke(main, args, main.body);
      return r.k === 'int' ? r.n : 0;
    } catch (e) {
      if (e instanceof ExitSignal) return e.status;
      throw e;
    }
  }

  // ----------------------------------------------------------------- top level

  private top(root: Node): void {
    const tables = {
      functions: this.functions,
      macros: this.macros,
      globals: this.globals,
      globalVars: this.globalVars,
      globalInits: this.globalInits,
    };
    readTopLevel(root, tables, {
      predefined: this.predefined,
      parseMacro: (text) => this.parseMacro(text),
      constSize: (s) => this.constSize(s),
      newVar: (name, t, zero) => this.newVar(name, t, zero),
    });
  }

  private argv(): Value {
    const name = stringBlock('program', false, 'argv[0]');
    const arr = new Block('argv', 16);
    arr.init.fill(1);
    arr.ptrs.set(0, { block: name, off: 0 });
    return { k: 'ptr', t: ptrTo(ptrTo(T.char)), p: { block: arr, off: 0 } };
  }

  /** A constant integer expression (array sizes, case labels). */
  constSize(n: Node): number {
    const v = this.constValue(n);
    if (v.k !== 'int') throw fault(msg('fault.unsupported', { construct: `the size ${n.text}` }));
    return v.n;
  }

  private constValue(n: Node): Value {
    return constEval(this, n);
  }

  // ----------------------------------------------------------------- ExprHost

  variable(name: string): LValue | undefined {
    const f = this.frames[this.frames.length - 1];
    if (f)
      for (let i = f.scopes.length - 1; i >= 0; i--) {
        const v = f.scopes[i]!.get(name);
        if (v) return v;
      }
    if (name === 'errno') return this.errno;
    return this.globals.get(name);
  }

  constant(name: string): Value | undefined {
    if (Object.hasOwn(this.predefined, name)) return intVal(this.predefined[name]!);
    const m = this.macros.get(name);
    if (m) {
      this.macros.delete(name); // a macro naming itself is not expanded again
      try {
        return this.constValue(m);
      } finally {
        this.macros.set(name, m);
      }
    }
    return libraryConstant(name);
  }

  typeOf(desc: Node): CType {
    return typeFromDescriptor(desc, (s) => this.constSize(s));
  }

  literal(node: Node, bytes: Uint8Array): Pointer {
    let b = this.literals.get(node);
    if (!b) {
      b = stringBlock(bytes, true, JSON.stringify(new TextDecoder().decode(bytes)).slice(0, 40));
      this.literals.set(node, b);
    }
    return { block: b, off: 0 };
  }

  async call(name: string, args: Node[], node: Node): Promise<Value> {
    const f = this.functions.get(name);
    if (f) {
      if (args.length !== f.params.length)
        throw fault(msg('fault.args', { fn: name, want: f.params.length, got: args.length }));
      const values: Value[] = [];
      for (const a of args) values.push(await evaluate(this, a));
      return this.invoke(f, values, node);
    }
    return callLibrary(this, name, args);
  }

  // ----------------------------------------------------------------- functions and statements

  private async invoke(f: Fn, args: Value[], at: Node): Promise<Value> {
    if (this.frames.length >= MAX_DEPTH) throw fault(msg('fault.stack', { depth: MAX_DEPTH }));
    const frame: Frame = { fn: f.name, line: at.startPosition.row + 1, scopes: [new Map()], vars: [] };
    f.params.forEach((p, i) => {
      const lv = this.newVar(p.name, p.t, false);
      store(lv, convert(args[i]!, p.t, p.name));
      frame.scopes[0]!.set(p.name, lv);
      frame.vars.push(lv);
    });
    this.frames.push(frame);
    try {
      const c = await this.exec(f.body);
      if (c?.k === 'return') return f.ret.kind === 'void' ? VOID : convert(c.v, f.ret, `${f.name}()`);
      return f.name === 'main' ? intVal(0) : VOID;
    } finally {
      this.frames.pop();
      for (const v of frame.vars) this.free(v);
    }
  }

  private async stop(n: Node): Promise<void> {
    this.line = n.startPosition.row + 1;
    const f = this.frames[this.frames.length - 1];
    if (f) f.line = this.line;
    await this.point(this.line);
  }

  private get scopes(): Map<string, LValue>[] {
    return this.frames[this.frames.length - 1]!.scopes;
  }

  private async exec(n: Node): Promise<Completion> {
    switch (n.type) {
      case 'compound_statement': {
        this.scopes.push(new Map());
        try {
          for (const c of n.namedChildren) {
            if (!c) continue;
            const r = await this.exec(c);
            if (r) return r;
          }
          return undefined;
        } finally {
          this.popScope();
        }
      }
      case 'declaration':
        return this.declare(n);
      case 'expression_statement': {
        const e = n.namedChild(0);
        if (!e) return undefined;
        await this.stop(n);
        await evaluate(this, e);
        return undefined;
      }
      case 'if_statement': {
        await this.stop(n);
        if (truthy(await evaluate(this, n.childForFieldName('condition')!)))
          return this.exec(n.childForFieldName('consequence')!);
        const alt = n.childForFieldName('alternative');
        return alt ? this.exec(alt.namedChild(0)!) : undefined;
      }
      case 'while_statement':
        for (;;) {
          await this.stop(n);
          if (!truthy(await evaluate(this, n.childForFieldName('condition')!))) return undefined;
          const r = await this.exec(n.childForFieldName('body')!);
          if (r?.k === 'break') return undefined;
          if (r?.k === 'return') return r;
        }
      case 'do_statement': {
        const cond = n.childForFieldName('condition')!;
        for (;;) {
          const r = await this.exec(n.childForFieldName('body')!);
          if (r?.k === 'break') return undefined;
          if (r?.k === 'return') return r;
          await this.stop(cond);
          if (!truthy(await evaluate(this, cond))) return undefined;
        }
      }
      case 'for_statement':
        return this.forLoop(n);
      case 'return_statement': {
        await this.stop(n);
        const e = n.namedChild(0);
        return { k: 'return', v: e ? await evaluate(this, e) : VOID };
      }
      case 'break_statement':
        await this.stop(n);
        return { k: 'break' };
      case 'continue_statement':
        await this.stop(n);
        return { k: 'continue' };
      case 'switch_statement':
        return this.switchStatement(n);
      case 'comment':
        return undefined;
      default:
        throw fault(msg('fault.unsupported', { construct: n.type.replace(/_/g, ' ') }));
    }
  }

  /** A declaration; `stop`: a step point when it initialises (not inside a for's header). */
  private async declare(n: Node, stop = true): Promise<Completion> {
    const base = declType(n.childForFieldName('type')!);
    const decls = n.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
    if (stop && decls.some((d) => d.type === 'init_declarator')) await this.stop(n);
    const isStatic = n.namedChildren.some(
      (c) => c?.type === 'storage_class_specifier' && c.text === 'static',
    );
    for (const d of decls) {
      const decl = parseDeclarator(d, base, (s) => this.constSize(s));
      if (decl.fn) continue;
      // A static local is one object for the whole run, zeroed and initialised once.
      const kept = isStatic ? this.statics.get(d) : undefined;
      const lv = kept ?? this.newVar(decl.name, decl.type, isStatic);
      this.scopes[this.scopes.length - 1]!.set(decl.name, lv);
      if (!isStatic) this.frames[this.frames.length - 1]!.vars.push(lv);
      else if (!kept) {
        this.statics.set(d, lv);
        this.staticVars.push(lv);
        if (decl.init) await initialize(this, lv, decl.init);
        continue;
      }
      if (decl.init && !isStatic) await initialize(this, lv, decl.init);
    }
    return undefined;
  }

  private async forLoop(n: Node): Promise<Completion> {
    this.scopes.push(new Map());
    try {
      await this.stop(n);
      const init = n.childForFieldName('initializer');
      if (init) {
        if (init.type === 'declaration') await this.declare(init, false);
        else await evaluate(this, init);
      }
      const cond = n.childForFieldName('condition');
      const update = n.childForFieldName('update');
      for (let first = true; ; first = false) {
        if (!first) {
          await this.stop(n);
          if (update) await evaluate(this, update);
        }
        if (cond && !truthy(await evaluate(this, cond))) return undefined;
        const r = await this.exec(n.childForFieldName('body')!);
        if (r?.k === 'break') return undefined;
        if (r?.k === 'return') return r;
      }
    } finally {
      this.popScope();
    }
  }

  private async switchStatement(n: Node): Promise<Completion> {
    await this.stop(n);
    const v = await evaluate(this, n.childForFieldName('condition')!);
    const cases = (n.childForFieldName('body')?.namedChildren ?? []).filter(
      (c): c is Node => c !== null && c.type === 'case_statement',
    );
    const start = caseIndex(cases, v, (val) => this.constValue(val));
    if (start < 0) return undefined;
    this.scopes.push(new Map());
    try {
      for (const c of cases.slice(start)) {
        const value = c.childForFieldName('value');
        for (const s of c.namedChildren) {
          if (!s || s.id === value?.id) continue;
          const r = await this.exec(s);
          if (r?.k === 'break') return undefined;
          if (r) return r;
        }
      }
      return undefined;
    } finally {
      this.popScope();
    }
  }

  /** A new variable, counted against the program's memory (a fault past MAX_MEMORY). */
  private newVar(name: string, t: CType, zero: boolean): LValue {
    const size = Math.max(1, sizeOf(t));
    if (this.heldBytes + size > MAX_MEMORY)
      throw fault(msg('fault.memory', { n: this.heldBytes + size, max: MAX_MEMORY }));
    this.heldBytes += size;
    return newVar(name, t, zero);
  }

  /** A variable's lifetime ended (its block returned, its scope closed). */
  private free(v: LValue): void {
    if (!v.p.block.alive) return;
    v.p.block.alive = false;
    this.heldBytes -= v.p.block.size;
  }

  /** Close the innermost scope: its variables (not the static ones) end. */
  private popScope(): void {
    const scope = this.scopes.pop()!;
    for (const v of scope.values()) if (!this.staticVars.includes(v)) this.free(v);
    const f = this.frames[this.frames.length - 1]!;
    f.vars = f.vars.filter((v) => v.p.block.alive);
  }

  /** Set errno (after a failing call). */
  setErrno(n: number): void {
    store(this.errno, intVal(n));
  }

  /** The value of errno now. */
  errnoValue(): number {
    const v = load(this.errno);
    return v.k === 'int' ? v.n : 0;
  }
}
