/**
 * Page helpers shared by the end-to-end tests: open the lab with a fixed language, keep the
 * page's errors (console errors, CSP violations, uncaught exceptions), save screenshots to
 * artifacts/e2e, and run axe-core.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from './build';

/** Where screenshots go (ignored by git). */
export const ARTIFACTS = resolve(ROOT, 'artifacts', 'e2e');

/** An open lab page and what went wrong in it. */
export interface LabPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations, in order. */
  errors: string[];
}

/** Open `url` in a fresh context with `locale` (the window starts in the system language). */
export async function openLab(
  browser: Browser,
  url: string,
  locale = 'en-US',
  colorScheme: 'light' | 'dark' = 'light',
): Promise<LabPage> {
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url().replace(/token=[^&]+/, 'token=…')}`);
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Save a full-page screenshot as artifacts/e2e/NAME.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = resolve(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One axe-core violation, short. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Run axe-core in the page; returns the violations (all impacts). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Injected as a script through the DevTools protocol: CSP does not apply to it.
  await page.evaluate(source);
  return page.evaluate(async () => {
    type Axe = {
      run: (
        ctx: unknown,
        opts: unknown,
      ) => Promise<{
        violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
      }>;
    };
    const g = globalThis as unknown as { axe: Axe; document: unknown };
    const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
