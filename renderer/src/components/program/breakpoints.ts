/**
 * Breakpoints as the window keeps them: per actor, a list of 1-based line numbers, sorted,
 * without duplicates, within what the run command accepts (app/contract/schema.ts).
 */

/** Most breakpoints per actor (the run command's limit). */
export const MAX_BREAKPOINTS = 500;
/** Highest line a breakpoint may name (the run command's limit). */
export const MAX_BREAKPOINT_LINE = 100_000;

/** Lines sorted ascending, whole numbers within 1..MAX_BREAKPOINT_LINE, each once, at most MAX_BREAKPOINTS. */
export function normalizeLines(lines: Iterable<number>): number[] {
  const set = new Set<number>();
  for (const n of lines) if (Number.isInteger(n) && n >= 1 && n <= MAX_BREAKPOINT_LINE) set.add(n);
  return [...set].sort((a, b) => a - b).slice(0, MAX_BREAKPOINTS);
}

/** `lines` with `line` added, or removed if it was there. */
export function toggleLine(lines: readonly number[], line: number): number[] {
  return lines.includes(line) ? lines.filter((n) => n !== line) : normalizeLines([...lines, line]);
}

/** Lines past the end of a program of `count` lines dropped (a shorter program was loaded). */
export function withinProgram(lines: readonly number[], count: number): number[] {
  return lines.filter((n) => n <= count);
}
