/**
 * The ladder past the view's segment cap, end to end: a trace of one captured connection with
 * more segments than the view keeps (its handshake, 3,000 data segments each acknowledged,
 * its close), opened in the window and replayed. The ladder keeps the handshake and both FINs,
 * says how many segments it lacks above the drawing and draws a row where they were; its
 * writing does not overlap at 1280×800; axe finds nothing serious. Screenshots:
 * artifacts/e2e/ladder/cap-*.png. Needs Chromium only (no capture: the trace is built here).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VIEW_SEGMENTS, type LabEvent } from '../../app/contract';
import { makeTrace, serializeTrace } from '../../app/contract/trace';
import { chromiumPath, launchChromium } from './helpers/browser';
import { badLabels, pageRows } from './helpers/ladder';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { ARTIFACTS, openLab, runAxe, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn('ladder-cap.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const T = { timeout: 20_000 };

describe.skipIf(!haveChromium)('the ladder past the view’s segment cap (a replayed trace)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb();
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.waitForSelector('[data-actor="server"] h2', T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('keeps the handshake and both FINs, and counts the missing segments where they were', async () => {
    const { page } = lp;
    // One captured connection: its handshake, 3,000 data segments each acknowledged, its close.
    const events: LabEvent[] = [];
    const t0 = Date.now() - 60_000;
    const add = (e: Record<string, unknown>) =>
      events.push({ seq: events.length + 1, t: t0 + events.length, ...e } as LabEvent);
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
        tsUs: (t0 + events.length) * 1000,
      });
    add({ type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' });
    seg(C, S, ['SYN'], 1000, 0);
    seg(S, C, ['SYN', 'ACK'], 9000, 1001);
    seg(C, S, ['ACK'], 1001, 9001);
    const n = 3000;
    for (let i = 0; i < n; i++) {
      seg(C, S, ['PSH', 'ACK'], 1001 + i * 100, 9001, 100);
      seg(S, C, ['ACK'], 9001, 1001 + (i + 1) * 100);
    }
    const end = 1001 + n * 100;
    seg(C, S, ['FIN', 'ACK'], end, 9001);
    seg(S, C, ['FIN', 'ACK'], 9001, end + 1);
    seg(C, S, ['ACK'], end + 1, 9002);
    mkdirSync(join(ARTIFACTS, 'ladder'), { recursive: true });
    const file = join(ARTIFACTS, 'ladder', 'cap.tcplab.json');
    writeFileSync(file, serializeTrace(makeTrace(events, 'e2e')));
    const segments = events.length - 1;

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.setInputFiles('[data-test="open-trace-input"]', file);
    await page.waitForSelector('[data-test="replay-banner"]', T);
    const note = page.locator('[data-test="segments-dropped"]');
    const lacking = String(segments - MAX_VIEW_SEGMENTS).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
    await expect.poll(() => note.textContent(), T).toContain(`${lacking} older segments not drawn`);
    // Scrolled to the top of the ladder: the whole handshake, then where segments are missing.
    await page.locator('.ladder .scroller').evaluate((b) => {
      (b as unknown as { scrollTop: number }).scrollTop = -1e9;
      b.dispatchEvent(new Event('scroll'));
    });
    const rows = async () => (await pageRows(page)).filter((r) => !r.includes(':'));
    await expect
      .poll(async () => (await rows()).slice(0, 4), T)
      .toEqual(['SYN', 'SYN,ACK', 'ACK', 'dropped']);
    expect(await page.locator('[data-test="dropped-row"]').textContent()).toContain(
      `⋯ ${lacking} segments not kept here ⋯`,
    );
    expect(await badLabels(page, 10)).toEqual([]);
    await page.locator('.ladder').screenshot({ path: 'artifacts/e2e/ladder/cap-top-ladder.png' });
    // At 1920×1080 the whole box is on the screen (at 1280×800 the timeline covers its foot).
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect
      .poll(async () => (await rows()).slice(0, 4), T)
      .toEqual(['SYN', 'SYN,ACK', 'ACK', 'dropped']);
    expect(await badLabels(page, 10)).toEqual([]);
    await page.locator('.ladder').screenshot({ path: 'artifacts/e2e/ladder/cap-top-ladder-1920x1080.png' });
    // The view's segments but the handshake's three and the close's three, folded, counted as
    // the window counts.
    const folded = String(MAX_VIEW_SEGMENTS - 6).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
    expect(await page.locator('[data-test="fold-count"]').textContent()).toBe(`${folded} segments folded`);
    // In Chinese the fold's lines and its button still fit.
    await page.selectOption('[data-test="lang"]', 'zh-CN');
    await expect
      .poll(() => page.locator('[data-test="fold-count"]').textContent(), T)
      .toBe(`已折叠 ${folded} 个报文段`);
    expect(await badLabels(page, 10)).toEqual([]);
    await page
      .locator('.ladder')
      .screenshot({ path: 'artifacts/e2e/ladder/cap-top-ladder-zh-1920x1080.png' });
    await page.selectOption('[data-test="lang"]', 'en');
    await page.setViewportSize({ width: 1280, height: 800 });
    // At the bottom, both FINs and the last ACK, after the fold of what is kept.
    await page.locator('.ladder .scroller').evaluate((b) => {
      (b as unknown as { scrollTop: number }).scrollTop = 0;
      b.dispatchEvent(new Event('scroll'));
    });
    await expect.poll(async () => (await rows()).slice(-3), T).toEqual(['FIN,ACK', 'FIN,ACK', 'ACK']);
    expect(await rows()).toContain('fold');
    await page.locator('.ladder').screenshot({ path: 'artifacts/e2e/ladder/cap-bottom-ladder.png' });
    const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad).toEqual([]);
    await page.click('[data-test="replay-back"]');
    await expect.poll(() => page.locator('[data-test="replay-banner"]').count(), T).toBe(0);
    expect(lp.errors).toEqual([]);
  });
});
