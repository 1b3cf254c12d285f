/**
 * Every lesson completed through the window, end to end: a real Lab (real loopback sockets,
 * the real kernel table) in browser mode, Debian's Chromium clicking the Lessons sidebar as a
 * student would — answer the question, press the action as often as the step says, wait for
 * the checkpoint judged on the real lab, go on (a step that asks for C: the solution typed into
 * the editor, applied and run). All thirteen lessons in English, the first one
 * again in Chinese; progress survives a reload and is exported as JSON and CSV; a question
 * holds the lab's own Step key until it is answered. Screenshots: artifacts/e2e/lessons/*.png.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textIn, type Lesson } from '../../app/contract/lesson';
import { loadLessons } from '../../app/core/lessons/load';
import { chromiumPath, launchChromium } from './helpers/browser';
import { ROOT } from './helpers/build';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { openLab, runAxe, screenshot, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn('lessons.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const { lessons } = await loadLessons(join(ROOT, 'resources/lessons'));
const T = { timeout: 20_000 };
/** The lesson list once the bundled lessons are in (they load after the first paint). */
const CATALOG_READY = '[data-test="lesson-list"][data-catalog="ready"]';
const ACTION = '[data-test="lesson-action"]';
const PASSED = '[data-test="lesson-status"].passed';

/** Wait until the sidebar is idle: the action button usable again, or the step passed. */
async function settled(page: Page): Promise<void> {
  // Runs in the page (this file is type-checked without the DOM library, hence the cast).
  await page.waitForFunction(
    ([action, passed]) => {
      const doc = (
        globalThis as unknown as { document: { querySelector(s: string): { disabled?: boolean } | null } }
      ).document;
      const b = doc.querySelector(action);
      return doc.querySelector(passed) !== null || (b !== null && !b.disabled);
    },
    [ACTION, PASSED] as const,
    T,
  );
}

async function isPassed(page: Page): Promise<boolean> {
  return (await page.locator(PASSED).count()) > 0;
}

/** Do the current step as a student would: read, answer, press the action, wait for the checkpoint. */
async function doStep(page: Page, lesson: Lesson, i: number, lang: 'en' | 'zh-CN'): Promise<void> {
  const step = lesson.steps[i]!;
  const text = page.locator('[data-test="lesson-step-text"]');
  await expect.poll(() => text.textContent(), T).toBe(textIn(step.text, lang));
  expect(await page.locator('[data-test="lesson-counter"]').textContent()).toContain(String(i + 1));
  if (step.question) {
    // Predict first: the action waits for the answer.
    expect(await page.locator(ACTION).isDisabled()).toBe(true);
    await page.click(`[data-test="lesson-choice-${step.question.answer}"]`);
    await expect
      .poll(() => page.locator('[data-test="lesson-explanation"]').textContent(), T)
      .toContain(textIn(step.question.explanation, lang));
  }
  const a = step.action;
  // The lesson's button does the whole action, a step's `times` presses included.
  const presses = a.kind === 'observe' ? 0 : 1;
  for (let p = 0; p < presses; p++) {
    await settled(page);
    if (await isPassed(page)) break;
    try {
      await page.click(ACTION, { timeout: 5000 });
    } catch (e) {
      // The step passed between the look and the click: the button closed, as it should.
      if (await isPassed(page)) break;
      throw e;
    }
  }
  if (step.solution) await writeSolution(page, lesson, step.solution);
  // Judged on the real lab: the Next button opens only when the checkpoint holds.
  try {
    await page.waitForSelector(PASSED, T);
  } catch (e) {
    await screenshot(page, `lessons/failed-${lesson.id}-step${i + 1}`);
    const status = await page.locator('[data-test="lesson-status"]').textContent();
    const errs = await page
      .locator('[data-test="lesson-error"], [data-test="command-error"]')
      .allTextContents();
    throw new Error(`${lesson.id} step ${i + 1} not reached: ${status} ${errs.join(' | ')}`, { cause: e });
  }
  const errors = await page.locator('[data-test="lesson-error"]').allTextContents();
  expect(errors, `step ${i + 1}`).toEqual([]);
}

/**
 * A step the student does by writing C: type the solution into the actor's editor (select all,
 * then the text, as a student pasting it), Apply, and press Run on the actors the step names
 * whenever they can run, until the checkpoint holds (at most 40 rounds).
 */
