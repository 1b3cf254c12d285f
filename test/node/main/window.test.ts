/**
 * The window's locks with a mocked electron module: secure webPreferences, navigation, new
 * windows and webviews denied, permissions denied, the CSP on every response, and which URLs
 * count as our page.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, FakeWebContents, resetElectronMock, session } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));
const { createMainWindow, rendererUrlCheck, setupSessionSecurity, setupWebContentsGuards } =
  await import('../../../app/main/window');

beforeEach(() => resetElectronMock());

function preventable() {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  return e;
}

describe('the window', () => {
  it('isolates the page: contextIsolation, sandbox, no Node, webSecurity, no webviews', () => {
    const win = createMainWindow({ preload: '/app/out/preload/index.cjs' }) as unknown as BrowserWindow;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('denies navigation, redirects, webviews and window.open', () => {
    const win = createMainWindow({ preload: '/p.cjs' }) as unknown as BrowserWindow;
    const wc = win.webContents;
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = preventable();
      wc.emit(name, e, 'https://evil.example/');
      expect(e.defaultPrevented, name).toBe(true);
    }
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const bt = preventable();
    const chosen: string[] = [];
    wc.emit('select-bluetooth-device', bt, [{ deviceId: 'd1' }], (id: string) => chosen.push(id));
    expect(bt.defaultPrevented).toBe(true);
    expect(chosen).toEqual(['']);
  });

  it('puts the same guards on every webContents the app creates', () => {
    setupWebContentsGuards(app as never);
    const wc = new FakeWebContents();
    app.emit('web-contents-created', {}, wc);
    const e = preventable();
    wc.emit('will-navigate', e, 'https://evil.example/');
    expect(e.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'x' })).toEqual({ action: 'deny' });
  });
});

describe('the session', () => {
  it('denies every permission request and check', () => {
    setupSessionSecurity(session.defaultSession as never);
    const granted: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal']) {
      session.defaultSession.permissionRequestHandler!({}, p, (g) => granted.push(g));
    }
    expect(granted).toEqual([false, false, false, false]);
    expect(session.defaultSession.permissionCheckHandler!({}, 'media', 'file://')).toBe(false);
  });

  it('grants no device and chooses none when a page asks for one', () => {
    setupSessionSecurity(session.defaultSession as never);
    const ses = session.defaultSession;
    expect(ses.devicePermissionHandler!({ deviceType: 'hid' })).toBe(false);
    const picks: unknown[] = [];
    for (const [name, args] of [
      ['select-hid-device', [{ deviceList: [{ deviceId: 'h' }] }]],
      ['select-serial-port', [[{ portId: 'p' }], {}]],
      ['select-usb-device', [{ deviceList: [{ deviceId: 'u' }] }]],
    ] as const) {
      const e = preventable();
      ses.emit(name, e, ...args, (id?: string) => picks.push(id));
      expect(e.defaultPrevented, name).toBe(true);
    }
    expect(picks).toEqual([undefined, '', undefined]);
    ses.bluetoothPairingHandler!({}, (r) => picks.push(r));
    ses.displayMediaHandler!({}, (r) => picks.push(r));
    expect(picks.slice(3)).toEqual([{ confirmed: false }, {}]);
  });

  it('adds a strict CSP to every response, keeping the other headers', () => {
    setupSessionSecurity(session.defaultSession as never);
    let out: Record<string, string[]> | undefined;
    session.defaultSession.headersListener!(
      { responseHeaders: { 'X-Other': ['1'] } },
      (r) => (out = r.responseHeaders),
    );
    expect(out?.['X-Other']).toEqual(['1']);
    const csp = out?.['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    // WebAssembly may compile (the window's C parser); JavaScript eval and inline code may not.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe');
  });

  it('in development allows the dev server HMR socket and its injected styles only', () => {
    setupSessionSecurity(session.defaultSession as never, 'http://localhost:5173/');
    let out: Record<string, string[]> | undefined;
    session.defaultSession.headersListener!({}, (r) => (out = r.responseHeaders));
    const csp = out?.['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
  });
});

describe('rendererUrlCheck', () => {
  it('accepts the built index.html only, or the dev server origin in development', () => {
    const ours = rendererUrlCheck('/opt/tcp lab/out/renderer/index.html');
    expect(ours('file:///opt/tcp%20lab/out/renderer/index.html')).toBe(true);
    expect(ours('file:///opt/tcp%20lab/out/renderer/index.html?x=1#lesson')).toBe(true);
    expect(ours('file:///opt/tcp%20lab/out/renderer/other.html')).toBe(false);
    expect(ours('file:///etc/passwd')).toBe(false);
    expect(ours('https://evil.example/')).toBe(false);
    expect(ours('not a url')).toBe(false);
    const dev = rendererUrlCheck('/x/index.html', 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
  });
});
