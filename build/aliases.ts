/**
 * The window's import aliases, defined once for electron-vite (renderer) and vitest; the
 * same two are in tsconfig.web.json's `paths` for the type checker.
 * - `@contract` is app/contract, the one module the window shares with the engine.
 * - `@/` is renderer/src, the window's own root (the Vue convention).
 */
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export const windowAliases = {
  '@contract': resolve(ROOT, 'app/contract'),
  '@': resolve(ROOT, 'renderer/src'),
};
