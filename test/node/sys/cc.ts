/**
 * A C compiler for the header cross-checks: compiles a small program and runs it (gcc, for
 * this machine's headers), or only compiles it (a cross-compiler's headers, checked with
 * _Static_assert). Returns null where the compiler is not installed, so tests can skip and say so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `compiler` runs here. */
export function hasCompiler(compiler: string): boolean {
  return spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Compiles `source` with `compiler` and returns the program's stdout, or null without the compiler. */
export function compileAndRun(source: string, compiler = 'gcc'): string | null {
  if (!hasCompiler(compiler)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-cc-'));
  try {
    writeFileSync(join(dir, 'prog.c'), source);
    execFileSync(compiler, ['-std=gnu11', '-Wall', '-o', join(dir, 'prog'), join(dir, 'prog.c')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return execFileSync(join(dir, 'prog'), { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compiles `source` without linking; returns the compiler's diagnostics ('' when it compiled),
 * or null without the compiler. A failed _Static_assert shows in the diagnostics.
 */
export function compileOnly(source: string, compiler: string): string | null {
  if (!hasCompiler(compiler)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-cc-'));
  try {
    writeFileSync(join(dir, 'check.c'), source);
    const r = spawnSync(compiler, ['-std=gnu11', '-fsyntax-only', join(dir, 'check.c')], {
      encoding: 'utf8',
    });
    return r.status === 0 ? '' : `${r.stderr}${r.stdout}` || `exit ${r.status}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
