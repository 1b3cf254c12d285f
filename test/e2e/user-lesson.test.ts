/**
 * A teacher's own lesson, loaded at run time in the window, end to end: a real Lab (real
 * loopback sockets, the real kernel table) in browser mode, Debian's Chromium. The example
 * lesson of docs/teachers.md is picked with the file input (and another one dropped on the
 * list), listed as "your lesson", completed — its checkpoint judged on the real lab — kept
 * across a reload, and removed; a malformed file is refused with its name and line and the
 * list stays as it was; a lesson picked together with the teacher's own C file it names runs
 * that C on the lab; a step that needs TIME_WAIT begins, after its reset on the real lab, with
 * the time the kernel's own timer has left, counting down. Screenshots:
 * artifacts/e2e/lessons/user-*.png.
 */
import { programFileMap } from '../../app/core/lessons/load';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLessonFile } from '../../app/contract/lesson-file';
import { chromiumPath, launchChromium } from './helpers/browser';
import { ROOT } from './helpers/build';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { openLab, runAxe, screenshot, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn('user-lesson.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const T = { timeout: 20_000 };
const INPUT = '[data-test="lesson-load-input"]';
const ITEM = '[data-test="lesson-item-my-listen"]';
const ACTION = '[data-test="lesson-action"]';
const PASSED = '[data-test="lesson-status"].passed';

/** The one-step example of docs/teachers.md, as a teacher would save it. */
const EXAMPLE = /```json\n([\s\S]*?)```/.exec(await readFile(join(ROOT, 'docs/teachers.md'), 'utf8'))![1]!;
const example = parseLessonFile(
  'my-listen.json',
  EXAMPLE,
  await programFileMap(join(ROOT, 'resources/programs')),
);
/** A teacher's own C program (a server: socket, bind, listen, accept), loaded beside a lesson. */
const MY_SERVER_FILE = 'my-server.c';
const MY_SERVER = await readFile(join(ROOT, 'test/renderer/fixtures', MY_SERVER_FILE), 'utf8');
/** The example with the comma after its title (line 4) missing. */
const MISSING_COMMA = EXAMPLE.replace('"zh-CN": "监听" },', '"zh-CN": "监听" }');

const jsonFile = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text, 'utf8'),
});
const cFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/x-csrc',
  buffer: Buffer.from(text, 'utf8'),
});

/** The example as lesson "my-own" whose server runs the teacher's my-server.c. */
const MY_OWN = EXAMPLE.replace('"id": "my-listen"', '"id": "my-own"')
  .replace('"en": "Listening"', '"en": "My own server"')
  .replace('"server": "echo-server.c"', `"server": "${MY_SERVER_FILE}"`);

/**
 * Lesson 4's first five steps (the client closes first, the server after: the client's socket
 * in TIME_WAIT), then a step that needs that TIME_WAIT and waits for a bind() that fails.
 */
const closing = JSON.parse(await readFile(join(ROOT, 'resources/lessons/04-closing.json'), 'utf8')) as {
  programs: unknown;
  steps: unknown[];
};
const both = (en: string) => ({ en, 'zh-CN': en });
const TIME_WAIT_LESSON = JSON.stringify({
  id: 'tw-restart',
  title: both('TIME_WAIT, then restart'),
  summary: both('The side that closed first waits.'),
  programs: closing.programs,
  steps: [
    ...closing.steps.slice(0, 5),
    {
      text: both('Restart the server while the client’s old connection waits.'),
      needsTimeWait: { actor: 'client' },
      action: { kind: 'observe' },
      checkpoint: { kind: 'actorReturned', actor: 'server', call: 'bind', ret: -1, errno: 'EADDRINUSE' },
    },
  ],
});

/** The lesson list's visible entries, in order. */
async function listed(page: Page): Promise<string[]> {
  return page.locator('.lesson-list > li').allTextContents();
}

