/**
 * How often the editor's current-line mark follows the actor. During a transfer the actor goes
 * in and out of a call on one line every frame: each change of the mark is an editor update,
 * and an update reads the DOM selection, which makes the browser lay the page out there and
 * then. A person cannot see a mark that flips 60 times a second, so while only its kind
 * (next / blocked) or read-only changes, the mark follows at most every MARK_EVERY_MS, and
 * always ends on the latest; a move to another line (a step) shows at once.
 */

/** What the mark shows: the line, its kind, and whether the text is read-only. */
export interface MarkState<K extends string = string> {
  line: number | null;
  kind: K;
  readOnly: boolean;
}

/** The least time between two marks on the same line, in ms. */
export const MARK_EVERY_MS = 150;

/** What markPace gives back. */
export interface MarkPace<K extends string> {
  /** The actor is now at `m`; `moved`: on another line than before. */
  set(m: MarkState<K>, moved: boolean): void;
  /** Drop a mark still waiting (the editor is gone). */
  stop(): void;
}

/**
 * Paces `apply` (which draws a mark, scrolling to it when `moved`).
 *
 * @param now the clock, in ms
 */
export function markPace<K extends string>(
  apply: (m: MarkState<K>, moved: boolean) => void,
  now: () => number = () => performance.now(),
  every = MARK_EVERY_MS,
): MarkPace<K> {
  let last = -Infinity;
  let timer: ReturnType<typeof globalThis.setTimeout> | null = null;
  let waiting: MarkState<K> | null = null;
  const stop = () => {
    if (timer) globalThis.clearTimeout(timer);
    timer = null;
    waiting = null;
  };
  const draw = (m: MarkState<K>, moved: boolean) => {
    last = now();
    apply(m, moved);
  };
  return {
    set(m, moved) {
      const wait = last + every - now();
      if (moved || (wait <= 0 && !timer)) {
        // The latest state, drawn now, is also what a waiting mark would have drawn.
        stop();
        draw(m, moved);
        return;
      }
      waiting = m;
      timer ??= globalThis.setTimeout(
        () => {
          timer = null;
          const w = waiting;
          waiting = null;
          if (w) draw(w, false);
        },
        Math.max(0, wait),
      );
    },
    stop,
  };
}
