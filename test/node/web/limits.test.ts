/**
 * Issue 12's attacks on browser mode, each asserting the server lives on and the lab is as it
 * was: a history past V8's largest string, 40 `ready`s from a page that never reads, a page
 * that stops reading, many idle HTTP connections, too many pages, commands piling up, and a
 * message with a million unknown keys. The lab is a LogLab (the real event log, no sockets).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent } from '../../../app/contract';
import type { LabPort } from '../../../app/host/event-pump';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../app/web/server';
import { httpGet, openClient, type TestClient } from './helpers';
import { LogLab } from './log-lab';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A server on `lab` whose notices are kept; closed after the test. */
async function serve(lab: LabPort, opts: Partial<WebServerOptions> = {}) {
  const notices: string[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const server = await startWebServer({
    lab,
    rendererDir: '/nonexistent',
    onNotice: (t) => {
      notices.push(t);
      for (const w of waiters.filter((w) => w.re.test(t))) w.resolve();
    },
    ...opts,
  });
  cleanup.push(() => server.close());
  const noticed = (re: RegExp) =>
    notices.some((t) => re.test(t))
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ re, resolve }));
  return { server, notices, noticed };
}

async function client(server: WebServer): Promise<TestClient> {
  const c = await openClient(server.port, server.token);
  cleanup.push(() => c.close());
  return c;
}

