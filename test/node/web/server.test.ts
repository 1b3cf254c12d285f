/**
 * Browser mode against a real server on loopback: who may connect (token, Host, Origin),
 * what the bridge accepts (validated messages only), the ready handshake, a command round
 * trip with the lab's real events, and static files (types, 404s, no way out of the root).
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabApi, LabEvent, ServerMessage } from '../../../app/contract';
import type { LabPort } from '../../../app/host/event-pump';
import { startWebServer, type WebServer } from '../../../app/web/server';
import WebSocket from 'ws';
import { Lab } from '../../../app/core/lab';
import { httpGet, openClient, type TestClient } from './helpers';

const SECRET = 'secret-outside-the-root';
let dir: string;
let rendererDir: string;
let lab: LabPort;
let server: WebServer;
const clients: TestClient[] = [];

async function client(
  token: string | null = server.token,
  opts: Parameters<typeof openClient>[2] = {},
): Promise<TestClient> {
  const c = await openClient(server.port, token, opts);
  clients.push(c);
  return c;
}

function isKind<K extends ServerMessage['kind']>(kind: K) {
  return (m: ServerMessage): m is Extract<ServerMessage, { kind: K }> => m.kind === kind;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tcplab-web-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>TCP Lab</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  lab = await Lab.create();
  server = await startWebServer({ lab, rendererDir, maxMessageBytes: 64 * 1024 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await lab?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('address and access', () => {
  it('listens on 127.0.0.1 only and prints the token in the address', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('gives each server its own random token', async () => {
    const other = await startWebServer({ lab, rendererDir });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('refuses the WebSocket without the token or with a wrong one (403)', async () => {
    await expect(client(null)).rejects.toThrow('refused: 403');
    // A token with its first character changed (a token may itself begin with 'x').
    const other = (server.token[0] === 'x' ? 'y' : 'x') + server.token.slice(1);
    await expect(client(other)).rejects.toThrow('refused: 403');
    await expect(client(server.token + 'x')).rejects.toThrow('refused: 403');
  });

  it('refuses a foreign Host header, for pages and for the WebSocket (DNS rebinding)', async () => {
    const page = await httpGet(server.port, '/', { Host: `evil.example:${server.port}` });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('TCP Lab');
    const wrongPort = await httpGet(server.port, '/', { Host: `127.0.0.1:${server.port + 1}` });
    expect(wrongPort.status).toBe(403);
    await expect(
      client(server.token, {
        host: `evil.example:${server.port}`,
        origin: `http://evil.example:${server.port}`,
      }),
    ).rejects.toThrow('refused: 403');
  });

  it('accepts localhost:PORT as the Host as well', async () => {
    const page = await httpGet(server.port, '/', { Host: `localhost:${server.port}` });
    expect(page.status).toBe(200);
    const c = await client(server.token, {
      host: `localhost:${server.port}`,
      origin: `http://localhost:${server.port}`,
    });
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('refuses a WebSocket from a foreign or missing Origin', async () => {
    await expect(client(server.token, { origin: 'http://evil.example' })).rejects.toThrow('refused: 403');
    await expect(client(server.token, { origin: `http://localhost:${server.port}` })).rejects.toThrow(
      'refused: 403',
    );
    await expect(client(server.token, { origin: null })).rejects.toThrow('refused: 403');
  });
});

describe('the bridge', () => {
  it('answers invalid messages with an error and leaves the lab unchanged', async () => {
    const c = await client();
    const before = lab.events().length;
    const bad: unknown[] = [
      'not json {',
      { kind: 'shout' },
      { kind: 'command', id: 1 },
      {
        kind: 'command',
        id: 2,
        command: {
          type: 'call',
          actor: 'server',
          call: { call: 'bind', args: { fd: 3, host: '127.0.0.1', port: 70000 } },
        },
      },
      { kind: 'command', id: 3, command: { type: 'step', actor: 'Server!' } },
      { kind: 'ready', id: -1 },
      { kind: 'ready', id: 4, extra: true },
    ];
    for (const m of bad) c.send(m);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await vi.waitFor(() => expect(c.messages.filter((m) => m.kind === 'error')).toHaveLength(bad.length + 1));
    const errors = c.messages.filter(isKind('error')).map((m) => m.error);
    expect(errors[0]).toBe('message is not JSON');
    expect(errors[3]).toMatch(/port/);
    expect(errors[bad.length]).toMatch(/binary/);
    expect(c.messages.filter((m) => m.kind !== 'error')).toEqual([]);
    expect(lab.events().length).toBe(before);
  });

  it('closes the connection on a message over the size limit', async () => {
    const c = await client();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.send({
      kind: 'command',
      id: 1,
      command: {
        type: 'call',
        actor: 'client',
        call: { call: 'write', args: { fd: 3, data: 'x'.repeat(100_000) } },
      },
    });
    expect(await closed).toBe(1009);
  });

  it('holds events until ready, then answers with the history and streams the rest in order', async () => {
    const c = await client();
    const cmd = { type: 'call', actor: 'server', call: { call: 'socket', args: {} } };
    c.send({ kind: 'command', id: 7, command: cmd });
    const reply = await c.next((m) => m.kind === 'reply' && m.id === 7);
    expect(reply).toMatchObject({ kind: 'reply', id: 7 });
    // Not ready yet: no events were sent, though the command made some.
    expect(c.messages.some((m) => m.kind === 'events')).toBe(false);

    c.send({ kind: 'ready', id: 8 });
    const history = (await c.next((m) => m.kind === 'history')) as Extract<
      ServerMessage,
      { kind: 'history' }
    >;
    expect(history.id).toBe(8);
    // The history is every event so far: 1..N, a prefix of the log (the kernel observer may
    // have added more since).
    expect(history.events.map((e) => e.seq)).toEqual(history.events.map((_, i) => i + 1));
    expect(history.events).toEqual(lab.events().slice(0, history.events.length));
    expect(history.events[0]?.type).toBe('lab.reset');
    const last = history.events.at(-1)!.seq;

    c.send({ kind: 'command', id: 9, command: cmd });
    const r9 = await c.next((m) => m.kind === 'reply' && m.id === 9);
    expect(r9).toMatchObject({ result: { ok: true } });
    // The events the command caused arrived before its reply, numbered on from the history.
    const idx = c.messages.indexOf(r9);
    const streamed: LabEvent[] = c.messages
      .slice(0, idx)
      .filter(isKind('events'))
      .flatMap((m) => m.events);
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.map((e) => e.seq)).toEqual(streamed.map((_, i) => last + 1 + i));
  });
});

describe('a real lab behind the bridge', () => {
  it('runs the server program until accept blocks, with the events to show it', async () => {
    const c = await client();
    c.send({ kind: 'ready', id: 1 });
    await c.next((m) => m.kind === 'history');
    c.send({ kind: 'command', id: 2, command: { type: 'reset' } });
    await c.next((m) => m.kind === 'reply' && m.id === 2);
    c.send({ kind: 'command', id: 3, command: { type: 'run', actor: 'server' } });
    const reply = await c.next((m) => m.kind === 'reply' && m.id === 3);
    expect(reply).toMatchObject({
      result: { ok: true, value: { status: 'blocked', reason: 'no-connection' } },
    });
    const events = c.messages.filter(isKind('events')).flatMap((m) => m.events);
    const calls = events.flatMap((e) => (e.type === 'call.returned' ? [`${e.call}=${e.ret}`] : []));
    expect(calls.slice(-3).map((x) => x.split('=')[0])).toEqual(['socket', 'bind', 'listen']);
    expect(events.some((e) => e.type === 'socket.state' && e.to === 'LISTEN')).toBe(true);
    expect(
      events.some((e) => e.type === 'call.blocked' && e.actor === 'server' && e.reason === 'no-connection'),
    ).toBe(true);
    // The kernel's own table confirms the listening socket (Linux /proc/net/tcp).
    if (lab.events()[0]?.type === 'lab.reset' && process.platform === 'linux') {
      await c.next(
        (m) =>
          m.kind === 'events' && m.events.some((e) => e.type === 'socket.kernel' && e.state === 'LISTEN'),
      );
    }
  });
});

describe('static files', () => {
  it('serves index.html with the CSP and the usual safety headers', async () => {
    const r = await httpGet(server.port, `/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('TCP Lab');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    // WebAssembly may compile (the window's C parser); JavaScript eval and inline code may not.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect([r.headers['cross-origin-opener-policy'], r.headers['cross-origin-embedder-policy']]).toEqual([
      'same-origin',
      'require-corp',
    ]);
  });

  it('gives each file its content type, and 404 / 405 where due', async () => {
    expect((await httpGet(server.port, '/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await httpGet(server.port, '/assets/app.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await httpGet(server.port, '/assets/nothing.js')).status).toBe(404);
    expect((await httpGet(server.port, '/assets')).status).toBe(404);
    expect((await httpGet(server.port, '/', {}, 'POST')).status).toBe(405);
    const head = await httpGet(server.port, '/assets/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00index.html',
    '/%E0%A4%A',
    '/assets/link.txt',
  ])('refuses to leave the root: %s', async (path) => {
    const r = await httpGet(server.port, path);
    expect([400, 404]).toContain(r.status);
    expect(r.body).not.toContain(SECRET);
  });
});

/** The page side's status type (renderer/src/api/ws-api.ts). */
type WsStatus = { state: 'connecting' | 'open' } | { state: 'closed' | 'error'; reason: string };
// ws-api.ts belongs to the window's TypeScript project (tsconfig.web.json), which this test's
// project cannot include; it is loaded by a computed path and typed here by hand.
const WS_API_MODULE = '../../../renderer/src/api/ws-api';
const { createWsApi } = (await import(/* @vite-ignore */ WS_API_MODULE)) as {
  createWsApi(
    url: string,
    token: string,
    onStatus: (s: WsStatus) => void,
    WS: typeof globalThis.WebSocket,
  ): LabApi;
};

