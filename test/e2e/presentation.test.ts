/**
 * The window in a classroom, end to end on a real lab in browser mode: at 1280×800 the
 * first-run hint, a lesson's step text and its result in view together, the sandbox opening
 * in view, extra clients in tabs, nothing overflowing its card (a 4 MB write's totals
 * included); 1920×1080; replay (play, speed, pause, one event); presentation mode by its key
 * and its header button, at 150 % and 200 %, remembered across a reload; axe clean in each.
 * Screenshots: artifacts/e2e/presentation/*.png.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../app/core/lessons/load';
import { chromiumPath, launchChromium } from './helpers/browser';
import { ROOT } from './helpers/build';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { mkdirSync } from 'node:fs';
import { badLabels } from './helpers/ladder';
import { ARTIFACTS, openLab, runAxe, screenshot, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn(
    'presentation.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)',
  );

const { lessons } = await loadLessons(join(ROOT, 'resources/lessons'));
const T = { timeout: 20_000 };
const SERVER = '[data-actor="server"]';
const CLIENT = '[data-actor="client"]';

/** The page's document, typed for code that runs in the page (this file has no DOM library). */
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
type El = {
  getBoundingClientRect(): Box;
  scrollWidth: number;
  clientWidth: number;
  querySelectorAll(s: string): ArrayLike<El>;
  className: string | { baseVal: string };
  tagName: string;
  dataset: Record<string, string>;
  parentElement: El | null;
};
type Doc = { querySelectorAll(s: string): ArrayLike<El>; documentElement: El & { scrollHeight: number } };

/** Where an element is in the viewport. */
async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  expect(b, selector).not.toBeNull();
  return { top: b!.y, bottom: b!.y + b!.height, left: b!.x, right: b!.x + b!.width };
}

/** Whether the element is wholly inside the viewport. */
async function inView(page: Page, selector: string): Promise<boolean> {
  const b = await box(page, selector);
  const v = page.viewportSize()!;
  return b.top >= 0 && b.left >= 0 && b.bottom <= v.height + 0.5 && b.right <= v.width + 0.5;
}

/**
 * What sticks out of its card: for each panel and socket card, the descendants whose box
 * ends right of the card's (or that scroll sideways), and the page itself scrolling sideways.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const out: string[] = [];
    const name = (e: El) =>
      `${e.tagName.toLowerCase()}.${typeof e.className === 'string' ? e.className : e.className.baseVal}${
        e.dataset.test ? `[${e.dataset.test}]` : ''
      }`;
    const style = (globalThis as unknown as { getComputedStyle(e: El): { overflowX: string } })
      .getComputedStyle;
    /** Inside a box of the card that scrolls or clips sideways (that box is checked itself). */
    const clipped = (e: El, card: El): boolean => {
      for (let p = e.parentElement; p && p !== card; p = p.parentElement)
        if (style(p).overflowX !== 'visible') return true;
      return false;
    };
    const root = doc.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push(`page scrolls sideways: ${root.scrollWidth}`);
    for (const card of Array.from(doc.querySelectorAll('.panel, article.socket'))) {
      const c = card.getBoundingClientRect();
      for (const e of Array.from(card.querySelectorAll('*'))) {
        const r = e.getBoundingClientRect();
        if (r.right - r.left === 0 || clipped(e, card)) continue;
        if (r.right > c.right + 1 || r.left < c.left - 1) out.push(`${name(e)} outside ${name(card)}`);
      }
    }
    return [...new Set(out)];
  });
}

/** Press an actor's Next call (its key) and wait until its marked line or blocked state changed. */
async function nextCall(page: Page, key: 'd' | 'v', actor: string): Promise<void> {
  const line = page.locator(`${actor} .cm-line[aria-current="step"]`);
  const before = (await line.count()) ? await line.textContent() : '(ended)';
  const blocked = await page.locator(`${actor} [data-test="blocked"]`).count();
  await page.keyboard.press(key);
  await expect
    .poll(
      async () =>
        ((await line.count()) ? await line.textContent() : '(ended)') !== before ||
        (await page.locator(`${actor} [data-test="blocked"]`).count()) !== blocked,
      T,
    )
    .toBe(true);
}

