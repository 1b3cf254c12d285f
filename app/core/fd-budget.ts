/**
 * How many descriptors this process may still open: the soft RLIMIT_NOFILE less those open.
 * Whoever accepts connections from outside (browser mode's HTTP server; the engine's listeners
 * for peers outside the lab) refuses new ones while fewer than DESCRIPTOR_RESERVE are left, so
 * the window can always reach the lab and the lab can still read the kernel's tables
 * (issue 12: 250 idle peers made every later call fail with EMFILE until Reset).
 *
 * Linux reads /proc/self; elsewhere the figures are unknown (null) and only the callers' own
 * connection caps apply. The count is cached for CACHE_MS: a flood of connections costs one
 * directory read per tick, not one per connection.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free for the window and the lab itself. */
export const DESCRIPTOR_RESERVE = 64;

const CACHE_MS = 100;
let cached: { at: number; open: number | null } | null = null;
let limit: number | null | undefined;

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
  } catch {
    open = null;
  }
  cached = { at: now, open };
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
  return max - open;
}

/** Whether a new connection from outside may take a descriptor (the reserve stays free). */
export function mayAcceptOutside(reserve = DESCRIPTOR_RESERVE): boolean {
  const h = descriptorHeadroom();
  return h === null || h > reserve;
}
