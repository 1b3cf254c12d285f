/**
 * The window as the window benchmarks (bundle, paint, frames) measure it: built once per
 * `npm run bench` by electron-vite with the project's own config into a folder of the bench's
 * own (not out/, which the end-to-end tests of other work may be reading), and served by a
 * real lab in browser mode on 127.0.0.1. The folder is removed when the process exits.
 * TCPLAB_BENCH_RENDERER=<dir> measures a renderer built elsewhere instead (nothing is built).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Lab } from '../app/core/lab';
import { startWebServer } from '../app/web/server';
import { ROOT } from '../test/e2e/helpers/build';

let built: string | null = null;

/** The renderer's folder (index.html, assets/), built on first use. */
export function benchRenderer(): string {
  if (process.env.TCPLAB_BENCH_RENDERER) return resolve(process.env.TCPLAB_BENCH_RENDERER);
  if (built) return built;
  const out = mkdtempSync(join(os.tmpdir(), 'tcplab-bench-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  try {
    execFileSync(
      resolve(ROOT, 'node_modules', '.bin', 'electron-vite'),
      ['build', '-c', 'electron.config.ts', '--outDir', out],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 },
    );
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    const said = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim().split('\n').slice(-5);
    throw new Error(`the window's build failed: ${said.join(' | ') || e.message}`, { cause: err });
  }
  built = join(out, 'renderer');
  return built;
}

/** A lab behind browser mode's server, serving the bench's renderer. */
export async function benchLabWeb(): Promise<{ lab: Lab; url: string; close(): Promise<void> }> {
  const rendererDir = benchRenderer();
  const lab = await Lab.create();
  try {
    const server = await startWebServer({ lab, rendererDir });
    return {
      lab,
      url: server.url,
      async close() {
        await server.close();
        await lab.dispose();
      },
    };
  } catch (err) {
    await lab.dispose();
    throw err;
  }
}
