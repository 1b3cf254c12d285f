/**
 * The lab: the public API the window (over IPC or WebSocket), lessons and tests use. It
 * keeps the actors and their programs, validates and executes commands, and leaves sockets
 * and calls to the engine. Every change is an event in the log; `view()` is the reducer's
 * state after all of them.
 */
import { parseCommand } from '../contract/api';
import { refuse } from '../contract/messages';
import type { ViewState } from '../contract/reducer';
import type { SNode } from './interp/ast';
import {
  type ActorId,
  type Call,
  type CallOutcome,
  type Command,
  type CommandResult,
  type LabEvent,
  type Program,
  type ProgramProblem,
} from '../contract/schema';
import { problemsError, startProgram } from './actor-program';
import { compile, type Mode } from './interp/runner';
import { Actor } from './actor';
import { Engine, type CallResult } from './engine';
import { EventLog } from './event-log';
import { defaultKernelSource, NoneSource } from './kernel/index';
import type { KernelTableSource } from './kernel/types';
import { LabCapture, type LabCaptureOptions, type PcapScope } from './lab-capture';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { errText, freePort } from './net-util';
import { defaultPrograms } from './programs';
import { requireSys } from './sys/index';

/** A refused command's answer (contract/messages.ts: its code and its English). */
type Refused = ReturnType<typeof refuse>;

