/**
 * The modules the window runs before its first paint (used by the window's build, which keeps
 * them in one chunk, and by test/node/window/startup-graph.test.ts, which checks that none
 * imports zod): the static imports of
 * renderer/src/main.ts, followed through the window's own files (`.ts`, and the
 * `<script>` of `.vue`) and the contract. Type-only imports and `import()` are not followed:
 * they load nothing at start-up. Packages are listed by the name imported (`zod`, `zod/mini`,
 * `vue`), not followed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
const ROOT = resolve(__dirname, '..');

const ALIASES: [string, string][] = [
  ['@contract', join(ROOT, 'app/contract')],
  ['@/', join(ROOT, 'renderer/src/')],
];

/** The script of a file: a `.vue` file's `<script>` blocks, a `.ts` file whole. */
function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** The specifiers a script imports for its values (not `import type`, not `import()`). */
export function valueImports(code: string): string[] {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c?.isTypeOnly) continue;
      // `import { type A, type B } from 'x'` loads nothing either (verbatim module syntax aside).
      const named = c?.namedBindings;
      if (c && !c.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly))
        continue;
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      const e = st.exportClause;
      if (e && ts.isNamedExports(e) && e.elements.length > 0 && e.elements.every((x) => x.isTypeOnly))
        continue;
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** A specifier as a file of the project, or null for a package (or a non-script: css, json, raw). */
function resolveLocal(spec: string, from: string): string | null {
  let base: string | null = null;
  for (const [alias, dir] of ALIASES)
    if (spec === alias || spec.startsWith(alias.endsWith('/') ? alias : `${alias}/`))
      base = join(dir, spec.slice(alias.length));
  if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  if (base === null) return null;
  for (const f of [base, `${base}.ts`, join(base, 'index.ts')])
    if (/\.(ts|vue)$/.test(f) && existsSync(f)) return f;
  return null;
}

/** Each start-up module (path from the project root) with the packages it imports. */
export function startupGraph(entry = join(ROOT, 'renderer/src/main.ts')): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    const key = relative(ROOT, file);
    if (seen.has(key)) continue;
    const packages: string[] = [];
    seen.set(key, packages);
    for (const spec of valueImports(scriptOf(file))) {
      const local = resolveLocal(spec, file);
      if (local) queue.push(local);
      else if (!spec.startsWith('.') && !spec.startsWith('@/') && !spec.startsWith('@contract'))
        packages.push(spec.split('?')[0]!);
    }
  }
  return seen;
}

/** The start-up modules as absolute paths (the ids the bundler gives them, less any `?query`). */
export function startupModules(entry?: string): Set<string> {
  return new Set([...startupGraph(entry).keys()].map((f) => join(ROOT, f)));
}

// `node --import tsx build/startup-graph.ts`: which start-up modules import what.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  for (const [f, p] of startupGraph())
    if (p.some((x) => x === 'zod' || x.startsWith('zod/'))) console.log(f, p.join(' '));
}