describe.skipIf(!haveChromium)('a teacher’s lesson loaded at run time (browser mode, real sockets)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb();
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    // The bundled lessons, and the checks of a teacher's files, load after the first paint.
    await lp.page.waitForSelector('[data-test="lesson-list"][data-catalog="ready"]', T);
    await lp.page.waitForSelector('[data-test="lesson-item-server-setup"]', T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('loads the example of docs/teachers.md from the file input, marked as the teacher’s own', async () => {
    expect(example.ok).toBe(true);
    const { page } = lp;
    expect(await page.locator(ITEM).count()).toBe(0);
    await page.setInputFiles(INPUT, jsonFile('my-listen.json', EXAMPLE));
    await page.waitForSelector(ITEM, T);
    const item = await page.locator(ITEM).textContent();
    expect(item).toContain('Listening');
    expect(item).toContain('your lesson');
    expect(item).toContain('0/1 steps');
    expect(await page.locator('[data-test="lesson-load-ok"]').textContent()).toContain('Loaded “Listening”.');
    // Keyboard reachable: Tab from the list's last entry (the Sandbox) lands on the file input.
    await page.focus('.lesson-list [data-test="lesson-sandbox"]');
    await page.keyboard.press('Tab');
    expect(
      await page
        .locator(INPUT)
        .evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await screenshot(page, 'lessons/user-list');
  });

  it(
    'completes the loaded lesson, judged on the real lab, and keeps it and its progress across a reload',
    { timeout: 60_000 },
    async () => {
      const { page } = lp;
      await page.click(ITEM);
      await expect
        .poll(() => page.locator('[data-test="lesson-step-text"]').textContent(), T)
        .toBe('Step the server three times and watch its socket card.');
      // Predict first, then the step's button: three system calls (socket, bind, listen).
      expect(await page.locator(ACTION).isDisabled()).toBe(true);
      await page.click('[data-test="lesson-choice-0"]');
      await page.waitForSelector(`${ACTION}:not([disabled])`, T);
      await page.click(ACTION);
      // The checkpoint asks the kernel's own table for LISTEN on the server's fd 3.
      await page.waitForSelector(PASSED, T);
      expect(await page.locator('[data-test="lesson-status"]').textContent()).toContain(
        'The kernel lists the socket in LISTEN.',
      );
      // And the engine's own view agrees: the kernel reported LISTEN for the server's socket.
      const sockets = Object.values(web.lab.view().sockets);
      expect(
        sockets.some((s) => s.actor === 'server' && s.state === 'LISTEN' && s.kernel?.state === 'LISTEN'),
      ).toBe(true);
      await screenshot(page, 'lessons/user-done-step1');
      await page.click('[data-test="lesson-next"]');
      await page.waitForSelector('[data-test="lesson-finished"]', T);
      await page.click('[data-test="lesson-back"]');
      await expect.poll(() => page.locator(ITEM).textContent(), T).toContain('complete');

      await page.reload();
      await page.waitForSelector(ITEM, T);
      expect(await page.locator(ITEM).textContent()).toContain('complete');
      expect(await page.locator(ITEM).textContent()).toContain('your lesson');
    },
  );

  it('refuses a malformed file with its name, line and reason, and leaves the list as it was', async () => {
    const { page } = lp;
    const before = await listed(page);
    await page.setInputFiles(INPUT, jsonFile('broken.json', MISSING_COMMA));
    const err = page.locator('[data-test="lesson-load-error"]');
    await err.waitFor(T);
    const text = await err.textContent();
    expect(text).toContain('broken.json — could not be loaded');
    expect(text).toContain('broken.json:4');
    expect(text).toContain('bad JSON');
    expect(await listed(page)).toEqual(before);
    await screenshot(page, 'lessons/user-error');
    // The list with a loaded lesson and an error: no serious or critical axe violation.
    const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad).toEqual([]);
  });

  it(
    'loads a lesson with the teacher’s own .c file it names, picked together, and runs that C on the lab',
    { timeout: 60_000 },
    async () => {
      const { page } = lp;
      const MINE = '[data-test="lesson-item-my-own"]';
      const ROW = `[data-test="lesson-program-${MY_SERVER_FILE}"]`;
      // Both at once, the lesson first: the program it names is loaded before it.
      await page.setInputFiles(INPUT, [jsonFile('my-own.json', MY_OWN), cFile(MY_SERVER_FILE, MY_SERVER)]);
      await page.waitForSelector(MINE, T);
      expect(await page.locator(MINE).textContent()).toContain('your lesson');
      expect(await page.locator(ROW).textContent()).toContain('run by My own server');
      await screenshot(page, 'lessons/user-program');

      await page.click(MINE);
      await expect
        .poll(() => page.locator('[data-test="lesson-step-text"]').textContent(), T)
        .toBe('Step the server three times and watch its socket card.');
      // The lab was reset with the teacher's C for the server.
      expect(web.lab.view().actors.server?.program).toEqual({
        name: 'my-server',
        source: MY_SERVER,
        file: MY_SERVER_FILE,
      });
      await page.click('[data-test="lesson-choice-0"]');
      // The button does the whole action: its three presses, one after the other.
      await page.waitForSelector(`${ACTION}:not([disabled])`, T);
      await page.click(ACTION);
      // socket, bind, listen of my-server.c: the kernel's table shows LISTEN.
      await page.waitForSelector(PASSED, T);
      const sockets = Object.values(web.lab.view().sockets);
      expect(
        sockets.some((s) => s.actor === 'server' && s.state === 'LISTEN' && s.kernel?.state === 'LISTEN'),
      ).toBe(true);
      expect(web.lab.view().actors.server?.pc).not.toBeNull();

      // Back in the list, the program is removed: the lesson that runs it cannot be loaded now.
      await page.click('[data-test="lesson-back"]');
      await page.click(`[data-test="lesson-program-remove-${MY_SERVER_FILE}"]`);
      await expect.poll(() => page.locator(ROW).count(), T).toBe(0);
      expect(await page.locator(MINE).count()).toBe(0);
      expect(await page.locator('[data-test="lesson-broken"]').textContent()).toContain(
        `no program file "${MY_SERVER_FILE}"`,
      );
      await page.click('[data-test="lesson-remove-my-own.json"]');
      await expect.poll(() => page.locator('[data-test="lesson-broken"]').count(), T).toBe(0);
    },
  );

  it('loads a file dropped on the list, and removes a loaded lesson again', async () => {
    const { page } = lp;
    const text = EXAMPLE.replace('"id": "my-listen"', '"id": "dropped"').replace(
      '"en": "Listening"',
      '"en": "Dropped lesson"',
    );
    // A real DataTransfer holding a File, dispatched as the drop a person makes.
    const dt = await page.evaluateHandle((t) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (parts: string[], name: string, o: { type: string }) => unknown;
      };
      const d = new g.DataTransfer();
      d.items.add(new g.File([t], 'dropped.json', { type: 'application/json' }));
      return d;
    }, text);
    await page.dispatchEvent('[data-test="lesson-list"]', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('[data-test="lesson-list"]', 'drop', { dataTransfer: dt });
    await page.waitForSelector('[data-test="lesson-item-dropped"]', T);
    expect(await page.locator('[data-test="lesson-item-dropped"]').textContent()).toContain('your lesson');
    // Not taken for a trace by the window's own drop handler.
    expect(await page.locator('[data-test="replay-banner"]').count()).toBe(0);

    await page.click('[data-test="lesson-remove-dropped.json"]');
    await expect.poll(() => page.locator('[data-test="lesson-item-dropped"]').count(), T).toBe(0);
    await page.reload();
    await page.waitForSelector(ITEM, T);
    expect(await page.locator('[data-test="lesson-item-dropped"]').count()).toBe(0);
    expect(lp.errors.filter((e) => !e.startsWith('console:'))).toEqual([]);
  });

  it(
    'a step that needs TIME_WAIT begins with the kernel’s own timer, counting down',
    { timeout: 60_000 },
    async () => {
      const { page } = lp;
      if (await page.locator('[data-test="lesson-back"]').count())
        await page.click('[data-test="lesson-back"]');
      await page.setInputFiles(INPUT, jsonFile('tw-restart.json', TIME_WAIT_LESSON));
      await page.waitForSelector('[data-test="lesson-item-tw-restart"]', T);
      // The first five steps done: the lesson opens at the sixth, replayed on the real lab.
      await page.evaluate((key) => {
        const store = (
          globalThis as unknown as {
            localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
          }
        ).localStorage;
        const saved = JSON.parse(store.getItem(key) ?? '{"version":2,"lessons":{},"steps":{}}');
        saved.lessons['tw-restart'] = [0, 1, 2, 3, 4];
        store.setItem(key, JSON.stringify({ steps: {}, ...saved, version: 2 }));
      }, 'tcplab.lessons.progress');
      await page.reload();
      await page.click('[data-test="lesson-item-tw-restart"]');
      const box = page.locator('[data-test="lesson-time-wait"]');
      await box.waitFor(T);
      expect(await box.getAttribute('data-state')).toBe('ok');
      const left = async () => Number(/(\d+) s left/.exec((await box.textContent()) ?? '')?.[1]);
      const first = await left();
      // Linux keeps TIME_WAIT 60 s; the replay took a few of them.
      expect(first).toBeGreaterThan(30);
      expect(first).toBeLessThanOrEqual(60);
      // The engine's view says the same: the client's socket in the kernel's TIME_WAIT, with its timer.
      const tw = Object.values(web.lab.view().sockets).filter(
        (s) => s.actor === 'client' && s.kernel?.state === 'TIME_WAIT',
      );
      expect(tw.length).toBeGreaterThan(0);
      expect(tw[0]!.kernel!.timerMs).toBeGreaterThan(30_000);
      await expect.poll(left, T).toBeLessThan(first);
      await screenshot(page, 'lessons/user-time-wait');
      await page.click('[data-test="lesson-back"]');
    },
  );
});
