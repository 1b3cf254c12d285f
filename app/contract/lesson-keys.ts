/**
 * What a lesson file may write instead of a key it does not know: "unknown key "ack"; a
 * segmentSeen checkpoint takes: flags, not, from, …". The keys come from the schemas
 * themselves (one owner), found by the object's `kind` and where it stands in the file.
 */
import { CheckpointSchema, LessonActionSchema } from './lesson';

type Shaped = { shape?: Record<string, unknown> };
type Union = { options?: Shaped[] };

/** The options of a (lazy) discriminated union, by their `kind` literal. */
function optionsByKind(schema: unknown): Map<string, string[]> {
  const s = schema as { unwrap?: () => Union } & Union;
  const u = typeof s.unwrap === 'function' ? s.unwrap() : s;
  const out = new Map<string, string[]>();
  for (const o of u.options ?? []) {
    const shape = o.shape;
    if (!shape) continue;
    const kind = shape['kind'] as { value?: unknown; def?: { values?: unknown[] } } | undefined;
    const value = kind?.value ?? kind?.def?.values?.[0];
    if (typeof value === 'string')
      out.set(
        value,
        Object.keys(shape).filter((k) => k !== 'kind'),
      );
  }
  return out;
}

let checkpoints: Map<string, string[]> | null = null;
let actions: Map<string, string[]> | null = null;

/**
 * The keys an object of this kind takes, and what it is ("a segmentSeen checkpoint"), when
 * the object at `path` (the path of an unknown-key issue) is a checkpoint or an action.
 */
export function keysFor(
  root: unknown,
  path: readonly PropertyKey[],
): { what: string; keys: string[] } | null {
  let v: unknown = root;
  for (const p of path)
    v =
      v !== null && typeof v === 'object' && Object.hasOwn(v, p)
        ? (v as Record<PropertyKey, unknown>)[p]
        : undefined;
  const kind = v !== null && typeof v === 'object' ? (v as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string') return null;
  // steps.N.checkpoint(.of.M)* or steps.N.action(.of.M)*
  const where = path[2];
  if (where === 'checkpoint') {
    checkpoints ??= optionsByKind(CheckpointSchema);
    const keys = checkpoints.get(kind);
    return keys ? { what: `a ${kind} checkpoint`, keys } : null;
  }
  if (where === 'action') {
    actions ??= optionsByKind(LessonActionSchema);
    const keys = actions.get(kind);
    return keys ? { what: `a ${kind} action`, keys } : null;
  }
  return null;
}
