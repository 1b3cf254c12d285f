/**
 * The lab window end to end: a real Lab (real loopback sockets, the real kernel table) in
 * browser mode, driven through the page by Debian's Chromium. The classic flow — server
 * setup, connect, echo, both closes — asserting what the page shows, the timeline, the
 * language switch, and axe-core. Screenshots of each state go to artifacts/e2e/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from './helpers/browser';
import { startLabWeb, type LabWeb } from './helpers/lab-web';
import { openLab, runAxe, screenshot, type LabPage } from './helpers/page';

const haveChromium = chromiumPath() !== null;
if (!haveChromium)
  console.warn('window.test.ts: SKIPPED — no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const SERVER = '[data-actor="server"]';
const CLIENT = '[data-actor="client"]';
/** A socket card of `actor` whose model and kernel both say `state`, with the ✓ mark. */
const confirmed = (actor: string, state: string) =>
  `${actor} article[data-state="${state}"][data-kernel-state="${state}"] [data-test="confirmed"]`;
const T = { timeout: 15_000 };

/** The program line marked as next (or blocked) in an actor's editor. */
async function currentLine(page: Page, actor: string): Promise<string> {
  const line = page.locator(`${actor} .cm-line[aria-current="step"]`);
  // No marked line: the program has ended.
  return (await line.count()) === 0 ? '(ended)' : ((await line.textContent()) ?? '');
}

/** Press the actor's Next call button (up to and including its next call) and wait until its marked line has moved on. */
async function step(page: Page, actor: string, id: string): Promise<void> {
  const before = await currentLine(page, actor);
  const startedBlocked = await page.locator(`${actor} [data-test="blocked"]`).count();
  await page.click(`[data-test="next-${id}"]`);
  await expect
    .poll(
      async () =>
        (await currentLine(page, actor)) !== before ||
        (await page.locator(`${actor} [data-test="blocked"]`).count()) !== startedBlocked,
      T,
    )
    .toBe(true);
}

/** Visible ladder arrow labels, top to bottom. */
async function ladderLabels(page: Page): Promise<string[]> {
  return page
    .locator('.ladder text.label')
    .allTextContents()
    .then((l) => l.map((s) => s.trim()));
}

