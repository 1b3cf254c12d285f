/**
 * The lab: the public API the window (over IPC or WebSocket), lessons and tests use. It
 * keeps the actors and their programs, validates and executes commands, and leaves sockets
 * and calls to the engine. Every change is an event in the log; `view()` is the reducer's
 * state after all of them.
 */
import { parseCommand } from '../contract/api';
import type { ViewState } from '../contract/reducer';
import {
  CallSchema,
  type ActorId,
  type ArgValue,
  type Call,
  type CallOutcome,
  type Command,
  type CommandResult,
  type LabEvent,
  type Program,
  type ProgramLine,
} from '../contract/schema';
import { Actor } from './actor';
import { Engine, type CallResult } from './engine';
import { EventLog } from './event-log';
import { defaultKernelSource, NoneSource } from './kernel/index';
import type { KernelTableSource } from './kernel/types';
import { LabCapture, type LabCaptureOptions } from './lab-capture';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { errText, freePort } from './net-util';
import { DEFAULT_CLIENT_PROGRAM, DEFAULT_SERVER_PROGRAM } from './programs';
import { requireSys } from './sys/index';

export type { Limits } from './limits';

/** Options of {@link Lab.create}. */
export interface LabOptions {
  /** Limits replacing the defaults (see DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Where kernel states come from: a source, 'auto' (this platform's table, the default) or 'none'. */
  kernel?: KernelTableSource | 'auto' | 'none';
  /** Pause between two reads of the kernel table, in ms (default 40: 25 reads a second). */
  pollMs?: number;
  /**
   * Capture the lab's segments on loopback with tcpdump or dumpcap (default off). Where the
   * tool is missing or not permitted, a capture.status event says why and how to enable it.
   */
  capture?: boolean | LabCaptureOptions;
  /**
   * Take every state change from the kernel's tracepoint sock:inet_sock_set_state (default
   * off; root on Linux). Where it may not be used, a notice says why and states come from
   * TCP_INFO readings, the steps between them inferred.
   */
  trace?: boolean;
}

/** Most lines one step may pass (jumps and code-only lines) before it must reach a call. */
const MAX_LINES_PER_STEP = 1000;
/** Most calls one run command makes. */
const MAX_CALLS_PER_RUN = 200;

/** A lab of actors on real loopback sockets. */
export class Lab {
  private readonly log: EventLog;
  private readonly engine: Engine;
  private readonly limits: Limits;
  private actors = new Map<ActorId, Actor>();
  private port = 0;
  private disposed = false;
  private resetting: Promise<void> | null = null;
  private capture: LabCapture | null = null;

  private constructor(opts: LabOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.log = new EventLog({ maxEvents: this.limits.events });
    const k = opts.kernel ?? 'auto';
    const source = k === 'auto' ? defaultKernelSource() : k === 'none' ? new NoneSource() : k;
    // The real calls or nothing: where the C library cannot be reached the lab does not
    // start (no emulation stands in for the kernel).
    this.engine = new Engine(requireSys(), this.log, source, this.limits, opts.pollMs ?? 40);
  }

  /** A new lab: emits lab.reset, then the actors 'server' and 'client' with the default programs. */
  static async create(opts: LabOptions = {}): Promise<Lab> {
    const lab = new Lab(opts);
    await lab.doReset(undefined);
    if (opts.capture)
      lab.capture = await LabCapture.start(lab.log, opts.capture === true ? {} : opts.capture);
    if (opts.trace) await lab.engine.startTracer();
    return lab;
  }

  /** Every event so far (see EventLog for the memory limit). */
  events(): readonly LabEvent[] {
    return this.log.events();
  }

  /** The reducer's state after all events. */
  view(): ViewState {
    return this.log.view();
  }

  /** Subscribe to events, synchronously and in order; returns the unsubscribe function. */
  subscribe(cb: (e: LabEvent) => void): () => void {
    return this.log.subscribe(cb);
  }

  /** The captured packets as a .pcap file, or null when capture is off or saw nothing. */
  exportPcap(): Uint8Array | null {
    return this.capture?.exportPcap() ?? null;
  }

  /** The port the default programs use (the PORT variable of every actor). */
  defaultPort(): number {
    return this.port;
  }

  /** Validate a command from outside, then execute it. Never throws. */
  async handle(input: unknown): Promise<CommandResult> {
    const p = parseCommand(input);
    if (!p.ok) return { ok: false, error: p.error };
    return this.execute(p.command);
  }