async function writeSolution(
  page: Page,
  lesson: Lesson,
  s: NonNullable<Lesson['steps'][number]['solution']>,
): Promise<void> {
  const source = lesson.programs[s.program]!.source;
  const editor = `[data-test="editor-${s.actor}"]`;
  await page.click(`${editor} .cm-content`);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(source);
  await page.click(`${editor} [data-test="apply"]`);
  for (let k = 0; k < 40 && !(await isPassed(page)); k++) {
    for (const a of [s.actor, ...(s.alsoRun ?? [])]) {
      const run = page.locator(`[data-test="run-${a}"]`);
      if (await run.isEnabled()) await run.click();
    }
    // The step passes, or the next round runs whoever can run again.
    await page.waitForSelector(PASSED, { timeout: 1500 }).catch(() => undefined);
  }
}

/** Take one lesson from the list to its end. */
async function takeLesson(
  page: Page,
  lesson: Lesson,
  lang: 'en' | 'zh-CN',
  shotPrefix: string,
  shotSteps: number[] = [],
): Promise<void> {
  // Back to the list if an earlier test stopped inside a lesson.
  if (await page.locator('[data-test="lesson-back"]').count()) await page.click('[data-test="lesson-back"]');
  await page.click(`[data-test="lesson-item-${lesson.id}"]`);
  for (let i = 0; i < lesson.steps.length; i++) {
    await doStep(page, lesson, i, lang);
    if (shotSteps.includes(i)) await screenshot(page, `lessons/${shotPrefix}-step${i + 1}`);
    await page.click('[data-test="lesson-next"]');
  }
  await page.waitForSelector('[data-test="lesson-finished"]', T);
  await screenshot(page, `lessons/${shotPrefix}-done`);
  await page.click('[data-test="lesson-back"]');
  await page.waitForSelector(`[data-test="lesson-item-${lesson.id}"]`, T);
}

