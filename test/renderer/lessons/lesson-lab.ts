/**
 * A lab for the lesson tests: the lab store fed through a LabApi that answers reset with the
 * events a reset emits (the lesson's programs loaded, both actors at main's first statement),
 * and any other command as the test says (`onCommand` may push events). Events carry the
 * wall clock as their time, as the engine's do, so kernel timers count down against
 * Date.now() (faked by vi.useFakeTimers). Each event is checked against the contract's
 * EventSchema, so the stand-in keeps the engine's shape.
 */
import {
  EventSchema,
  type Command,
  type CommandResult,
  type LabApi,
  type LabEvent,
  type LabEventInput,
} from '@contract';
import { useLabStore } from '@/stores/lab';

/** The lab store attached to a stand-in api; the commands it received. */
export function lessonLab(onCommand: (cmd: Command, push: (e: LabEventInput[]) => void) => void = () => {}) {
  const lab = useLabStore();
  const sent: Command[] = [];
  let seq = 0;
  const push = (inputs: LabEventInput[]) => {
    const events = inputs.map((e) => ({ ...e, seq: ++seq, t: Date.now() }) as LabEvent);
    for (const e of events) {
      const r = EventSchema.safeParse(e);
      if (!r.success) throw new Error(`not an event of the contract: ${e.type}: ${r.error.message}`);
    }
    lab.append(events);
  };
  const api: LabApi = {
    async command(cmd: Command): Promise<CommandResult> {
      sent.push(cmd);
      if (cmd.type === 'reset') {
        const evs: LabEventInput[] = [{ type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' }];
        for (const actor of ['server', 'client'] as const) {
          evs.push({ type: 'actor.added', actor, kind: actor });
          const program = cmd.programs?.[actor];
          if (program) evs.push({ type: 'program.loaded', actor, program });
          evs.push({
            type: 'program.pc',
            actor,
            line: 21,
            frames: [{ fn: 'main', line: 21, vars: [] }],
            steps: 0,
          });
        }
        push(evs);
      } else onCommand(cmd, push);
      return { ok: true };
    },
    ready: async () => [],
    onEvents: () => () => {},
  };
  lab.attach(api);
  return { lab, sent, push };
}

/** The commands that move an actor (not the resets a lesson sends). */
export const moves = (sent: Command[]) => sent.filter((c) => c.type !== 'reset');
