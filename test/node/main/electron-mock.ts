/**
 * A stand-in for the `electron` module, shared by the main-process and preload tests
 * (fiddle's tests/setup.ts habit): `require('electron')` from plain Node tries to download
 * the binary, so tests use `vi.mock('electron', () => import('./electron-mock'))`.
 *
 * Only what app/main and app/preload use, behaving as Electron documents it: ipcMain.handle
 * refuses a second handler for a channel, windows emit 'closed', webContents have ids and a
 * main frame, and so on. `resetElectronMock()` before each test.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** A frame as IPC events report it (WebFrameMain). */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextId = 1;

/** webContents: events, a main frame, send(), the window-open handler. */
export class FakeWebContents extends EventEmitter {
  id = nextId++;
  destroyed = false;
  mainFrame: FakeFrame = { url: 'about:blank', parent: null };
  send = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn;
  }
}

/** BrowserWindow: keeps its options; close() emits 'close', 'closed', then the app's 'window-all-closed'. */
export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  webContents = new FakeWebContents();
  destroyed = false;
  loaded: string | null = null;
  constructor(public options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = file;
    this.webContents.mainFrame.url = 'file://' + file;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
    this.webContents.mainFrame.url = url;
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    // As Electron does: the last window closing tells the app.
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
  show = vi.fn();
  focus = vi.fn();
  maximize = vi.fn();
  restore = vi.fn();
  isMinimized = (): boolean => false;
  isMaximized = (): boolean => false;
  isFullScreen = (): boolean => false;
  isVisible = (): boolean => true;
  getNormalBounds = (): { x: number; y: number; width: number; height: number } => ({
    x: 0,
    y: 0,
    width: 1280,
    height: 800,
  });
}

const handlers = new Map<string, Handler>();

/** ipcMain: one handler per channel, as Electron enforces. */
export const ipcMain = {
  handle: vi.fn((channel: string, fn: Handler) => {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => {
    handlers.delete(channel);
  }),
};

/** Call a registered handler as ipcRenderer.invoke would, with the given event. */
export async function invokeMain(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
  const h = handlers.get(channel);
  if (!h) throw new Error(`No handler registered for '${channel}'`);
  return await h(event, ...args);
}

/** Whether a handler is registered on `channel`. */
export function hasHandler(channel: string): boolean {
  return handlers.has(channel);
}

/** app: an event emitter with the calls the main process makes. */
class FakeApp extends EventEmitter {
  isPackaged = false;
  userData = mkdtempSync(join(tmpdir(), 'tcplab-electron-mock-'));
  quit = vi.fn(() => {
    // Electron emits before-quit; a listener may preventDefault.
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted = true;
  });
  quitted = false;
  exit = vi.fn();
  whenReady = vi.fn(async () => undefined);
  getAppPath = vi.fn(() => '/opt/tcp-lab');
  getLocale = vi.fn(() => 'en-US');
  getPath = vi.fn((_name: string) => this.userData);
  requestSingleInstanceLock = vi.fn(() => true);
}
export const app = new FakeApp();

type PermissionRequestHandler = (
  wc: unknown,
  permission: string,
  callback: (granted: boolean) => void,
) => void;
type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (r: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

/** session.defaultSession, remembering the handlers set on it. */
class FakeSession extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: ((...a: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...a: unknown[]) => boolean) | null = null;
  bluetoothPairingHandler: ((d: unknown, cb: (r: { confirmed: boolean }) => void) => void) | null = null;
  displayMediaHandler: ((req: unknown, cb: (streams: object) => void) => void) | null = null;
  headersListener: HeadersListener | null = null;
  setPermissionRequestHandler(fn: PermissionRequestHandler) {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: (...a: unknown[]) => boolean) {
    this.permissionCheckHandler = fn;
  }
  setDevicePermissionHandler(fn: (...a: unknown[]) => boolean) {
    this.devicePermissionHandler = fn;
  }
  setBluetoothPairingHandler(fn: FakeSession['bluetoothPairingHandler']) {
    this.bluetoothPairingHandler = fn;
  }
  setDisplayMediaRequestHandler(fn: FakeSession['displayMediaHandler']) {
    this.displayMediaHandler = fn;
  }
  webRequest = {
    onHeadersReceived: (fn: HeadersListener) => {
      this.headersListener = fn;
    },
  };
}

export const session = {
  defaultSession: new FakeSession(),
};

/** Menu: records the installed template. */
export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

/** screen: one 1920×1080 display. */
export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

/** contextBridge: records what the preload exposes, by key. */
export const exposed: Record<string, unknown> = {};
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposed[key] = api;
  }),
};

/** ipcRenderer: listeners by channel, invoke recorded (answers set by the test). */
class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined);
}
export const ipcRenderer = new FakeIpcRenderer();

/** Put every shared mock back as new. */
export function resetElectronMock(): void {
  handlers.clear();
  BrowserWindow.instances = [];
  app.removeAllListeners();
  app.quitted = false;
  app.quit.mockClear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockReset();
  ipcRenderer.invoke.mockImplementation(async () => undefined);
  contextBridge.exposeInMainWorld.mockClear();
  for (const k of Object.keys(exposed)) delete exposed[k];
  session.defaultSession = new FakeSession();
  Menu.setApplicationMenu.mockClear();
}

export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, session, Menu, screen };
