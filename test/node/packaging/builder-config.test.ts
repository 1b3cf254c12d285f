/**
 * The electron-builder configuration, checked three ways:
 * - electron-builder itself loads it (through its own loader, as `npm run dist` does) and
 *   validates it against its schema;
 * - the fuses it asks for are flipped, by electron-builder's own code path and
 *   @electron/fuses, in a stand-in binary carrying Electron's fuse wire;
 * - every file the packaged app resolves (main entry, preload, renderer page, each lesson
 *   and icon) is shipped by the `files` or `extraResources` globs, at the path
 *   app/main/paths.ts computes for a packaged app.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Configuration } from 'electron-builder';

vi.mock('electron', () => ({ app: {} }));

import { APP_FILES, RESOURCE_DIRS, resolveResource } from '../../../app/main/paths';

const root = resolve(__dirname, '../../..');
// electron-builder's internals (app-builder-lib, @electron/fuses) come with electron-builder.
const require = createRequire(import.meta.url);

/**
 * The configuration exactly as `npm run dist` gets it: loaded by electron-builder's own
 * loader (jiti) from build/electron-builder.config.ts. (The file is outside tsconfig's
 * include, so it is loaded here rather than imported.)
 */
let config: Configuration;
/** The `fuses` export of the same file. */
let fuses: unknown;
beforeAll(async () => {
  const { getConfig } = require('app-builder-lib/out/util/config/config.js');
  config = await getConfig(root, 'build/electron-builder.config.ts', null);
  const { createJiti } = require('jiti');
  fuses = (await createJiti(__filename).import(join(root, 'build/electron-builder.config.ts'))).fuses;
});

/** Every file under dir, as paths relative to dir with '/' separators. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p).map((f) => `${name}/${f}`) : [name];
  });
}

/** The `files` patterns for the app root (electron-builder normalises them to `{ filter }` entries). */
function filePatterns(): string[] {
  const files = (config.files ?? []) as (string | { from?: string; filter?: string | string[] })[];
  return files.flatMap((f) => (typeof f === 'string' ? [f] : f.from ? [] : [f.filter ?? []].flat()));
}

/** Whether electron-builder's `files` patterns take this app-relative path (later negations win). */
function inFiles(path: string): boolean {
  let taken = false;
  for (const pattern of filePatterns()) {
    if (pattern.startsWith('!')) {
      if (matchesGlob(path, pattern.slice(1))) taken = false;
    } else if (matchesGlob(path, pattern)) taken = true;
  }
  return taken;
}

/** Where an extraResources entry puts a repository file, relative to the resources dir; null if none takes it. */
function extraResourceDestination(repoPath: string): string | null {
  for (const entry of (config.extraResources ?? []) as { from: string; to: string; filter?: string[] }[]) {
    const rel = relative(entry.from, repoPath);
    if (rel.startsWith('..')) continue;
    const filters = entry.filter ?? ['**/*'];
    if (filters.some((f) => matchesGlob(rel, f))) return join(entry.to, rel);
  }
  return null;
}

describe('electron-builder configuration', () => {
  it('is loaded and accepted by electron-builder itself', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    expect(config.appId).toBe('org.tcplab.desktop');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the product and builds AppImage and deb, NSIS, dmg with the project icon', () => {
    expect(config.productName).toBe('TCP Lab');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(existsSync(join(root, String(icon))), String(icon)).toBe(true);
    }
    // The macOS entitlements exist and are a property list.
    expect(readFileSync(join(root, String(config.mac?.entitlements)), 'utf8')).toContain('<plist');
    expect(config.publish).toBeNull();
  });

  it('flips the fuses a shipped app needs, through electron-builder and @electron/fuses', async () => {
    expect(fuses).toBeDefined();
    expect(config.electronFuses).toEqual(fuses);
    const { PlatformPackager } = require('app-builder-lib');
    const { flipFuses, getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);

    // A stand-in Electron binary: the fuse sentinel, wire version 1, eight fuses set as
    // Electron ships them ('1' on, '0' off), with other bytes around it.
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    const shipped = '10110001';
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-fuses-'));
    const binary = join(dir, 'tcp-lab');
    try {
      writeFileSync(
        binary,
        Buffer.concat([
          Buffer.alloc(4096, 7),
          Buffer.from(SENTINEL),
          Buffer.from([1, 8]),
          Buffer.from(shipped),
          Buffer.alloc(512, 9),
        ]),
      );
      await flipFuses(binary, fuseConfig);
      const wire = await getCurrentFuseWire(binary);
      // A fuse is the byte '1' (on) or '0' (off).
      const on = '1'.charCodeAt(0);
      const off = '0'.charCodeAt(0);
      expect(wire[FuseV1Options.RunAsNode]).toBe(off);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // OnlyLoadAppFromAsar needs an asar to load from.
    expect(config.asar).toBe(true);
  });

  it('ships the main entry, the preload and the renderer page inside the app', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    for (const path of [pkg.main, APP_FILES.preload, APP_FILES.rendererIndex, 'package.json']) {
      expect(inFiles(path), `${path} is in build.files`).toBe(true);
    }
    expect(inFiles('out/main/index.js.map')).toBe(false);
    expect(inFiles('resources/lessons/01-server-setup.json')).toBe(false); // shipped beside the asar instead
  });

  it('agrees with electron-vite on where the preload and the page are built', () => {
    const vite = readFileSync(join(root, 'electron.config.ts'), 'utf8');
    expect(vite).toContain(`outDir: '${APP_FILES.preload.split('/').slice(0, 2).join('/')}'`);
    expect(vite).toContain(`entryFileNames: '[name].cjs'`);
    expect(vite).toContain(`outDir: '${APP_FILES.rendererIndex.split('/').slice(0, 2).join('/')}'`);
  });

  it.skipIf(!existsSync(join(root, 'out')))(
    'finds the preload and the page in the build output (after a build)',
    () => {
      for (const path of Object.values(APP_FILES)) expect(existsSync(join(root, path)), path).toBe(true);
    },
  );

  it('ships every lesson and icon where resourcePath() looks for it in a packaged app', () => {
    const packaged = {
      isPackaged: true,
      resourcesPath: '/opt/TCP Lab/resources',
      appPath: '/opt/TCP Lab/resources/app.asar',
    };
    let checked = 0;
    for (const dir of RESOURCE_DIRS) {
      const files = walk(join(root, 'resources', dir));
      expect(files.length, `resources/${dir} has files`).toBeGreaterThan(0);
      for (const file of files) {
        const dest = extraResourceDestination(`resources/${dir}/${file}`);
        expect(dest, `resources/${dir}/${file} is shipped`).not.toBeNull();
        expect(join(packaged.resourcesPath, dest ?? '')).toBe(
          resolveResource(packaged, dir, ...file.split('/')),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(4);
    // In development the same call reads the repository's resources/.
    expect(resolveResource({ isPackaged: false, resourcesPath: '', appPath: root }, 'lessons')).toBe(
      join(root, 'resources/lessons'),
    );
  });

  it('has the main process resolve only shipped resource folders', () => {
    // Every resourcePath('<dir>', …) call in the main process names a folder that is shipped.
    const mainDir = join(root, 'app/main');
    for (const file of walk(mainDir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(mainDir, file), 'utf8');
      for (const m of text.matchAll(/resourcePath\(\s*['"]([^'"]+)['"]/g)) {
        expect(RESOURCE_DIRS as readonly string[], `app/main/${file}: resourcePath('${m[1]}')`).toContain(
          m[1]?.split('/')[0],
        );
      }
    }
  });
});
