/**
 * A real packaging run: electron-builder `--dir` for Linux with this project's configuration,
 * into a temporary folder. The Electron binary cannot be downloaded here, so electronDist
 * (through ELECTRON_OVERRIDE_DIST_PATH, as build/electron-builder.config.ts reads it) points
 * at a stand-in: a small file carrying Electron's fuse wire. Everything else is the real
 * packager: the asar, the node_modules it picks, the extraResources, the fuses.
 *
 * Needs the electron-vite build (out/); scripts/test.sh builds before running vitest.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ app: {} }));

import { APP_FILES, RESOURCE_DIRS, resolveResource } from '../../../app/main/paths';

const root = resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);
const built =
  Object.values(APP_FILES).every((f) => existsSync(join(root, f))) &&
  existsSync(join(root, 'out/main/index.js'));
const work = mkdtempSync(join(tmpdir(), 'tcplab-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in Electron for Linux: an executable file with the fuse wire as Electron ships it. */
function fakeElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const bytes = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for Electron"\n'),
    Buffer.alloc(256),
    Buffer.from(SENTINEL),
    Buffer.from([1, 8]),
    Buffer.from('10110001'), // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocol
    Buffer.alloc(64),
  ]);
  writeFileSync(join(dir, 'electron'), bytes);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), '45.4.1');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env, timeout: 240_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) fail(new Error(`electron-builder failed: ${err.message}\n${stdout}\n${stderr}`));
        else done(stdout + stderr);
      },
    );
  });
}

describe('packaged app (electron-builder --dir, Linux)', () => {
  it.skipIf(!built || process.platform === 'win32')(
    'holds the build in app.asar, lessons and icons beside it, and the fuses flipped (needs out/ from `npm run build`)',
    async () => {
      const dist = join(work, 'electron');
      const output = join(work, 'dist');
      fakeElectron(dist);
      const cli = join(root, 'node_modules/electron-builder/cli.js');
      await run(
        [
          cli,
          '--dir',
          '--linux',
          '--x64',
          '--config',
          'build/electron-builder.config.ts',
          `-c.directories.output=${output}`,
        ],
        { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, CI: '1' },
      );
      const app = join(output, 'linux-unpacked');
      const resources = join(app, 'resources');

      // The app's code, its runtime dependencies and package.json are in the asar.
      const asar = require('@electron/asar') as { listPackage(p: string): string[] };
      const inAsar = new Set(
        asar.listPackage(join(resources, 'app.asar')).map((p) => p.replace(/\\/g, '/').replace(/^\//, '')),
      );
      for (const f of ['package.json', 'out/main/index.js', APP_FILES.preload, APP_FILES.rendererIndex]) {
        expect(inAsar.has(f), `${f} in app.asar`).toBe(true);
      }
      for (const dep of ['ws', 'zod']) expect(inAsar.has(`node_modules/${dep}/package.json`), dep).toBe(true);
      expect(
        [...inAsar].some((p) => p.startsWith('node_modules/electron/')),
        'electron npm package left out',
      ).toBe(false);
      expect(
        [...inAsar].some((p) => p.startsWith('node_modules/vitest/')),
        'dev dependencies left out',
      ).toBe(false);

      // Each resource folder is where resourcePath() looks for it, with every file.
      const loc = { isPackaged: true, resourcesPath: resources, appPath: join(resources, 'app.asar') };
      for (const dir of RESOURCE_DIRS) {
        const want = readdirSync(join(root, 'resources', dir)).sort();
        expect(readdirSync(resolveResource(loc, dir)).sort(), `resources/${dir}`).toEqual(want);
      }

      // The executable is named for the product, and its fuses are flipped.
      const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
      const wire = await getCurrentFuseWire(join(app, 'tcp-lab'));
      const on = '1'.charCodeAt(0);
      const off = '0'.charCodeAt(0);
      expect(wire[FuseV1Options.RunAsNode]).toBe(off);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    },
    240_000,
  );
});