/** A page that reads nothing yet: its messages are counted, kept only when small. */
async function rawPage(server: WebServer) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
    headers: { Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` },
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  cleanup.push(() => ws.terminate());
  const seen = { parts: 0, chars: 0, lastPart: false, errors: 0, small: [] as string[] };
  ws.on('message', (d) => {
    const text = String(d);
    seen.chars += text.length;
    if (text.startsWith('{"kind":"history"')) {
      seen.parts++;
      if (text.endsWith('"more":false}')) seen.lastPart = true;
    } else if (text.startsWith('{"kind":"error"')) seen.errors++;
    if (text.length < 4096) seen.small.push(text);
  });
  return { ws, seen };
}

function historyOf(c: TestClient, id: number): Promise<LabEvent[]> {
  return c
    .next((m) => m.kind === 'history' && m.id === id && !m.more)
    .then(() => c.messages.flatMap((m) => (m.kind === 'history' && m.id === id ? m.events : [])));
}

describe('the history', () => {
  it('past the largest string V8 can build, goes in parts and the server lives', async () => {
    // 34 events sharing one 16M-character string: 544M characters of JSON, past 2^29.
    const text = 'w'.repeat(16 * 1024 * 1024);
    const events = Array.from({ length: 34 }, (_, i): LabEvent => ({
      type: 'lab.notice',
      level: 'info',
      text,
      seq: i + 1,
      t: 0,
    }));
    const lab: LabPort = {
      events: () => events,
      subscribe: () => () => {},
      handle: async () => ({ ok: true }),
      dispose: async () => {},
    };
    const { server } = await serve(lab);
    const page = await rawPage(server);
    const done = new Promise<void>((r) => page.ws.on('message', () => page.seen.lastPart && r()));
    page.ws.send(JSON.stringify({ kind: 'ready', id: 1 }));
    await done;
    expect(page.seen.parts).toBe(34);
    expect(page.seen.chars).toBeGreaterThan(2 ** 29);
    expect((await httpGet(server.port, '/')).status).toBe(404); // still serving
  }, 60_000);

  it('40 readies from a page that never reads: one history, 39 refusals, no stall for others', async () => {
    const lab = new LogLab();
    lab.notices(20, 1024 * 1024); // a 20 MB history
    const before = lab.events().length;
    const { server } = await serve(lab);
    let peak = process.memoryUsage().rss;
    const base = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    cleanup.push(() => clearInterval(sampler));

    const page = await rawPage(server);
    page.ws.pause();
    for (let id = 1; id <= 40; id++) page.ws.send(JSON.stringify({ kind: 'ready', id }));

    const other = await client(server);
    const t0 = performance.now();
    other.send({ kind: 'command', id: 1, command: { type: 'step', actor: 'server' } });
    await other.next((m) => m.kind === 'reply' && m.id === 1);
    const waited = performance.now() - t0;
    expect(lab.events().length).toBe(before);

    page.ws.resume();
    await new Promise<void>((r) => {
      const check = () => page.seen.lastPart && page.seen.errors === 39 && r();
      page.ws.on('message', check);
      check();
    });
    expect(page.seen.small.filter((t) => t.includes('one at a time'))).toHaveLength(39);
    expect(lab.events().length).toBe(before);
    expect(peak - base).toBeLessThan(200 * 1024 * 1024);
    expect(waited).toBeLessThan(1000);
  }, 60_000);
});

describe('back-pressure', () => {
  it('drops a page that stops reading once its unsent bytes pass the limit', async () => {
    const lab = new LogLab();
    const { server, noticed } = await serve(lab, { page: { maxBufferedBytes: 1024 * 1024 } });
    const page = await rawPage(server);
    page.ws.send(JSON.stringify({ kind: 'ready', id: 1 }));
    await new Promise<void>((r) => page.ws.on('message', () => page.seen.lastPart && r()));
    page.ws.pause();
    const dropped = noticed(/dropped a page: it does not read/);
    for (let i = 0; i < 80 && lab.log.events().length < 1e6; i++) {
      lab.notices(1, 512 * 1024);
      await new Promise((r) => setImmediate(r));
    }
    await dropped;
  });

  it('drops a page that answers no ping', async () => {
    const { server, noticed } = await serve(new LogLab(), { page: { heartbeatMs: 50 } });
    const page = await rawPage(server);
    page.ws.pause();
    await noticed(/answered no ping/);
  });

  it('refuses commands past the limit in flight, and runs the others', async () => {
    const lab = new LogLab();
    const { server } = await serve(lab, { page: { maxCommandsInFlight: 4 } });
    const c = await client(server);
    lab.hold = true;
    const cmd = { type: 'call', actor: 'server', call: { call: 'socket', args: {} } };
    for (let id = 1; id <= 6; id++) c.send({ kind: 'command', id, command: cmd });
    const refused = await c.next((m) => m.kind === 'reply' && m.id === 6);
    expect(refused).toMatchObject({ result: { ok: false, error: expect.stringMatching(/already wait/) } });
    lab.release();
    for (let id = 1; id <= 4; id++)
      expect(await c.next((m) => m.kind === 'reply' && m.id === id)).toMatchObject({ result: { ok: true } });
  });
});

describe('connections', () => {
  it('many idle connections do not lock the page out: the oldest idle ones make room', async () => {
    const lab = new LogLab();
    const before = lab.events().length;
    const { server, noticed } = await serve(lab, { connections: { maxConnections: 16 } });
    const idle: Socket[] = [];
    cleanup.push(() => idle.forEach((s) => s.destroy()));
    await Promise.all(
      Array.from({ length: 60 }, () => {
        const s = connect(server.port, '127.0.0.1');
        s.on('error', () => {});
        idle.push(s);
        return new Promise((r) => s.once('connect', r).once('close', r));
      }),
    );
    await noticed(/closed an idle connection/);
    expect((await httpGet(server.port, '/')).status).toBe(404);
    const c = await client(server);
    c.send({ kind: 'ready', id: 1 });
    expect((await historyOf(c, 1)).length).toBe(before);
    expect(lab.events().length).toBe(before);
  });

  it('refuses a page past the limit of pages, with the reason (503)', async () => {
    const { server, noticed } = await serve(new LogLab(), { connections: { maxPages: 2 } });
    await client(server);
    await client(server);
    await expect(client(server)).rejects.toThrow('refused: 503');
    await noticed(/refused a page/);
  });
});

describe('messages', () => {
  it('answers a message with 100,000 unknown keys in a few hundred characters', async () => {
    const lab = new LogLab();
    const before = lab.events().length;
    const { server } = await serve(lab);
    const c = await client(server);
    const args: Record<string, number> = Object.create(null);
    for (let i = 0; i < 100_000; i++) args[`key${i}`.padEnd(20, 'x')] = i;
    c.send({
      kind: 'command',
      id: 1,
      command: { type: 'call', actor: 'server', call: { call: 'socket', args } },
    });
    const m = await c.next((m) => m.kind === 'error' || m.kind === 'reply');
    expect(JSON.stringify(m).length).toBeLessThan(600);
    expect(m).toMatchObject({ kind: 'error', id: 1 });
    // A call object with a key of its own is refused too (call objects are strict).
    c.send({
      kind: 'command',
      id: 2,
      command: { type: 'call', actor: 'server', call: { call: 'socket', args: {}, x: 1 } },
    });
    expect(await c.next((m) => m.kind === 'error' && m.id === 2)).toMatchObject({
      error: expect.stringMatching(/unknown key "x"/),
    });
    expect(lab.events().length).toBe(before);
  });
});
