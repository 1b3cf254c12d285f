/**
 * The ladder diagram as a picture that stands alone: the `<svg>` the window draws, cloned
 * with its computed styles written on each element as presentation attributes (the page's
 * CSS and its variables do not travel with an .svg file), on a background of the panel's
 * colour. The window draws only the rows around what is in view (its `data-band`, "y0 y1"):
 * the picture is that band, so a long ladder gives the part the student scrolled to, with its
 * folds as they are. PNG: that SVG drawn on a canvas at twice its size.
 */

/** Presentation properties the ladder's CSS sets; each is copied from the computed style. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'paint-order',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The ladder's drawing in the page, or null when there is none yet. */
export function findLadderSvg(root: ParentNode = document): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>('.ladder svg.svg');
}

/** One line above the drawing: a text at each end (the client's side, the server's side). */
export interface HeadingLine {
  left: string;
  right: string;
  /** Colour and font of the line, as computed in the page. */
  fill: string;
  font: { family: string; size: string; weight: string };
}

/** Height of one heading line, in the drawing's units. */
const HEADING_LINE_H = 16;

/**
 * The lines the window shows above the ladder's drawing (the two ends' names and addresses,
 * the ISNs, what x and y name): a picture of the ladder alone would not say which connection
 * it is, nor what its green names mean.
 */
export function ladderHeading(root: ParentNode = document): HeadingLine[] {
  const out: HeadingLine[] = [];
  for (const row of Array.from(root.querySelectorAll('.ladder .ends, .ladder .names'))) {
    const spans = row.classList.contains('names') ? [row] : Array.from(row.querySelectorAll('span'));
    const view = row.ownerDocument.defaultView;
    if (spans.length < 1 || !view) continue;
    const cs = view.getComputedStyle(spans[0]!);
    out.push({
      left: spans[0]!.textContent?.trim() ?? '',
      right: spans[1]?.textContent?.trim() ?? '',
      fill: cs.color,
      font: { family: cs.fontFamily, size: cs.fontSize, weight: cs.fontWeight },
    });
  }
  return out;
}

/** The band of the drawing that holds rows ([y0, y1] from its `data-band`), else all of it. */
function bandOf(svg: SVGSVGElement, height: number): [number, number] {
  const [a, b] = (svg.getAttribute('data-band') ?? '').split(' ').map(Number);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= a)
    return [0, height];
  return [Math.max(0, a), Math.min(height, b)];
}

/** A standalone SVG document and its size in CSS pixels. */
export interface StandaloneSvg {
  text: string;
  width: number;
  height: number;
}

/**
 * A standalone SVG document of `svg`: computed styles inlined, sizes explicit, `heading`
 * lines above the drawing, a background in `background` (the panel's colour when not
 * given), animations left out.
 */
export function standaloneSvg(
  svg: SVGSVGElement,
  heading: HeadingLine[] = [],
  background?: string,
): StandaloneSvg {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  const view = svg.ownerDocument.defaultView;
  src.forEach((el, i) => {
    const out = dst[i];
    if (!out || !view) return;
    const cs = view.getComputedStyle(el);
    // Presentation attributes, not a style attribute: the window's CSP (style-src 'self')
    // forbids inline styles, and the attributes mean the same to every SVG reader.
    for (const p of STYLE_PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) out.setAttribute(p, v);
    }
    // Rows fade in live (a CSS animation): the picture shows them fully drawn.
    out.removeAttribute('class');
  });
  const w = Number(svg.getAttribute('width')) || svg.clientWidth;
  const full = Number(svg.getAttribute('height')) || svg.clientHeight;
  const [y0, y1] = bandOf(svg, full);
  const h = y1 - y0;
  // The heading goes above the band, so the drawing's own coordinates stay as they are.
  const top = heading.length ? heading.length * HEADING_LINE_H + 8 : 0;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h + top));
  clone.setAttribute('viewBox', `0 ${y0 - top} ${w} ${h + top}`);
  clone.removeAttribute('data-band');
  const make = (name: string, attrs: Record<string, string>): Element => {
    const el = svg.ownerDocument.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };
  const first = clone.firstChild;
  const bg = {
    x: '0',
    y: String(y0 - top),
    width: String(w),
    height: String(h + top),
    fill: background ?? panelColour(svg),
  };
  clone.insertBefore(make('rect', bg), first);
  heading.forEach((line, i) => {
    const y = String(y0 - top + (i + 1) * HEADING_LINE_H);
    const font = {
      fill: line.fill,
      'font-family': line.font.family,
      'font-size': line.font.size,
      'font-weight': line.font.weight,
    };
    const ends = [
      [line.left, '6', 'start'],
      [line.right, String(w - 6), 'end'],
    ] as const;
    for (const [text, x, anchor] of ends) {
      const t = make('text', { x, y, 'text-anchor': anchor, ...font });
      t.textContent = text;
      clone.insertBefore(t, first);
    }
  });
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
  return { text, width: w, height: h + top };
}

/** The first non-transparent background colour around `el` (white if none). */
function panelColour(el: Element): string {
  const view = el.ownerDocument.defaultView;
  for (let e: Element | null = el; e && view; e = e.parentElement) {
    const c = view.getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return '#ffffff';
}

/** Draw an SVG document on a canvas at `scale` and give it back as a PNG Blob. */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  // A data: URL, not a blob: one: the window's CSP allows images from 'self' and data: only.
  const img = new Image();
  img.decoding = 'async';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the browser could not draw the SVG'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this window');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
}
