/**
 * The main process's features, one `setupX()` each, and `startApp`, which calls them in
 * order once Electron is ready: session locks, the lab, the window, IPC, the menu, and the
 * lifecycle rule that closing the window or quitting closes every socket.
 */
import { app, session, type BrowserWindow } from 'electron';
import { languageOf, MENU_CHANNEL } from '../contract/shortcuts';
import { Lab } from '../core/lab';
import type { LabPort } from '../host/event-pump';
import { send, setupLabIpc } from './ipc';
import { setupMenu } from './menu';
import { preloadPath, rendererIndexPath, resourcePath } from './paths';
import { loadWindowState, trackWindowState } from './window-state';
import { createMainWindow, rendererUrlCheck, setupSessionSecurity } from './window';

/** How long quitting waits for the lab to close its sockets before quitting anyway. */
export const DISPOSE_TIMEOUT_MS = 5000;

/** Collaborators of startApp; the defaults are the real ones (tests pass their own). */
export interface StartOptions {
  createLab?: () => Promise<LabPort>;
  /** The electron-vite dev server URL (development only); null loads the built page. */
  devUrl?: string | null;
}

/** What startApp made. */
export interface RunningApp {
  win: BrowserWindow;
  lab: LabPort;
  /** Dispose the lab and the IPC bridge (what closing the window does). */
  dispose(): Promise<void>;
}

/**
 * Closing the window disposes the lab; the last window closing quits the app (a lab without
 * its window has nothing to do, on macOS too); quitting waits for the lab to close every
 * socket, at most DISPOSE_TIMEOUT_MS.
 */
export function setupLabLifecycle(win: BrowserWindow, dispose: () => Promise<void>): void {
  win.on('closed', () => void dispose());
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return; // the second before-quit, from our own app.quit() below
    quitting = true;
    event.preventDefault();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref());
    void Promise.race([dispose().catch(() => undefined), timeout]).then(() => app.quit());
  });
}

/** Start the lab and its window. Call after `app.whenReady()`. */
export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const devUrl = opts.devUrl === undefined ? defaultDevUrl() : opts.devUrl;
  setupSessionSecurity(session.defaultSession, devUrl);

  const lab = await (
    opts.createLab ??
    (() =>
      Lab.create({
        capture: true,
        trace: true,
        ...(app.isPackaged ? { programsDir: resourcePath('programs') } : {}),
      }))
  )();
  const state = loadWindowState();
  const win = createMainWindow({
    preload: preloadPath(),
    bounds:
      state.x !== undefined && state.y !== undefined
        ? { x: state.x, y: state.y, width: state.width, height: state.height }
        : { width: state.width, height: state.height },
    devTools: !app.isPackaged,
    icon: resourcePath('icons', 'icon-512.png'),
  });
  if (state.maximized) win.maximize();
  trackWindowState(win);

  const menu = setupMenu({
    send: (action) => send(win.webContents, MENU_CHANNEL, action),
    language: languageOf(app.getLocale()),
    devTools: !app.isPackaged,
  });
  const ipc = setupLabIpc({
    win,
    lab,
    isOurUrl: rendererUrlCheck(rendererIndexPath(), devUrl),
    onPrefs: (p) => {
      menu.setLanguage(p.language);
      menu.setTheme(p.theme);
    },
  });

  let disposing: Promise<void> | null = null;
  const dispose = (): Promise<void> =>
    (disposing ??= (async () => {
      ipc.dispose();
      await lab.dispose();
    })());
  setupLabLifecycle(win, dispose);

  if (devUrl) await win.loadURL(devUrl);
  else await win.loadFile(rendererIndexPath());
  return { win, lab, dispose };
}

/** electron-vite sets ELECTRON_RENDERER_URL under `electron-vite dev`; never in a package. */
function defaultDevUrl(): string | null {
  const url = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && url ? url : null;
}
