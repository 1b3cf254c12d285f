/**
 * Helpers for the browser-mode tests: raw HTTP requests with chosen headers, WebSocket
 * clients that collect messages, and waiting for a message that matches.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../app/contract';

/** One HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET (or another method) a raw path with explicit headers; the path is sent as given. */
export function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket client that keeps every parsed message it receives. */
export interface TestClient {
  ws: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (already received or future) that matches. */
  next(pred: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  send(value: unknown): void;
  close(): void;
}

/**
 * Open a WebSocket to the server as a page from `origin` would. Resolves when open, rejects
 * with the HTTP status when the upgrade is refused.
 */
export function openClient(
  port: number,
  token: string | null,
  opts: { origin?: string | null; host?: string } = {},
): Promise<TestClient> {
  const host = opts.host ?? `127.0.0.1:${port}`;
  const origin = opts.origin === undefined ? `http://127.0.0.1:${port}` : opts.origin;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const headers: Record<string, string> = { Host: host };
  if (origin !== null) headers.Origin = origin;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
  const messages: ServerMessage[] = [];
  const waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as ServerMessage;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const client: TestClient = {
    ws,
    messages,
    next(pred) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    send(value) {
      ws.send(typeof value === 'string' ? value : JSON.stringify(value));
    },
    close() {
      ws.close();
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
