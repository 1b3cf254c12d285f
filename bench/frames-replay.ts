/**
 * The same transfer's events, replayed into a new page with the engine idle: what the window
 * costs alone, beside what it costs while the engine moves the bytes on the same two cores
 * (bench/frames.ts). Browser mode's own server serves the page, over its own WebSocket and
 * event pump, from a scripted lab: its history is the lab's as it was before the transfer,
 * and each event of the transfer is logged at the time it was logged live, so the pump
 * batches them as it did. Only the engine's work is missing.
 */
import type { Browser } from 'playwright-core';
import type { LabEvent } from '../app/contract';
import type { LabPort } from '../app/host/event-pump';
import { startWebServer } from '../app/web/server';
import { benchRenderer } from './window-build';

/** An event of the transfer and when it was logged (ms after the transfer began). */
export interface TimedEvent {
  at: number;
  event: LabEvent;
}

/** A lab that runs nothing: it holds a log, and `log` adds to it as the engine would. */
class ScriptedLab implements LabPort {
  private readonly all: LabEvent[];
  private readonly listeners = new Set<(e: LabEvent) => void>();
  constructor(history: readonly LabEvent[]) {
    this.all = [...history];
  }
  events(): readonly LabEvent[] {
    return this.all;
  }
  subscribe(cb: (e: LabEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  handle(): Promise<{ ok: false; error: string }> {
    return Promise.resolve({ ok: false, error: 'a replay runs no commands' });
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
  log(e: LabEvent): void {
    this.all.push(e);
    for (const l of this.listeners) l(e);
  }
}

/** What the replay needs of bench/frames.ts: the page's frame timer and the figures. */
export interface ReplayTools {
  frameTimer: string;
  figures: (frames: number[], stepUs: number) => Record<string, number | string>;
}

/** Frame figures of a new page that gets `history`, then `events` at their times. */
export async function replayFrames(
  browser: Browser,
  history: readonly LabEvent[],
  events: readonly TimedEvent[],
  tools: ReplayTools,
): Promise<Record<string, number | string>> {
  const lab = new ScriptedLab(history);
  const server = await startWebServer({ lab, rendererDir: benchRenderer() });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    for (const side of ['server', 'client'])
      await page.waitForSelector(`[data-test="editor-${side}"][data-checked="true"] .cm-content`, {
        timeout: 30_000,
      });
    await page.evaluate(tools.frameTimer);
    const t0 = performance.now();
    for (const { at, event } of events) {
      const wait = at - (performance.now() - t0);
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      lab.log(event);
    }
    const sent = performance.now();
    const last = events.at(-1)?.event.seq ?? 0;
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
    const catchUpMs = performance.now() - sent;
    const { frames, stepUs } = (await page.evaluate(
      '(() => { globalThis.__run = false; return { frames: globalThis.__frames.slice(1), stepUs: globalThis.__stepUs }; })()',
    )) as { frames: number[]; stepUs: number };
    return { ...tools.figures(frames, stepUs), 'frames.page_catch_up_ms': Math.round(catchUpMs) };
  } finally {
    await context.close();
    await server.close();
  }
}
