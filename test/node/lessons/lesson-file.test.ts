/**
 * The lesson check: the line-aware JSON parser, schema errors mapped to lines, cross-reference
 * errors (unknown actor, impossible fd, missing program, unassigned variable), the folder
 * loader that keeps going past a bad file, `npm run lessons:check` itself, and the bundled
 * lessons passing it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonWithLines, parseLessonFile, JsonSyntaxError } from '../../../app/contract/lesson-file';
import { loadLessons } from '../../../app/core/lessons/load';

const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** A small valid lesson, as text, to break in different ways. */
function goodLesson(): Record<string, unknown> {
  return {
    id: 'tiny',
    title: { en: 'Tiny', 'zh-CN': '小课' },
    summary: { en: 'A server listens.', 'zh-CN': '服务器开始监听。' },
    programs: {
      server: {
        name: 'server',
        lines: [
          {
            code: 'int listenfd = socket(AF_INET, SOCK_STREAM, 0);',
            call: 'socket',
            args: {},
            assign: 'listenfd',
          },
          {
            code: 'bind(listenfd, 127.0.0.1, PORT);',
            call: 'bind',
            args: { fd: { var: 'listenfd' }, host: '127.0.0.1', port: { var: 'PORT' } },
          },
          { code: 'listen(listenfd, 5);', call: 'listen', args: { fd: { var: 'listenfd' } } },
        ],
      },
      client: 'default-client',
    },
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
  it('accepts a valid lesson', () => {
    const r = parseLessonFile('tiny.json', text(goodLesson()));
    expect(r.ok).toBe(true);
  });

  it('bad JSON: the file and the line', () => {
    const src = text(goodLesson()).replace('"Tiny",', '"Tiny",,');
    const r = parseLessonFile('bad.json', src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ file: 'bad.json', line: 4 });
    expect(r.errors[0]!.message).toMatch(/bad JSON/);
  });

  it('a missing language: names the text and its line', () => {
    const l = goodLesson();
    (l.steps as { text: Record<string, string> }[])[0]!.text = { en: 'Step the server.' };
    const src = text(l);
    const r = parseLessonFile('nozh.json', src);
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
    const r = parseLessonFile('empty.json', text(l));
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
    const r = parseLessonFile('actor.json', src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.message).toMatch(/no actor "client7"/);
    expect(r.errors[0]!.line).toBe(src.split('\n').findIndex((x) => x.includes('"client7"')) + 1);
  });

  it('an fd the actor can never hold, a missing program, an unassigned variable', () => {
    const l = goodLesson();
    const steps = l.steps as Record<string, unknown>[];
    steps[0]!.checkpoint = { kind: 'socketState', actor: 'server', fd: 4, state: 'LISTEN' };
    steps.push({ ...steps[0]!, action: { kind: 'loadProgram', actor: 'server', program: 'fixed' } });
    const server = (l.programs as Record<string, { lines: Record<string, unknown>[] }>).server!;
    server.lines.push({ code: 'close(connfd);', call: 'close', args: { fd: { var: 'connfd' } } });
    const r = parseLessonFile('refs.json', text(l));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => e.message).join('\n');
    expect(msgs).toMatch(/server can never hold fd 4/);
    expect(msgs).toMatch(/no program "fixed"/);
    expect(msgs).toMatch(/variable "connfd" is never assigned/);
  });

  it('a question whose answer is not a choice, a jump past the end', () => {
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
    (l.programs as Record<string, { lines: Record<string, unknown>[] }>).server!.lines.push({
      code: '}',
      jump: 9,
    });
    const r = parseLessonFile('q.json', text(l));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => e.message).join('\n');
    expect(msgs).toMatch(/answer is not the index of a choice/);
    expect(msgs).toMatch(/jump to line 9 past the end/);
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

  it.each(['docs/teachers.md', 'README.md'])('the example in %s passes the check', async (file) => {
    const doc = await readFile(join(root, file), 'utf8');
    const m = /```json\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    const r = parseLessonFile(file, m![1]!);
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
});
