/**
 * The ladder diagram as a picture that stands alone: the `<svg>` the window draws, cloned
 * with its computed styles written on each element as presentation attributes (the page's CSS and its variables do not
 * travel with an .svg file), on a background of the panel's colour. PNG: that SVG drawn on a
 * canvas at twice its size.
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

/**
 * A standalone SVG document of `svg`: computed styles inlined, sizes explicit, a background
 * rectangle in `background` (the panel's colour when not given), animations left out.
 */
export function standaloneSvg(svg: SVGSVGElement, background?: string): string {
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
  const w = svg.getAttribute('width') ?? String(svg.clientWidth);
  const h = svg.getAttribute('height') ?? String(svg.clientHeight);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', w);
  clone.setAttribute('height', h);
  const bgColour = background ?? panelColour(svg);
  const bg = svg.ownerDocument.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', '0');
  bg.setAttribute('y', '0');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', bgColour);
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
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
