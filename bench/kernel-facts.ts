/**
 * Kernel facts for sockets without a descriptor, side by side in one run (Linux):
 *
 * - one sock_diag query (SockDiagSource, filtered in the kernel on the lab's port) against one
 *   read of /proc/net/tcp{,6} (ProcfsSource), with 1,000 lab connections (2,000 rows) open
 *   while 10,000 unrelated loopback sockets (5,000 connections on another port) are open too;
 * - the CPU each costs (process.cpuUsage over the reads, all threads) and the share of a core
 *   that polling at the observer's 25 reads a second would take;
 * - as root, the time from a state change (the kernel's timestamp of the tracepoint) to its
 *   transition delivered in Node by StateTracer.
 *
 * About 12,100 descriptors are needed. When `ulimit -n` is lower, the benchmark runs itself in
 * a child under `sh -c 'ulimit -n 13000 && exec node …'` (which works up to the hard limit,
 * or beyond it as root); otherwise it fails saying so. Every socket is reset at the end (no
 * TIME_WAIT left behind) and the tracer's instances are removed.
 */
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { benchEngineFacts } from './engine-facts';
import { ProcfsSource, SockDiagSource, StateTracer, type StateTransition } from '../app/core/kernel';

const LAB_CONNECTIONS = 1000;
const OTHER_CONNECTIONS = 5000;
// The table benchmark's sockets, then the engine's own 1,000 connections beside them.
const NEED_FDS = 2 * (LAB_CONNECTIONS + OTHER_CONNECTIONS) + 2 * 1000 + 200;
const DIAG_READS = 100;
const PROC_READS = 20;
const TRACED_CONNECTIONS = 40;

function fdLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || 0;
  } catch {
    return 0;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
const r3 = (x: number): number => Number(x.toFixed(3));

/** A listener on 127.0.0.1 and `n` connections to it: every socket, to reset at the end. */
async function connections(n: number): Promise<{ port: number; sockets: net.Socket[]; server: net.Server }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = (): number => sockets.length - clients;
  let clients = 0;
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, () => {
        const c = net.connect({ port, host: '127.0.0.1' });
        sockets.push(c);
        clients++;
        return new Promise<void>((resolve, reject) => {
          c.once('connect', resolve);
          c.once('error', reject);
        });
      }),
    );
  }
  while (accepted() < n) await new Promise((r) => setImmediate(r));
  return { port, sockets, server };
}

