/**
 * The system-call layer for this platform: Linux (run and tested), macOS and Windows
 * (written from their headers, untested on a real machine). Loaded once per process; where
 * it cannot load, `loadSys()` says why in one line and the lab does not start an emulation.
 */
import { loadDarwin } from './darwin';
import { loadLinux } from './linux';
import { loadWin32 } from './win32';
import type { Sys, SysUnavailable } from './types';

export * from './types';

/** Each platform's layer, loaded once (tests ask for others than this process's). */
const cache = new Map<string, { ok: true; sys: Sys } | SysUnavailable>();

/** The system-call layer of this process's platform, or why there is none. */
export function loadSys(
  platform: NodeJS.Platform = process.platform,
): { ok: true; sys: Sys } | SysUnavailable {
  const known = cache.get(platform);
  if (known) return known;
  let cached: { ok: true; sys: Sys } | SysUnavailable;
  try {
    if (platform === 'linux') cached = { ok: true, sys: loadLinux() };
    // Written from the headers, never run on a Mac or a Windows machine.
    else if (platform === 'darwin') cached = { ok: true, sys: loadDarwin() };
    else if (platform === 'win32') cached = { ok: true, sys: loadWin32() };
    else cached = { ok: false, reason: `the lab's system-call layer has no implementation for ${platform}` };
  } catch (err) {
    cached = {
      ok: false,
      reason: `the C library could not be loaded through koffi: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  cache.set(platform, cached);
  return cached;
}

/** The layer, or an Error saying why it is missing. */
export function requireSys(): Sys {
  const s = loadSys();
  if (!s.ok) throw new Error(s.reason);
  return s.sys;
}
