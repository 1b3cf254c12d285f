/**
 * Is the window responsive while 100 MB pass between client and server? Headless Chromium
 * shows the lab in browser mode; the transfer runs through the engine (sandbox write calls
 * with `fill` on the client, read calls on the server) while the page measures the time
 * between animation frames. Event batches are coalesced to at most one store update per
 * frame, fewer when an update took longer than a frame to draw
 * (renderer/src/composables/useLabEvents.ts), so frames should stay near 16.7 ms.
 */
import os from 'node:os';
import { launchChromium } from '../test/e2e/helpers/browser';
import { startLabWeb } from '../test/e2e/helpers/lab-web';
import { connectPair, transfer } from './lab-transfer';

const MB = 1024 * 1024;

/**
 * Runs in the page: records the time between animation frames and long tasks. A string, not
 * a function: tsx's transform would add helpers (__name) the page does not have.
 */
const FRAME_TIMER = `(() => {
  const frames = [];
  const longTasks = [];
  globalThis.__frames = frames;
  globalThis.__longTasks = longTasks;
  globalThis.__run = true;
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  } catch (e) { /* no long-task timing in this browser */ }
  let last = performance.now();
  const tick = (t) => { frames.push(t - last); last = t; if (globalThis.__run) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Frame times in the page during a `totalMb` transfer in `chunkKb` writes and reads. */
export async function benchFrames(totalMb = 100, chunkKb = 1024): Promise<Record<string, number>> {
  const web = await startLabWeb();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(web.url);
    await page.waitForSelector('[data-actor="server"] h2', { timeout: 30_000 });
    const lab = web.lab;
    const total = totalMb * MB;
    const chunk = chunkKb * 1024;

    // Connect through the engine, as the sandbox would.
    await connectPair(lab);

    // Where the page's main thread spends its time (DevTools Performance domain).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: m } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return Object.fromEntries(m.map((x) => [x.name, x.value]));
    };
    const m0 = await metrics();

    // Frame timer and long-task observer in the page, started after the DevTools set-up (its
    // first metrics call stalls the page once) so they time the transfer alone.
    await page.evaluate(FRAME_TIMER);
    const load0 = os.loadavg()[0]!;
    const { ms: transferMs, events } = await transfer(lab, total, chunk);

    // How long the page needs to show the last event after the transfer ended.
    const last = lab.events().at(-1)?.seq ?? 0;
    const c0 = performance.now();
    // The kernel observer keeps adding events afterwards: wait for this one or a later one.
    await page.waitForFunction(
      (n: number) =>
        Number(
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
            }
          ).document
            .querySelector('.timeline')
            ?.getAttribute('data-last-seq') ?? 0,
        ) >= n,
      last,
      { timeout: 60_000, polling: 20 },
    );
    const catchUpMs = performance.now() - c0;
    const m1 = await metrics();
    const spent = (k: string) => Math.round(((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000);

    const { frames, longTasks } = (await page.evaluate(
      '(() => { globalThis.__run = false; return { frames: globalThis.__frames.slice(1), longTasks: globalThis.__longTasks }; })()',
    )) as { frames: number[]; longTasks: number[] };
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      'frames.transfer_mb': totalMb,
      'frames.transfer_ms': Math.round(transferMs),
      'frames.transfer_mb_per_s': r2(totalMb / (transferMs / 1000)),
      'frames.events': events,
      'frames.count': frames.length,
      'frames.median_ms': r2(quantile(sorted, 0.5)),
      'frames.p95_ms': r2(quantile(sorted, 0.95)),
      'frames.max_ms': r2(sorted[sorted.length - 1] ?? NaN),
      'frames.over_50ms': frames.filter((f) => f > 50).length,
      'frames.long_tasks': longTasks.length,
      'frames.long_task_max_ms': r2(Math.max(0, ...longTasks)),
      'frames.page_catch_up_ms': Math.round(catchUpMs),
      'frames.page_script_ms': spent('ScriptDuration'),
      'frames.page_layout_ms': spent('LayoutDuration'),
      'frames.page_style_ms': spent('RecalcStyleDuration'),
      'frames.page_task_ms': spent('TaskDuration'),
      // Other work on the machine stretches the page's tasks (they wait for a core): figures
      // compare only at a similar load.
      'frames.loadavg_1m_before': r2(load0),
      'frames.loadavg_1m_after': r2(os.loadavg()[0]!),
    };
  } finally {
    await browser.close();
    await web.close();
  }
}
