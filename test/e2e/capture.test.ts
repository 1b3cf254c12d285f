/**
 * Capture, exports and replay end to end: a real Lab with tcpdump capturing loopback, in
 * browser mode, driven through the page by Debian's Chromium. The classic flow runs through
 * the buttons; the page says capture is on, draws captured arrows with relative numbers and
 * the real ISNs; the ladder is exported as SVG and PNG and the capture as .pcap through the
 * buttons (read back with `tcpdump -r`); a saved trace is opened after a reload and a reset
 * and replays the same ladder and states. Then with the capture tool run as an unprivileged
 * user: the page says capture is unavailable, why, and how to enable it, and the arrows are
 * inferred. Screenshots go to artifacts/e2e/capture/.
 *
 * Needs Linux, root (to capture, and to run tcpdump as nobody) and tcpdump; skipped with a
 * plain message elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewState } from '../../app/contract';
import { findTool } from '../../app/core/capture/capture';
import { chromiumPath, launchChromium } from './helpers/browser';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { ARTIFACTS, openLab, screenshot, type LabPage } from './helpers/page';

const tcpdump = process.platform === 'linux' ? findTool('tcpdump') : null;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const why = !chromiumPath()
  ? 'no Chromium (apt-get install chromium, or set CHROMIUM_PATH)'
  : process.platform !== 'linux'
    ? 'not Linux'
    : !isRoot
      ? 'not root (capture and running tcpdump as nobody need root)'
      : !tcpdump
        ? 'no tcpdump (apt-get install tcpdump)'
        : null;
if (why) console.warn(`capture.test.ts: SKIPPED — ${why}`);

/** Where this file's screenshots and downloads go. */
const OUT = resolve(ARTIFACTS, 'capture');
const T = { timeout: 15_000 };
const SERVER = '[data-actor="server"]';
const CLIENT = '[data-actor="client"]';

/** Save a screenshot as artifacts/e2e/capture/NAME.png. */
const shot = (page: Page, name: string) => screenshot(page, `capture/${name}`);

/** Visible ladder arrow labels, top to bottom. */
async function ladderLabels(page: Page): Promise<string[]> {
  return (await page.locator('.ladder text.label').allTextContents()).map((s) => s.trim());
}

/** The TCP states the socket cards of `actor` show (model state per card). */
async function cardStates(page: Page, actor: string): Promise<(string | null)[]> {
  const cards = page.locator(`${actor} article[data-state]`);
  const n = await cards.count();
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) out.push(await cards.nth(i).getAttribute('data-state'));
  return out;
}

/** Whether every actor's program has ended with no call in progress. */
const ended = (v: ViewState) =>
  v.actorOrder.every((id) => v.actors[id]!.pc === null && !v.actors[id]!.current);

/**
 * The classic flow through the page's Run buttons: run whichever actor is free until both
 * programs have ended (the server blocks in accept and read, the client in read). Waits on
 * the real lab's state after every click; bounded.
 */
async function runClassicFlow(page: Page, web: LabWeb): Promise<void> {
  for (let round = 0; round < 30 && !ended(web.lab.view()); round++) {
    let clicked = false;
    for (const id of ['server', 'client']) {
      const a = web.lab.view().actors[id];
      if (!a || a.pc === null || a.current) continue;
      const before = web.lab.events().length;
      await page.click(`[data-test="run-${id}"]`, T);
      await expect.poll(() => web.lab.events().length, T).toBeGreaterThan(before);
      clicked = true;
    }
    if (!clicked) {
      // Both blocked: the other side's last call releases one of them in a moment.
      const before = web.lab.events().length;
      await expect.poll(() => web.lab.events().length, T).toBeGreaterThan(before);
    }
  }
  expect(ended(web.lab.view())).toBe(true);
  await expect.poll(() => page.locator(`${CLIENT} [data-test="run-client"]`).isDisabled(), T).toBe(true);
  await expect.poll(() => page.locator(`${SERVER} [data-test="run-server"]`).isDisabled(), T).toBe(true);
}

/** Click `selector` (after opening the Export choices when asked) and keep the download. */
async function download(
  page: Page,
  selector: string,
  viaExport = false,
): Promise<{ path: string; name: string }> {
  if (viaExport) await page.click('[data-test="export"]');
  const [d] = (await Promise.all([page.waitForEvent('download', T), page.click(selector)])) as [
    Download,
    void,
  ];
  const name = d.suggestedFilename();
  const path = resolve(OUT, name);
  await d.saveAs(path);
  return { path, name };
}

