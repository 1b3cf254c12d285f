/**
 * A cheap estimate of an event's size: about the length of its JSON, without building it.
 * The event log bounds its memory with it, and both bridges cut the history and every batch
 * into messages of at most MAX_MESSAGE_ESTIMATE (a JSON string built in one piece can pass
 * V8's largest string, and one huge message stalls every other client of the server).
 *
 * Strings count their characters (their length is known without reading them), numbers 8,
 * and every key its length plus the quotes and colon: a walk over the event's few fields.
 */

/** The most a history part or an event batch holds, by {@link estimateBytes}. */
export const MAX_MESSAGE_ESTIMATE = 1024 * 1024;

/** About how many bytes `v` takes as JSON (walks objects and arrays, never a string's text). */
export function estimateBytes(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return v.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    case 'object': {
      if (v === null) return 4;
      if (Array.isArray(v)) {
        let n = 2;
        for (const x of v) n += estimateBytes(x) + 1;
        return n;
      }
      let n = 2;
      // for…in, not Object.entries: no array per object (events are plain objects).
      for (const k in v) n += k.length + 4 + estimateBytes((v as Record<string, unknown>)[k]);
      return n;
    }
    default:
      return 0;
  }
}

/**
 * Cut `items` into parts of at most `maxCount` items and about `maxBytes` (an item bigger than
 * that goes alone). `size` gives each item's estimate (from its index, where the caller has
 * them already); parts keep the items' order.
 */
export function* chunkBySize<T>(
  items: readonly T[],
  maxCount: number,
  maxBytes: number,
  size: (x: T, i: number) => number = estimateBytes,
): Generator<T[]> {
  let part: T[] = [];
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    const n = size(x, i);
    if (part.length > 0 && (part.length >= maxCount || bytes + n > maxBytes)) {
      yield part;
      part = [];
      bytes = 0;
    }
    part.push(x);
    bytes += n;
  }
  if (part.length > 0) yield part;
}
