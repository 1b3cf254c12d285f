/**
 * What the e2e tests read of the ladder as the page draws it: the texts of a selector, the
 * rows top to bottom, and what is wrong with its writing (overlaps, text cut off or too small).
 */
import type { Page } from 'playwright-core';

/** The trimmed texts of every element matching `sel`. */
export const texts = async (page: Page, sel: string) =>
  (await page.locator(sel).allTextContents()).map((s) => s.trim());

/** The rows the page draws, top to bottom: a segment's label, "side:STATE", or "fold". */
export async function pageRows(page: Page): Promise<string[]> {
  return page.locator('.ladder g.row').evaluateAll((gs) =>
    gs.map((g) => {
      const kind = g.getAttribute('data-row');
      const text = (sel: string) => g.querySelector(sel)?.textContent?.trim() ?? '';
      if (kind === 'segment') return text('text.label').split(' ')[0]!;
      if (kind === 'state') {
        const side = g.querySelector('text.state')?.classList.contains('client') ? 'client' : 'server';
        return `${side}:${text('text.state').replace(' *', '')}`;
      }
      return kind ?? '';
    }),
  );
}

/**
 * What is wrong with the ladder's writing as laid out: two texts (or a text and a fold's
 * button) whose boxes overlap, a text or button outside the drawing (cut off by the box, or
 * making it scroll sideways), a text smaller than `minPx` on the screen.
 */
export async function badLabels(page: Page, minPx: number): Promise<string[]> {
  return page.locator('.ladder .scroller').evaluate((box, min) => {
    type R = { left: number; right: number; top: number; bottom: number };
    type T = { textContent: string | null; getBoundingClientRect(): R };
    type E = T & { querySelectorAll(s: string): ArrayLike<T>; scrollWidth: number; clientWidth: number };
    const el = box as unknown as E;
    const svg = el.querySelectorAll('svg.svg')[0]!;
    const frame = svg.getBoundingClientRect();
    const texts = Array.from(el.querySelectorAll('svg.svg text, .fold-button')).map((t) => ({
      s: (t.textContent ?? '').trim(),
      r: t.getBoundingClientRect(),
    }));
    const out: string[] = [];
    if (el.scrollWidth > el.clientWidth + 1)
      out.push(`scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
    for (const a of texts) {
      if (a.r.left < frame.left - 0.5 || a.r.right > frame.right + 0.5) out.push(`outside: ${a.s}`);
      if (a.r.bottom - a.r.top < min) out.push(`small (${(a.r.bottom - a.r.top).toFixed(1)} px): ${a.s}`);
    }
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i]!.r;
        const b = texts[j]!.r;
        // Glyph boxes include the line's leading: 1 px of it may touch the next line's.
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1.5) out.push(`overlap: "${texts[i]!.s}" / "${texts[j]!.s}"`);
      }
    return out;
  }, minPx);
}
