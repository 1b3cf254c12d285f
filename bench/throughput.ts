/**
 * Lab read/write throughput on a 100 MB transfer, beside plain node:net and beside the same
 * loop in C (bench/c/transfer.c, built with gcc where present) on the same machine, in one
 * run. The lab side goes through the whole engine: commands, calls, blocking, events, reducer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/** The C loop's milliseconds for the transfer, or null where gcc is missing. */
async function cTransfer(total: number, chunk: number): Promise<number | null> {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-bench-'));
  try {
    const exe = join(dir, 'transfer');
    const src = new URL('./c/transfer.c', import.meta.url).pathname;
    await run('gcc', ['-O2', '-std=c11', '-D_POSIX_C_SOURCE=200809L', '-o', exe, src]);
    const { stdout } = await run(exe, [String(total), String(chunk)], { timeout: 60_000 });
    const ms = Number(stdout.trim());
    return ms > 0 ? ms : null;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throughput of the lab, of plain node:net and of C on 100 MB, and the ratios. */
export async function benchThroughput(totalMb = 100, chunkKb = 1024): Promise<Record<string, number>> {
  const total = totalMb * MB;
  const chunk = chunkKb * 1024;
  const plainMs = await plainTransfer(total, chunk);
  const lab = await labTransfer(total, chunk);
  const cMs = await cTransfer(total, chunk);
  const plainMBs = totalMb / (plainMs / 1000);
  const labMBs = totalMb / (lab.ms / 1000);
  const cMBs = cMs === null ? null : totalMb / (cMs / 1000);
  return {
    ...(cMBs === null
      ? {}
      : {
          'throughput.c_gcc_MB_per_s': Math.round(cMBs),
          'throughput.lab_to_c_ratio': Number((labMBs / cMBs).toFixed(3)),
        }),
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
