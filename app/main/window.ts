/**
 * The lab window and the locks around it: a sandboxed, isolated renderer without Node, a
 * strict Content-Security-Policy on every response, no navigation (of the page or of any
 * frame in it), no new windows, no webviews, no permissions (camera, notifications, …) and no
 * devices (HID, serial, USB, Bluetooth, screen capture): the lab needs none.
 */
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type App, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../host/csp';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE } from './window-state';

/** What createMainWindow needs. */
export interface MainWindowOptions {
  /** Absolute path of the preload script (CommonJS). */
  preload: string;
  /** Size and position to open with (from window-state.ts); centred when x/y are absent. */
  bounds?: { x?: number; y?: number; width: number; height: number };
  /** Allow the developer tools (development builds only). */
  devTools?: boolean;
  /** Window icon (Linux and Windows; macOS takes the bundle's). */
  icon?: string;
}

/** The window's webPreferences: exported so tests (and reviewers) see them in one place. */
export function secureWebPreferences(preload: string, devTools = false): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

/** Create the lab window (hidden until its first paint, to avoid a white flash). */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...(opts.bounds ?? DEFAULT_WINDOW_SIZE),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'TCP Lab',
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: secureWebPreferences(opts.preload, opts.devTools ?? false),
  });
  setupNavigationGuards(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}

/**
 * Deny every navigation away from the page, every window.open and every <webview>. The lab
 * is one page; a link that tried to leave would be a bug or an attack.
 */
export function setupNavigationGuards(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  // will-navigate is for the main frame only; an iframe's navigation comes here.
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  // A page asking for a Bluetooth device: choose none.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Put the guards on every webContents the app ever creates, not only the one we made. */
export function setupWebContentsGuards(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => setupNavigationGuards(contents));
}

/**
 * Deny all permission requests and checks, and add the CSP header to every response.
 * `devUrl` (the electron-vite dev server) also needs its HMR WebSocket and injected styles.
 */
export function setupSessionSecurity(ses: Session, devUrl: string | null = null): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Devices: no permission, and when a page asks to choose one, none is chosen.
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.setBluetoothPairingHandler?.((_details, callback) => callback({ confirmed: false }));
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  const csp = devUrl
    ? contentSecurityPolicy({ connect: [new URL(devUrl).origin.replace(/^http/, 'ws')], inlineStyles: true })
    : contentSecurityPolicy();
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * Which URLs are our page: the built index.html (any query or hash), or, in development, any
 * page of the dev server's origin.
 */
export function rendererUrlCheck(indexFile: string, devUrl: string | null = null): (url: string) => boolean {
  const fileUrl = pathToFileURL(indexFile).href;
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin !== null && u.origin === devOrigin) return true;
    return u.protocol === 'file:' && `${u.protocol}//${u.host}${u.pathname}` === fileUrl;
  };
}