describe.skipIf(!haveChromium)('the lab window in Chromium (browser mode, real sockets)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb();
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.waitForSelector(`${SERVER} h2`, T);
    await lp.page.waitForSelector(`${CLIENT} h2`, T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('runs the classic flow, shows what the kernel confirms, steps back, switches language', async () => {
    const { page } = lp;
    await screenshot(page, '0-start');
    // The server's opener and embedder policies isolate the page; all it loads is its own.
    expect(await page.evaluate('globalThis.crossOriginIsolated')).toBe(true);

    // Server setup: socket, bind, listen, then accept blocks.
    await step(page, SERVER, 'server');
    await step(page, SERVER, 'server');
    await page.keyboard.press('d'); // the shortcut does the same as the button (the server's next call)
    await page.waitForSelector(confirmed(SERVER, 'LISTEN'), T);
    await step(page, SERVER, 'server');
    const blocked = page.locator(`${SERVER} [data-test="blocked"]`);
    await expect.poll(() => blocked.textContent(), T).toContain('Blocked in accept(3, NULL, NULL)'); // as C wrote it
    expect(await blocked.textContent()).toContain('no connection waiting in the accept queue');
    await expect
      .poll(() => page.locator('[data-test="event-log"]').textContent(), T)
      .toContain('server: accept() blocked — no connection waiting');
    await screenshot(page, '1-server-blocked-in-accept');

    // The client connects: the handshake, ESTABLISHED on both sides, accept returns.
    await step(page, CLIENT, 'client'); // socket
    await step(page, CLIENT, 'client'); // connect
    await page.waitForSelector(confirmed(CLIENT, 'ESTABLISHED'), T);
    await page.waitForSelector(confirmed(SERVER, 'ESTABLISHED'), T);
    await expect.poll(() => blocked.count(), T).toBe(0);
    // The ladder replays the handshake one arrow after another.
    await expect
      .poll(async () => (await ladderLabels(page)).slice(0, 3).map((l) => l.split(' ')[0]), T)
      .toEqual(['SYN', 'SYN,ACK', 'ACK']);
    const labels = await ladderLabels(page);
    expect(labels[0]).toMatch(/^SYN seq=0 /);
    expect(labels[1]).toMatch(/^SYN,ACK seq=0 ack=1 /);
    expect(labels[2]).toMatch(/^ACK seq=1 ack=1 /);
    await screenshot(page, '2-established');

    // Echo: the client writes "hello"; it waits in the server's receive buffer until read.
    await step(page, CLIENT, 'client'); // write
    const serverConn = `${SERVER} article[data-state="ESTABLISHED"]`;
    await expect
      .poll(() => page.locator(`${serverConn} [data-test="recv-bytes"]`).textContent(), T)
      .toBe('5 B');
    await step(page, SERVER, 'server'); // read → 5
    await expect
      .poll(() => page.locator(`${SERVER} [data-test="last-return"]`).textContent(), T)
      .toContain('returned 5');
    await expect
      .poll(() => page.locator(`${serverConn} [data-test="recv-bytes"]`).textContent(), T)
      .toBe('0 B');
    await step(page, SERVER, 'server'); // write back
    const clientConn = `${CLIENT} article[data-state="ESTABLISHED"]`;
    await expect
      .poll(() => page.locator(`${clientConn} [data-test="recv-bytes"]`).textContent(), T)
      .toBe('5 B');
    await screenshot(page, '3-echo-in-client-buffer');
    await step(page, CLIENT, 'client'); // read → 5
    await expect
      .poll(() => page.locator(`${CLIENT} [data-test="last-return"]`).textContent(), T)
      .toContain('returned 5');

    // The client closes first: FIN_WAIT_2 on its side, CLOSE_WAIT on the server's.
    await step(page, CLIENT, 'client'); // close
    await page.waitForSelector(confirmed(CLIENT, 'FIN_WAIT_2'), T);
    await page.waitForSelector(confirmed(SERVER, 'CLOSE_WAIT'), T);
    // Let the ladder's slow replay reach the client's FIN before the picture.
    await expect
      .poll(async () => (await ladderLabels(page)).filter((l) => l.startsWith('FIN')).length, T)
      .toBe(1);
    await screenshot(page, '4-fin-wait-2-close-wait');

    // The server reads 0 (the FIN), then closes: the client's socket sits in TIME_WAIT.
    await step(page, SERVER, 'server'); // read → 0
    await expect
      .poll(() => page.locator(`${SERVER} [data-test="last-return"]`).textContent(), T)
      .toContain('returned 0');
    await step(page, SERVER, 'server'); // close(connfd)
    await page.waitForSelector(confirmed(CLIENT, 'TIME_WAIT'), T);
    await expect
      .poll(() => page.locator(`${CLIENT} [data-test="time-wait"]`).textContent(), T)
      .toMatch(/TIME_WAIT: \d+ s left \(kernel timer\)/);
    await expect
      .poll(async () => (await ladderLabels(page)).filter((l) => l.startsWith('FIN')).length, T)
      .toBe(2);
    await screenshot(page, '5-time-wait');

    // Step back through the timeline until the client was still in FIN_WAIT_2.
    const live = page.locator('[data-test="timeline-position"]');
    const totalText = (await live.textContent()) ?? '';
    const t0 = Date.now();
    for (let i = 0; i < 400; i++) {
      if ((await page.locator(`${CLIENT} article[data-state="FIN_WAIT_2"]`).count()) > 0) break;
      await page.keyboard.press('ArrowLeft');
    }
    await page.waitForSelector(`${CLIENT} article[data-state="FIN_WAIT_2"]`, T);
    console.log(`timeline: stepped back in ${Date.now() - t0} ms`);
    expect(await page.locator(`${CLIENT} article[data-state="TIME_WAIT"]`).count()).toBe(0);
    expect(await page.locator('.timeline').textContent()).toContain('Showing the past');
    expect(await live.textContent()).not.toBe(totalText);
    // Controls that would act on the lab are off while looking at the past.
    expect(await page.locator('[data-test="step-server"]').isDisabled()).toBe(true);
    await screenshot(page, '6-timeline-past');
    await page.click('[data-test="timeline-live"]');
    await page.waitForSelector(confirmed(CLIENT, 'TIME_WAIT'), T);

    // axe: no serious or critical violation, light theme, English.
    const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad).toEqual([]);

    // Switch language: the same state, in Chinese.
    await page.selectOption('[data-test="lang"]', 'zh-CN');
    await expect.poll(() => page.locator('html').getAttribute('lang'), T).toBe('zh-CN');
    await expect.poll(() => page.locator(`${SERVER} h2`).first().textContent(), T).toBe('服务器');
    expect(await page.locator(`${CLIENT} [data-test="confirmed"]`).first().textContent()).toContain(
      '内核确认',
    );
    expect(await page.locator(`${CLIENT} [data-test="time-wait"]`).textContent()).toMatch(
      /TIME_WAIT：还剩 \d+ 秒/,
    );
    await page.click('[data-test="theme"]');
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), T).toBe('dark');
    await screenshot(page, '7-zh-dark');
    const badDark = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(badDark).toEqual([]);

    // Help: opened by ?, closed by Escape.
    await page.keyboard.press('?');
    await page.waitForSelector('[data-test="help"][open]', T);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-test="help"]:not([open])', { ...T, state: 'attached' });

    // Nothing went wrong in the page (CSP violations show up as console errors).
    expect(lp.errors).toEqual([]);
  });

  it('the sandbox validates arguments against the contract and makes real calls', async () => {
    const { page } = lp;
    await page.selectOption('[data-test="lang"]', 'en');
    await page.click('[data-test="toggle-sandbox"]');
    await page.selectOption('[data-test="sandbox-actor"]', 'client');
    await page.selectOption('[data-test="sandbox-call"]', 'connect');
    await page.fill('[data-test="arg-fd"]', '3');
    await page.fill('[data-test="arg-host"]', '127.0.0.1');
    await page.fill('[data-test="arg-port"]', '70000');
    await page.click('[data-test="sandbox-make"]');
    await expect
      .poll(() => page.locator('[data-test="sandbox-error"]').textContent(), T)
      .toMatch(/Invalid arguments: args\.port/);
    // A valid call the kernel refuses: read on a descriptor the client does not have.
    await page.selectOption('[data-test="sandbox-call"]', 'read');
    await page.fill('[data-test="arg-fd"]', '42');
    await page.click('[data-test="sandbox-make"]');
    await expect
      .poll(() => page.locator('[data-test="event-log"]').textContent(), T)
      .toMatch(/client: read\(\) failed: -1 EBADF/);
    expect(await page.locator('[data-test="sandbox-outcome"]').textContent()).toBe(
      'read() returned -1, errno EBADF',
    );
    await screenshot(page, '8-sandbox');

    // More clients stack on the client side.
    await page.click('[data-test="add-client"]');
    await page.waitForSelector('.clients [data-actor="client2"] h2', T);
    expect(await page.locator('.clients [data-actor]').count()).toBe(2);
    expect(lp.errors).toEqual([]);
  });
});

