/**
 * What the layout tests ask of the page as it is drawn: whether an element is seen whole (in
 * the viewport, not under the timeline or another box, not scrolled out of its column), and
 * what sticks out of its card.
 */
import type { Page } from 'playwright-core';

/** The page's document, typed for code that runs in the page (the e2e files have no DOM library). */
interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
  width: number;
  height: number;
}
interface El {
  getBoundingClientRect(): Rect;
  contains(e: El | null): boolean;
  querySelectorAll(s: string): ArrayLike<El>;
  className: string | { baseVal: string };
  tagName: string;
  dataset: Record<string, string>;
  parentElement: El | null;
  scrollWidth: number;
  clientWidth: number;
}
interface Doc {
  querySelector(s: string): El | null;
  querySelectorAll(s: string): ArrayLike<El>;
  elementFromPoint(x: number, y: number): El | null;
  documentElement: El;
}

/**
 * Why the first element matching `selector` is not seen whole, or null when it is: missing,
 * outside the viewport, or one of its corners (2 px in) showing something else — the sticky
 * timeline over it, or its column scrolled so that it is cut off.
 */
export async function notSeen(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => {
    const g = globalThis as unknown as { document: Doc; innerWidth: number; innerHeight: number };
    const e = g.document.querySelector(sel);
    if (!e) return `${sel}: missing`;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return `${sel}: empty box`;
    if (r.top < 0 || r.left < 0 || r.bottom > g.innerHeight + 0.5 || r.right > g.innerWidth + 0.5)
      return `${sel}: outside the viewport (${Math.round(r.top)}–${Math.round(r.bottom)} of ${g.innerHeight})`;
    const inset = Math.min(2, r.width / 2, r.height / 2);
    for (const [x, y] of [
      [r.left + inset, r.top + inset],
      [r.right - inset, r.top + inset],
      [r.left + inset, r.bottom - inset],
      [r.right - inset, r.bottom - inset],
    ] as const) {
      const hit = g.document.elementFromPoint(x, y);
      if (!hit || !(e.contains(hit) || hit.contains(e))) {
        const what = hit ? `${hit.tagName.toLowerCase()}.${String(hit.className)}` : 'nothing';
        return `${sel}: covered at (${Math.round(x)}, ${Math.round(y)}) by ${what}`;
      }
    }
    return null;
  }, selector);
}

/** The selectors of `list` not seen whole, with why (empty when all are). */
export async function unseen(page: Page, list: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of list) {
    const why = await notSeen(page, s);
    if (why) out.push(why);
  }
  return out;
}

/**
 * What sticks out of its card: for each panel and socket card, the descendants whose box ends
 * outside the card's sideways (boxes inside a part that scrolls or clips sideways are that
 * part's business), and the page itself scrolling sideways.
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      document: Doc;
      getComputedStyle(e: El): { overflowX: string };
    };
    const out: string[] = [];
    const name = (e: El) =>
      `${e.tagName.toLowerCase()}.${typeof e.className === 'string' ? e.className : e.className.baseVal}${
        e.dataset.test ? `[${e.dataset.test}]` : ''
      }`;
    const clipped = (e: El, card: El): boolean => {
      for (let p = e.parentElement; p && p !== card; p = p.parentElement)
        if (g.getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const root = g.document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push(`page scrolls sideways: ${root.scrollWidth}`);
    for (const card of Array.from(g.document.querySelectorAll('.panel, article.socket'))) {
      const c = card.getBoundingClientRect();
      for (const e of Array.from(card.querySelectorAll('*'))) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || clipped(e, card)) continue;
        if (r.right > c.right + 1 || r.left < c.left - 1) out.push(`${name(e)} outside ${name(card)}`);
      }
    }
    return [...new Set(out)];
  });
}
