/**
 * "constructor", "__proto__", "toString" and "hasOwnProperty" as names and ids the lab
 * accepts (issue 12): each works as an ordinary name, or is refused with a clear message —
 * never found on Object.prototype, never setting a prototype.
 */
import { describe, expect, it } from 'vitest';
import { CommandSchema, EventSchema, parseCommand } from '../../../app/contract';
import { parseLessonFile } from '../../../app/contract/lesson-file';
import { Lab } from '../../../app/core/lab';
import { programFileMap } from '../../../app/core/lessons/load';
import { MessageSchema } from '../../../app/contract/message-schema';
import { parseTrace, serializeTrace, makeTrace } from '../../../app/contract/trace';
import { lessonProgram } from '../../../app/contract/lesson-replay';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;
const PROGRAMS = await programFileMap('resources/programs');

function lesson(extra: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'tiny',
    title: { en: 'Tiny', 'zh-CN': '小课' },
    summary: { en: 'A server listens.', 'zh-CN': '服务器开始监听。' },
    programs: { server: 'echo-server.c', client: 'echo-client.c' },
    steps: [
      {
        text: { en: 'Step.', 'zh-CN': '单步。' },
        action: { kind: 'step', actor: 'server' },
        checkpoint: { kind: 'socketState', actor: 'server', fd: 3, state: 'LISTEN' },
        hints: [],
      },
    ],
    ...extra,
  });
}