describe.skipIf(why !== null)('capture, exports and replay in Chromium (root, tcpdump)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    web = await startLabWeb({ capture: true, trace: true });
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.waitForSelector(`${SERVER} h2`, T);
    await lp.page.waitForSelector(`${CLIENT} h2`, T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows captured segments, exports SVG, PNG and .pcap, and replays a saved trace', async () => {
    const { page } = lp;
    await expect
      .poll(() => page.locator('[data-test="capture-text"]').textContent(), T)
      .toBe('capture: on (tcpdump)');
    expect(await page.locator('[data-test="capture-how"]').count()).toBe(0);

    await runClassicFlow(page, web);

    // Captured arrows, solid, for the whole connection (the legend keeps one of each kind).
    const captured = () => web.lab.view().segments.filter((s) => s.source === 'captured');
    await expect.poll(() => captured().length, T).toBeGreaterThanOrEqual(9); // 3 handshake, 2×(data+ACK), FIN/ACK ×2
    await expect
      .poll(() => page.locator('.ladder line.arrow.captured').count(), T)
      .toBe(captured().length + 1);
    expect(await page.locator('.ladder line.arrow.inferred').count()).toBe(1);

    // Relative numbers as Wireshark shows them, and the real ISNs beside them.
    const labels = await ladderLabels(page);
    expect(labels.slice(0, 3)).toEqual([
      'SYN seq=0 len=0',
      'SYN,ACK seq=0 ack=1 len=0',
      'ACK seq=1 ack=1 len=0',
    ]);
    expect(
      labels.filter((l) => /FIN/.test(l)),
      labels.join(' / '),
    ).toHaveLength(2);
    const syn = captured().find((s) => s.flags.length === 1 && s.flags[0] === 'SYN')!;
    const synAck = captured().find((s) => s.flags.includes('SYN') && s.flags.includes('ACK'))!;
    expect(await page.locator('[data-test="isn-client"]').textContent()).toContain(`= ${syn.seqNo}`);
    expect(await page.locator('[data-test="isn-server"]').textContent()).toContain(`= ${synAck.seqNo}`);
    expect(synAck.ackNo).toBe((syn.seqNo! + 1) % 2 ** 32);
    const clientStates = await cardStates(page, CLIENT);
    const serverStates = await cardStates(page, SERVER);
    expect(clientStates).toContain('TIME_WAIT');
    await shot(page, '1-captured-classic-flow');

    // The ladder as SVG: a well-formed document with the arrows' labels.
    const svg = await download(page, '[data-test="export-svg"]', true);
    expect(svg.name).toMatch(/^tcp-lab-ladder-.*\.svg$/);
    const svgText = readFileSync(svg.path, 'utf8');
    const parsed = await page.evaluate((text) => {
      // Runs in the page; this project's types have no DOM, so the few names used are typed here.
      type El = { textContent: string | null; getAttribute(n: string): string | null; nodeName: string };
      type Doc = {
        documentElement: El;
        querySelector(s: string): El | null;
        querySelectorAll(s: string): ArrayLike<El>;
      };
      const g = globalThis as unknown as {
        DOMParser: new () => { parseFromString(t: string, type: string): Doc };
      };
      const doc = new g.DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        labels: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent?.trim() ?? ''),
        stroke: doc.querySelector('line')?.getAttribute('stroke') ?? '',
      };
    }, svgText);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.labels).toContain('SYN seq=0 len=0');
    expect(parsed.labels).toContain(`ISN client = ${syn.seqNo}`); // the heading says which connection
    expect(parsed.stroke).toMatch(/^rgb/); // computed styles written in: it stands alone

    // As PNG: a real PNG at twice the drawing's size.
    const png = await download(page, '[data-test="export-png"]', true);
    const pngBytes = readFileSync(png.path);
    expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svgWidth = Number(await page.locator('.ladder svg.svg').getAttribute('width'));
    expect(pngBytes.readUInt32BE(16)).toBe(svgWidth * 2);

    // The capture as .pcap, read back by tcpdump: the same packets, the real ISN.
    const pcap = await download(page, '[data-test="export-pcap"]', true);
    expect(pcap.name).toMatch(/\.pcap$/);
    const listing = execFileSync(tcpdump!, ['-r', pcap.path, '-nn', '-S'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = listing.trim().split('\n');
    expect(lines.length).toBe(web.lab.view().segments.filter((s) => s.source === 'captured').length);
    expect(lines[0]).toMatch(/Flags \[S\], seq \d+/);
    expect(lines[0]).toContain(`seq ${syn.seqNo}`);
    expect(lines[1]).toMatch(/Flags \[S\.\]/);
    expect(lines.some((l) => /Flags \[F\.\]/.test(l))).toBe(true);

    // Save the trace, reload, reset the lab (the live ladder starts again), open the trace.
    const trace = await download(page, '[data-test="save-trace"]');
    expect(trace.name).toMatch(/\.tcplab\.json$/);
    await page.reload();
    await page.waitForSelector(`${SERVER} h2`, T);
    await page.click('[data-test="reset"]');
    await expect.poll(() => page.locator('.ladder text.label').count(), T).toBe(0);
    await page.setInputFiles('[data-test="open-trace-input"]', trace.path);
    await expect
      .poll(() => page.locator('[data-test="replay-banner"]').textContent(), T)
      .toContain(`Replaying ${trace.name}`);
    expect(await ladderLabels(page)).toEqual(labels);
    expect(await cardStates(page, CLIENT)).toEqual(clientStates);
    expect(await cardStates(page, SERVER)).toEqual(serverStates);
    expect(await page.locator('[data-test="capture-text"]').textContent()).toBe('capture: on (tcpdump)');
    expect(await page.locator('[data-test="step-client"]').isDisabled()).toBe(true);
    await shot(page, '2-replaying-saved-trace');

    // The timeline steps through the trace: at its start, nothing; back at its end, all.
    await page.locator('[data-test="timeline-slider"]').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.ladder text.label').count(), T).toBe(0);
    await page.keyboard.press('End');
    await expect.poll(() => ladderLabels(page), T).toEqual(labels);

    // Back to the live lab: just reset, nothing on the wire.
    await page.click('[data-test="replay-back"]');
    await expect.poll(() => page.locator('[data-test="replay-banner"]').count(), T).toBe(0);
    await expect.poll(() => page.locator('.ladder text.label').count(), T).toBe(0);
    expect(await page.locator('[data-test="step-client"]').isDisabled()).toBe(false);

    // A file that is not a trace: a clear message, and the window as it was.
    await page.setInputFiles('[data-test="open-trace-input"]', png.path);
    await expect
      .poll(() => page.locator('[data-test="file-error"]').textContent(), T)
      .toContain(`Could not open ${png.name}`);
    expect(await page.locator('[data-test="replay-banner"]').count()).toBe(0);
    await shot(page, '3-bad-trace-file');
    expect(lp.errors).toEqual([]);
  });
});

