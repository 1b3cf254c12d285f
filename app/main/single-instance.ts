/**
 * One TCP Lab at a time. Two labs would fight over the same lesson ports and window state,
 * so a second launch hands over to the first (which comes to the front) and quits.
 */
import type { App, BrowserWindow } from 'electron';

/** The parts of Electron's `app` this module uses. */
export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>;

/**
 * Take the single-instance lock. Returns true in the first instance, which then hears of
 * every later launch through `onSecond` (with that launch's command line and working
 * directory). Returns false in a later instance, after asking it to quit: the caller must
 * then create no window.
 */
export function ensureSingleInstance(
  app: SingleInstanceApp,
  onSecond: (argv: string[], workingDirectory: string) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => onSecond(argv, workingDirectory));
  return true;
}

/** The parts of a BrowserWindow focusWindow uses. */
export type FocusableWindow = Pick<
  BrowserWindow,
  'isDestroyed' | 'isMinimized' | 'restore' | 'isVisible' | 'show' | 'focus'
>;

/** Bring a window to the front: restore it if minimised, show it if hidden, focus it. */
export function focusWindow(win: FocusableWindow | null | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