describe('prototype names', () => {
  it.each(NAMES)(
    'a lesson loading a program named %s it does not define is refused with a message',
    (name) => {
      const text = lesson({}).replace(
        '"action":{"kind":"step","actor":"server"}',
        `"action":{"kind":"loadProgram","actor":"server","program":${JSON.stringify(name)}}`,
      );
      const r = parseLessonFile('x.json', text, PROGRAMS);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.message).join('\n')).toMatch(/no program|not accepted|Invalid/);
    },
  );

  it('a "__proto__" key in a lesson file is refused where it is written', () => {
    const r = parseLessonFile(
      'x.json',
      lesson({}).replace('"programs":{', '"programs":{"__proto__":{"x":1},'),
      PROGRAMS,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/"__proto__" is not accepted/);
  });

  it.each(NAMES)('%s as a program name, a C variable and an actor id', async (name) => {
    const program = { name, source: `int main(void) {\n  int ${name} = 1;\n  return ${name} - 1;\n}\n` };
    const r = parseCommand(JSON.parse(JSON.stringify({ type: 'loadProgram', actor: 'server', program })));
    expect(r.ok).toBe(true);
    // Variables live in Maps: a C variable named like a property of every object is just a name.
    const lab = await Lab.create({ kernel: 'none' });
    try {
      if (name !== '__proto__') {
        expect(await lab.execute({ type: 'loadProgram', actor: 'server', program })).toEqual({ ok: true });
        expect(await lab.execute({ type: 'step', actor: 'server' })).toMatchObject({
          ok: true,
          value: 'paused',
        });
        expect(lab.view().actors['server']!.frames[0]!.vars).toEqual([{ name, type: 'int', value: '1' }]);
        await lab.execute({ type: 'run', actor: 'server' });
        expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 0 });
      } else {
        // __proto__ is a reserved identifier in C (two underscores): the checker may refuse it;
        // either way the lab answers and stays as it was.
        const res = await lab.execute({ type: 'loadProgram', actor: 'server', program });
        expect(typeof res.ok).toBe('boolean');
      }
    } finally {
      await lab.dispose();
    }
    const actor = CommandSchema.safeParse({ type: 'step', actor: name });
    // Actor ids are lowercase letters, digits and dashes, and never a name every object has:
    // all four are refused, "constructor" as reserved.
    expect(actor.success).toBe(false);
    if (name === 'constructor') expect(JSON.stringify(actor.error?.issues)).toMatch(/reserved/);
  });

  it.each(NAMES)('%s as a variable name in a trace (program.pc frames)', (name) => {
    const e = EventSchema.safeParse(
      JSON.parse(
        JSON.stringify({
          type: 'program.pc',
          seq: 1,
          t: 0,
          actor: 'server',
          line: 1,
          steps: 0,
          frames: [{ fn: 'main', line: 1, vars: [{ name, type: 'int', value: '1' }] }],
        }),
      ),
    );
    expect(e.success).toBe(true);
    if (e.success && e.data.type === 'program.pc') expect(e.data.frames[0]!.vars[0]!.name).toBe(name);
  });

  it.each(NAMES)(
    '%s as a lesson id: "constructor" is an id like another, the rest break the id rule',
    (name) => {
      const r = parseLessonFile('x.json', lesson({ id: name }), PROGRAMS);
      if (name === 'constructor') {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.lesson.id).toBe(name);
      } else {
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.errors.map((e) => e.message).join('\n')).toMatch(/lowercase letters, digits and dashes/);
      }
    },
  );

  it('"constructor" as a key of a lesson\'s programs is a program like another', () => {
    const text = lesson({
      programs: { server: 'echo-server.c', client: 'echo-client.c', constructor: 'echo-server.c' },
    }).replace(
      '"action":{"kind":"step","actor":"server"}',
      '"action":{"kind":"loadProgram","actor":"server","program":"constructor"}',
    );
    const r = parseLessonFile('x.json', text, PROGRAMS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lessonProgram(r.lesson, 'constructor')?.file).toBe('echo-server.c');
    // And names it does not define are nothing, never Object.prototype's members.
    expect(lessonProgram(r.lesson, 'toString')).toBeNull();
    expect(lessonProgram(r.lesson, 'hasOwnProperty')).toBeNull();
  });

  it.each(NAMES)("%s as an actor key of reset's programs is refused, the lab unchanged", async (name) => {
    const lab = await Lab.create({ kernel: 'none' });
    try {
      const before = lab.events().length;
      const program = { name: 'p', source: 'int main(void) {\n  return 0;\n}\n' };
      // JSON.parse makes "__proto__" an own key, as a page's message would.
      const r = await lab.handle(
        JSON.parse(`{"type":"reset","programs":{${JSON.stringify(name)}:${JSON.stringify(program)}}}`),
      );
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(name);
      expect(lab.events().length).toBe(before);
    } finally {
      await lab.dispose();
    }
  });

  it.each(NAMES)(
    "%s in a trace: as its lesson id it is kept as text; as an event's actor it is refused",
    (name) => {
      const text = serializeTrace(makeTrace([], '0.1.0', new Date(0), { id: name, step: 1 }));
      const ok = parseTrace(text);
      expect(ok.ok).toBe(true);
      if (ok.ok) expect(ok.trace.lesson).toEqual({ id: name, step: 1 });
      const actor = { type: 'actor.added', seq: 1, t: 0, actor: name, kind: 'client' };
      expect(EventSchema.safeParse(JSON.parse(JSON.stringify(actor))).success).toBe(false);
      const bad = parseTrace(text.replace('"events":[\n\n]', `"events":[${JSON.stringify(actor)}]`));
      expect(bad.ok).toBe(false);
    },
  );

  it('"__proto__" in a trace\'s envelope or a message\'s parameters sets no prototype', () => {
    const text = serializeTrace(makeTrace([], '0.1.0', new Date(0))).replace(
      '{',
      '{"__proto__":{"polluted":1},',
    );
    const r = parseTrace(text);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.trace)).toBe(Object.prototype);
      expect((r.trace as unknown as { polluted?: number }).polluted).toBeUndefined();
    }
    const m = MessageSchema.safeParse(
      JSON.parse('{"code":"note.read","params":{"__proto__":{"text":1},"text":"a"}}'),
    );
    expect(m.success).toBe(true);
    if (m.success) {
      const params = (m.data as { params: Record<string, unknown> }).params;
      expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
      expect(Object.keys(params)).toEqual(['text']);
    }
  });
});
