/**
 * How much JavaScript the window loads: the initial set (the scripts index.html names, their
 * modulepreloads, and every chunk those import statically — what runs before the first paint)
 * and the total (every .js chunk, the lazy ones included), raw and gzip (level 9), from the
 * renderer the bench built (window-build.ts). Per-chunk figures follow, largest first; the
 * WebAssembly the C parser fetches and the CSS are listed apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchRenderer } from './window-build';

/** The target of issue 13 for the initial JavaScript, gzip. */
export const INITIAL_GZIP_TARGET_KB = 100;

const kb = (n: number) => Math.round(n / 102.4) / 10;
const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;

/** `./assets/x.js` references in index.html: module scripts and modulepreloads. */
function htmlScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const tag = m[0];
    const isModule = /type="module"/.test(tag) || /rel="modulepreload"/.test(tag);
    const src = /(?:src|href)="\.?\/?([^"]+\.js)"/.exec(tag)?.[1];
    if (isModule && src) out.push(basename(src));
  }
  return out;
}

/** Chunks a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
export function staticImports(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/\bimport\s*(?:[^'"();]*?\bfrom\s*)?["']\.\/([\w.-]+\.js)["']/g))
    out.add(m[1]!);
  for (const m of code.matchAll(/\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["']\.\/([\w.-]+\.js)["']/g))
    out.add(m[1]!);
  return [...out];
}

/** Sizes of the renderer in `dir` (default: the bench's build). */
export function bundleSizes(dir = benchRenderer()): Record<string, number | string> {
  const assets = join(dir, 'assets');
  const files = readdirSync(assets);
  const bytes = new Map(files.map((f) => [f, readFileSync(join(assets, f))]));
  const js = files.filter((f) => f.endsWith('.js'));

  const initial = new Set<string>();
  const queue = htmlScripts(readFileSync(join(dir, 'index.html'), 'utf8'));
  while (queue.length) {
    const f = queue.shift()!;
    if (initial.has(f) || !bytes.has(f)) continue;
    initial.add(f);
    queue.push(...staticImports(bytes.get(f)!.toString('utf8')));
  }
  if (initial.size === 0) throw new Error(`no module script found in ${join(dir, 'index.html')}`);

  const sum = (names: Iterable<string>, size: (b: Buffer) => number) =>
    [...names].reduce((s, f) => s + size(bytes.get(f)!), 0);
  const initialGz = sum(initial, gz);
  const fig: Record<string, number | string> = {
    'bundle.initial_js_chunks': initial.size,
    'bundle.initial_js_kb': kb(sum(initial, (b) => b.length)),
    'bundle.initial_js_gzip_kb': `${kb(initialGz)}  (target ≤ ${INITIAL_GZIP_TARGET_KB}: ${
      kb(initialGz) <= INITIAL_GZIP_TARGET_KB ? 'met' : 'missed'
    })`,
    'bundle.total_js_chunks': js.length,
    'bundle.total_js_kb': kb(sum(js, (b) => b.length)),
    'bundle.total_js_gzip_kb': kb(sum(js, gz)),
  };
  const other = files.filter((f) => f.endsWith('.css') || f.endsWith('.wasm'));
  const chunks = [...js].sort((a, b) => bytes.get(b)!.length - bytes.get(a)!.length);
  for (const f of [...chunks, ...other]) {
    const b = bytes.get(f)!;
    // Content hashes change with every edit: name a chunk without its hash.
    const name = f.replace(/-[\w-]{8}(\.\w+)$/, '$1');
    const when = f.endsWith('.js') ? (initial.has(f) ? 'initial' : 'lazy') : 'fetched';
    fig[`bundle.file ${name}`] = `${kb(b.length)} KB, gzip ${kb(gz(b))} KB (${when})`;
  }
  return fig;
}

export async function benchBundle(): Promise<Record<string, number | string>> {
  return bundleSizes();
}

// `node --import tsx bench/bundle.ts <renderer dir>`: the sizes of any build.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  for (const [k, v] of Object.entries(bundleSizes(process.argv[2]))) console.log(`${k.padEnd(48)} ${v}`);
}
