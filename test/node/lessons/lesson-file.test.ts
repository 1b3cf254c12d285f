/**
 * The lesson check: the line-aware JSON parser, schema errors mapped to lines, programs named
 * by C file (resolved, unknown ones listed, old line lists refused with a message), cross-
 * reference errors (unknown actor, impossible fd, missing program), the folder loader that
 * keeps going past a bad file and reads the programs, `npm run lessons:check` itself (which
 * also checks each program against the C subset), and
 * the bundled lessons passing it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonWithLines, parseLessonFile, JsonSyntaxError } from '../../../app/contract/lesson-file';
import { DEFAULT_PROGRAM_FILES } from '../../../app/contract/lesson';
import { BUNDLED_PROGRAMS_DIR, loadLessons, programFileMap } from '../../../app/core/lessons/load';

const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** A tiny server: socket, bind, listen (one descriptor, no loop). */
const TINY_SERVER = `#ifndef PORT
#define PORT 5000
#endif
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    struct sockaddr_in addr;
    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    bind(listenfd, (struct sockaddr *)&addr, sizeof addr);
    listen(listenfd, 5);
    return 0;
}
`;

/** The program files the tests' lessons may name. */
const PROGRAMS: Record<string, string> = {
  'tiny-server.c': TINY_SERVER,
  'echo-client.c': 'int main(void)\n{\n    return 0;\n}\n',
};

/** A small valid lesson, as text, to break in different ways. */
function goodLesson(): Record<string, unknown> {
  return {
    id: 'tiny',
    title: { en: 'Tiny', 'zh-CN': '小课' },
    summary: { en: 'A server listens.', 'zh-CN': '服务器开始监听。' },
    programs: { server: 'tiny-server.c', client: 'echo-client.c' },
    steps: [
      {
        text: { en: 'Step the server.', 'zh-CN': '单步执行服务器。' },
        action: { kind: 'step', actor: 'server', times: 3 },
        checkpoint: { kind: 'socketState', actor: 'server', fd: 3, state: 'LISTEN', kernelConfirmed: true },
        hints: [],
      },
    ],
  };
}
const text = (v: unknown) => JSON.stringify(v, null, 2);
/** The 1-based line of the first line of `src` containing `needle`. */
const lineWith = (src: string, needle: string) => src.split('\n').findIndex((x) => x.includes(needle)) + 1;

describe('parseJsonWithLines', () => {
  it('parses what JSON.parse parses, with the line of every value', () => {
    const src = '{\n  "a": [1, 2,\n    {"b": "x\\n\\u4e2d"}],\n  "c": null, "d": -1.5e3, "e": true\n}';
    const r = parseJsonWithLines(src);
    expect(r.value).toEqual(JSON.parse(src));
    expect(r.lines.get('a')).toBe(2);
    expect(r.lines.get('a.2.b')).toBe(3);
    expect(r.lines.get('c')).toBe(4);
  });

  it.each([
    ['{\n  "a": 1,\n  "b": 2,\n}', 4, /trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, /missing comma/],
    ['{\n  "a": "open\n}', 2, /unterminated string/],
    ['{\n  a: 1\n}', 2, /double quotes/],
    ['[1, 2', 1, /end of file|"," or "]"/],
    ['{"a": 1, "a": 2}', 1, /duplicate key "a"/],
    ['{"a": 1} x', 1, /after the end/],
  ])('reports bad JSON with its line: %j', (src, line, msg) => {
    try {
      parseJsonWithLines(src);
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).line).toBe(line);
      expect((e as Error).message).toMatch(msg);
    }
  });
});

