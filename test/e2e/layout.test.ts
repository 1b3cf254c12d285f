/**
 * The window fitted to the screen, end to end in browser mode: at 1280×800 and 1920×1080,
 * with the first-run hint and the Lessons above the ladder, with a replayed trace's banner,
 * with a lesson open (its step text and its result) and with two extra clients, what the
 * student reads is seen whole — nothing under the sticky timeline, the ladder's legend and
 * last rows included — the ladder's header keeps .pcap on its line, and nothing sticks out of
 * its card. Screenshots: artifacts/e2e/layout/*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../app/contract';
import { makeTrace, serializeTrace } from '../../app/contract/trace';
import { loadLessons } from '../../app/core/lessons/load';
import { chromiumPath, launchChromium } from './helpers/browser';
import { overflowing, unseen } from './helpers/layout';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { ROOT } from './helpers/build';
import { ARTIFACTS, openLab, runAxe, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn('layout.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const { lessons } = await loadLessons(join(ROOT, 'resources/lessons'));
const handshake = lessons.find((l) => l.lesson.id === 'handshake')!.lesson;
const T = { timeout: 20_000 };
const SERVER = '[data-actor="server"]';
const CLIENT = '[data-actor="client"]';
const SIZES = [
  [1280, 800],
  [1920, 1080],
] as const;
/** The ladder's parts that must be seen whole: its header, its drawing's box, its legend. */
const LADDER = ['.ladder header', '.ladder .scroller', '.ladder .legend'];

