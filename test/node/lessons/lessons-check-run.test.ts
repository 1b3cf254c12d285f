/**
 * `lessons:check` accepts exactly what the window accepts (a teacher's lesson may not take a
 * bundled lesson's id), and `--run` replays each lesson on a real lab, naming the line of a
 * checkpoint that holds before its action or is never reached.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonWithLines } from '../../../app/contract/lesson-file';

const root = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const check = (...args: string[]) =>
  run('node', ['--import', 'tsx', 'scripts/lessons-check.ts', ...args], { cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcplab-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lessons:check', () => {
  it('refuses a teacher\'s lesson that takes a bundled lesson\'s id, at the line of its "id"', async () => {
    const text = await readFile(join(root, 'resources/lessons/01-server-setup.json'), 'utf8');
    const folder = join(dir, 'clash');
    await run('mkdir', ['-p', folder]);
    await writeFile(join(folder, 'mine.json'), text);
    const r = await check(folder);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${join(folder, 'mine.json')}:2: lesson id "server-setup" is already used by the bundled lesson`,
    );
  });

  it('--run replays each lesson and names the step whose checkpoint holds before its action', async () => {
    const lesson = JSON.parse(
      await readFile(join(root, 'resources/lessons/01-server-setup.json'), 'utf8'),
    ) as {
      id: string;
      steps: { checkpoint: unknown }[];
    };
    lesson.id = 'my-setup';
    // Step 2's checkpoint becomes step 1's: it holds once step 1 is done, before step 2's action.
    lesson.steps[1]!.checkpoint = lesson.steps[0]!.checkpoint;
    lesson.steps.length = 2;
    const folder = join(dir, 'run');
    await run('mkdir', ['-p', folder]);
    const text = JSON.stringify(lesson, null, 2);
    await writeFile(join(folder, 'mine.json'), text);
    const r = await check('--run', folder);
    expect(r.code).toBe(1);
    const line = parseJsonWithLines(text).lines.get('steps.1.checkpoint');
    expect(line).toBeGreaterThan(1);
    expect(r.stderr).toMatch(
      new RegExp(`mine\\.json:${line}: step 2: the checkpoint already holds before the action`),
    );
  }, 60_000);
});
