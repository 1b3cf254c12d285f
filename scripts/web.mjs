#!/usr/bin/env node
/* global process, console */
/**
 * `npm run web`: the lab in browser mode. Builds the renderer first when out/renderer is
 * missing or older than the sources, then runs app/web/cli.ts with tsx (the engine needs no
 * build: tsx compiles it on the fly). Also the library scripts/start.mjs uses for its own
 * build check and its browser-mode fallback.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What each build must contain, and the sources that feed it. */
const BUILDS = {
  // Browser mode needs only the window, which bundles the contract and nothing else of app/.
  renderer: {
    outputs: ['out/renderer/index.html'],
    sources: ['renderer', 'app/contract', 'electron.config.ts', 'package-lock.json'],
  },
  all: {
    outputs: ['out/renderer/index.html', 'out/main/index.js', 'out/preload/index.cjs'],
    sources: ['renderer', 'app', 'electron.config.ts', 'package-lock.json'],
  },
};

/** Newest modification time under `path` (a file or a directory tree), in ms. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    t = Math.max(t, newest(join(path, entry)));
  }
  return t;
}

/**
 * Build with electron-vite when an output is missing or older than the newest source.
 * `what`: 'renderer' (browser mode) or 'all' (Electron). Exits the process if the build fails.
 */
export function ensureBuilt(what = 'renderer') {
  // TCPLAB_NO_BUILD=1: use what is there (tests of these scripts, with TCPLAB_RENDERER_DIR).
  if (process.env.TCPLAB_NO_BUILD === '1') return;
  const outputs = BUILDS[what].outputs.map((p) => join(root, p));
  const built = outputs.every((p) => existsSync(p))
    ? Math.min(...outputs.map((p) => statSync(p).mtimeMs))
    : 0;
  const sources = Math.max(...BUILDS[what].sources.map((p) => newest(join(root, p))));
  if (built >= sources) return;
  console.log(built === 0 ? 'Building the lab (first run)…' : 'Sources changed: rebuilding the lab…');
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build', '-c', 'electron.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('The build failed (see above).');
    process.exit(r.status ?? 1);
  }
}

/**
 * Run browser mode in a child process and exit with its code. SIGINT and SIGTERM are passed
 * on (the lab closes its sockets before it exits).
 */
export function runWeb() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'app', 'web', 'cli.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureBuilt('renderer');
  runWeb();
}
