/**
 * Static files of the built renderer (out/renderer) for browser mode: GET and HEAD only, no
 * path outside the root (no `..`, no encoded tricks, no symlink out), known content types,
 * plain 404s.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { own } from '../contract/own';

/** Content types of the files a Vite build produces. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Map a request path to a file under `root`, or null when it is not a safe path.
 * Pure apart from nothing: the file may still not exist.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed %-escape
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (!decoded.startsWith('/')) return null;
  // Refuse any `..` segment outright rather than normalising it away: a page never needs one.
  if (decoded.split('/').some((s) => s === '..')) return null;
  const rel = decoded.endsWith('/') ? decoded + 'index.html' : decoded;
  const base = resolve(root);
  const file = resolve(base, '.' + rel);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

/**
 * Answer one request from `root`. `headers` are added to every answer (the CSP and friends).
 * Never throws; answers 400, 404 or 405 as the case may be.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const send = (code: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(code, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(req.method === 'HEAD' ? undefined : text + '\n');
  };
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(405, 'method not allowed', { Allow: 'GET, HEAD' });
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  const file = resolveStaticPath(root, pathname);
  if (file === null) return send(400, 'bad path');
  try {
    // The real path must still be under the real root: a symlink must not lead out.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (realFile !== realRoot && !realFile.startsWith(realRoot + sep)) return send(404, 'not found');
    const st = await stat(realFile);
    if (!st.isFile()) return send(404, 'not found');
    const type = own(CONTENT_TYPES, extname(realFile).toLowerCase()) ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(st.size) });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(realFile);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  } catch {
    send(404, 'not found');
  }
}