/** What the screen shows: artifacts/e2e/layout/NAME.png. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ARTIFACTS, 'layout'), { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'layout', `${name}.png`) });
}

/** A replayable trace of one captured connection (handshake, a few data segments, close). */
function traceFile(): string {
  const events: LabEvent[] = [];
  const t0 = Date.now() - 60_000;
  const add = (e: Record<string, unknown>) =>
    events.push({ seq: events.length + 1, t: t0 + events.length * 3, ...e } as LabEvent);
  const C = { host: '127.0.0.1', port: 41000 };
  const S = { host: '127.0.0.1', port: 5000 };
  const seg = (src: typeof C, dst: typeof C, flags: string[], seqNo: number, ackNo: number, len = 0) =>
    add({
      type: 'segment',
      source: 'captured',
      src,
      dst,
      from: null,
      to: null,
      flags,
      seqNo,
      ackNo,
      len,
      win: 65_483,
      options: [],
      tsUs: (t0 + events.length * 3) * 1000,
    });
  add({ type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' });
  seg(C, S, ['SYN'], 1000, 0);
  seg(S, C, ['SYN', 'ACK'], 9000, 1001);
  seg(C, S, ['ACK'], 1001, 9001);
  for (let i = 0; i < 6; i++) {
    seg(C, S, ['PSH', 'ACK'], 1001 + i * 5, 9001, 5);
    seg(S, C, ['ACK'], 9001, 1006 + i * 5);
  }
  seg(C, S, ['FIN', 'ACK'], 1031, 9001);
  seg(S, C, ['FIN', 'ACK'], 9001, 1032);
  seg(C, S, ['ACK'], 1032, 9002);
  mkdirSync(join(ARTIFACTS, 'layout'), { recursive: true });
  const file = join(ARTIFACTS, 'layout', 'captured.tcplab.json');
  writeFileSync(file, serializeTrace(makeTrace(events, 'e2e')));
  return file;
}

/** Press an actor's Next call key and wait until its marked line or blocked state changed. */
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

/** The ladder's header on one line: its .pcap button level with its title. */
async function headerOnOneLine(page: Page): Promise<void> {
  const h2 = (await page.locator('.ladder header h2').boundingBox())!;
  const pcap = (await page.locator('[data-test="ladder-export-pcap"]').boundingBox())!;
  expect(pcap.y, 'the .pcap button on the title’s line').toBeLessThan(h2.y + h2.height);
  expect(pcap.y + pcap.height).toBeGreaterThan(h2.y);
}

/** At each size: `seen` seen whole, nothing out of its card, and a screenshot NAME-WxH. */
async function atEachSize(page: Page, name: string, seen: string[]): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await shot(page, `${name}-${width}x${height}`);
    expect(await unseen(page, seen), `${name} at ${width}×${height}`).toEqual([]);
    expect(await overflowing(page), `${name} at ${width}×${height}`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe.skipIf(!haveChromium)('the window fitted to the screen (browser mode, real sockets)', () => {
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

  it('with the first-run hint: the ladder whole above the timeline, its last rows and legend too', async () => {
    const { page } = lp;
    await page.waitForSelector('[data-test="first-run-hint"]', T);
    // The echo pair connected: the ladder has its handshake.
    for (let i = 0; i < 4; i++) await nextCall(page, 'd', SERVER);
    await nextCall(page, 'v', CLIENT);
    await nextCall(page, 'v', CLIENT);
    await page.waitForSelector(`${CLIENT} article[data-state="ESTABLISHED"]`, T);
    await expect.poll(() => page.locator('.ladder text.label').count(), T).toBeGreaterThanOrEqual(3);
    // The newest row is drawn at the foot of the ladder's box, above the legend.
    const seen = [
      '[data-test="first-run-hint"]',
      '.lessons',
      ...LADDER,
      '.ladder g.row:last-of-type',
      '[data-test="timeline-play"]',
      `${SERVER} [data-test="last-return"]`,
    ];
    await atEachSize(page, 'hint-lessons-ladder', seen);
    // The lab scrolls under the hint, above the timeline: the cards move, the wire's column
    // (the Lessons, the ladder) stays where it is.
    const ladderTop = async () => (await page.locator('.ladder').boundingBox())!.y;
    const serverTop = async () => (await page.locator(`${SERVER} h2`).boundingBox())!.y;
    const [ladder0, server0] = [await ladderTop(), await serverTop()];
    await page
      .locator('.screen')
      .evaluate((e) => (e as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, 150));
    await expect.poll(serverTop, T).toBeLessThan(server0 - 100);
    expect(await ladderTop()).toBe(ladder0);
    expect(
      await unseen(
        page,
        seen.filter((s) => !s.includes(SERVER)),
      ),
    ).toEqual([]);
    await page.locator('.screen').evaluate((e) => ((e as unknown as { scrollTop: number }).scrollTop = 0));
  });

  it('with a replayed trace’s banner too: the whole ladder seen, .pcap on its header’s line', async () => {
    const { page } = lp;
    await page.setInputFiles('[data-test="open-trace-input"]', traceFile());
    await page.waitForSelector('[data-test="replay-banner"]', T);
    await page.waitForSelector('[data-test="ladder-export-pcap"]', T);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await headerOnOneLine(page);
    }
    await atEachSize(page, 'hint-replay-ladder', [
      '[data-test="first-run-hint"]',
      '[data-test="replay-banner"]',
      ...LADDER,
      '[data-test="ladder-export-pcap"]',
      '[data-test="timeline-play"]',
    ]);
    // The short .pcap button keeps its words as its name (axe: nothing serious).
    const axe = await runAxe(page);
    expect(axe.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.click('[data-test="replay-back"]');
    await expect.poll(() => page.locator('[data-test="replay-banner"]').count(), T).toBe(0);
  });

  it('a lesson open: its step text, its checkpoint and the lab’s result seen together', async () => {
    const { page } = lp;
    await page.click('[data-test="hint-dismiss"]');
    await page.click('[data-test="lesson-item-handshake"]');
    await page.waitForSelector('[data-test="lesson-step-text"]', T);
    // The first step (the server to listen), answered and done.
    const step = handshake.steps[0]!;
    if (step.question) await page.click(`[data-test="lesson-choice-${step.question.answer}"]`);
    await page.click('[data-test="lesson-action"]');
    await page.waitForSelector('[data-test="lesson-status"].passed', T);
    await page.waitForSelector(`${SERVER} article[data-state="LISTEN"]`, T);
    await atEachSize(page, 'lesson', [
      '[data-test="lesson-counter"]',
      '.dots li:last-child',
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      '[data-test="lesson-action"]',
      '.ladder h2',
      `${SERVER} [data-test="last-return"]`,
      '[data-test="timeline-play"]',
    ]);
  });

  it('a lesson and a replay banner, then two extra clients in tabs: still seen, nothing overflows', async () => {
    const { page } = lp;
    await page.setInputFiles('[data-test="open-trace-input"]', traceFile());
    await page.waitForSelector('[data-test="replay-banner"]', T);
    await atEachSize(page, 'lesson-replay', [
      '[data-test="replay-banner"]',
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      ...LADDER,
      '[data-test="timeline-play"]',
    ]);
    await page.click('[data-test="replay-back"]');
    await expect.poll(() => page.locator('[data-test="replay-banner"]').count(), T).toBe(0);

    await page.click('[data-test="add-client"]');
    await page.waitForSelector('.clients [data-actor="client2"] h2', T);
    await page.click('[data-test="add-client"]');
    await page.waitForSelector('.clients [data-actor="client3"] h2', T);
    expect(await page.locator('.clients [role="tab"]').count()).toBe(3);
    await atEachSize(page, 'lesson-clients', [
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      '.clients [role="tablist"]',
      '[data-test="timeline-play"]',
    ]);

    // The sandbox opens under the header, seen whole, the lesson and the ladder still beside it.
    await page.click('[data-test="toggle-sandbox"]');
    await page.waitForSelector('[data-test="sandbox"]', T);
    await atEachSize(page, 'lesson-sandbox', [
      '[data-test="sandbox"]',
      '[data-test="lesson-step-text"]',
      '[data-test="lesson-status"]',
      '.ladder h2',
      '[data-test="timeline-play"]',
    ]);
    await page.click('[data-test="toggle-sandbox"]');
  });
});