/** Runs `read` `n` times: wall ms of each and CPU ms per read. */
async function measure(n: number, read: () => Promise<unknown>): Promise<{ ms: number[]; cpuMs: number }> {
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await read();
    ms.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

/** Latency of the tracepoint: kernel timestamp of each change → delivered in Node, µs. */
async function traceLatency(): Promise<Record<string, number>> {
  const o = await StateTracer.open();
  if (!o.ok) return { 'kernel_facts.trace_unavailable': 1 };
  const tracer = o.tracer;
  const server = net.createServer((s) => s.end());
  try {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await tracer.setPorts([port]);
    const lat: number[] = [];
    let closed = 0;
    let wake: (() => void) | null = null;
    tracer.onTransition((t: StateTransition) => {
      lat.push((performance.timeOrigin + performance.now()) * 1000 - t.tsUs);
      if (t.newstate === 'CLOSED' && t.oldstate === 'LAST_ACK') {
        closed++;
        wake?.();
      }
    });
    // One connection at a time: connect, the server closes, the client closes in answer.
    for (let i = 0; i < TRACED_CONNECTIONS; i++) {
      const done = new Promise<void>((r) => (wake = r));
      const c = net.connect(port, '127.0.0.1');
      c.on('end', () => c.end());
      await done;
    }
    return {
      'kernel_facts.trace_events': lat.length,
      'kernel_facts.trace_connections': closed,
      'kernel_facts.trace_latency_median_ms': r3(median(lat) / 1000),
      'kernel_facts.trace_latency_p95_ms': r3(p95(lat) / 1000),
    };
  } finally {
    server.close();
    await tracer.dispose();
  }
}

/** The benchmark in this process (the descriptor limit must allow it). */
async function runHere(): Promise<Record<string, number>> {
  const lab = await connections(LAB_CONNECTIONS);
  let other: Awaited<ReturnType<typeof connections>> | null = null;
  try {
    other = await connections(OTHER_CONNECTIONS);
    const diag = new SockDiagSource({ ports: [lab.port] });
    const proc = new ProcfsSource();
    const diagRows = (await diag.read()).length;
    const procRows = (await proc.read()).length;
    if (diagRows !== 2 * LAB_CONNECTIONS + 1) throw new Error(`sock_diag gave ${diagRows} rows`);
    // Interleaved rounds, so both see the same machine.
    // The usual lab: one listener of its own (one row) among all those sockets.
    const lone = net.createServer();
    await new Promise<void>((r) => lone.listen(0, '127.0.0.1', r));
    const one = new SockDiagSource({ ports: [(lone.address() as net.AddressInfo).port] });
    const d: { ms: number[]; cpuMs: number }[] = [];
    const p: { ms: number[]; cpuMs: number }[] = [];
    const o: number[] = [];
    for (let round = 0; round < 4; round++) {
      d.push(await measure(DIAG_READS / 4, () => diag.read()));
      p.push(await measure(PROC_READS / 4, () => proc.read()));
      o.push(...(await measure(DIAG_READS / 4, () => one.read())).ms);
    }
    diag.close();
    one.close();
    lone.close();
    const dMs = d.flatMap((x) => x.ms);
    const pMs = p.flatMap((x) => x.ms);
    const dCpu = d.reduce((a, x) => a + x.cpuMs, 0) / d.length;
    const pCpu = p.reduce((a, x) => a + x.cpuMs, 0) / p.length;
    const trace = process.platform === 'linux' && process.getuid?.() === 0 ? await traceLatency() : {};
    const engine = await benchEngineFacts();
    return {
      'kernel_facts.lab_rows': diagRows,
      'kernel_facts.procfs_rows': procRows,
      'kernel_facts.sockdiag_median_ms': r3(median(dMs)),
      'kernel_facts.sockdiag_p95_ms': r3(p95(dMs)),
      'kernel_facts.sockdiag_one_row_median_ms': r3(median(o)),
      'kernel_facts.procfs_median_ms': r3(median(pMs)),
      'kernel_facts.procfs_p95_ms': r3(p95(pMs)),
      'kernel_facts.procfs_over_sockdiag': r3(median(pMs) / median(dMs)),
      'kernel_facts.sockdiag_cpu_ms_per_read': r3(dCpu),
      'kernel_facts.procfs_cpu_ms_per_read': r3(pCpu),
      // Polled 25 times a second, as KernelObserver does: the share of one core.
      'kernel_facts.sockdiag_cpu_share_25hz_pct': r3((dCpu * 25) / 10),
      'kernel_facts.procfs_cpu_share_25hz_pct': r3((pCpu * 25) / 10),
      ...trace,
      ...engine,
    };
  } finally {
    for (const s of [...lab.sockets, ...(other?.sockets ?? [])]) s.resetAndDestroy();
    lab.server.close();
    other?.server.close();
  }
}

/** The benchmark, in a child with a raised descriptor limit when this process's is too low. */
export async function benchKernelFacts(): Promise<Record<string, number>> {
  if (process.platform !== 'linux') throw new Error('sock_diag and /proc/net/tcp are Linux-only');
  const limit = fdLimit();
  if (limit >= NEED_FDS) return runHere();
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    'sh',
    ['-c', `ulimit -n ${NEED_FDS + 900} && exec "$0" --import tsx "$1" --child`, process.execPath, self],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(
      `needs ${NEED_FDS} descriptors, ulimit -n is ${limit} and a child could not raise it ` +
        `(${err.trim().split('\n')[0] ?? code}); run 'ulimit -n ${NEED_FDS + 900}' first (as root above the hard limit)`,
    );
  }
  return JSON.parse(last) as Record<string, number>;
}

if (process.argv.includes('--child')) {
  console.log(JSON.stringify(await runHere()));
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchKernelFacts());
}
