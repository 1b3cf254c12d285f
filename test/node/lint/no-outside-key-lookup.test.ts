/**
 * The lint rule against lookups by an outside key on objects that inherit from
 * Object.prototype (eslint-rules/no-outside-key-lookup.js), with type information from a
 * small fixture project: what it must refuse and what it must let through.
 */
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import rule from '../../../eslint-rules/no-outside-key-lookup.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const filename = `${fixtures}/file.ts`;
const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixtures },
  },
});

const DICT = 'type Dict<V> = { [k: string]: V } & { readonly __nullPrototype?: never };\n';
const ok = (code: string) => ({ code, filename });
const bad = (code: string, ...messageIds: ('lookup' | 'inCheck')[]) => ({
  code,
  filename,
  errors: messageIds.map((messageId) => ({ messageId })),
});

tester.run('no-outside-key-lookup', rule, {
  valid: [
    // Keys the code chose: literals, numbers, literal unions, keyof, templates no proto name fits.
    ok('declare const r: Record<string, number>; r["a"]; r[`b`];'),
    ok('declare const a: number[]; declare const i: number; a[i];'),
    ok('declare const r: Record<"a" | "b", number>; declare const k: "a" | "b"; r[k];'),
    ok('function f<T extends object>(o: T, k: keyof T) { return o[k]; }'),
    ok('function f<T, K extends keyof T>(o: T, k: K) { return o[k]; }'),
    ok('declare const r: Record<string, number>; declare const id: `s${number}`; r[id];'),
    ok('declare const r: Record<string, number>; declare const f: `${string}.c`; r[f];'),
    ok('declare const r: Record<string, number>; declare const s: symbol; (r as any)[s];'),
    // Guarded by Object.hasOwn.
    ok('declare const r: Record<string, number>; declare const k: string; Object.hasOwn(r, k) && r[k];'),
    ok('declare const r: Record<string, number>; declare const k: string; Object.hasOwn(r, k) ? r[k] : 0;'),
    ok(
      'declare const r: Record<string, number>; declare const k: string; if (Object.hasOwn(r, k)) { r[k]; }',
    ),
    ok(
      'declare const r: Record<string, number>; declare const k: string; if (!Object.hasOwn(r, k)) {} else r[k];',
    ),
    ok(
      'function f(r: Record<string, number>, k: string) { if (!Object.hasOwn(r, k)) return 0; return r[k]; }',
    ),
    ok(
      'declare const r: Record<string, number>; declare const k: string; k !== "" && Object.hasOwn(r, k) && r[k];',
    ),
    ok(
      'declare const o: { p: Record<string, number> }; declare const k: string; Object.hasOwn(o.p, k) && o.p[k];',
    ),
    // The object's own keys.
    ok('declare const r: Record<string, number>; for (const k in r) r[k];'),
    ok('declare const r: Record<string, number>; for (const k of Object.keys(r)) r[k];'),
    ok('declare const r: Record<string, number>; for (const [k] of Object.entries(r)) r[k];'),
    // No prototype.
    ok('declare const k: string; const d: Record<string, number> = Object.create(null); d[k]; k in d;'),
    ok(
      'declare const k: string; const d: Record<string, number> = { __proto__: null, a: 1 } as never; d[k];',
    ),
    ok(`${DICT}declare const d: Dict<number>; declare const k: string; d[k]; k in d;`),
    ok(`${DICT}declare const d: Dict<number> | undefined; declare const k: string; d?.[k];`),
    // Writes are no lookups; `in` with a literal is a type test.
    ok('declare const r: Record<string, number>; declare const k: string; r[k] = 1; delete r[k];'),
    ok('declare const x: { a: 1 } | { b: 2 }; "a" in x;'),
    ok('declare const m: Map<string, number>; declare const k: string; m.get(k);'),
  ],
  invalid: [
    bad('declare const r: Record<string, number>; declare const k: string; r[k];', 'lookup'),
    bad('declare const r: { [k: string]: number }; declare const k: string; k in r;', 'inCheck'),
    bad('declare const r: Record<string, number>; declare const k: any; r[k];', 'lookup'),
    bad('declare const r: Record<string, number>; declare const k: `_${string}`; r[k];', 'lookup'),
    bad('declare const r: Record<string, number>; declare const k: "a" | "constructor"; r[k];', 'lookup'),
    bad('function f<K extends string>(r: Record<string, number>, k: K) { return r[k]; }', 'lookup'),
    bad('declare const r: Record<string, number>; declare const o: { k: string }; r[o.k];', 'lookup'),
    bad('declare const r: Record<string, number>; declare const k: string; r[k] += 1;', 'lookup'),
    bad(
      'declare const a: string[]; declare const k: string; (a as unknown as Record<string, 1>)[k];',
      'lookup',
    ),
    // A guard on another object or key, a negated guard, a guard that is only one side of ||.
    bad(
      'declare const r: Record<string, number>; declare const q: Record<string, number>; declare const k: string; Object.hasOwn(q, k) && r[k];',
      'lookup',
    ),
    bad(
      'declare const r: Record<string, number>; declare const k: string; declare const j: string; Object.hasOwn(r, j) && r[k];',
      'lookup',
    ),
    bad(
      'declare const r: Record<string, number>; declare const k: string; !Object.hasOwn(r, k) && r[k];',
      'lookup',
    ),
    bad(
      'declare const r: Record<string, number>; declare const k: string; (Object.hasOwn(r, k) || k) && r[k];',
      'lookup',
    ),
    bad(
      'declare const r: Record<string, number>; declare const k: string; if (Object.hasOwn(r, k)) {} else r[k];',
      'lookup',
    ),
    // An early exit that does not exit; a guard outside the function that reads later.
    bad(
      'function f(r: Record<string, number>, k: string) { if (!Object.hasOwn(r, k)) console.log(k); return r[k]; }',
      'lookup',
    ),
    bad(
      'declare const r: Record<string, number>; declare const k: string; if (Object.hasOwn(r, k)) setTimeout(() => r[k]);',
      'lookup',
    ),
    // Keys of another object; a record that has a prototype.
    bad(
      'declare const r: Record<string, number>; declare const q: Record<string, number>; for (const k in q) r[k];',
      'lookup',
    ),
    bad('declare const k: string; const d: Record<string, number> = Object.create({}); d[k];', 'lookup'),
    bad('declare const k: string; const d: Record<string, number> = {}; d[k]; k in d;', 'lookup', 'inCheck'),
  ],
});
