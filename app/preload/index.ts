/**
 * The preload: the window's only door to the main process. It exposes `window.tcpLab`, the
 * LabApi of app/contract/api.ts and nothing else, and `window.tcpLabMenu`, which forwards the
 * application menu's actions. Never ipcRenderer itself, and callbacks never see the IPC event
 * (it carries `sender`, a way back into IPC).
 *
 * A sandboxed preload can require only `electron` and a few Node built-ins, so this file
 * imports types only from the contract (which pulls in zod): the channel names are spelled
 * here, and test/node/main/preload.test.ts checks they match the contract's.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandResult, HistoryPart, LabApi, LabEvent } from '../contract';
import type { MenuAction, Prefs } from '../contract/menu';

/** IPC channel names, equal to IPC in app/contract/api.ts and MENU_CHANNEL in shortcuts.ts. */
export const CHANNELS = {
  command: 'lab:command',
  ready: 'lab:ready',
  history: 'lab:history',
  events: 'lab:events',
  menu: 'lab:menu',
  prefs: 'lab:prefs',
} as const;

/** What the menu bridge offers the window. */
export interface MenuBridge {
  /** Subscribe to application-menu actions; returns the unsubscribe function. */
  onAction(cb: (action: MenuAction) => void): () => void;
  /** Tell the menu the window's language and theme (main validates them). */
  setPrefs(prefs: Prefs): Promise<void>;
}

/** Subscribe to a one-way channel, handing the callback the payload only. */
function listen<T>(channel: string, cb: (payload: T) => void): () => void {
  const listener = (_event: IpcRendererEvent, payload: T): void => cb(payload);
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

/** A history part from main, checked for its shape (the events themselves are main's). */
function asPart(v: unknown): HistoryPart {
  const p = v as Partial<HistoryPart> | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.events) || typeof p.more !== 'boolean')
    throw new Error('an answer that is not a part of the history');
  return { events: p.events, more: p.more };
}

/** The window's LabApi over IPC. */
export const labApi: LabApi = {
  async command(cmd): Promise<CommandResult> {
    try {
      return (await ipcRenderer.invoke(CHANNELS.command, cmd)) as CommandResult;
    } catch (err) {
      // The contract promises command never rejects (e.g. a payload that cannot be cloned).
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  },
  async ready(): Promise<LabEvent[]> {
    // The history comes in parts (app/main/ipc.ts): the first answers ready, the others
    // answer history while `more`. Like command, a failed invoke (or an answer of the wrong
    // shape) is caught here: the window gets an Error with a plain message, never the IPC's.
    const events: LabEvent[] = [];
    try {
      let part = asPart(await ipcRenderer.invoke(CHANNELS.ready));
      for (;;) {
        for (const e of part.events) events.push(e);
        if (!part.more) return events;
        part = asPart(await ipcRenderer.invoke(CHANNELS.history));
      }
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`the lab did not send its history: ${why}`, { cause: err });
    }
  },
  onEvents: (cb) => listen<LabEvent[]>(CHANNELS.events, cb),
};

/** The menu bridge over IPC. */
export const menuBridge: MenuBridge = {
  onAction: (cb) => listen<MenuAction>(CHANNELS.menu, cb),
  async setPrefs(prefs) {
    await ipcRenderer.invoke(CHANNELS.prefs, prefs).catch(() => undefined);
  },
};

contextBridge.exposeInMainWorld('tcpLab', labApi);
contextBridge.exposeInMainWorld('tcpLabMenu', menuBridge);
