// TEMPORARY stand-in until app/core/lab.ts lands; to be replaced by the real Lab.
import { parseCommand, type LabEvent } from '../../../app/contract';
import type { LabPort } from '../../../app/web/event-pump';
export function fakeLab(): LabPort {
  const events: LabEvent[] = [];
  const subs = new Set<(e: LabEvent) => void>();
  const emit = (e: Record<string, unknown>): void => {
    const ev = { ...e, seq: events.length + 1, t: Date.now() } as LabEvent;
    events.push(ev);
    for (const s of subs) s(ev);
  };
  emit({ type: 'lab.reset', platform: 'linux', kernelSource: 'none' });
  return {
    events: () => events,
    subscribe(cb) { subs.add(cb); return () => subs.delete(cb); },
    async handle(input) {
      const p = parseCommand(input);
      if (!p.ok) return p;
      emit({ type: 'lab.notice', level: 'info', text: p.command.type });
      return { ok: true };
    },
    async dispose() {},
  };
}
