/**
 * Lab read/write throughput on a 100 MB transfer, beside plain node:net on the same machine.
 * The lab side goes through the whole engine: commands, calls, blocking, events, reducer.
 */
import net from 'node:net';
import { Lab } from '../app/core/lab';
import { connectPair, transfer } from './lab-transfer';

const MB = 1024 * 1024;

/** Moves `total` bytes from a new lab's client to its server in `chunk`-byte writes. */
async function labTransfer(total: number, chunk: number): Promise<{ ms: number; events: number }> {
  const lab = await Lab.create();
  try {
    await connectPair(lab);
    return await transfer(lab, total, chunk);
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
