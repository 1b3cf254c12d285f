/**
 * A seeded generator of values from the contract's zod schemas, for fuzzing the boundary:
 * it walks a schema's definition (objects, unions, enums, arrays, records, bounds from the
 * checks) and builds a value, taking extreme values often (the bounds themselves, empty and
 * longest strings, the prototype names). What it builds may still fail a refinement or a
 * regex: the tests ask the schema itself whether a value is valid.
 */
import type { z } from 'zod';

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names that are properties of every plain object, or set its prototype. */
export const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const WORDS = [
  'server',
  'client',
  'client2',
  'x',
  's1',
  'c1',
  '127.0.0.1',
  '::1',
  'localhost',
  '0.0.0.0',
  '8.8.8.8',
  '[::ffff:127.0.0.1]',
  '127.255.255.255',
];

/** Longest string the generator builds (long enough to matter, short enough to be quick). */
const LONG = 70_000;

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
/**
 * A schema's bounds: `minimum`, `maximum` (lengths of strings and arrays, values of numbers),
 * `int`. zod 4 keeps them in the checks of the definition (its `bag` stays empty here, so an
 * earlier version of this file read no bound at all and built every bounded number out of range).
 */
function bagOf(s: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...((s as { _zod: { bag?: object } })._zod.bag ?? {}) };
  const checks = (defOf(s).checks ?? []) as { _zod: { def: Record<string, unknown> } }[];
  for (const { _zod } of checks) {
    const c = _zod.def;
    const step = c.inclusive === false ? 1 : 0;
    if (c.check === 'min_length') out.minimum = c.minimum;
    else if (c.check === 'max_length') out.maximum = c.maximum;
    else if (c.check === 'greater_than') out.minimum = (c.value as number) + step;
    else if (c.check === 'less_than') out.maximum = (c.value as number) - step;
    else if (c.check === 'number_format' && c.format === 'safeint') out.int = true;
  }
  return out;
}

/** A generator over `seed`. */
export class SchemaFuzzer {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** A value for `schema`, `depth` levels deep at most. */
  value(schema: z.ZodType, depth = 0): unknown {
    const d = defOf(schema);
    const bag = bagOf(schema);
    switch (d.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) {
          const inner = defOf(v).type;
          if ((inner === 'optional' || inner === 'default') && this.next() < 0.4) continue;
          out[k] = this.value(v, depth + 1);
        }
        return out;
      }
      case 'optional':
      case 'default':
      case 'nullable':
        if (d.type === 'nullable' && this.next() < 0.2) return null;
        return this.value(d.innerType as z.ZodType, depth);
      case 'pipe':
        // A check of the raw input piped into the real schema (ownRecord): build for the latter.
        return this.value((defOf(d.in).type === 'unknown' ? d.out : d.in) as z.ZodType, depth);
      case 'lazy':
        return this.value((d.getter as () => z.ZodType)(), depth);
      case 'union':
        return this.value(this.pick(d.options as z.ZodType[]), depth);
      case 'enum':
        return this.pick(Object.values(d.entries as Record<string, unknown>));
      case 'literal':
        return this.pick(d.values as unknown[]);
      case 'boolean':
        return this.next() < 0.5;
      case 'number':
        return this.number(bag);
      case 'string':
        return this.string(bag);
      case 'array': {
        const min = Number(bag.minimum ?? 0);
        const max = Math.max(min, Math.min(Number(bag.maximum ?? 8), depth > 3 ? 1 : 8));
        const n = this.next() < 0.1 ? max : min + this.int(max - min + 1);
        return Array.from({ length: n }, () => this.value(d.element as z.ZodType, depth + 1));
      }
      case 'record': {
        const out: Record<string, unknown> = Object.create(null);
        const n = this.int(4);
        for (let i = 0; i < n; i++) out[this.key()] = this.value(d.valueType as z.ZodType, depth + 1);
        return out;
      }
      default:
        return null;
    }
  }

  number(bag: Record<string, unknown>): number {
    const min = typeof bag.minimum === 'number' ? bag.minimum : -1e9;
    const max = typeof bag.maximum === 'number' ? bag.maximum : 1e9;
    const r = this.next();
    if (r < 0.25) return min;
    if (r < 0.5) return max;
    if (r < 0.55) return this.pick([0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308]);
    if (r < 0.6 && bag.int) return min + this.next() * Math.min(max - min, 70_000);
    return Math.round(min + this.next() * Math.min(max - min, 70_000));
  }

  string(bag: Record<string, unknown>): string {
    const max = typeof bag.maximum === 'number' ? bag.maximum : LONG;
    const r = this.next();
    if (r < 0.35) return this.key();
    if (r < 0.45) return this.pick(WORDS);
    if (r < 0.5) return '';
    if (r < 0.55) return '服'.repeat(Math.min(max, LONG));
    if (r < 0.6) return 'a'.repeat(Math.min(max, LONG));
    return `v${this.int(1e6)}`.slice(0, Math.max(1, max));
  }

  /** A name: often one of the prototype names, else a short identifier. */
  key(): string {
    return this.next() < 0.4
      ? this.pick(PROTO_NAMES)
      : this.pick(['server', 'client', 'fd', 'port', 'a', 'client-3', 'PORT']);
  }

  /** `v` made wrong in one place: a key added or removed, a leaf of the wrong type, … */
  mutate(v: unknown, depth = 0): unknown {
    const r = this.next();
    if (typeof v !== 'object' || v === null || depth > 4 || r < 0.15) {
      return this.pick([null, true, -1, 1e300, 'x', '', [], {}, [[[]]], { __proto__: 1 }, 'constructor']);
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return [this.mutate(null)];
      const i = this.int(v.length);
      return v.map((x, j) => (j === i ? this.mutate(x, depth + 1) : x));
    }
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    if (r < 0.35 || keys.length === 0) {
      // defineProperty: an own "__proto__" key, as JSON.parse makes it (assignment would set the prototype).
      Object.defineProperty(o, this.key() + (this.next() < 0.5 ? '' : 'X'), {
        value: this.mutate(null),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else if (r < 0.5) delete o[this.pick(keys)];
    else {
      const k = this.pick(keys);
      o[k] = this.mutate(o[k], depth + 1);
    }
    return o;
  }
}
