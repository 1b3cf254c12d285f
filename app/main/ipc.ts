/**
 * The only place the main process touches IPC. Typed `handle` / `send` wrappers over the
 * channel maps below (GitHub Desktop's ipc-main / ipc-webcontents habit), and
 * `setupLabIpc`, which connects one window to the lab:
 * - every invoke is checked to come from our window's main frame showing our own page, and
 *   its payload is validated against the contract (parseCommand); anything else is answered
 *   `{ ok: false, error }`, never thrown across the boundary;
 * - events are held until the window invokes `lab:ready`, answered with the first part of the
 *   history; the window invokes `lab:history` for each next part while `more` (a structured
 *   clone of the whole history in one answer could take more memory than the machine has);
 *   then events are sent in batches on `lab:events`.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC, parseCommand, type CommandResult, type HistoryPart, type LabEvent } from '../contract';
import { PrefsSchema, type MenuAction, type Prefs } from '../contract/menu';
import { MENU_CHANNEL, PREFS_CHANNEL } from '../contract/shortcuts';
import { EventPump, type LabPort } from '../host/event-pump';

/** Request/response channels (renderer → main, `ipcRenderer.invoke`). */
export interface InvokeChannels {
  [IPC.command]: { args: [command: unknown]; result: CommandResult };
  [IPC.ready]: { args: []; result: HistoryPart };
  [IPC.history]: { args: []; result: HistoryPart };
  [PREFS_CHANNEL]: { args: [prefs: unknown]; result: { ok: true } | { ok: false; error: string } };
}

/** One-way channels (main → renderer, `webContents.send`). */
export interface SendChannels {
  [IPC.events]: LabEvent[];
  [MENU_CHANNEL]: MenuAction;
}

/** Decides whether an invoke comes from a sender we trust; returns why not, or null. */
export type SenderCheck = (event: IpcMainInvokeEvent) => string | null;

/**
 * Register the handler of one invoke channel. The sender is checked first; a refused sender
 * or a handler that throws gets `fail(error)` as the answer. Returns the unregister function.
 * Arguments arrive as `unknown` from the other side: the handler must validate them.
 */
export function handle<C extends keyof InvokeChannels>(
  channel: C,
  check: SenderCheck,
  fn: (...args: InvokeChannels[C]['args']) => Promise<InvokeChannels[C]['result']>,
  fail: (error: string) => InvokeChannels[C]['result'],
): () => void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const refused = check(event);
    if (refused !== null) return fail(`refused: ${refused}`);
    try {
      // The arguments' types in the map are all `unknown`: nothing is assumed of them here.
      return await fn(...(args as InvokeChannels[C]['args']));
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  });
  return () => ipcMain.removeHandler(channel);
}

/** Send one message on a one-way channel; does nothing once the window is gone. */
export function send<C extends keyof SendChannels>(
  contents: WebContents,
  channel: C,
  payload: SendChannels[C],
): void {
  if (contents.isDestroyed()) return;
  contents.send(channel, payload);
}

/**
 * The sender check for one window: the invoke must come from that window's webContents, from
 * its top frame (not an iframe), while it shows a page `isOurUrl` accepts.
 */
export function windowSenderCheck(win: BrowserWindow, isOurUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    if (win.isDestroyed() || event.sender.id !== win.webContents.id) return 'not the lab window';
    const frame = event.senderFrame;
    // senderFrame is null when the frame has navigated away or been destroyed meanwhile.
    if (!frame) return 'the sending frame is gone';
    if (frame.parent !== null) return 'not the main frame';
    if (!isOurUrl(frame.url)) return `not our page (${frame.url})`;
    return null;
  };
}

/** What setupLabIpc needs. */
export interface LabIpcOptions {
  win: BrowserWindow;
  lab: LabPort;
  /** Whether a URL is our renderer page (the built index.html, or the dev server). */
  isOurUrl: (url: string) => boolean;
  /** The window changed its language or theme (validated): the menu follows. */
  onPrefs?: (prefs: Prefs) => void;
}

/** The handle setupLabIpc returns. */
export interface LabIpc {
  /** Unregister the handlers and stop sending events. Idempotent. */
  dispose(): void;
}

/** Connect the window to the lab over IPC (see the module comment). */
export function setupLabIpc({ win, lab, isOurUrl, onPrefs }: LabIpcOptions): LabIpc {
  const check = windowSenderCheck(win, isOurUrl);
  const contents = win.webContents;
  const pump = new EventPump(lab, (batch) => send(contents, IPC.events, batch));

  const offCommand = handle(
    IPC.command,
    check,
    async (input) => {
      const parsed = parseCommand(input);
      if (!parsed.ok) return parsed;
      const result = await lab.handle(parsed.command);
      // Events the command caused go out before its answer, as in browser mode.
      pump.flush();
      return result;
    },
    (error) => ({ ok: false, error }),
  );
  // ready and history have no error shape: a refused sender learns nothing, an empty history.
  const nothing = (): HistoryPart => ({ events: [], more: false });
  const offReady = handle(
    IPC.ready,
    check,
    async () => {
      pump.ready();
      return pump.historyPart();
    },
    nothing,
  );
  const offHistory = handle(IPC.history, check, async () => pump.historyPart(), nothing);

  const offPrefs = handle(
    PREFS_CHANNEL,
    check,
    async (input) => {
      const parsed = PrefsSchema.safeParse(input);
      if (!parsed.success)
        return { ok: false as const, error: 'invalid preferences: expected { language, theme }' };
      onPrefs?.(parsed.data);
      return { ok: true as const };
    },
    (error) => ({ ok: false as const, error }),
  );

  // A reload or a crashed renderer starts a new page: hold events until it is ready again.
  const hold = (): void => pump.stop();
  contents.on('did-start-loading', hold);
  contents.on('render-process-gone', hold);

  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      offCommand();
      offReady();
      offHistory();
      offPrefs();
      pump.close();
      if (!contents.isDestroyed()) {
        contents.removeListener('did-start-loading', hold);
        contents.removeListener('render-process-gone', hold);
      }
    },
  };
}
