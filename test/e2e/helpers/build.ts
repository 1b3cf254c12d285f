/**
 * The built renderer for end-to-end tests: out/renderer, built once by electron-vite when it
 * is missing (scripts/test.sh builds before the tests, so CI never pays twice). Set
 * TCPLAB_E2E_REBUILD=1 to build again after changing the window.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** Where electron-vite puts the renderer. */
export const RENDERER_DIR = resolve(ROOT, 'out', 'renderer');

let built = false;

/** Build the renderer unless it is there already; returns its directory. */
export function ensureRendererBuilt(): string {
  const want = process.env.TCPLAB_E2E_REBUILD === '1' && !built;
  if (want || !existsSync(resolve(RENDERER_DIR, 'index.html'))) {
    execFileSync(
      resolve(ROOT, 'node_modules', '.bin', 'electron-vite'),
      ['build', '-c', 'electron.config.ts'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 300_000,
      },
    );
    built = true;
  }
  return RENDERER_DIR;
}
