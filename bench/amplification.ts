/**
 * Browser mode under issue 12's amplification scenarios, with a real Lab behind the server:
 * - `writes`: 36 write() commands of 16M characters (to a closed descriptor), then a page
 *   reloads (ready): the history that once passed V8's largest string;
 * - `readies`: a 20 MB history (programs with 1 MB strings), then 40 `ready` messages from a
 *   page that never reads.
 * Meanwhile another page sends a small command every 20 ms: the longest it waited for its
 * reply is printed, with the process's peak RSS (server and clients share this process: an
 * upper bound of the server's). Targets: peak RSS ≤ 500 MB, wait ≤ 100 ms.
 */
import WebSocket from 'ws';
import { Lab } from '../app/core/lab';
import { startWebServer, type WebServer } from '../app/web/server';
import { MAX_PROGRAM_CHARS } from '../app/contract/constants';
import { ok } from './lab-transfer';

/** `p`, or an error after `ms`: a scenario that stops answering fails the suite, never hangs it. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, j) => {
    timer = setTimeout(() => j(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A page: sends commands and times each reply. */
async function page(server: WebServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
    headers: { Origin: `http://127.0.0.1:${server.port}` },
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return ws;
}

/** Run `attack` while another page pings; the longest reply wait and the peak RSS. */
async function measure(
  server: WebServer,
  attack: () => Promise<void>,
): Promise<{ waitMs: number; rssMb: number }> {
  const other = await page(server);
  let peak = process.memoryUsage().rss;
  let waitMs = 0;
  let id = 0;
  const sent = new Map<number, number>();
  other.on('message', (d) => {
    const m = JSON.parse(String(d)) as { kind: string; id?: number };
    const t = m.kind === 'reply' && m.id !== undefined ? sent.get(m.id) : undefined;
    if (t !== undefined) waitMs = Math.max(waitMs, performance.now() - t);
  });
  const tick = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    sent.set(++id, performance.now());
    other.send(JSON.stringify({ kind: 'command', id, command: { type: 'interrupt', actor: 'server' } }));
  }, 20);
  try {
    await attack();
  } finally {
    clearInterval(tick);
    other.terminate();
  }
  return { waitMs: Math.round(waitMs), rssMb: Math.round(peak / (1024 * 1024)) };
}

/** The `amplification` benchmark's figures. */
export async function benchAmplification(): Promise<Record<string, number>> {
  const lab = await Lab.create({ kernel: 'none' });
  const server = await startWebServer({ lab, rendererDir: '/nonexistent', onNotice: () => {} });
  const out: Record<string, number> = {};
  try {
    const writes = await measure(server, async () => {
      const ws = await page(server);
      // One text for all 36 (the attacker's own JSON.stringify would run in this process too).
      const call = { call: 'write', args: { fd: 9, data: 'w'.repeat(16 * 1024 * 1024) } };
      const text = JSON.stringify({
        kind: 'command',
        id: 0,
        command: { type: 'call', actor: 'client', call },
      });
      for (let i = 0; i < 36; i++) {
        const reply = new Promise((r) => ws.once('message', r));
        ws.send(text);
        await within(reply, 60_000, `write ${i + 1} of 36`);
      }
      const done = new Promise<void>((r) =>
        ws.on('message', (d) => String(d).endsWith('"more":false}') && r()),
      );
      ws.send(JSON.stringify({ kind: 'ready', id: 99 }));
      await within(done, 120_000, 'the history after 36 writes');
      ws.terminate();
    });
    out['amplification.writes.peak_rss_mb'] = writes.rssMb;
    out['amplification.writes.other_wait_ms'] = writes.waitMs;

    // 20 MB of history: programs as long as the contract lets them be, each loaded in turn.
    const main = '\nint main(void)\n{\n    return 0;\n}\n';
    const source = `/* ${'p'.repeat(MAX_PROGRAM_CHARS - main.length - 6)} */${main}`;
    for (let i = 0; i < Math.ceil((20 * 1024 * 1024) / MAX_PROGRAM_CHARS); i++)
      await ok(lab, { type: 'loadProgram', actor: 'server', program: { name: `p${i}`, source } });
    const readies = await measure(server, async () => {
      const ws = await page(server);
      ws.pause();
      for (let id = 1; id <= 40; id++) ws.send(JSON.stringify({ kind: 'ready', id }));
      // Let the server take all 40 and send what the kernel will hold, then read it all.
      await new Promise((r) => setTimeout(r, 1000));
      const done = new Promise<void>((r) => {
        let errors = 0;
        let last = false;
        ws.on('message', (d) => {
          const t = String(d);
          if (t.startsWith('{"kind":"error"')) errors++;
          if (t.endsWith('"more":false}')) last = true;
          if (last && errors === 39) r();
        });
      });
      ws.resume();
      await within(done, 120_000, '40 readies');
      ws.terminate();
    });
    out['amplification.readies.peak_rss_mb'] = readies.rssMb;
    out['amplification.readies.other_wait_ms'] = readies.waitMs;
  } finally {
    await server.close();
    await lab.dispose();
  }
  return out;
}
