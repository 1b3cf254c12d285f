/**
 * The LabApi over browser mode's WebSocket bridge (app/web/server.ts). Messages follow
 * app/contract/api.ts: the page sends `ready` and `command` (each with an id), the server
 * answers `history` (in parts, until one says `more: false`) and `reply` with the same id, and
 * pushes `events` batches. An `error` with an id answers that message.
 *
 * No reconnect: the lab lives in the server process; when the connection closes, pending
 * commands resolve with { ok: false }, a pending ready() rejects, and `onStatus` says
 * 'closed' so the window can tell the user.
 */
import { validators } from './validate';
import type { ClientMessage, Command, CommandResult, LabApi, LabEvent, ServerMessage } from '@contract';

/** Where the connection stands. */
export type WsStatus =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'closed'; reason: string }
  /** The server refused a message (a bug in the page: it is never the user's doing). */
  | { state: 'error'; reason: string };

/** The WebSocket constructor to use (the browser's; tests may pass another). */
export type WebSocketLike = typeof WebSocket;

/**
 * Open the bridge at `url` (`ws://127.0.0.1:PORT/ws`) with the page's token. Messages sent
 * before the socket opens wait for it.
 */
export function createWsApi(
  url: string,
  token: string,
  onStatus: (s: WsStatus) => void = () => {},
  WS: WebSocketLike = WebSocket,
): LabApi {
  const target = new URL(url);
  target.searchParams.set('token', token);
  const ws = new WS(target.href);
  let nextId = 1;
  let closedReason: string | null = null;
  const outbox: string[] = [];
  const replies = new Map<number, (r: CommandResult) => void>();
  /** Pending ready()s: the parts so far, and how to answer. */
  const histories = new Map<
    number,
    { events: LabEvent[]; resolve: (e: LabEvent[]) => void; reject: (err: Error) => void }
  >();
  const listeners = new Set<(events: LabEvent[]) => void>();

  onStatus({ state: 'connecting' });

  const post = (m: ClientMessage): void => {
    const text = JSON.stringify(m);
    if (ws.readyState === WS.OPEN) ws.send(text);
    else outbox.push(text);
  };

  ws.addEventListener('open', () => {
    onStatus({ state: 'open' });
    for (const text of outbox.splice(0)) ws.send(text);
  });

  ws.addEventListener('message', (ev: MessageEvent) => {
    let m: ServerMessage;
    try {
      m = JSON.parse(String(ev.data)) as ServerMessage;
    } catch {
      onStatus({ state: 'error', reason: 'the lab sent a message that is not JSON' });
      return;
    }
    switch (m.kind) {
      case 'reply': {
        replies.get(m.id)?.(m.result);
        replies.delete(m.id);
        break;
      }
      case 'history': {
        const h = histories.get(m.id);
        if (!h) break;
        // push one by one: a spread of a large part could pass the engine's argument limit.
        for (const e of m.events) h.events.push(e);
        if (m.more) break;
        histories.delete(m.id);
        h.resolve(h.events);
        break;
      }
      case 'events':
        for (const cb of listeners) cb(m.events);
        break;
      case 'error': {
        const h = m.id === undefined ? undefined : histories.get(m.id);
        const reply = m.id === undefined ? undefined : replies.get(m.id);
        if (h && m.id !== undefined) {
          histories.delete(m.id);
          h.reject(new Error(m.error));
        } else if (reply && m.id !== undefined) {
          replies.delete(m.id);
          reply({ ok: false, error: m.error });
        } else onStatus({ state: 'error', reason: m.error });
        break;
      }
    }
  });

  // A failed connection is followed by 'close', which reports it; nothing more to do here.
  ws.addEventListener('error', () => {});

  ws.addEventListener('close', (ev: CloseEvent) => {
    closedReason = ev.reason || `connection to the lab closed (code ${ev.code})`;
    for (const resolve of replies.values()) resolve({ ok: false, error: closedReason });
    replies.clear();
    for (const h of histories.values()) h.reject(new Error(closedReason));
    histories.clear();
    onStatus({ state: 'closed', reason: closedReason });
  });

  return {
    command(cmd: Command): Promise<CommandResult> {
      if (closedReason !== null) return Promise.resolve({ ok: false, error: closedReason });
      // The server answers a message that fails the schema with an error that carries no id,
      // which could not resolve this promise: check here first, with the same schema. The
      // checks wait on one promise (./validate.ts), so commands leave in the order given.
      return validators().then(
        ({ parseCommand }) => {
          if (closedReason !== null) return { ok: false, error: closedReason };
          const parsed = parseCommand(cmd);
          if (!parsed.ok) return parsed;
          const id = nextId++;
          return new Promise<CommandResult>((resolve) => {
            replies.set(id, resolve);
            post({ kind: 'command', id, command: cmd });
          });
        },
        (err: unknown) => ({ ok: false, error: `the window's checks could not be loaded: ${String(err)}` }),
      );
    },
    ready(): Promise<LabEvent[]> {
      if (closedReason !== null) return Promise.reject(new Error(closedReason));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        histories.set(id, { events: [], resolve, reject });
        post({ kind: 'ready', id });
      });
    },
    onEvents(cb) {
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
      };
    },
  };
}
