/**
 * The IPC adapter with a mocked electron module: only our window's main frame showing our
 * page is heard, payloads are validated (ok:false, lab unchanged), events wait for ready and
 * then arrive in order, a reload holds them again, dispose unregisters everything.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC, type HistoryPart, type LabEvent } from '../../../app/contract';
import type { LabPort } from '../../../app/host/event-pump';
import { Lab } from '../../../app/core/lab';
import { BrowserWindow, hasHandler, invokeMain, resetElectronMock, type FakeFrame } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));
const { setupLabIpc } = await import('../../../app/main/ipc');

const PAGE = 'file:///opt/tcp-lab/out/renderer/index.html';
let win: BrowserWindow;
let lab: LabPort;

/** An invoke event as Electron builds it for a frame of `win`. */
function from(w: BrowserWindow, frame: FakeFrame | null = w.webContents.mainFrame): unknown {
  return { sender: w.webContents, senderFrame: frame };
}

const socketCall = { type: 'call', actor: 'server', call: { call: 'socket', args: {} } };

beforeEach(async () => {
  resetElectronMock();
  win = new BrowserWindow({});
  await win.loadURL(PAGE);
  lab = await Lab.create();
  setupLabIpc({ win: win as never, lab, isOurUrl: (u) => u === PAGE });
});

afterEach(async () => {
  await lab.dispose();
});

describe('sender check', () => {
  it('answers a command from another window with ok:false and leaves the lab alone', async () => {
    const other = new BrowserWindow({});
    await other.loadURL(PAGE);
    const before = lab.events().length;
    const r = await invokeMain(IPC.command, from(other), socketCall);
    expect(r).toEqual({ ok: false, error: 'refused: not the lab window' });
    expect(lab.events().length).toBe(before);
  });

  it('refuses an iframe of our window, a foreign page, and a frame that is gone', async () => {
    const iframe: FakeFrame = { url: PAGE, parent: win.webContents.mainFrame };
    expect(await invokeMain(IPC.command, from(win, iframe), socketCall)).toEqual({
      ok: false,
      error: 'refused: not the main frame',
    });
    expect(await invokeMain(IPC.command, from(win, null), socketCall)).toMatchObject({ ok: false });
    await win.loadURL('https://evil.example/');
    expect(await invokeMain(IPC.command, from(win), socketCall)).toEqual({
      ok: false,
      error: 'refused: not our page (https://evil.example/)',
    });
    // A refused ready learns nothing of the lab.
    expect(await invokeMain(IPC.ready, from(win))).toEqual({ events: [], more: false });
    expect(await invokeMain(IPC.history, from(win))).toEqual({ events: [], more: false });
  });

  it('hears our own main frame', async () => {
    expect(await invokeMain(IPC.command, from(win), socketCall)).toMatchObject({ ok: true });
  });
});

describe('payload validation', () => {
  it.each([
    undefined,
    null,
    'reset',
    { type: 'explode' },
    {
      type: 'call',
      actor: 'server',
      call: { call: 'bind', args: { fd: 3, host: '127.0.0.1', port: 65536 } },
    },
    { type: 'step', actor: 'server', extra: 1 },
  ])('answers %j with ok:false and no event', async (payload) => {
    const before = lab.events().length;
    const r = (await invokeMain(IPC.command, from(win), payload)) as { ok: boolean; error?: string };
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^invalid command/);
    expect(lab.events().length).toBe(before);
  });
});

/** ready, then history while `more`, as the preload does. */
async function takeHistory(w: BrowserWindow): Promise<LabEvent[]> {
  const events: LabEvent[] = [];
  let part = (await invokeMain(IPC.ready, from(w))) as HistoryPart;
  for (;;) {
    events.push(...part.events);
    if (!part.more) return events;
    part = (await invokeMain(IPC.history, from(w))) as HistoryPart;
  }
}

describe('events', () => {
  const sentEvents = (): LabEvent[] =>
    win.webContents.send.mock.calls.filter((c) => c[0] === IPC.events).flatMap((c) => c[1] as LabEvent[]);

  it('holds events until ready, answers ready with the history, then streams in order', async () => {
    await invokeMain(IPC.command, from(win), socketCall);
    expect(win.webContents.send).not.toHaveBeenCalled();

    const history = await takeHistory(win);
    expect(history).toEqual(lab.events().slice(0, history.length));
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    const last = history.at(-1)!.seq;

    await invokeMain(IPC.command, from(win), socketCall);
    await invokeMain(IPC.command, from(win), socketCall);
    const streamed = sentEvents();
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.map((e) => e.seq)).toEqual(streamed.map((_, i) => last + 1 + i));
  });

  it('holds events again while the page reloads, until the new page is ready', async () => {
    await takeHistory(win);
    win.webContents.emit('did-start-loading');
    await invokeMain(IPC.command, from(win), socketCall);
    expect(sentEvents()).toEqual([]);
    const history = await takeHistory(win);
    expect(history.some((e) => e.type === 'call.returned' && e.call === 'socket')).toBe(true);
  });
});

describe('dispose', () => {
  it('unregisters the handlers and stops listening to the lab', async () => {
    resetElectronMock();
    const w = new BrowserWindow({});
    await w.loadURL(PAGE);
    // Count the lab subscriptions the adapter holds.
    let active = 0;
    const subscribe = lab.subscribe.bind(lab);
    lab.subscribe = (cb) => {
      active++;
      const off = subscribe(cb);
      return () => {
        active--;
        off();
      };
    };
    const ipc = setupLabIpc({ win: w as never, lab, isOurUrl: (u) => u === PAGE });
    await invokeMain(IPC.ready, from(w));
    expect(active).toBe(1);
    ipc.dispose();
    ipc.dispose();
    expect(active).toBe(0);
    expect(hasHandler(IPC.command)).toBe(false);
    expect(hasHandler(IPC.ready)).toBe(false);
  });
});

describe('window preferences for the menu', () => {
  it('passes valid preferences from our window on, refuses bad ones and foreign senders', async () => {
    const { PREFS_CHANNEL } = await import('../../../app/contract/shortcuts');
    resetElectronMock();
    const w = new BrowserWindow({});
    await w.loadURL(PAGE);
    const got: unknown[] = [];
    setupLabIpc({ win: w as never, lab, isOurUrl: (u) => u === PAGE, onPrefs: (p) => got.push(p) });
    expect(await invokeMain(PREFS_CHANNEL, from(w), { language: 'zh-CN', theme: 'dark' })).toEqual({
      ok: true,
    });
    expect(await invokeMain(PREFS_CHANNEL, from(w), { language: 'fr', theme: 'dark' })).toMatchObject({
      ok: false,
    });
    expect(await invokeMain(PREFS_CHANNEL, from(w), { language: 'en', theme: 'dark', x: 1 })).toMatchObject({
      ok: false,
    });
    const other = new BrowserWindow({});
    await other.loadURL(PAGE);
    expect(await invokeMain(PREFS_CHANNEL, from(other), { language: 'en', theme: 'light' })).toMatchObject({
      ok: false,
    });
    expect(got).toEqual([{ language: 'zh-CN', theme: 'dark' }]);
  });
});
