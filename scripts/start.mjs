#!/usr/bin/env node
/* global process, console */
/**
 * `npm start`: the desktop app. Builds if needed, then launches Electron on this folder.
 * Where no Electron binary can be had (its download host is out of reach on some machines),
 * it says so in one line and serves the same lab in browser mode instead.
 *
 * The binary is looked for, never fetched: electron's own index.js would try a download on
 * first use (and hang or fail slowly where the host is unreachable), so this script reads
 * the package's path.txt and checks the file itself. ELECTRON_OVERRIDE_DIST_PATH, the
 * electron package's own variable, points at a local Electron.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureBuilt, root, runWeb } from './web.mjs';

/** A launch that fails this soon (bad binary, missing libraries, no display) falls back to browser mode. */
const EARLY_FAILURE_MS = 5000;

/** The executable inside an Electron dist folder, as electron/install.js names it. */
function platformPath() {
  switch (process.platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** The Electron binary, or { missing } saying where it was looked for. */
export function findElectron() {
  const require = createRequire(import.meta.url);
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : platformPath();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, 'dist');
  const bin = join(dist, rel);
  return existsSync(bin) ? { bin } : { missing: `no binary at ${bin}` };
}

function fallBack(why) {
  console.log(`Electron is not available on this machine (${why}); serving the lab in browser mode instead.`);
  ensureBuilt('renderer');
  runWeb();
}

const found = findElectron();
if ('missing' in found) {
  fallBack(`${found.missing}; set ELECTRON_OVERRIDE_DIST_PATH to use a local Electron`);
} else {
  ensureBuilt('all');
  const started = Date.now();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node
  const child = spawn(found.bin, ['.'], { cwd: root, stdio: 'inherit', env });
  let settled = false;
  child.once('error', (err) => {
    settled = true;
    fallBack(`${found.bin} cannot be started: ${err.message}`);
  });
  child.once('exit', (code, signal) => {
    if (settled) return;
    settled = true;
    if (code !== 0 && signal === null && Date.now() - started < EARLY_FAILURE_MS) {
      fallBack(`Electron exited with code ${code} right after starting`);
    } else {
      process.exit(code ?? 0);
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