describe.skipIf(!haveChromium)('the lessons in Chromium (browser mode, real sockets)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb({ trace: true });
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    // The bundled lessons load after the first paint; the list says when they are in.
    await lp.page.waitForSelector(CATALOG_READY, T);
    await lp.page.waitForSelector('[data-test="lesson-item-server-setup"]', T);
    await screenshot(lp.page, 'lessons/00-list');
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('lists the thirteen lessons and the sandbox', async () => {
    expect(lessons).toHaveLength(13);
    for (const { lesson } of lessons) {
      expect(await lp.page.locator(`[data-test="lesson-item-${lesson.id}"]`).textContent()).toContain(
        lesson.title.en,
      );
    }
    expect(await lp.page.locator('[data-test="lesson-broken"]').count()).toBe(0);
    expect(await lp.page.locator('[data-test="lesson-sandbox"]').count()).toBe(1);
  });

  // Steps worth a look in the screenshots: EADDRINUSE, the queued connection, write blocked,
  // CLOSING, CLOSE_WAIT piling up, the RST, the half-closed answer.
  const shots: Record<string, number[]> = {
    'server-setup': [4, 5],
    handshake: [2, 3],
    'data-transfer': [8],
    closing: [3, 8],
    'why-close': [4, 7],
    resets: [3],
    'half-close': [4],
  };
  for (const [n, { lesson }] of lessons.entries()) {
    it(`completes lesson ${n + 1} (${lesson.id}) in English`, { timeout: 180_000 }, async () => {
      await takeLesson(
        lp.page,
        lesson,
        'en',
        `${String(n + 1).padStart(2, '0')}-${lesson.id}-en`,
        shots[lesson.id],
      );
      await expect
        .poll(() => lp.page.locator(`[data-test="lesson-item-${lesson.id}"]`).textContent(), T)
        .toContain('complete');
    });
  }

  it('keeps progress across a reload (localStorage)', async () => {
    await lp.page.reload();
    await lp.page.waitForSelector(CATALOG_READY, T);
    expect(await lp.page.getAttribute('[data-test="lesson-list"]', 'aria-busy')).toBe('false');
    for (const { lesson } of lessons) {
      expect(await lp.page.locator(`[data-test="lesson-item-${lesson.id}"]`).textContent()).toContain(
        'complete',
      );
    }
    await screenshot(lp.page, 'lessons/90-list-complete');
    expect(lp.errors.filter((e) => !e.startsWith('console:'))).toEqual([]);
  });

  it('exports the progress as a JSON file and a CSV file', async () => {
    const { page } = lp;
    const downloads: { name: string; text: string }[] = [];
    const got = new Promise<void>((resolve) => {
      page.on('download', (d) => {
        void d
          .path()
          .then((p) => readFile(p, 'utf8'))
          .then((text) => {
            downloads.push({ name: d.suggestedFilename(), text });
            if (downloads.length === 2) resolve();
          });
      });
    });
    await page.click('[data-test="lesson-export-progress"]');
    await got;
    downloads.sort((a, b) => a.name.localeCompare(b.name));
    expect(downloads.map((d) => d.name)).toEqual([
      expect.stringMatching(/^tcplab-progress-.*\.csv$/),
      expect.stringMatching(/^tcplab-progress-.*\.json$/),
    ]);
    const rows = (
      JSON.parse(downloads[1]!.text) as {
        rows: { lesson: string; passed: boolean; correct: boolean | null }[];
      }
    ).rows;
    const steps = lessons.reduce((n, { lesson }) => n + lesson.steps.length, 0);
    expect(rows).toHaveLength(steps);
    expect(rows.every((r) => r.passed)).toBe(true);
    // The student here always picks the right answer.
    const asked = lessons.reduce((n, { lesson }) => n + lesson.steps.filter((x) => x.question).length, 0);
    expect(rows.filter((r) => r.correct === true)).toHaveLength(asked);
    const csv = downloads[0]!.text.split('\r\n');
    expect(csv[0]).toBe('lesson,step,passed,answer,answer_text,correct,seconds,passed_at');
    expect(csv[1]).toMatch(/^server-setup,1,true,\d,.*,true,\d+(\.\d)?,\d{4}-\d\d-\d\dT/);
  });

  it('holds the lab’s Step key while the step’s question is unanswered', async () => {
    const { page } = lp;
    const { lesson } = lessons[0]!;
    if (await page.locator('[data-test="lesson-back"]').count())
      await page.click('[data-test="lesson-back"]');
    // Every step is done: the lesson opens at its first, which asks first.
    await page.click('[data-test="lesson-item-server-setup"]');
    await page.waitForSelector('[data-test="lesson-question"]', T);
    expect(await page.locator('[data-test="lesson-step-text"]').textContent()).toBe(lesson.steps[0]!.text.en);
    expect(await page.locator('[data-test="next-server"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-test="held-server"]').textContent()).toContain(
      'Answer the lesson’s question first',
    );
    // The server's Next call key: held, and the sidebar says why; the lab did not move.
    await page.keyboard.press('d');
    await page.waitForSelector('[data-test="lesson-held"]', T);
    expect(await isPassed(page)).toBe(false);
    expect(await page.locator('[data-actor="server"] [data-socket]').count()).toBe(0);
    await screenshot(page, 'lessons/held-step-key');
    // Answered: the same key makes the server's socket() call, and the checkpoint holds.
    await page.click(`[data-test="lesson-choice-${lesson.steps[0]!.question!.answer}"]`);
    await page.waitForSelector('[data-test="held-server"]', { state: 'detached', ...T });
    await page.keyboard.press('d');
    await page.waitForSelector(PASSED, T);
    expect(await page.locator('[data-actor="server"] [data-socket]').count()).toBe(1);
    expect(await page.locator('[data-test="lesson-held"]').count()).toBe(0);
    await page.click('[data-test="lesson-back"]');
  });

  it('completes lesson 1 in Chinese, then resets a step', { timeout: 180_000 }, async () => {
    const zh = await openLab(browser, web.url, 'zh-CN');
    try {
      const { page } = zh;
      await page.waitForSelector(CATALOG_READY, T);
      await page.waitForSelector('[data-test="lesson-item-server-setup"]', T);
      // The Chinese messages are a chunk of their own, in before the first paint of a Chinese window.
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.locator('[data-test="lesson-sandbox"]').textContent()).toContain('沙盒');
      const { lesson } = lessons[0]!;
      expect(await page.locator('[data-test="lesson-item-server-setup"]').textContent()).toContain(
        lesson.title['zh-CN'],
      );
      await takeLesson(page, lesson, 'zh-CN', '01-server-setup-zh', [0, 4, 5]);
      expect(await page.locator('[data-test="lesson-item-server-setup"]').textContent()).toContain('已完成');
      await page.click('[data-test="lesson-item-server-setup"]');
      for (let i = 0; i < 4; i++) {
        await doStep(page, lesson, i, 'zh-CN');
        await page.click('[data-test="lesson-next"]');
      }
      await expect
        .poll(() => page.locator('[data-test="lesson-step-text"]').textContent(), T)
        .toBe(lesson.steps[4]!.text['zh-CN']);
      // Do step 5 (bind fails), then reset it: the lab is set up again, for real, to where
      // step 5 begins — the server listening, the second program holding its socket.
      await doStep(page, lesson, 4, 'zh-CN');
      await page.click('[data-test="lesson-reset-step"]');
      await page.waitForSelector('[data-test="lesson-question"]', T);
      expect(await isPassed(page)).toBe(false);
      await doStep(page, lesson, 4, 'zh-CN');
      await screenshot(page, 'lessons/01-server-setup-zh-reset-step5');
      // The sidebar in a lesson (question, explanation, status, live counts): no serious or critical axe violation.
      const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad).toEqual([]);
      expect(zh.errors.filter((e) => !e.startsWith('console:'))).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });
});