/** What the screen shows (not the whole page): artifacts/e2e/presentation/NAME.png. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ARTIFACTS, 'presentation'), { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'presentation', `${name}.png`) });
}

async function axeClean(page: Page): Promise<void> {
  const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad).toEqual([]);
}

describe.skipIf(!haveChromium)('the window in a classroom (browser mode, real sockets)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb();
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.setViewportSize({ width: 1280, height: 800 });
    await lp.page.waitForSelector(`${SERVER} h2`, T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('at 1280×800: the first-run hint, then a lesson step and its result seen together', async () => {
    const { page } = lp;
    await page.waitForSelector('[data-test="first-run-hint"]', T);
    expect(await inView(page, '[data-test="first-run-hint"]')).toBe(true);
    await shot(page, '1280-first-run');

    // The hint starts the first lesson and goes away.
    const step = lessons[0]!.lesson.steps[0]!;
    await page.click('[data-test="hint-start"]');
    await page.waitForSelector('[data-test="lesson-step-text"]', T);
    expect(await page.locator('[data-test="first-run-hint"]').count()).toBe(0);
    if (step.question) await page.click(`[data-test="lesson-choice-${step.question.answer}"]`);
    await page.click('[data-test="lesson-action"]');
    await page.waitForSelector('[data-test="lesson-status"].passed', T);
    await shot(page, '1280-lesson-step-passed');
    await screenshot(page, 'presentation/1280-lesson-step-passed-full');
    // The step's text, its checkpoint and what the lab shows of it (the server's descriptor
    // table and the call's return) are all on the screen at once.
    for (const s of [
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      `${SERVER} [data-test="last-return"]`,
      `${SERVER} .fds`,
      '[data-test="timeline-play"]',
    ])
      expect(await inView(page, s), s).toBe(true);
    expect(await page.locator(`${SERVER} .fds td`).first().textContent()).toBe('3');
    expect(await overflowing(page)).toEqual([]);
    await axeClean(page);

    // The handshake's connect step: its text and checkpoint, the ladder's SYN and both
    // socket cards, on one screen.
    await page.click('[data-test="lesson-back"]');
    const handshake = lessons[1]!.lesson;
    await page.click(`[data-test="lesson-item-${handshake.id}"]`);
    for (let i = 0; i < 3; i++) {
      const st = handshake.steps[i]!;
      await expect
        .poll(() => page.locator('[data-test="lesson-step-text"]').textContent(), T)
        .toBe(st.text.en);
      if (st.question) await page.click(`[data-test="lesson-choice-${st.question.answer}"]`);
      await page.click('[data-test="lesson-action"]');
      await page.waitForSelector('[data-test="lesson-status"].passed', T);
      if (i < 2) await page.click('[data-test="lesson-next"]');
    }
    await expect
      .poll(
        async () =>
          (await page.locator('.ladder text.label').allTextContents()).some((l) => l.startsWith('SYN')),
        T,
      )
      .toBe(true);
    await shot(page, '1280-handshake-connect');
    for (const s of [
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      '.ladder text.label',
      `${CLIENT} [data-test="last-return"]`,
      `${CLIENT} article.socket [data-test="model-state"]`,
      `${SERVER} [data-test="queue"]`,
    ])
      expect(await inView(page, s), s).toBe(true);
    expect(await overflowing(page)).toEqual([]);

    // Scrolled down the lab (it scrolls above the timeline: the window fits the screen), the
    // timeline stays in view.
    const lab = page.locator('.screen');
    await lab.evaluate((e) => (e as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, 600));
    await expect
      .poll(() => lab.evaluate((e) => (e as unknown as { scrollTop: number }).scrollTop))
      .toBeGreaterThan(0);
    expect(await inView(page, '[data-test="timeline-play"]')).toBe(true);
    await page.click('[data-test="lesson-back"]');
  });

  it('opens the sandbox where it is seen, keeps extra clients in tabs, and nothing overflows', async () => {
    const { page } = lp;
    await page.click('[data-test="reset"]');
    await page.waitForSelector(`${SERVER} .cm-line[aria-current="step"]`, T);
    await page.mouse.wheel(0, 2000);
    await page.click('[data-test="toggle-sandbox"]');
    await page.waitForSelector('[data-test="sandbox"]', T);
    await expect.poll(() => inView(page, '[data-test="sandbox"]'), T).toBe(true);
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: El } }).document.activeElement.dataset.test,
      ),
    ).toBe('sandbox-actor');

    // The echo pair to ESTABLISHED, then the client writes 4 MB: the totals stay in their cards.
    await page.click('h1'); // the sandbox took the focus: give the keys back to the window
    for (let i = 0; i < 4; i++) await nextCall(page, 'd', SERVER); // socket bind listen accept
    await nextCall(page, 'v', CLIENT); // socket
    await nextCall(page, 'v', CLIENT); // connect
    await page.waitForSelector(
      `${CLIENT} article[data-state="ESTABLISHED"][data-kernel-state="ESTABLISHED"]`,
      T,
    );
    await page.selectOption('[data-test="sandbox-actor"]', 'client');
    await page.selectOption('[data-test="sandbox-call"]', 'write');
    await page.fill('[data-test="arg-fd"]', '3');
    await page.fill('[data-test="arg-fill"]', '4194304');
    await page.click('[data-test="sandbox-make"]');
    await expect
      .poll(
        async () =>
          Number(
            (await page.locator(`${CLIENT} [data-test="send-bytes"]`).first().textContent())?.replace(
              /\D/g,
              '',
            ),
          ),
        T,
      )
      .toBeGreaterThan(100_000);
    await shot(page, '1280-sandbox-4mb');
    await page
      .locator(`${CLIENT} article.socket`)
      .first()
      .screenshot({ path: join(ARTIFACTS, 'presentation', '1280-4mb-card.png') });
    expect(await overflowing(page)).toEqual([]);

    // A second and third client: tabs, the newest chosen, the page no taller.
    const height = () =>
      page.evaluate(() => (globalThis as unknown as { document: Doc }).document.documentElement.scrollHeight);
    const before = await height();
    await page.click('[data-test="add-client"]');
    await page.waitForSelector('.clients [data-actor="client2"] h2', T);
    await page.click('[data-test="add-client"]');
    await page.waitForSelector('.clients [data-actor="client3"] h2', T);
    expect(await page.locator('.clients [role="tab"]').count()).toBe(3);
    expect(await page.locator('[data-test="tab-client3"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`.clients ${CLIENT}`).isVisible()).toBe(false);
    expect(await height()).toBeLessThanOrEqual(before + 60);
    await page.click('[data-test="tab-client"]');
    expect(await page.locator(`.clients ${CLIENT}`).isVisible()).toBe(true);
    expect(await overflowing(page)).toEqual([]);
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await shot(page, '1280-clients-in-tabs');
    await axeClean(page);

    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, '1920-lab');
    expect(await overflowing(page)).toEqual([]);
    await page.click('[data-test="toggle-sandbox"]');
  });

  it('replays the timeline: play from the start at 4×, pause, one event', async () => {
    const { page } = lp;
    const position = async () =>
      Number(((await page.locator('[data-test="timeline-position"]').textContent()) ?? '').match(/\d+/)?.[0]);
    await page.selectOption('[data-test="timeline-speed"]', '4');
    // Live, the timeline plays while the ladder still draws new rows (p would pause them):
    // wait until it has drawn them all, at 4× now.
    await expect
      .poll(() => page.locator('[data-test="timeline-play"]').getAttribute('aria-pressed'), T)
      .toBe('false');
    await page.click('h1'); // the keys are the window's once no field has the focus
    await page.keyboard.press('p');
    await expect
      .poll(() => page.locator('[data-test="timeline-play"]').getAttribute('aria-pressed'), T)
      .toBe('true');
    await expect.poll(position, T).toBeGreaterThan(3);
    await page.click('[data-test="timeline-play"]'); // pause
    expect(await page.locator('[data-test="timeline-play"]').getAttribute('aria-pressed')).toBe('false');
    const at = await position();
    await page.click('[data-test="timeline-forward"]');
    expect(await position()).toBe(at + 1);
    expect(await page.locator('.timeline').textContent()).toContain('Showing the past');
    await page.keyboard.press('l');
    await expect
      .poll(() => page.locator('[data-test="timeline-live"]').getAttribute('aria-pressed'), T)
      .toBe('true');
  });

  it('presentation mode: F5 and the header button, 150 % to 200 %, filling 1920×1080, remembered', async () => {
    const { page } = lp;
    // The replay added the clients again, the newest shown: back to the first one.
    await page.click('[data-test="tab-client"]');
    await page.keyboard.press('F5');
    await expect.poll(() => page.locator('html').getAttribute('data-presentation'), T).toBe('on');
    expect(await page.locator('[data-test="text-scale"]').textContent()).toContain('150 %');
    // The window fills the screen without scrolling; one socket card per side.
    const fills = async () => {
      const v = page.viewportSize()!;
      const app = await box(page, '.app');
      const docH = await page.evaluate(
        () => (globalThis as unknown as { document: Doc }).document.documentElement.scrollHeight,
      );
      return Math.abs(app.bottom - v.height) <= 2 && docH <= v.height + 1;
    };
    await expect.poll(fills, T).toBe(true);
    await shot(page, '1920-present-150');
    for (const s of [
      `${SERVER} .cm-editor`,
      `${CLIENT} .cm-editor`,
      '.ladder',
      `${SERVER} article.socket`,
      `${CLIENT} article.socket`,
    ])
      expect(await inView(page, s), s).toBe(true);
    expect(await page.locator(`${SERVER} article.socket`).count()).toBe(1);
    expect(await page.locator('[data-test="event-log"]').count()).toBe(0);
    expect(await overflowing(page)).toEqual([]);
    await axeClean(page);

    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(() => page.locator('[data-test="text-scale"]').textContent(), T).toContain('200 %');
    await expect.poll(fills, T).toBe(true);
    expect(await page.locator('[data-test="text-larger"]').isDisabled()).toBe(true);
    // At 200 % a side's panel may scroll: the code and the ladder are on the screen, and the
    // socket card comes into view inside its panel.
    for (const s of [`${SERVER} .cm-editor`, '.ladder']) expect(await inView(page, s), s).toBe(true);
    await page.locator(`${SERVER} article.socket`).scrollIntoViewIfNeeded();
    expect(await inView(page, `${SERVER} article.socket`)).toBe(true);
    await page.locator(`${SERVER} h2`).scrollIntoViewIfNeeded();
    await shot(page, '1920-present-200');
    // The ladder's writing twice as large on the screen, nothing overlapping or cut off.
    expect(await badLabels(page, 20)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await axeClean(page);

    // The dark theme keeps its contrast too.
    await page.click('[data-test="theme"]');
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), T).toBe('dark');
    await shot(page, '1920-present-200-dark');
    await axeClean(page);
    await page.click('[data-test="theme"]');

    // Remembered: a reload comes back presenting, at 200 %.
    await page.reload();
    await page.waitForSelector(`${SERVER} h2`, T);
    expect(await page.locator('html').getAttribute('data-presentation')).toBe('on');
    expect(await page.locator('[data-test="text-scale"]').textContent()).toContain('200 %');
    // The header's button (browser mode's menu item) leaves it, and Esc too.
    await page.click('[data-test="presentation"]');
    await expect.poll(() => page.locator('html').getAttribute('data-presentation'), T).toBeNull();
    await page.keyboard.press('F5');
    await expect.poll(() => page.locator('html').getAttribute('data-presentation'), T).toBe('on');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('html').getAttribute('data-presentation'), T).toBeNull();
    expect(lp.errors).toEqual([]);
  });
});
