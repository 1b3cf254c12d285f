/**
 * The same transfer's events, replayed into a new page with the engine idle: what the window
 * costs alone, beside what it costs while the engine moves the bytes on the same two cores
 * (bench/frames.ts). The page's WebSocket is routed (Playwright's routeWebSocket) to this
 * process, which answers `ready` with the lab's history as it was before the transfer, in
 * parts as the pump cuts them, then sends the transfer's events in the batches and at the
 * times the pump sent them live. The page cannot tell the two apart: the same messages, in
 * the same order, at the same pace; only the engine's work is missing.
 */
import type { Browser, WebSocketRoute } from 'playwright-core';
import { chunkBySize, MAX_EVENT_BATCH, MAX_MESSAGE_ESTIMATE, type LabEvent } from '../app/contract';

/** One message the pump sent live: when (ms after the transfer began) and its events. */
export interface SentBatch {
  at: number;
  events: LabEvent[];
}

/** What the replay needs of bench/frames.ts: the page's frame timer and the figures. */
export interface ReplayTools {
  frameTimer: string;
  figures: (frames: number[]) => Record<string, number | string>;
}

/** Frame figures of a new page at `url` receiving `history`, then `batches` at their times. */
export async function replayFrames(
  browser: Browser,
  url: string,
  history: readonly LabEvent[],
  batches: readonly SentBatch[],
  tools: ReplayTools,
): Promise<Record<string, number | string>> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    let route: WebSocketRoute | null = null;
    await page.routeWebSocket(/^wss?:\/\//, (ws) => {
      route = ws;
      ws.onMessage((text) => {
        const m = JSON.parse(String(text)) as { kind: string; id: number };
        if (m.kind === 'ready') {
          const parts = [...chunkBySize(history, MAX_EVENT_BATCH, MAX_MESSAGE_ESTIMATE)];
          if (parts.length === 0) parts.push([]);
          parts.forEach((events, i) =>
            ws.send(JSON.stringify({ kind: 'history', id: m.id, events, more: i < parts.length - 1 })),
          );
        } else if (m.kind === 'command') {
          ws.send(
            JSON.stringify({
              kind: 'reply',
              id: m.id,
              result: { ok: false, error: 'a replay runs no commands' },
            }),
          );
        }
      });
    });
    await page.goto(url);
    for (const side of ['server', 'client'])
      await page.waitForSelector(`[data-test="editor-${side}"][data-checked="true"] .cm-content`, {
        timeout: 30_000,
      });
    if (!route) throw new Error('the page did not open its WebSocket');
    const ws: WebSocketRoute = route;
    await page.evaluate(tools.frameTimer);
    const t0 = performance.now();
    for (const b of batches) {
      const wait = b.at - (performance.now() - t0);
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      ws.send(JSON.stringify({ kind: 'events', events: b.events }));
    }
    const sent = performance.now();
    const last = batches.at(-1)?.events.at(-1)?.seq ?? 0;
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
    const frames = (await page.evaluate(
      '(() => { globalThis.__run = false; return globalThis.__frames.slice(1); })()',
    )) as number[];
    return {
      ...tools.figures(frames),
      'frames.messages': batches.length,
      'frames.page_catch_up_ms': Math.round(catchUpMs),
    };
  } finally {
    await context.close();
  }
}
