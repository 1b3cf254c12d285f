/**
 * Lookups by a key that may come from outside (a lesson, a trace, a page, a C source): on a
 * plain object, `obj[key]` with key "constructor", "toString" or "__proto__" finds
 * Object.prototype's member instead of nothing. The lint rule `lab/no-outside-key-lookup`
 * (eslint-rules/) refuses such lookups unless they go through one of these, a Map, or an
 * `Object.hasOwn` guard.
 */

/**
 * The record's own value at `key`, or undefined: never a member of Object.prototype. The `in`
 * first is for Vue: its reactive proxy tracks `in` (a key added later updates what read it),
 * not Object.hasOwn.
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  // eslint-disable-next-line lab/no-outside-key-lookup -- the `in` only tracks; Object.hasOwn decides
  return key in record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A record without a prototype (made by `dict()`): `d[key]` finds only what was put in it.
 * The brand is a type only, what the lint rule recognises; it is never a property at run time.
 * Never make one reactive (Vue): the proxy answers `hasOwnProperty` with its own function
 * whatever the prototype; a reactive record is read with `own()`.
 */
export type Dict<V> = { [key: string]: V } & { readonly __nullPrototype?: never };

/** A new empty Dict (`Object.create(null)`), optionally filled from `from`'s own entries. */
export function dict<V>(from?: Readonly<Record<string, V>>): Dict<V> {
  const d = Object.create(null) as Dict<V>;
  if (from) for (const [k, v] of Object.entries(from)) d[k] = v;
  return d;
}
