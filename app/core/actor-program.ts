/**
 * An actor's program on the lab: the runner's host. Its calls start in the engine at the
 * statement's line (a write with the program's own bytes), its stops become program.pc
 * events, its output program.output (gathered as stdio would, given out at each stop, call
 * and end), its end program.ended — and at the end the kernel closes what the process held.
 */
import type { SNode } from './interp/ast';
import { MAX_OUTPUT_CHUNK, msg, type ProgramProblem } from '../contract/schema';
import type { Actor } from './actor';
import type { Engine } from './engine';
import type { EventLog } from './event-log';
import { errnoName } from './interp/library';
import { fault } from './interp/memory';
import { Runner, type RunnerHost } from './interp/runner';

/** What a program needs of the lab. */
export interface ProgramContext {
  engine: Engine;
  log: EventLog;
  /** Most bytes one write may hand the kernel (the lab's limit, as for the sandbox's writes). */
  maxWrite: number;
}

/** Start the actor's program: resolves once it is stopped at its first statement. */
export function startProgram(
  a: Actor,
  tree: SNode,
  predefined: Readonly<Record<string, number>>,
  ctx: ProgramContext,
): Promise<Runner> {
  const { engine, log } = ctx;
  const version = a.programVersion;
  const live = () => !a.dead && a.programVersion === version;
  let pending: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let pendingChars = 0;
  const flush = (): void => {
    if (!live()) return;
    for (const c of pending)
      for (let i = 0; i < c.text.length; i += MAX_OUTPUT_CHUNK)
        log.append({
          type: 'program.output',
          actor: a.id,
          stream: c.stream,
          text: c.text.slice(i, i + MAX_OUTPUT_CHUNK),
        });
    pending = [];
    pendingChars = 0;
  };
  const host: RunnerHost = {
    startCall(call, line, payload, text) {
      flush();
      if (payload && payload.length > ctx.maxWrite)
        throw fault(msg('fault.tooBig', { fn: call.call, n: payload.length, max: ctx.maxWrite }));
      return engine.startCall(a, call, line, undefined, payload, text);
    },
    paused(line, frames, steps) {
      flush();
      if (live()) log.append({ type: 'program.pc', actor: a.id, line, frames, steps });
    },
    output(stream, text) {
      const last = pending[pending.length - 1];
      if (last && last.stream === stream) last.text += text;
      else pending.push({ stream, text });
      pendingChars += text.length;
      if (pendingChars >= MAX_OUTPUT_CHUNK) flush();
    },
    ended(end) {
      flush();
      if (!live()) return;
      log.append({ type: 'program.pc', actor: a.id, line: null, frames: [], steps: runner?.steps ?? 0 });
      log.append({ type: 'program.ended', actor: a.id, end });
      const n = engine.exitActor(a);
      if (n > 0) engine.notice('info', msg('note.exitCloses', { n }));
    },
    strerror: (n) => engine.sys.strerror(errnoName(n)),
    note: (m) => {
      if (live()) engine.notice('info', m);
    },
  };
  let runner: Runner | null = null;
  return Runner.start(tree, host, predefined).then((r) => (runner = r));
}

/** Problems as one line of English (the command's error; the window says `problems` itself). */
export function problemsError(problems: readonly ProgramProblem[]): string {
  const p = problems[0];
  if (!p) return 'the program cannot run';
  const text = typeof p.text === 'string' ? p.text : p.text.code;
  return `the program cannot run: line ${p.line}:${p.col}: ${text}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
}
