/**
 * One page's WebSocket to the lab: the ready handshake, the history in parts, live events,
 * commands and their replies, within limits that keep one page from costing the others
 * (issue 12: 40 `ready` messages from a page that never read took the server from 160 MB to
 * 956 MB and stalled every other page for 2.4 s):
 * - the history goes one part at a time, the next only once the last has left for the
 *   kernel (a page that does not read holds one part, not the whole history);
 * - one history at a time: a `ready` while one is on its way is refused with its id;
 * - a page whose unsent bytes pass `maxBufferedBytes`, or whose live events pile up past the
 *   pump's limit while it takes its history, is dropped;
 * - at most `maxCommandsInFlight` commands wait for the lab at once;
 * - a heartbeat (`heartbeatMs`): a page that answers no ping for a whole period is dropped.
 * Everything that comes in is parsed against the contract's ClientMessageSchema; anything else
 * gets `{kind:'error'}` and leaves the lab as it was.
 */
import type { RawData, WebSocket } from 'ws';
import { ClientMessageSchema, excerpt, formatIssues, refuse, type ServerMessage } from '../contract';
import { EventPump, type LabPort } from '../host/event-pump';

/** The limits of one page; see the module comment. */
export interface PageLimits {
  maxBufferedBytes: number;
  maxCommandsInFlight: number;
  /** 0: no heartbeat. */
  heartbeatMs: number;
}

/** Defaults: a page that reads at all never comes near them. */
export const DEFAULT_PAGE_LIMITS: Readonly<PageLimits> = Object.freeze({
  maxBufferedBytes: 8 * 1024 * 1024,
  maxCommandsInFlight: 32,
  heartbeatMs: 30_000,
});

/** Serve one page on `ws` until it closes. `notice` says when a limit drops it. */
export function servePage(
  ws: WebSocket,
  lab: LabPort,
  limits: PageLimits,
  notice: (text: string) => void,
): void {
  let gone = false;
  let inFlight = 0;
  /** Id of the `ready` whose history is on its way, or null. */
  let historyId: number | null = null;
  let beat: ReturnType<typeof setInterval> | null = null;
  let alive = true;

  const drop = (why: string): void => {
    if (gone) return;
    notice(`browser mode: dropped a page: ${why}`);
    end();
    // Its unsent bytes are the problem: terminate frees them now (a close frame would wait
    // behind them).
    ws.terminate();
  };

  const pump = new EventPump(lab, (events) => send({ kind: 'events', events }), {
    onOverflow: () => drop('its live events piled up while it took its history'),
  });

  const end = (): void => {
    gone = true;
    pump.close();
    if (beat) clearInterval(beat);
  };

  /** Send `m`; `then` runs once it has left for the kernel (not if the page is gone). */
  const send = (m: ServerMessage, then?: () => void): void => {
    if (gone || ws.readyState !== ws.OPEN) return;
    // What is still unsent from before counts, not this message: one event may be larger
    // than the limit (a program with a long string), and still goes.
    if (ws.bufferedAmount > limits.maxBufferedBytes)
      return drop(`it does not read what the lab sends (${ws.bufferedAmount} bytes unsent)`);
    ws.send(JSON.stringify(m), then && ((err) => !err && !gone && then()));
  };

  const sendHistory = (id: number): void => {
    if (historyId !== id) return;
    const part = pump.historyPart();
    if (!part.more) historyId = null;
    send(
      { kind: 'history', id, events: part.events, more: part.more },
      part.more ? () => sendHistory(id) : undefined,
    );
  };

  if (limits.heartbeatMs > 0) {
    beat = setInterval(() => {
      if (!alive) return drop('it answered no ping');
      alive = false;
      ws.ping();
    }, limits.heartbeatMs);
    beat.unref();
  }
  ws.on('pong', () => (alive = true));

  ws.on('close', end);
  ws.on('error', end);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    alive = true;
    if (isBinary) return send({ kind: 'error', error: 'binary messages are not accepted' });
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch {
      return send({ kind: 'error', error: 'message is not JSON' });
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = idOf(raw);
      return send({ kind: 'error', error: `invalid message: ${formatIssues(parsed.error)}`, ...(id ?? {}) });
    }
    const msg = parsed.data;
    if (msg.kind === 'ready') {
      if (historyId !== null)
        return send({
          kind: 'error',
          id: msg.id,
          error: 'refused: a history is already on its way on this connection (one at a time)',
        });
      historyId = msg.id;
      pump.ready();
      return sendHistory(msg.id);
    }
    if (inFlight >= limits.maxCommandsInFlight)
      return send({
        kind: 'reply',
        id: msg.id,
        result: refuse('refusal.pageBusy', { n: inFlight }),
      });
    inFlight++;
    // Events the command causes are queued by the pump; flush them first, so the page sees
    // the events before the reply that depends on them.
    void lab.handle(msg.command).then(
      (result) => {
        inFlight--;
        pump.flush();
        send({ kind: 'reply', id: msg.id, result });
      },
      (err: unknown) => {
        inFlight--;
        send({ kind: 'reply', id: msg.id, result: { ok: false, error: excerpt(String(err), 200) } });
      },
    );
  });
}

/** The id of a message that failed the schema, when it has a usable one. */
function idOf(raw: unknown): { id: number } | null {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'id')) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? { id } : null;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
