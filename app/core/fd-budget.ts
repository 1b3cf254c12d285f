/**
 * How many descriptors this process may still open: the soft RLIMIT_NOFILE less those open.
 * The lab keeps DESCRIPTOR_RESERVE of them free, so the window can always reach the lab and
 * the lab can still read the kernel's tables (issue 12: 250 idle peers made every later call
 * fail with EMFILE until Reset; a program's socket() loop under a limit of 300 took all 272
 * left, after which not even /proc/self/fd could be read):
 * - the engine's socket() and accept() (`reserveOne`) return -1 EMFILE before they would eat
 *   into the reserve; peers queued on a lab listener use no lab descriptor until accept();
 * - browser mode's HTTP server (`mayAcceptOutside`, app/web/connection-guard.ts) may use that
 *   reserve, all but its last TABLE_RESERVE: below it, it closes an idle connection or refuses
 *   the new one. (With one threshold for both, the page could not connect once a program had
 *   stopped at the reserve: measured in test/node/security/fd-reserve.test.ts.)
 *
 * Linux reads /proc/self; elsewhere the figures are unknown (null) and only the callers' own
 * caps apply (descriptors per actor, connections per server). The count is cached for
 * CACHE_MS, the descriptors granted since counted on top: a flood of calls costs one directory
 * read per tick, not one per call, and reads afresh only near the reserve.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors the lab's own socket() and accept() leave free, for the window and the lab. */
export const DESCRIPTOR_RESERVE = 64;
/** Descriptors even browser mode's connections leave free: the kernel's tables, files. */
export const TABLE_RESERVE = 16;

const CACHE_MS = 100;
let cached: { at: number; open: number | null } | null = null;
let limit: number | null | undefined;
/** Descriptors reserveOne() granted since the cached reading (not in it yet). */
let granted = 0;

/** The soft limit on open descriptors (RLIMIT_NOFILE), or null where it cannot be read. */
export function descriptorLimit(): number | null {
  if (limit !== undefined) return limit;
  limit = null;
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) limit = m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    // Not Linux, or /proc not mounted: unknown.
  }
  return limit;
}

/** Descriptors this process has open now (cached for CACHE_MS), or null where unknown. */
export function openDescriptors(now = performance.now()): number | null {
  if (cached && now - cached.at < CACHE_MS) return cached.open;
  let open: number | null;
  try {
    // One entry is the directory's own descriptor, open while it is read.
    open = readdirSync('/proc/self/fd').length - 1;
  } catch (err) {
    // Not even the directory could be opened: every descriptor is taken (or /proc is absent).
    const code = (err as { code?: string }).code;
    open = code === 'EMFILE' || code === 'ENFILE' ? descriptorLimit() : null;
  }
  cached = { at: now, open };
  granted = 0;
  return open;
}

/**
 * How many more descriptors may be opened before the limit, or null where unknown. Pass
 * `fresh` after closing or opening many at once (tests) to skip the cache.
 */
export function descriptorHeadroom(fresh = false): number | null {
  const max = descriptorLimit();
  if (fresh) cached = null;
  const open = openDescriptors();
  if (max === null || open === null) return null;
  return max - open - granted;
}

/** Whether a new connection to browser mode may take a descriptor (TABLE_RESERVE stays free). */
export function mayAcceptOutside(reserve = TABLE_RESERVE): boolean {
  const h = descriptorHeadroom();
  return h === null || h > reserve;
}

/**
 * One descriptor for the lab itself (socket(), accept()): null when it may be opened (counted
 * as granted until the next reading), or how many are left when opening it would leave fewer
 * than `reserve` free. Unknown figures allow it.
 */
export function reserveOne(reserve = DESCRIPTOR_RESERVE): number | null {
  let h = descriptorHeadroom();
  // Near the reserve, the cached reading and the count granted since are not good enough.
  if (h !== null && h <= 2 * reserve) h = descriptorHeadroom(true);
  if (h === null) return null;
  if (h <= reserve) return Math.max(0, h);
  granted++;
  return null;
}