describe.skipIf(why !== null)('capture not permitted (tcpdump run as nobody)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    web = await startLabWeb({ capture: { tool: ['runuser', '-u', 'nobody', '--', tcpdump!] } });
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.waitForSelector(`${SERVER} h2`, T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('says capture is unavailable, why and how to enable it, and marks the arrows inferred', async () => {
    const { page } = lp;
    expect(web.lab.view().capture.status).toBe('unavailable');
    const text = page.locator('[data-test="capture-text"]');
    await expect
      .poll(() => text.textContent(), T)
      .toMatch(/^inferred — capture unavailable: no permission to capture on lo \(tcpdump: /);
    const how = page.locator('[data-test="capture-how"]');
    await how.locator('summary').click();
    expect(await how.textContent()).toContain('setcap cap_net_raw,cap_net_admin=eip');
    expect(await how.textContent()).toContain('ChmodBPF');
    expect(await how.textContent()).toContain('Npcap');
    expect(await page.locator('[data-test="export-pcap"]').isDisabled()).toBe(true);

    await runClassicFlow(page, web);
    await expect.poll(() => page.locator('.ladder line.arrow.inferred').count(), T).toBeGreaterThanOrEqual(9);
    expect(await page.locator('.ladder line.arrow.captured').count()).toBe(1); // the legend's
    expect(await page.locator('.ladder .isn-note').count()).toBe(1);
    await shot(page, '4-capture-unavailable');
    expect(lp.errors).toEqual([]);
  });
});