  /** Execute a validated command. Never throws; a rejected command emits no event. */
  async execute(cmd: Command): Promise<CommandResult> {
    if (this.disposed) return { ok: false, error: 'the lab is closed' };
    if (this.resetting && cmd.type !== 'reset') await this.resetting;
    // A call the kernel just released finishes returning before the actor takes a command.
    if ('actor' in cmd) await this.actors.get(cmd.actor)?.settled();
    try {
      switch (cmd.type) {
        case 'call':
          return await this.call(cmd.actor, cmd.call);
        case 'step':
          return await this.step(cmd.actor);
        case 'run':
          return await this.run(cmd.actor);
        case 'interrupt':
          return await this.interrupt(cmd.actor);
        case 'addClient':
          return this.addClient(cmd.program);
        case 'loadProgram':
          return this.loadProgram(cmd.actor, cmd.program);
        case 'reset':
          return await this.reset(cmd.programs);
        case 'exportPcap': {
          const pcap = this.exportPcap();
          if (!pcap)
            return {
              ok: false,
              error: 'nothing captured: capture is off or has seen no segment of the lab yet',
            };
          return { ok: true, value: Buffer.from(pcap).toString('base64') };
        }
      }
    } catch (err) {
      return { ok: false, error: `internal error: ${errText(err)}` };
    }
  }