describe('parseLessonFile', () => {
  it('accepts a valid lesson, its programs read from their files', () => {
    const r = parseLessonFile('tiny.json', text(goodLesson()), PROGRAMS);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.lesson.programs['server']).toEqual({
      name: 'tiny-server',
      source: TINY_SERVER,
      file: 'tiny-server.c',
    });
    expect(r.lesson.programs['client']).toMatchObject({ name: 'echo-client', file: 'echo-client.c' });
  });

  it('a program written out in the lesson is taken as written (no file)', () => {
    const l = goodLesson();
    (l.programs as Record<string, unknown>).server = { name: 'my server', source: TINY_SERVER };
    const r = parseLessonFile('inline.json', text(l), {});
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      // echo-client.c is not among the (empty) program files.
      'programs.client: no program file "echo-client.c" (the known ones: none)',
    ]);
    delete (l.programs as Record<string, unknown>).client;
    const r2 = parseLessonFile('inline.json', text(l), {});
    expect(r2.ok && r2.lesson.programs['server']).toEqual({ name: 'my server', source: TINY_SERVER });
  });

  it('an unknown program file: at the line naming it, with the known ones', () => {
    const l = goodLesson();
    (l.programs as Record<string, unknown>).client = 'echo-clinet.c';
    const src = text(l);
    const r = parseLessonFile('typo.json', src, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        file: 'typo.json',
        line: lineWith(src, '"echo-clinet.c"'),
        message:
          'programs.client: no program file "echo-clinet.c" (the known ones: echo-client.c, tiny-server.c)',
      },
    ]);
  });

  it('a program that is not a .c file name, an empty file, a file named like a prototype member', () => {
    const l = goodLesson();
    (l.programs as Record<string, unknown>).client = 'echo client';
    let r = parseLessonFile('name.json', text(l), PROGRAMS);
    expect(!r.ok && r.errors[0]!.message).toMatch(/^programs\.client: a program is the name of a C file/);
    (l.programs as Record<string, unknown>).client = 'empty.c';
    r = parseLessonFile('empty.json', text(l), { ...PROGRAMS, 'empty.c': '' });
    expect(!r.ok && r.errors[0]!.message).toMatch(/^programs\.client: program file "empty.c": /);
    (l.programs as Record<string, unknown>).client = 'constructor.c';
    r = parseLessonFile('proto.json', text(l), PROGRAMS);
    expect(!r.ok && r.errors[0]!.message).toMatch(/no program file "constructor.c"/);
  });

  it('programs written the old way, as lines, say what to write instead', () => {
    const l = goodLesson();
    (l.programs as Record<string, unknown>).server = {
      name: 'server',
      lines: [{ code: 'int listenfd = socket(AF_INET, SOCK_STREAM, 0);', call: 'socket', args: {} }],
    };
    const src = text(l);
    const r = parseLessonFile('old.json', src, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.line).toBe(lineWith(src, '"server": {'));
    expect(r.errors[0]!.message).toMatch(/^programs\.server: programs are C now: name a C file/);
  });

  it('bad JSON: the file and the line', () => {
    const src = text(goodLesson()).replace('"Tiny",', '"Tiny",,');
    const r = parseLessonFile('bad.json', src, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'bad.json', line: 4 });
    expect(r.errors[0]!.message).toMatch(/bad JSON/);
  });

  it('a missing language: names the text and its line', () => {
    const l = goodLesson();
    (l.steps as { text: Record<string, string> }[])[0]!.text = { en: 'Step the server.' };
    const src = text(l);
    const r = parseLessonFile('nozh.json', src, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) =>
      x.message.includes('steps.0.text.zh-CN: the Chinese text ("zh-CN") is missing'),
    );
    expect(e).toBeDefined();
    const line = src.split('\n').findIndex((x) => x.includes('"Step the server."')) + 1;
    // The missing key is reported at the text object that lacks it.
    expect(Math.abs(e!.line - line)).toBeLessThanOrEqual(1);
  });

  it('an empty Chinese text is refused', () => {
    const l = goodLesson();
    (l.title as Record<string, string>)['zh-CN'] = '   ';
    const r = parseLessonFile('empty.json', text(l), PROGRAMS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/title.zh-CN: the Chinese \(zh-CN\) text is empty/);
  });

  it('an unknown actor in a checkpoint, at the checkpoint line', () => {
    const l = goodLesson();
    (l.steps as { checkpoint: Record<string, unknown> }[])[0]!.checkpoint = {
      kind: 'actorBlocked',
      actor: 'client7',
    };
    const src = text(l);
    const r = parseLessonFile('actor.json', src, PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.message).toMatch(/no actor "client7"/);
    expect(r.errors[0]!.line).toBe(src.split('\n').findIndex((x) => x.includes('"client7"')) + 1);
  });

  it('an fd the actor can never hold, a missing program', () => {
    const l = goodLesson();
    const steps = l.steps as Record<string, unknown>[];
    steps[0]!.checkpoint = { kind: 'socketState', actor: 'server', fd: 4, state: 'LISTEN' };
    steps.push({ ...steps[0]!, action: { kind: 'loadProgram', actor: 'server', program: 'fixed' } });
    const r = parseLessonFile('refs.json', text(l), PROGRAMS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => e.message).join('\n');
    expect(msgs).toMatch(/server can never hold fd 4 \(its descriptors here are 3…3\)/);
    expect(msgs).toMatch(/no program "fixed"/);
  });

  it('a question whose answer is not a choice', () => {
    const l = goodLesson();
    const steps = l.steps as Record<string, unknown>[];
    steps[0]!.question = {
      prompt: { en: 'Q?', 'zh-CN': '问？' },
      choices: [
        { en: 'a', 'zh-CN': '甲' },
        { en: 'b', 'zh-CN': '乙' },
      ],
      answer: 2,
      explanation: { en: 'x', 'zh-CN': '解' },
    };
    const r = parseLessonFile('q.json', text(l), PROGRAMS);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message).join('\n')).toMatch(/answer is not the index of a choice/);
  });
});

