/**
 * Lab read/write throughput on a 100 MB transfer, beside plain node:net on the same machine.
 * The lab side goes through the whole engine: commands, calls, blocking, events, reducer.
 */
import net from 'node:net';
import type { CallOutcome, Command, CommandResult } from '../app/contract';
import { Lab } from '../app/core/lab';

const MB = 1024 * 1024;

async function ok(lab: Lab, cmd: Command): Promise<CallOutcome | string | undefined> {
  const r: CommandResult = await lab.execute(cmd);
  if (!r.ok) throw new Error(`${JSON.stringify(cmd).slice(0, 120)}: ${r.error}`);
  return r.value;
}

/** Waits until the actor's current call has returned; resolves with its return value. */
function returned(lab: Lab, actor: string): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const a = lab.view().actors[actor];
      if (a && a.current === null && a.last) {
        resolve(a.last.ret ?? -1);
        return true;
      }
      return false;
    };
    if (check()) return;
    const off = lab.subscribe(() => {
      if (check()) off();
    });
  });
}

/** Moves `total` bytes from the lab's client to its server in `chunk`-byte writes; returns ms. */
async function labTransfer(total: number, chunk: number): Promise<{ ms: number; events: number }> {
  const lab = await Lab.create();
  try {
    const port = Number(lab.view().actors.server!.vars.PORT);
    await ok(lab, { type: 'call', actor: 'server', call: { call: 'socket', args: { family: 'inet' } } });
    await ok(lab, { type: 'call', actor: 'server', call: { call: 'bind', args: { fd: 3, host: '127.0.0.1', port } } });
    await ok(lab, { type: 'call', actor: 'server', call: { call: 'listen', args: { fd: 3, backlog: 5 } } });
    await ok(lab, { type: 'call', actor: 'client', call: { call: 'socket', args: { family: 'inet' } } });
    await ok(lab, { type: 'call', actor: 'client', call: { call: 'connect', args: { fd: 3, host: '127.0.0.1', port } } });
    await returned(lab, 'client');
    await ok(lab, { type: 'call', actor: 'server', call: { call: 'accept', args: { fd: 3 } } });
    await returned(lab, 'server');
    const startEvents = lab.events().length;
    const t0 = performance.now();
    const writer = (async () => {
      for (let sent = 0; sent < total; sent += chunk) {
        await ok(lab, { type: 'call', actor: 'client', call: { call: 'write', args: { fd: 3, fill: chunk } } });
        await returned(lab, 'client');
      }
    })();
    let got = 0;
    while (got < total) {
      await ok(lab, { type: 'call', actor: 'server', call: { call: 'read', args: { fd: 4, max: chunk } } });
      const n = await returned(lab, 'server');
      if (n <= 0) throw new Error(`read returned ${n} after ${got} bytes`);
      got += n;
    }
    await writer;
    return { ms: performance.now() - t0, events: lab.events().length - startEvents };
  } finally {
    await lab.dispose();
  }
}

/** The same transfer with plain node:net: one write per chunk, the reader consuming as it comes. */
async function plainTransfer(total: number, chunk: number): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const done = new Promise<void>((resolve) => {
    server.on('connection', (s) => {
      let got = 0;
      s.on('data', (d) => {
        got += d.length;
        if (got >= total) resolve();
      });
    });
  });
  const c = net.connect(port, '127.0.0.1');
  await new Promise((r) => c.once('connect', r));
  const buf = Buffer.alloc(chunk, 0x61);
  const t0 = performance.now();
  for (let sent = 0; sent < total; sent += chunk) {
    if (!c.write(buf)) await new Promise((r) => c.once('drain', r));
  }
  await done;
  const ms = performance.now() - t0;
  c.destroy();
  await new Promise((r) => server.close(r));
  return ms;
}

/** Throughput of the lab and of plain node:net on 100 MB, and their ratio. */
export async function benchThroughput(totalMb = 100, chunkKb = 1024): Promise<Record<string, number>> {
  const total = totalMb * MB;
  const chunk = chunkKb * 1024;
  const plainMs = await plainTransfer(total, chunk);
  const lab = await labTransfer(total, chunk);
  const plainMBs = totalMb / (plainMs / 1000);
  const labMBs = totalMb / (lab.ms / 1000);
  return {
    'throughput.bytes_MB': totalMb,
    'throughput.chunk_KB': chunkKb,
    'throughput.plain_node_net_MB_per_s': Math.round(plainMBs),
    'throughput.lab_MB_per_s': Math.round(labMBs),
    'throughput.lab_to_plain_ratio': Number((labMBs / plainMBs).toFixed(3)),
    'throughput.lab_events_during_transfer': lab.events,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchThroughput());
}