/** A program that does not compile: where its first problem is, how many; its problems. */
function cannotRun(problems: ProgramProblem[], actor?: ActorId): CommandResult {
  const where = { line: problems[0]?.line ?? 0, col: problems[0]?.col ?? 0, n: problems.length };
  const r = actor ? refuse('refusal.cannotRunOf', { actor, ...where }) : refuse('refusal.cannotRun', where);
  // The English keeps the first problem's code, as logs and the lesson check have it.
  return { ...r, error: actor ? `${actor}: ${problemsError(problems)}` : problemsError(problems), problems };
}
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
  /** Where the default programs (echo-server.c, echo-client.c) are: resources/programs by default. */
  programsDir?: string;
}

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
  private defaults!: { server: Program; client: Program };
  private readonly defaultTrees = new Map<Program, SNode | null>();

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
    lab.defaults = await defaultPrograms(opts.programsDir);
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
  exportPcap(only?: PcapScope): Uint8Array | null {
    return this.capture?.exportPcap(only) ?? null;
  }

  /** The port the default programs use (the PORT variable of every actor). */
  defaultPort(): number {
    return this.port;
  }

  /** Validate a command from outside, then execute it. Never throws. */
  async handle(input: unknown): Promise<CommandResult> {
    const p = parseCommand(input);
    if (!p.ok) return { ok: false, error: p.error, refusal: p.refusal };
    return this.execute(p.command);
  }

  /** Execute a validated command. Never throws; a rejected command emits no event. */
  async execute(cmd: Command): Promise<CommandResult> {
    if (this.disposed) return refuse('refusal.closed');
    if (this.resetting && cmd.type !== 'reset') await this.resetting;
    // A call the kernel just released finishes returning before the actor takes a command.
    if ('actor' in cmd) await this.actors.get(cmd.actor)?.settled();
    try {
      switch (cmd.type) {
        case 'call':
          return await this.call(cmd.actor, cmd.call);
        case 'step':
          return await this.step(cmd.actor, cmd.unit ?? 'statement');
        case 'run':
          return await this.run(cmd.actor, cmd.breakpoints);
        case 'interrupt':
          return await this.interrupt(cmd.actor);
        case 'addClient':
          return await this.addClient(cmd.program);
        case 'loadProgram':
          return await this.loadProgram(cmd.actor, cmd.program);
        case 'reset':
          return await this.reset(cmd.programs);
        case 'exportPcap': {
          const since =
            cmd.sinceSeq !== undefined ? this.log.events().find((e) => e.seq >= cmd.sinceSeq!) : undefined;
          const pcap = this.exportPcap({
            ...(cmd.connection ? { connection: cmd.connection } : {}),
            // From the event's time on (events are stamped in ms; packets in µs).
            ...(since ? { sinceUs: Math.floor(since.t * 1000) } : {}),
          });
          if (!pcap) return refuse('refusal.nothingCaptured');
          // A pcap file's header is 24 bytes: nothing after it, nothing of what was asked for.
          if (pcap.length <= 24) return refuse('refusal.nothingCapturedThere');
          return { ok: true, value: Buffer.from(pcap).toString('base64') };
        }
      }
    } catch (err) {
      return refuse('refusal.internal', { error: errText(err) });
    }
  }

  /** Close every socket and stop observing the kernel. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.resetting) await this.resetting.catch(() => undefined);
    for (const a of this.actors.values()) a.runner?.kill();
    await this.engine.dispose(this.actors.values());
    await this.capture?.stop();
  }

  // -------------------------------------------------------------------------------------

  private actorOrError(id: ActorId): Actor | Refused {
    const a = this.actors.get(id);
    if (!a) return refuse('refusal.noActor', { actor: id, actors: [...this.actors.keys()].join(', ') });
    if (a.current) {
      const c = a.current;
      return c.blocked
        ? refuse('refusal.blocked', { actor: id, call: c.call, block: c.blocked })
        : refuse('refusal.busy', { actor: id, call: c.call });
    }
    return a;
  }

  private checkCall(call: Call): Refused | null {
    if (call.call === 'write') {
      const n =
        call.args.data !== undefined ? Buffer.byteLength(call.args.data, 'utf8') : (call.args.fill ?? 0);
      if (n > this.limits.bytesPerWrite)
        return refuse('refusal.writeLimit', { n, max: this.limits.bytesPerWrite });
    }
    return null;
  }

  private async call(actorId: ActorId, call: Call): Promise<CommandResult> {
    const a = this.actorOrError(actorId);
    if (!(a instanceof Actor)) return a;
    const bad = this.checkCall(call);
    if (bad) return bad;
    const { outcome } = this.engine.startCall(a, call, undefined);
    return { ok: true, value: await outcome };
  }

  private async step(actorId: ActorId, unit: 'statement' | 'call'): Promise<CommandResult> {
    return this.go(actorId, { unit });
  }

  private async run(actorId: ActorId, breakpoints: number[] | undefined): Promise<CommandResult> {
    return this.go(actorId, { unit: 'run', breakpoints: new Set(breakpoints ?? []) });
  }

  /** Let the actor's program go (see Runner.go): the call it made, or why it stopped. */
  private async go(actorId: ActorId, mode: Mode): Promise<CommandResult> {
    const a = this.actorOrError(actorId);
    if (!(a instanceof Actor)) return a;
    if (!a.runner || a.runner.line === null) return refuse('refusal.ended', { actor: actorId });
    const r = await a.runner.go(mode);
    // A step answers with the call it made; a run with the call it blocked in, or why it
    // stopped; a program that ended during the command says 'ended' (no press goes further).
    if (r.call && r.stop !== 'ended' && (r.stop === 'blocked' || mode.unit !== 'run'))
      return { ok: true, value: r.call };
    return { ok: true, value: r.stop === 'blocked' ? 'paused' : r.stop };
  }

  private async interrupt(actorId: ActorId): Promise<CommandResult> {
    const a = this.actors.get(actorId);
    if (!a) return refuse('refusal.noSuchActor', { actor: actorId });
    const c = a.current;
    if (!c?.blocked) return refuse('refusal.notBlocked', { actor: actorId });
    const done = c.done as Promise<CallResult>;
    if (!this.engine.interrupt(a)) return refuse('refusal.notInterruptible', { actor: actorId });
    const r = await done;
    const value: CallOutcome = {
      callId: c.callId,
      status: 'returned',
      ret: r.ret,
      ...(r.errno ? { errno: r.errno } : {}),
    };
    return { ok: true, value };
  }

  private async addClient(program: Program | undefined): Promise<CommandResult> {
    if (this.actors.size >= this.limits.actors) {
      return refuse('refusal.actorLimit', { n: this.actors.size });
    }
    let tree: SNode | null;
    if (program) {
      const c = await compile(program);
      if (!c.ok) return cannotRun(c.problems);
      tree = c.tree;
    } else tree = await this.defaultTree(this.defaults.client);
    if (!tree) return refuse('refusal.defaultClient');
    let n = 2;
    while (this.actors.has(`client${n}`)) n++;
    const id = `client${n}`;
    await this.addActor(id, 'client', program ?? this.defaults.client, tree);
    return { ok: true, value: id };
  }

  private async loadProgram(actorId: ActorId, program: Program): Promise<CommandResult> {
    const a = this.actorOrError(actorId);
    if (!(a instanceof Actor)) return a;
    const c = await compile(program);
    if (!c.ok) return cannotRun(c.problems);
    await this.load(a, program, c.tree);
    return { ok: true };
  }

  private async reset(programs: Record<ActorId, Program> | undefined): Promise<CommandResult> {
    const trees = new Map<ActorId, SNode>();
    if (programs) {
      const extra = Object.keys(programs).filter((k) => k !== 'server' && k !== 'client');
      if (extra.length + 2 > this.limits.actors)
        return refuse('refusal.tooManyActors', { max: this.limits.actors });
      // Every program is checked before anything changes: a bad one leaves the lab as it was.
      for (const [id, p] of Object.entries(programs)) {
        const c = await compile(p);
        if (!c.ok) return cannotRun(c.problems, id);
        trees.set(id, c.tree);
      }
    }
    await this.doReset(programs, trees);
    return { ok: true };
  }

  /**
   * Close everything and start again with `programs` (the defaults where absent); `trees`: the
   * programs already compiled (the tree is read only, so one compile serves every reset).
   */
  private async doReset(
    programs: Record<ActorId, Program> | undefined,
    trees: ReadonlyMap<ActorId, SNode> = new Map(),
  ): Promise<void> {
    const run = async (): Promise<void> => {
      for (const a of this.actors.values()) a.runner?.kill();
      this.engine.closeAll(this.actors.values());
      this.actors = new Map();
      this.port = await freePort();
      this.log.append({
        type: 'lab.reset',
        platform: process.platform,
        kernelSource: this.engine.source.kind,
      });
      const all: [ActorId, 'server' | 'client', Program][] = [
        ['server', 'server', programs?.['server'] ?? this.defaults.server],
        ['client', 'client', programs?.['client'] ?? this.defaults.client],
      ];
      for (const [id, p] of Object.entries(programs ?? {}))
        if (id !== 'server' && id !== 'client') all.push([id, 'client', p]);
      for (const [id, kind, p] of all) {
        const tree = trees.get(id) ?? (await this.defaultTree(p));
        if (tree) await this.addActor(id, kind, p, tree);
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

  /** A default program's tree, compiled once for the lab's life (null if it does not compile). */
  private async defaultTree(p: Program): Promise<SNode | null> {
    let t = this.defaultTrees.get(p);
    if (t === undefined) {
      const c = await compile(p);
      t = c.ok ? c.tree : null;
      this.defaultTrees.set(p, t);
    }
    return t;
  }

  private async addActor(
    id: ActorId,
    kind: 'server' | 'client',
    program: Program,
    tree: SNode,
  ): Promise<void> {
    const a = new Actor(id, kind);
    this.actors.set(id, a);
    this.log.append({ type: 'actor.added', actor: id, kind });
    await this.load(a, program, tree);
  }

  /** Give the actor a checked program: it starts again, stopped at its first statement. */
  private async load(a: Actor, program: Program, tree: SNode): Promise<void> {
    a.runner?.kill();
    a.program = program;
    a.programVersion++;
    this.log.append({ type: 'program.loaded', actor: a.id, program });
    a.runner = await startProgram(
      a,
      tree,
      { PORT: this.port },
      {
        engine: this.engine,
        log: this.log,
        maxWrite: this.limits.bytesPerWrite,
      },
    );
  }
}
