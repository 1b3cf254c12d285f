/**
 * `lessons:check` checks what it can without a lab: a `programAt` checkpoint names a line
 * the actor's program has at that step (its number within the program, its text on a line,
 * on that line when both are given) — the program the lesson gave the actor last (a
 * loadProgram, a solution). With `--run`, a step that needs TIME_WAIT (`needsTimeWait`) must
 * find the actor's socket in TIME_WAIT when it begins; the bundled lessons that need it are
 * replayed by reachability.test.ts through the same runCheck.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonWithLines } from '../../../app/contract/lesson-file';
import { programAtProblems } from '../../../app/core/lessons/program-at';
import { loadLessons } from '../../../app/core/lessons/load';

const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const check = (...args: string[]) =>
  run('node', ['--import', 'tsx', 'scripts/lessons-check.ts', ...args], { cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

type Json = Record<string, unknown> & { id: string; steps: Record<string, unknown>[] };

let dir = '';
let setup: Json;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcplab-static-'));
  setup = JSON.parse(await readFile(join(root, 'resources/lessons/01-server-setup.json'), 'utf8')) as Json;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Lesson 01 as a teacher's lesson of `n` steps, changed by `edit`, in a folder of its own. */
async function lesson(
  name: string,
  n: number,
  edit: (l: Json) => void,
): Promise<{ folder: string; text: string }> {
  const l = structuredClone(setup);
  l.id = `my-${name}`;
  l.steps.length = n;
  edit(l);
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const text = JSON.stringify(l, null, 2);
  await writeFile(join(folder, 'mine.json'), text);
  return { folder, text };
}

/** Step 1's checkpoint and a programAt of the server's program, both to hold. */
const withProgramAt = (at: Record<string, unknown>) => (l: Json) => {
  l.steps[0]!.checkpoint = {
    kind: 'all',
    of: [l.steps[0]!.checkpoint, { kind: 'programAt', actor: 'server', ...at }],
  };
};

describe('lessons:check without a lab', () => {
  it('names a programAt whose text no line of the program has, at the checkpoint’s line', async () => {
    const { folder, text } = await lesson('no-text', 1, withProgramAt({ text: 'listen(fd, 99)' }));
    const r = await check(folder);
    expect(r.code).toBe(1);
    const line = parseJsonWithLines(text).lines.get('steps.0.checkpoint.of.1');
    expect(r.stderr).toContain(
      `mine.json:${line}: step 1: programAt: no line of server's program 01-server-setup-server.c contains "listen(fd, 99)"`,
    );
  });

  it('names a programAt line past the program’s end, and a line without its text', async () => {
    const source = (await readFile(join(root, 'resources/programs/01-server-setup-server.c'), 'utf8')).split(
      '\n',
    );
    const past = await lesson('past', 1, withProgramAt({ line: source.length + 1 }));
    expect((await check(past.folder)).stderr).toContain(
      `step 1: programAt: server's program 01-server-setup-server.c has ${source.length} lines, not a line ${source.length + 1}`,
    );
    const at = source.findIndex((l) => l.includes('socket(')) + 1;
    const wrong = await lesson('wrong-line', 1, withProgramAt({ line: at + 1, text: 'socket(' }));
    expect((await check(wrong.folder)).stderr).toContain(
      `step 1: programAt: line ${at + 1} of server's program 01-server-setup-server.c does not contain "socket("`,
    );
  });

  it('accepts a programAt the program has, at the line given', async () => {
    const source = (await readFile(join(root, 'resources/programs/01-server-setup-server.c'), 'utf8')).split(
      '\n',
    );
    const at = source.findIndex((l) => l.includes('socket(')) + 1;
    const { folder } = await lesson('right', 1, withProgramAt({ line: at, text: 'socket(' }));
    const r = await check(folder);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('takes the program the lesson gave the actor last: a loadProgram before the checkpoint', async () => {
    const { folder } = await lesson('loaded', 1, (l) => {
      l.steps[0]!.action = { kind: 'loadProgram', actor: 'server', program: 'client' };
      l.steps[0]!.checkpoint = { kind: 'programAt', actor: 'server', text: 'accept(' };
    });
    const [loaded] = (await loadLessons(folder)).lessons;
    // The client's program (01-server-setup-second-server.c) is a second server: it binds, never accepts.
    expect(programAtProblems(loaded!.lesson, null)).toEqual([
      {
        line: 1,
        message: `step 1: programAt: no line of server's program 01-server-setup-second-server.c contains "accept("`,
      },
    ]);
  });
});

describe('lessons:check --run', () => {
  it('names a step that needs TIME_WAIT where the steps before leave none, at its needsTimeWait', async () => {
    const { folder, text } = await lesson('time-wait', 2, (l) => {
      l.steps[1]!.needsTimeWait = { actor: 'server' };
    });
    const r = await check('--run', folder);
    expect(r.code).toBe(1);
    const line = parseJsonWithLines(text).lines.get('steps.1.needsTimeWait');
    expect(line).toBeGreaterThan(1);
    expect(r.stderr).toContain(
      `mine.json:${line}: step 2: needsTimeWait: the steps before it leave no socket of server in TIME_WAIT in the kernel's table`,
    );
  }, 60_000);
});