  /** Close every socket and stop observing the kernel. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.resetting) await this.resetting.catch(() => undefined);
    await this.engine.dispose(this.actors.values());
    await this.capture?.stop();
  }

  // -------------------------------------------------------------------------------------

  private actorOrError(id: ActorId): Actor | string {
    const a = this.actors.get(id);
    if (!a) return `there is no actor '${id}' (actors: ${[...this.actors.keys()].join(', ')})`;
    if (a.current) {
      const c = a.current;
      return c.blocked
        ? `${id} is blocked in ${c.call}() (${c.blocked}): wait for it to return, or interrupt it`
        : `${id} is busy in ${c.call}()`;
    }
    return a;
  }

  private checkCall(call: Call): string | null {
    if (call.call === 'write') {
      const n =
        call.args.data !== undefined ? Buffer.byteLength(call.args.data, 'utf8') : (call.args.fill ?? 0);
      if (n > this.limits.bytesPerWrite)
        return `write of ${n} bytes is over the lab's limit of ${this.limits.bytesPerWrite} bytes per write`;
    }
    return null;
  }

  private async call(actorId: ActorId, call: Call): Promise<CommandResult> {
    const a = this.actorOrError(actorId);
    if (typeof a === 'string') return { ok: false, error: a };
    const bad = this.checkCall(call);
    if (bad) return { ok: false, error: bad };
    const { outcome } = this.engine.startCall(a, call, undefined);
    return { ok: true, value: await outcome };
  }

  private async step(actorId: ActorId): Promise<CommandResult> {
    const a = this.actorOrError(actorId);
    if (typeof a === 'string') return { ok: false, error: a };
    if (!a.program || a.pc === null)
      return { ok: false, error: `${actorId}'s program has ended (load or reset it to start again)` };
    const program = a.program;
    // Walk code-only lines and jumps on a copy of pc: nothing changes unless a call starts
    // (or the program ends), so a bad line leaves the lab as it was.
    let pc: number = a.pc;
    for (let guard = 0; guard < MAX_LINES_PER_STEP; guard++) {
      const line = program.lines[pc];
      if (!line) {
        this.setPc(a, null);
        return { ok: true, value: 'ended' };
      }
      if (line.jump !== undefined) {
        const cond = line.when ? this.evalWhen(a, line.when) : true;
        if (typeof cond === 'string') return { ok: false, error: `line ${pc}: ${cond}` };
        pc = cond ? line.jump : pc + 1;
        continue;
      }
      if (!line.call) {
        pc++;
        continue;
      }
      const call = this.buildCall(a, line);
      if (typeof call === 'string') return { ok: false, error: `line ${pc} (${line.code.trim()}): ${call}` };
      const bad = this.checkCall(call);
      if (bad) return { ok: false, error: `line ${pc}: ${bad}` };
      const at = pc;
      const version = a.programVersion;
      this.setPc(a, at);
      const { outcome } = this.engine.startCall(a, call, at, (r) => this.afterLine(a, version, at, line, r));
      return { ok: true, value: await outcome };
    }
    return { ok: false, error: `${actorId}'s program loops without making a call` };
  }

  private async run(actorId: ActorId): Promise<CommandResult> {
    let last: CommandResult = { ok: true, value: 'ended' };
    for (let i = 0; i < MAX_CALLS_PER_RUN; i++) {
      const r = await this.step(actorId);
      if (!r.ok) return i === 0 ? r : last;
      last = r;
      const v = r.value;
      if (typeof v !== 'object' || v.status === 'blocked' || v.ret === -1) return r;
    }
    return last;
  }

  private async interrupt(actorId: ActorId): Promise<CommandResult> {
    const a = this.actors.get(actorId);
    if (!a) return { ok: false, error: `there is no actor '${actorId}'` };
    const c = a.current;
    if (!c?.blocked) return { ok: false, error: `${actorId} is not blocked in a call` };
    const done = c.done as Promise<CallResult>;
    if (!this.engine.interrupt(a)) return { ok: false, error: `${actorId}'s call cannot be interrupted` };
    const r = await done;
    const value: CallOutcome = {
      callId: c.callId,
      status: 'returned',
      ret: r.ret,
      ...(r.errno ? { errno: r.errno } : {}),
    };
    return { ok: true, value };
  }

  private addClient(program: Program | undefined): CommandResult {
    if (this.actors.size >= this.limits.actors) {
      return { ok: false, error: `the lab has ${this.actors.size} actors, its limit` };
    }
    let n = 2;
    while (this.actors.has(`client${n}`)) n++;
    const id = `client${n}`;
    this.addActor(id, 'client', program ?? DEFAULT_CLIENT_PROGRAM);
    return { ok: true, value: id };
  }

  private loadProgram(actorId: ActorId, program: Program): CommandResult {
    const a = this.actorOrError(actorId);
    if (typeof a === 'string') return { ok: false, error: a };
    this.load(a, program);
    return { ok: true };
  }

  private async reset(programs: Record<ActorId, Program> | undefined): Promise<CommandResult> {
    if (programs) {
      const extra = Object.keys(programs).filter((k) => k !== 'server' && k !== 'client');
      if (extra.length + 2 > this.limits.actors)
        return { ok: false, error: `too many actors: the limit is ${this.limits.actors}` };
    }
    await this.doReset(programs);
    return { ok: true };
  }

  private async doReset(programs: Record<ActorId, Program> | undefined): Promise<void> {
    const run = async (): Promise<void> => {
      this.engine.closeAll(this.actors.values());
      this.actors = new Map();
      this.port = await freePort();
      this.log.append({
        type: 'lab.reset',
        platform: process.platform,
        kernelSource: this.engine.source.kind,
      });
      this.addActor('server', 'server', programs?.['server'] ?? DEFAULT_SERVER_PROGRAM);
      this.addActor('client', 'client', programs?.['client'] ?? DEFAULT_CLIENT_PROGRAM);
      for (const [id, p] of Object.entries(programs ?? {})) {
        if (id !== 'server' && id !== 'client') this.addActor(id, 'client', p);
      }
    };
    const p = run();
    this.resetting = p;
    try {
      await p;
    } finally {
      if (this.resetting === p) this.resetting = null;
    }
  }

  private addActor(id: ActorId, kind: 'server' | 'client', program: Program): void {
    const a = new Actor(id, kind);
    this.actors.set(id, a);
    this.log.append({ type: 'actor.added', actor: id, kind });
    this.load(a, program);
  }

  private load(a: Actor, program: Program): void {
    a.program = program;
    a.programVersion++;
    a.vars = { PORT: this.port };
    a.pc = 0;
    this.log.append({ type: 'program.loaded', actor: a.id, program });
    this.log.append({ type: 'program.pc', actor: a.id, line: 0, vars: { ...a.vars } });
  }

  private setPc(a: Actor, line: number | null): void {
    a.pc = line;
    this.log.append({ type: 'program.pc', actor: a.id, line, vars: { ...a.vars } });
  }

  /** A call line returned: store its results and move to the next line. */
  private afterLine(a: Actor, version: number, at: number, line: ProgramLine, r: CallResult): void {
    if (a.dead || a.programVersion !== version || !a.program) return;
    if (line.assign) a.vars[line.assign] = r.ret;
    if (line.store) a.vars[line.store] = r.bytes ? r.bytes.toString('utf8') : '';
    const next = at + 1 < a.program.lines.length ? at + 1 : null;
    this.setPc(a, next);
  }

  private resolveArg(a: Actor, v: ArgValue): number | string | undefined {
    if (typeof v === 'object') return a.vars[v.var];
    return v;
  }

  private buildCall(a: Actor, line: ProgramLine): Call | string {
    const args: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(line.args ?? {})) {
      const x = this.resolveArg(a, v);
      if (x === undefined) return `variable '${(v as { var: string }).var}' has no value yet`;
      args[k] = x;
    }
    const r = CallSchema.safeParse({ call: line.call, args });
    if (!r.success) return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return r.data;
  }

  private evalWhen(a: Actor, w: NonNullable<ProgramLine['when']>): boolean | string {
    const v = a.vars[w.var];
    if (typeof v !== 'number') return `variable '${w.var}' is not a number yet`;
    switch (w.op) {
      case '<':
        return v < w.value;
      case '<=':
        return v <= w.value;
      case '==':
        return v === w.value;
      case '!=':
        return v !== w.value;
      case '>':
        return v > w.value;
      case '>=':
        return v >= w.value;
    }
  }
}
