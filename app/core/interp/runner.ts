/**
 * Running a program one statement at a time. The machine stops at every step point; the
 * runner decides whether it goes on: one statement (step), up to and including the next
 * system call (what a lesson's step does), or on until a breakpoint, a blocked call, the end,
 * or a budget of statements without a call. A blocked call answers the command at once; when
 * the kernel releases it, the program goes on to the next statement and stops there.
 */
import { plainTree, type SNode } from './ast';
import { markTypedefCasts } from './casts';
import { checkProgram } from '../../contract/c/subset';
import {
  msg,
  type Call,
  type CallOutcome,
  type FrameView,
  type Message,
  type Program,
  type ProgramEnd,
  type ProgramProblem,
  type StopReason,
} from '../../contract/schema';
import type { CallResult } from '../calls/result';
import type { MachineIO, SysReturn } from './clib';
import { Machine } from './machine';
import { CFault } from './memory';
import { macroParser, parseC } from './parser';
import { showFrames } from './show';

/** Most statements a Run executes without a system call before it stops and says so. */
export const STATEMENT_BUDGET = 100_000;

/** How far a command lets the program go. */
export type Mode =
  { unit: 'statement' } | { unit: 'call' } | { unit: 'run'; breakpoints: ReadonlySet<number> };

/** What one command did: how it stopped, and the last call it made (if any). */
export interface GoResult {
  stop: StopReason | 'blocked';
  call?: CallOutcome;
}

/** What the runner needs of the lab. */
export interface RunnerHost {
  /** Start a call in the engine at `line`: its outcome (returned or blocked) and its result. */
  startCall(
    call: Call,
    line: number,
    payload?: Buffer,
    text?: string,
  ): { outcome: Promise<CallOutcome>; done: Promise<CallResult> };
  /** The program stopped at a line (or is in a call there): the window is told. */
  paused(line: number, frames: FrameView[], steps: number): void;
  output(stream: 'stdout' | 'stderr', text: string): void;
  ended(end: ProgramEnd): void;
  strerror(errno: number): string;
  note(m: Message): void;
}

/** Parse and check a program: the tree, or what is wrong with it. */
export async function compile(
  p: Program,
): Promise<{ ok: true; tree: SNode } | { ok: false; problems: ProgramProblem[] }> {
  const tree = await parseC(p.source);
  try {
    const problems = checkProgram(tree.rootNode);
    if (problems.length) return { ok: false, problems };
    return { ok: true, tree: markTypedefCasts(plainTree(tree, p.source)) };
  } finally {
    tree.delete();
  }
}

export class Runner {
  private readonly machine: Machine;
  private mode: Mode | { unit: 'initial' } | { unit: 'released' } = { unit: 'initial' };
  private resume: (() => void) | null = null;
  private answer: ((r: GoResult) => void) | null = null;
  private lastCall: CallOutcome | undefined;
  private callsSince = 0;
  private pointsSinceCall = 0;
  /** Statements begun since the program was loaded. */
  steps = 0;
  /** The line the program is at; null once it has ended. */
  line: number | null = null;
  private dead = false;
  /** Resolves once the program is at its first statement (or has ended). */
  readonly ready: Promise<void>;

  constructor(
    tree: SNode,
    private readonly host: RunnerHost,
    predefined: Readonly<Record<string, number>>,
    parseMacro: (text: string) => SNode | null,
  ) {
    const io: MachineIO = {
      sys: (call, payload, text) => this.sys(call, payload, text),
      output: (s, t) => this.host.output(s, t),
      strerror: (n) => this.host.strerror(n),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      note: (m) => this.host.note(m),
    };
    this.machine = new Machine(tree, io, (line) => this.point(line), predefined, parseMacro);
    let first!: () => void;
    this.ready = new Promise((r) => (first = r));
    this.answer = () => first();
    void this.machine.run().then(
      (status) => this.finish({ how: 'exit', status }),
      (e: unknown) => this.finish(this.faultOf(e)),
    );
  }

  /** A runner for a checked program, stopped at its first statement. */
  static async start(
    tree: SNode,
    host: RunnerHost,
    predefined: Readonly<Record<string, number>>,
  ): Promise<Runner> {
    const r = new Runner(tree, host, predefined, await macroParser());
    await r.ready;
    return r;
  }

