/**
 * Electron smoke test: the built app starts, its window shows the lab, the preload's API
 * reaches the real lab, and the page has no Node and cannot open windows. Runs wherever an
 * Electron binary is present (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH);
 * elsewhere it is skipped and says so plainly. Needs a build (scripts/test.sh makes one).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabApi, LabEvent } from '../../app/contract';

const root = resolve(import.meta.dirname, '..', '..');

/** The Electron binary, found the way scripts/start.mjs finds it (never downloading). */
function electronBinary(): string | null {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathTxt = join(pkgDir, 'path.txt');
  const platformPath =
    process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : process.platform === 'win32'
        ? 'electron.exe'
        : 'electron';
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : platformPath;
  const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, 'dist'), rel);
  return existsSync(bin) ? bin : null;
}

const bin = electronBinary();
if (!bin) console.log('Electron smoke test skipped: no Electron binary on this machine');

describe('Electron smoke test', () => {
  let appHandle: ElectronApplication | null = null;

  afterAll(async () => {
    await appHandle?.close();
  });

  it.skipIf(!bin)(
    'starts the window, reaches the real lab through the preload, and locks the page',
    async () => {
      expect(existsSync(join(root, 'out', 'main', 'index.js')), 'run the build first').toBe(true);
      const args = [root];
      // Containers and CI run as root without a user namespace sandbox.
      if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox');
      appHandle = await electron.launch({ executablePath: bin!, args, cwd: root, timeout: 60_000 });
      const page = await appHandle.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.title()).toBe('TCP Lab');

      // The preload exposes the LabApi and nothing of Node.
      const shape = await page.evaluate(() => ({
        api: Object.keys((globalThis as unknown as { tcpLab: object }).tcpLab).sort(),
        require: typeof (globalThis as unknown as { require?: unknown }).require,
        process: typeof (globalThis as unknown as { process?: unknown }).process,
      }));
      expect(shape).toEqual({
        api: ['command', 'onEvents', 'ready'],
        require: 'undefined',
        process: 'undefined',
      });

      // The real lab answers: its history starts with lab.reset and the two default actors.
      const history = await page.evaluate(() => (globalThis as unknown as { tcpLab: LabApi }).tcpLab.ready());
      expect(history[0]?.type).toBe('lab.reset');
      expect(
        history.filter((e: LabEvent) => e.type === 'actor.added').map((e) => (e as { actor: string }).actor),
      ).toEqual(['server', 'client']);
      const bad = await page.evaluate(() =>
        (globalThis as unknown as { tcpLab: LabApi }).tcpLab.command({ type: 'nonsense' } as never),
      );
      expect(bad.ok).toBe(false);

      // window.open is denied: no second window appears.
      expect(
        await page.evaluate(
          () => (globalThis as unknown as { open(u: string): unknown }).open('https://example.com/') === null,
        ),
      ).toBe(true);
      expect(appHandle.windows()).toHaveLength(1);
    },
  );
});