describe('loadLessons and lessons:check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tcplab-lessons-'));
    await writeFile(join(dir, '01-good.json'), text(goodLesson()));
    await writeFile(join(dir, '02-broken.json'), '{\n  "id": "broken",\n  "title": {\n}}}\n');
    await writeFile(join(dir, '03-dup.json'), text(goodLesson()));
    await writeFile(join(dir, 'notes.txt'), 'not a lesson');
    // The teacher's own program, beside the lessons; echo-client.c is a shipped one.
    await writeFile(join(dir, 'tiny-server.c'), TINY_SERVER);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the good file and reports the others by file and line', async () => {
    const r = await loadLessons(dir);
    expect(r.lessons.map((l) => l.lesson.id)).toEqual(['tiny']);
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatchObject({ file: join(dir, '02-broken.json'), line: 4 });
    expect(r.errors[1]!.message).toMatch(/already used by .*01-good.json/);
    // tiny-server.c from the folder, echo-client.c from resources/programs.
    expect(r.lessons[0]!.lesson.programs['server']).toMatchObject({
      file: 'tiny-server.c',
      source: TINY_SERVER,
    });
    const shipped = await readFile(join(BUNDLED_PROGRAMS_DIR, 'echo-client.c'), 'utf8');
    expect(r.lessons[0]!.lesson.programs['client']).toMatchObject({ file: 'echo-client.c', source: shipped });
  });

  it("a folder's own .c file replaces a shipped one of the same name, for its lessons", async () => {
    const own = await mkdtemp(join(tmpdir(), 'tcplab-own-'));
    try {
      const mine = '/* my echo client */\nint main(void)\n{\n    return 0;\n}\n';
      await writeFile(join(own, 'echo-client.c'), mine);
      await writeFile(join(own, 'tiny-server.c'), TINY_SERVER);
      await writeFile(join(own, 'not a program.c'), 'skipped: no lesson can name it');
      await writeFile(join(own, 'l.json'), text(goodLesson()));
      expect(Object.keys(await programFileMap(own))).toEqual(['echo-client.c', 'tiny-server.c']);
      const r = await loadLessons(own);
      expect(r.errors).toEqual([]);
      expect(r.lessons[0]!.lesson.programs['client']!.source).toBe(mine);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('a programs folder that cannot be read is one error naming it', async () => {
    const r = await loadLessons(dir, { programsDir: join(dir, 'no-such-folder') });
    expect(r.lessons).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.file).toBe(join(dir, 'no-such-folder'));
    expect(r.errors[0]!.message).toMatch(/cannot read the programs/);
  });

  it('npm run lessons:check exits non-zero with file:line messages on a bad folder', async () => {
    const err = await run('node', ['--import', 'tsx', 'scripts/lessons-check.ts', dir], { cwd: root }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.code).toBe(1);
    expect(err!.stderr).toContain(`${join(dir, '02-broken.json')}:4: bad JSON`);
  });

  it('npm run lessons:check parses each program and names what is outside the subset, at its line', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'tcplab-subset-'));
    try {
      await writeFile(
        join(bad, 'tiny-server.c'),
        TINY_SERVER.replace('    return 0;', '    goto out;\nout:\n    return 0;'),
      );
      await writeFile(join(bad, 'l.json'), text(goodLesson()));
      const err = await run('node', ['--import', 'tsx', 'scripts/lessons-check.ts', bad], { cwd: root }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(1);
      const line = lineWith(TINY_SERVER, 'return 0;');
      expect(err!.stderr).toContain(`${join(bad, 'tiny-server.c')}:${line}:5: goto is not supported here`);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it.each(['docs/teachers.md', 'README.md'])('the example in %s passes the check', async (file) => {
    const doc = await readFile(join(root, file), 'utf8');
    const m = /```json\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    const r = parseLessonFile(file, m![1]!, await programFileMap(BUNDLED_PROGRAMS_DIR));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('every bundled lesson passes the check, in both languages', async () => {
    const r = await loadLessons(join(root, 'resources/lessons'));
    expect(r.errors).toEqual([]);
    expect(r.lessons.map((l) => l.lesson.id)).toEqual([
      'server-setup',
      'handshake',
      'data-transfer',
      'closing',
      'why-close',
      'resets',
      'half-close',
      'two-clients',
      'accept-queue',
      'restart',
      'nonblocking',
      'poll-server',
      'write-client',
    ]);
    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/lessons-check.ts'], { cwd: root });
    expect(stdout).toContain('all lessons valid');
    // Chinese texts are Chinese, not copies of the English.
    for (const { lesson } of r.lessons) {
      for (const s of lesson.steps) {
        expect(s.text['zh-CN']).not.toBe(s.text.en);
        expect(s.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(await readFile(join(root, 'resources/lessons/01-server-setup.json'), 'utf8')).toContain(
      'EADDRINUSE',
    );
  });

  it("every program is a shipped C file, and every shipped file is a lesson's program or a default", async () => {
    const r = await loadLessons(join(root, 'resources/lessons'));
    const named = new Set<string>(Object.values(DEFAULT_PROGRAM_FILES));
    for (const { lesson } of r.lessons) {
      for (const p of Object.values(lesson.programs)) {
        expect(p.file, `${lesson.id}: ${p.name}`).toBeDefined();
        named.add(p.file!);
      }
    }
    const shipped = (await readdir(BUNDLED_PROGRAMS_DIR)).filter((n) => n.endsWith('.c')).sort();
    expect([...named].sort()).toEqual(shipped);
  });
});
