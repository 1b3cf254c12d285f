/**
 * A lab port for the bridge tests that needs no sockets: the real EventLog, and commands that
 * emit what the engine's would for a sandbox call (call.started with the call as events carry
 * it, then call.returned). The bridges' limits are tested against it, whatever state the
 * engine is in.
 */
import { callForEvent, parseCommand, type CommandResult, type LabEvent } from '../../../app/contract';
import { EventLog, type EventLogOptions } from '../../../app/core/event-log';
import type { LabPort } from '../../../app/host/event-pump';

/** A LabPort over a real EventLog; `hold` makes commands wait until released. */
export class LogLab implements LabPort {
  readonly log: EventLog;
  private calls = 0;
  private held: (() => void)[] = [];
  hold = false;

  constructor(opts: EventLogOptions = {}) {
    this.log = new EventLog(opts);
    this.log.append({ type: 'lab.reset', platform: 'test', kernelSource: 'none' });
    this.log.append({ type: 'actor.added', actor: 'server', kind: 'server' });
  }

  events(): readonly LabEvent[] {
    return this.log.events();
  }

  subscribe(cb: (e: LabEvent) => void): () => void {
    return this.log.subscribe(cb);
  }

  async handle(input: unknown): Promise<CommandResult> {
    const p = parseCommand(input);
    if (!p.ok) return p;
    if (this.hold) await new Promise<void>((r) => this.held.push(r));
    const cmd = p.command;
    if (cmd.type !== 'call') return { ok: true };
    const callId = `c${++this.calls}`;
    this.log.append({ type: 'call.started', actor: cmd.actor, callId, call: callForEvent(cmd.call) });
    this.log.append({ type: 'call.returned', actor: cmd.actor, callId, call: cmd.call.call, ret: 0 });
    return { ok: true, value: { callId, status: 'returned', ret: 0 } };
  }

  /** Let every held command go on. */
  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }

  /** Append `n` notices of `chars` characters each (one shared string: cheap in memory). */
  notices(n: number, chars: number): void {
    const text = 'n'.repeat(chars);
    for (let i = 0; i < n; i++) this.log.append({ type: 'lab.notice', level: 'info', text });
  }

  async dispose(): Promise<void> {}
}
