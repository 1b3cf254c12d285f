/**
 * The main process's life cycle with a mocked electron module and the real Lab: the window
 * loads our page and talks to the lab over IPC; closing the window or quitting closes every
 * socket (checked on the wire: the listening port refuses connections afterwards).
 */
import { connect } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC, type CommandResult, type HistoryPart } from '../../../app/contract';
import {
  app,
  hasHandler,
  invokeMain,
  Menu,
  resetElectronMock,
  session,
  type BrowserWindow,
} from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));
const { startApp } = await import('../../../app/main/app');

beforeEach(() => resetElectronMock());

/** Connect to 127.0.0.1:port; resolves 'connected' or the error code. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });
}

/** Start the app, run the server program until accept blocks, return the listening port. */
async function startWithListener() {
  const running = await startApp({ devUrl: null });
  const win = running.win as unknown as BrowserWindow;
  const ev = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  // The first part of the history (app/main/ipc.ts sends it in parts).
  const history = ((await invokeMain(IPC.ready, ev)) as HistoryPart).events;
  expect(history[0]?.type).toBe('lab.reset');
  const r = (await invokeMain(IPC.command, ev, { type: 'run', actor: 'server' })) as CommandResult;
  expect(r).toMatchObject({ ok: true, value: { status: 'blocked', reason: 'no-connection' } });
  const addr = running.lab
    .events()
    .findLast((e) => e.type === 'socket.address' && e.local !== null && e.remote === null);
  const port = addr?.type === 'socket.address' ? addr.local!.port : 0;
  expect(port).toBeGreaterThan(0);
  expect(await probe(port)).toBe('connected');
  return { running, win, port };
}

describe('startApp', () => {
  it('locks the session, loads the built page and installs the menu', async () => {
    const { running, win } = await startWithListener();
    expect(win.loaded).toBe('/opt/tcp-lab/out/renderer/index.html');
    expect((win.options.webPreferences as { preload: string }).preload).toBe(
      '/opt/tcp-lab/out/preload/index.cjs',
    );
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(session.defaultSession.headersListener).not.toBeNull();
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
    await running.dispose();
  });

  it('closes every socket when the window closes', async () => {
    const { win, port } = await startWithListener();
    win.close();
    await vi.waitFor(async () => expect(await probe(port)).toBe('ECONNREFUSED'));
    expect(hasHandler(IPC.command)).toBe(false);
    // The last window gone, the app quits.
    await vi.waitFor(() => expect(app.quitted).toBe(true));
  });

  it('holds quitting until the lab has closed its sockets', async () => {
    const { running, port } = await startWithListener();
    const dispose = vi.spyOn(running.lab, 'dispose');
    app.quit();
    // The first before-quit is held back while the lab closes.
    expect(dispose).toHaveBeenCalled();
    expect(app.quitted).toBe(false);
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(await probe(port)).toBe('ECONNREFUSED');
  });
});
