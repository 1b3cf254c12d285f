/**
 * The lab window's size and position, remembered between runs in userData/window-state.json.
 *
 * Written atomically (a temporary file renamed over the old one), so a crash mid-write
 * leaves the old state, never half a file. A damaged or hand-edited file is ignored with a
 * log line. A window saved on a display that is gone (a projector unplugged after class)
 * is brought back onto a visible display.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';

/** What is remembered of the window. */
export interface WindowState {
  /** Position; absent: let the system centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  /** The window was maximised when it was last closed. */
  maximized: boolean;
}

/** Where the state lives and how displays are found; the defaults use Electron. */
export interface WindowStateOptions {
  /** The state file; default `<userData>/window-state.json`. */
  file?: string;
  /** Work areas of the connected displays; default from Electron's screen module. */
  workAreas?: () => Rectangle[];
  /** Size used when nothing valid is saved. */
  defaults?: { width: number; height: number };
  /** Where the "ignored a damaged file" line goes; default console.warn. */
  log?: (line: string) => void;
}

/** Default window size: room for client, ladder and server side by side. */
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
/** Smallest size restored; anything smaller is treated as damaged. */
export const MIN_WINDOW_SIZE = { width: 640, height: 420 } as const;
/** How much of the window (px each way) must lie on a display for the position to be kept. */
const VISIBLE_MARGIN = 100;
/** Wait this long after the last move or resize before writing. */
const SAVE_DELAY_MS = 500;

function stateFile(opts: WindowStateOptions): string {
  return opts.file ?? join(app.getPath('userData'), 'window-state.json');
}

function workAreas(opts: WindowStateOptions): Rectangle[] {
  return opts.workAreas ? opts.workAreas() : screen.getAllDisplays().map((d) => d.workArea);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Parse a saved state, or say what is wrong with it. */
function parseState(text: string): WindowState | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const r = raw as Record<string, unknown>;
  if (!isInt(r.width) || !isInt(r.height)) return 'width or height missing';
  if (r.width < MIN_WINDOW_SIZE.width || r.height < MIN_WINDOW_SIZE.height) return 'size too small';
  if (r.width > 32768 || r.height > 32768) return 'size too large';
  const hasPos = isInt(r.x) && isInt(r.y);
  return {
    ...(hasPos ? { x: r.x as number, y: r.y as number } : {}),
    width: r.width,
    height: r.height,
    maximized: r.maximized === true,
  };
}

/** Length of the overlap of [a, a+al) and [b, b+bl). */
function overlap(a: number, al: number, b: number, bl: number): number {
  return Math.max(0, Math.min(a + al, b + bl) - Math.max(a, b));
}

/**
 * Keep a state on screen: the position is kept only if a good piece of the window's top
 * (where the title bar is) lies on some display; the size is cut to the largest display.
 */
export function fitToDisplays(state: WindowState, areas: Rectangle[]): WindowState {
  if (areas.length === 0) return state;
  const maxW = Math.max(...areas.map((a) => a.width));
  const maxH = Math.max(...areas.map((a) => a.height));
  const width = Math.min(state.width, maxW);
  const height = Math.min(state.height, maxH);
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const visible = areas.some(
    (a) =>
      overlap(x, width, a.x, a.width) >= Math.min(VISIBLE_MARGIN, width) &&
      // the title bar: the window's top edge must be inside the display vertically
      y >= a.y &&
      y <= a.y + a.height - Math.min(VISIBLE_MARGIN, height) / 2,
  );
  return visible ? { ...fitted, x, y } : fitted;
}

/**
 * The state to open the window with: the saved one, put back on a visible display, or the
 * default size (centred) when there is no file or it is damaged.
 */
export function loadWindowState(opts: WindowStateOptions = {}): WindowState {
  const file = stateFile(opts);
  const fallback: WindowState = { ...(opts.defaults ?? DEFAULT_WINDOW_SIZE), maximized: false };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      (opts.log ?? console.warn)(
        `window-state: cannot read ${file} (${(err as Error).message}); using defaults`,
      );
    }
    return fitToDisplays(fallback, workAreas(opts));
  }
  const parsed = parseState(text);
  if (typeof parsed === 'string') {
    (opts.log ?? console.warn)(`window-state: ignoring damaged ${file} (${parsed}); using defaults`);
    return fitToDisplays(fallback, workAreas(opts));
  }
  return fitToDisplays(parsed, workAreas(opts));
}

/** Write the state atomically: a temporary file in the same directory, then rename. */
export function saveWindowState(state: WindowState, opts: WindowStateOptions = {}): void {
  const file = stateFile(opts);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', 'utf8');
  renameSync(tmp, file);
}

/** The handle trackWindowState returns. */
export interface WindowStateTracker {
  /** Write the current state now (also done on close). */
  flush(): void;
  /** Stop listening (the window's close does this too). */
  dispose(): void;
}

/** The parts of a BrowserWindow the tracker uses. */
export type TrackedWindow = Pick<
  BrowserWindow,
  'on' | 'removeListener' | 'getNormalBounds' | 'isMaximized' | 'isMinimized' | 'isFullScreen' | 'isDestroyed'
>;

/**
 * Remember `win`'s bounds: written shortly after each move or resize, and when it closes.
 * The normal (not maximised) bounds are kept, with a maximised flag, so un-maximising after
 * the next start returns to the size the user chose.
 */
export function trackWindowState(win: TrackedWindow, opts: WindowStateOptions = {}): WindowStateTracker {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const log = opts.log ?? console.warn;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    // A minimised or full-screen window says nothing useful about where to reopen.
    if (win.isMinimized() || win.isFullScreen()) return;
    const b = win.getNormalBounds();
    try {
      saveWindowState(
        { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() },
        opts,
      );
    } catch (err) {
      log(`window-state: cannot save (${(err as Error).message})`);
    }
  };
  const later = (): void => {
    if (disposed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, SAVE_DELAY_MS);
  };
  const onClose = (): void => {
    flush();
    dispose();
  };
  const events = ['resize', 'move', 'maximize', 'unmaximize'] as const;
  function dispose(): void {
    if (disposed) return;
    disposed = true;
    if (timer) clearTimeout(timer);
    timer = null;
    for (const e of events) win.removeListener(e as 'resize', later);
    win.removeListener('close', onClose);
  }
  for (const e of events) win.on(e as 'resize', later);
  win.on('close', onClose);
  return { flush, dispose };
}
