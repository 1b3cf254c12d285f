/**
 * The seeded fuzz against the real lab with valid commands (issue 12): fuzz.test.ts sends its
 * valid messages to a LogLab and only invalid commands to the real Lab, so the newer commands
 * (step by call, run with breakpoints, programs loaded with C source) never ran there. Here
 * every command passes the schema and goes to a real Lab on loopback: steps by statement and
 * by call, runs with breakpoints at extreme lines, interrupts, calls from the schema, clients
 * added, resets, and programs that are shipped C files, shipped files broken in one place
 * (a cut, a repeated line, a prototype name for an identifier, a stray character) or built
 * from the schema. 0 throws, every refusal a short error, no socket off loopback, every event
 * valid and the log's reduction equal to the live view, and the lab still works afterwards.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CommandSchema, parseEvent, reduceAll, type Command } from '../../../app/contract';
import { Lab } from '../../../app/core/lab';
import { PROTO_NAMES, SchemaFuzzer } from './schema-fuzz';

const SEED = 1212;
const COMMANDS = 3000;
const PROGRAMS_DIR = 'resources/programs';

const sources = await Promise.all(
  (await readdir(PROGRAMS_DIR))
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map(async (f) => ({
      name: f.replace(/\.c$/, ''),
      source: await readFile(`${PROGRAMS_DIR}/${f}`, 'utf8'),
    })),
);

/** The command schema's option for `type`. */
const OPTIONS = new Map(
  (CommandSchema as unknown as { options: z.ZodObject[] }).options.map((o) => [
    (o.shape.type as z.ZodLiteral).value as string,
    o as z.ZodType,
  ]),
);

/** `source` broken in one place. */
function breakSource(fz: SchemaFuzzer, source: string): string {
  const lines = source.split('\n');
  const at = fz.int(lines.length);
  switch (fz.int(4)) {
    case 0: {
      const from = fz.int(source.length);
      return source.slice(0, from) + source.slice(from + 1 + fz.int(40));
    }
    case 1:
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    case 2:
      return source.replace(/\b(fd|n|buf|listenfd|connfd|sock|len|addr)\b/g, fz.pick(PROTO_NAMES));
    default: {
      const from = fz.int(source.length);
      return (
        source.slice(0, from) +
        fz.pick(['{', '}', '(', ';', '*', '&', '"', "'", '\\', '[']) +
        source.slice(from)
      );
    }
  }
}

/** A valid command, weighted towards the ones that run programs. */
function command(fz: SchemaFuzzer, actors: readonly string[]): Command {
  const r = fz.next();
  const type =
    r < 0.3
      ? 'step'
      : r < 0.48
        ? 'run'
        : r < 0.63
          ? 'loadProgram'
          : r < 0.78
            ? 'call'
            : r < 0.88
              ? 'interrupt'
              : r < 0.93
                ? 'addClient'
                : r < 0.96
                  ? 'reset'
                  : 'exportPcap';
  for (;;) {
    const c = fz.value(OPTIONS.get(type)!) as Record<string, unknown>;
    // Mostly the lab's own actors, sometimes whatever the schema made.
    if ('actor' in c && fz.next() < 0.85) c.actor = fz.pick(actors);
    const program = (type === 'loadProgram' || type === 'addClient') && fz.next() < 0.8;
    if (program) {
      const p = fz.pick(sources);
      c.program = { name: p.name, source: fz.next() < 0.5 ? p.source : breakSource(fz, p.source) };
    }
    if (type === 'reset' && fz.next() < 0.7) delete c.programs;
    const parsed = CommandSchema.safeParse(c);
    if (parsed.success) return parsed.data;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

describe('fuzz against the real lab', () => {
  it(`${COMMANDS} valid commands, programs in C among them: answered, loopback only, view = log`, async () => {
    const lab = await Lab.create({ kernel: 'none' });
    try {
      const fz = new SchemaFuzzer(SEED);
      const seen = new Map<string, number>();
      const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
      for (let i = 0; i < COMMANDS; i++) {
        const cmd = command(fz, Object.keys(lab.view().actors));
        count(cmd.type);
        if (cmd.type === 'step' && cmd.unit === 'call') count('step by call');
        if (cmd.type === 'run' && cmd.breakpoints?.length) count('run with breakpoints');
        if (cmd.type === 'loadProgram') count('C source');
        let r: Awaited<ReturnType<Lab['handle']>>;
        try {
          r = await lab.handle(JSON.parse(JSON.stringify(cmd)));
        } catch (err) {
          throw new Error(`command ${i} threw: ${JSON.stringify(cmd).slice(0, 300)}`, { cause: err });
        }
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(typeof r.error).toBe('string');
          expect(r.error.length).toBeLessThan(1000);
        } else if (r.value !== undefined && typeof r.value === 'object') count(`call ${r.value.status}`);
        if (r.ok && (cmd.type === 'loadProgram' || cmd.type === 'step' || cmd.type === 'run'))
          count(`${cmd.type} ok`);
      }
      // Each kind of command was tried, and each of the newer ones ran on the lab.
      for (const k of [
        'step by call',
        'run with breakpoints',
        'C source',
        'loadProgram ok',
        'step ok',
        'run ok',
      ])
        expect(seen.get(k) ?? 0, k).toBeGreaterThan(20);
      for (const k of ['interrupt', 'addClient', 'reset', 'call', 'exportPcap', 'call returned'])
        expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);

      const view = lab.view();
      for (const s of Object.values(view.sockets))
        for (const e of [s.local, s.remote]) if (e) expect(e.host).toMatch(LOOPBACK);
      const events = lab.events();
      for (const e of events) {
        const p = parseEvent(e);
        if (!p.ok) throw new Error(`event ${e.seq} (${e.type}) is invalid: ${p.error}`);
      }
      expect(reduceAll(events)).toEqual(view);

      // The lab still works: a reset, and the default server's first statement.
      expect(await lab.handle({ type: 'reset' })).toMatchObject({ ok: true });
      expect(await lab.handle({ type: 'step', actor: 'server' })).toMatchObject({ ok: true });
    } finally {
      await lab.dispose();
    }
  }, 120_000);
});
