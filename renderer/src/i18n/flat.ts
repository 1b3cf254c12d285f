/** One language's catalogs made flat, each under its namespace (i18n/index.ts, i18n/zh.ts). */

/** The entries of `parts`, each key under its prefix; a key given twice is a mistake. */
export function flatCatalog(...parts: [prefix: string, entries: Readonly<object>][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prefix, entries] of parts)
    for (const [k, v] of Object.entries(entries)) {
      if (Object.hasOwn(out, prefix + k)) throw new Error(`i18n: ${prefix + k} is defined twice`);
      out[prefix + k] = v as string;
    }
  return out;
}