describe('the page side (renderer/src/api/ws-api.ts)', () => {
  /** ws's WebSocket, sending the Origin a browser would send for our page. */
  const pageSocket = (origin: string) =>
    class extends WebSocket {
      constructor(url: string | URL) {
        super(url, { origin });
      }
    } as unknown as typeof globalThis.WebSocket;

  it('gets the history, sends commands and receives their events', async () => {
    const statuses: WsStatus[] = [];
    const api = createWsApi(
      `ws://127.0.0.1:${server.port}/ws`,
      server.token,
      (s) => statuses.push(s),
      pageSocket(`http://127.0.0.1:${server.port}`),
    );
    const batches: LabEvent[][] = [];
    api.onEvents((b) => batches.push(b));
    const history = await api.ready();
    expect(history[0]?.type).toBe('lab.reset');
    const r = await api.command({ type: 'addClient' });
    expect(r.ok).toBe(true);
    expect(batches.flat().some((e) => e.type === 'actor.added' && e.kind === 'client')).toBe(true);
    expect(batches.flat().length).toBeGreaterThan(0);
    expect(batches.flat()[0]!.seq).toBe(history.at(-1)!.seq + 1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open']);
    // A command the server refuses comes back as ok:false, not a rejection.
    const bad = await api.command({ type: 'step', actor: 'NOPE' } as never);
    expect(bad.ok).toBe(false);
  });

  it('reports the closed state and answers pending calls when refused', async () => {
    const statuses: WsStatus[] = [];
    const api = createWsApi(
      `ws://127.0.0.1:${server.port}/ws`,
      'wrong-token',
      (s) => statuses.push(s),
      pageSocket(`http://127.0.0.1:${server.port}`),
    );
    const pending = api.command({ type: 'step', actor: 'server' });
    await expect(api.ready()).rejects.toThrow(/closed/);
    expect(await pending).toMatchObject({ ok: false });
    expect(statuses.at(-1)?.state).toBe('closed');
  });
});