  /** Let the program go as far as `mode` says; resolves when it stops, ends, or a call blocks. */
  async go(mode: Mode): Promise<GoResult> {
    // Between a call's return (a released or interrupted call) and the next statement the
    // program is still running: the command waits until it stops there (or ends).
    if (this.line !== null && !this.resume && !this.dead)
      await new Promise<void>((r) => this.stopped.push(r));
    if (this.line === null || !this.resume) return { stop: 'ended' };
    this.mode = mode;
    this.lastCall = undefined;
    this.callsSince = 0;
    this.pointsSinceCall = 0;
    const p = new Promise<GoResult>((r) => (this.answer = r));
    const go = this.resume;
    this.resume = null;
    go();
    return p;
  }

  /** The frames now (innermost first). */
  frames(): FrameView[] {
    return showFrames(this.machine.frames, [...this.machine.globalVars, ...this.machine.staticVars]);
  }

  /** Abandon the program (reset, another program loaded): it never runs another statement. */
  kill(): void {
    this.dead = true;
    this.resume = null;
    this.answer = null;
    this.wakeWaiters();
  }

  private async point(line: number): Promise<void> {
    if (this.dead) return new Promise(() => undefined);
    this.line = line;
    this.pointsSinceCall++;
    const stop = this.shouldStop(line);
    if (stop) {
      this.host.paused(line, this.frames(), this.steps);
      const answer = this.answer;
      this.answer = null;
      answer?.({ stop, ...(this.lastCall ? { call: this.lastCall } : {}) });
      if (stop === 'budget') this.host.note(msg('fault.budget', { n: STATEMENT_BUDGET }));
      const resumed = new Promise<void>((r) => (this.resume = r));
      this.wakeWaiters();
      await resumed;
      if (this.dead) return new Promise(() => undefined);
    }
    this.steps++;
  }

  private shouldStop(line: number): StopReason | null {
    const m = this.mode;
    switch (m.unit) {
      case 'initial':
      case 'statement':
      case 'released':
        return 'paused';
      case 'call':
        return this.callsSince > 0 ? 'paused' : null;
      case 'run':
        // The statement a run starts from is not checked again: a breakpoint there does not hold it.
        if (m.breakpoints.has(line)) return 'breakpoint';
        return this.pointsSinceCall > STATEMENT_BUDGET ? 'budget' : null;
    }
  }

  private async sys(call: Call, payload?: Uint8Array, text?: string): Promise<SysReturn> {
    this.callsSince++;
    this.pointsSinceCall = 0;
    const line = this.line ?? 1;
    const { outcome, done } = this.host.startCall(
      call,
      line,
      payload ? Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) : undefined,
      text,
    );
    const o = await outcome;
    if (o.status === 'blocked') {
      this.host.paused(line, this.frames(), this.steps);
      const answer = this.answer;
      this.answer = null;
      answer?.({ stop: 'blocked', call: o });
      this.mode = { unit: 'released' };
    } else this.lastCall = o;
    const r = await done;
    if (o.status === 'blocked')
      this.lastCall = {
        callId: o.callId,
        status: 'returned',
        ret: r.ret,
        ...(r.errno ? { errno: r.errno } : {}),
      };
    return {
      ret: r.ret,
      ...(r.errno ? { errno: r.errno } : {}),
      ...(r.bytes ? { bytes: r.bytes } : {}),
      ...(r.out ? { out: r.out } : {}),
    };
  }

  private faultOf(e: unknown): ProgramEnd {
    const line = this.line ?? 1;
    if (e instanceof CFault) return { how: 'fault', line, text: e.text };
    return {
      how: 'fault',
      line,
      text: msg('fault.unsupported', { construct: String((e as Error)?.message ?? e).slice(0, 200) }),
    };
  }

  /** Commands waiting for the program to stop (see go). */
  private readonly stopped: (() => void)[] = [];

  private wakeWaiters(): void {
    for (const w of this.stopped.splice(0)) w();
  }

  private finish(end: ProgramEnd): void {
    if (this.dead) return;
    this.line = null;
    this.resume = null;
    this.host.ended(end);
    this.wakeWaiters();
    const answer = this.answer;
    this.answer = null;
    answer?.({ stop: 'ended', ...(this.lastCall ? { call: this.lastCall } : {}) });
  }
}
