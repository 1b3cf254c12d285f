/**
 * Where the app finds its files, in development and in an installed package.
 *
 * The packaged layout (build/electron-builder.config.ts):
 * - `out/**` (main, preload, renderer) is inside app.asar, found from app.getAppPath();
 * - `resources/lessons`, `resources/programs` and `resources/icons` are shipped as extraResources, outside the
 *   asar, as `<process.resourcesPath>/lessons`, `…/programs` and `…/icons`, so
 *   teachers can read (and replace) the lesson files of an installed lab.
 * In development `app.getAppPath()` is the repository root and resources are in `resources/`.
 */
import { join } from 'node:path';
import { app } from 'electron';

/** Paths inside the app (relative to app.getAppPath()) that the main process loads. */
export const APP_FILES = {
  /** The preload script (CommonJS: a sandboxed preload must be). */
  preload: 'out/preload/index.cjs',
  /** The window's page. */
  rendererIndex: 'out/renderer/index.html',
} as const;

/** Folders under resources/ the app reads at run time; each is shipped as an extraResource. */
export const RESOURCE_DIRS = ['lessons', 'programs', 'icons'] as const;

/** What resolvePaths needs to know about the running app. */
export interface AppLocation {
  /** app.isPackaged */
  isPackaged: boolean;
  /** process.resourcesPath (packaged apps only) */
  resourcesPath: string;
  /** app.getAppPath(): the asar when packaged, the repository root in development */
  appPath: string;
}

/** A path under the shipped resources, for a given app location (pure, for tests). */
export function resolveResource(loc: AppLocation, ...parts: string[]): string {
  return loc.isPackaged ? join(loc.resourcesPath, ...parts) : join(loc.appPath, 'resources', ...parts);
}

function here(): AppLocation {
  return { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() };
}

/** A path under the shipped resources: `resourcePath('lessons')`, `resourcePath('icons', 'icon.png')`. */
export function resourcePath(...parts: string[]): string {
  return resolveResource(here(), ...parts);
}

/** Absolute path of the preload script. */
export function preloadPath(): string {
  return join(app.getAppPath(), APP_FILES.preload);
}

/** Absolute path of the window's index.html (loaded with loadFile when there is no dev server). */
export function rendererIndexPath(): string {
  return join(app.getAppPath(), APP_FILES.rendererIndex);
}