describe.skipIf(!haveChromium)('the ladder with packet capture (tcpdump/dumpcap where permitted)', () => {
  let web: LabWeb;
  let browser: Browser;
  let lp: LabPage;

  beforeAll(async () => {
    web = await startLabWeb({ capture: true });
    browser = await launchChromium();
    lp = await openLab(browser, web.url, 'en-US');
    await lp.page.waitForSelector(`${SERVER} h2`, T);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('draws captured segments solid, with the real ISNs and relative numbers', async (ctx) => {
    const { page } = lp;
    const capture = web.lab.view().capture;
    if (capture.status !== 'on') {
      console.warn(`capture test: SKIPPED — capture is ${capture.status}: ${capture.reason ?? ''}`);
      ctx.skip();
    }
    await expect
      .poll(() => page.locator('[data-test="capture-text"]').textContent(), T)
      .toContain('capture: on');
    await page.click('[data-test="run-server"]');
    await expect.poll(() => page.locator(`${SERVER} [data-test="blocked"]`).count(), T).toBe(1);
    await step(page, CLIENT, 'client'); // socket
    await step(page, CLIENT, 'client'); // connect
    await page.waitForSelector(confirmed(CLIENT, 'ESTABLISHED'), T);
    // Captured arrows replace the inferred ones of this connection (the legend has one of each).
    await expect.poll(() => page.locator('.ladder line.arrow.captured').count(), T).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.ladder line.arrow.inferred').count()).toBe(1);
    const isnClient = Number(
      (await page.locator('[data-test="isn-client"]').textContent())?.match(/= (\d+)/)?.[1],
    );
    const isnServer = Number(
      (await page.locator('[data-test="isn-server"]').textContent())?.match(/= (\d+)/)?.[1],
    );
    expect(Number.isInteger(isnClient) && Number.isInteger(isnServer)).toBe(true);
    expect(isnClient).not.toBe(isnServer); // random per connection: not both zero
    await expect
      .poll(
        async () => (await ladderLabels(page)).slice(0, 3).map((l) => l.split(' ').slice(0, 3).join(' ')),
        T,
      )
      .toEqual(['SYN seq=0 len=0', 'SYN,ACK seq=0 ack=1', 'ACK seq=1 ack=1']);
    await screenshot(page, '9-captured-handshake');
    expect(lp.errors).toEqual([]);
  });
});
