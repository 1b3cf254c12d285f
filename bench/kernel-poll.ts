/**
 * The cost of one kernel-table poll with 1,000 loopback connections open: one read of the
 * platform's table (procfs on Linux, netstat elsewhere), its parse, and the match of every
 * watch (both ends of each connection plus the listener: 2,001 watches), as the lab's
 * observer does 25 times a second.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { KernelObserver, defaultKernelSource, parseProcNetTcp } from '../app/core/kernel';

const CONNECTIONS = 1000;
const POLLS = 60;

/** The soft descriptor limit of this process, or null where the shell cannot say. */
function fdLimit(): number | null {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || null;
  } catch {
    return null;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

/** Opens the connections, measures POLLS polls, closes everything; figures in ms. */
export async function benchKernelPoll(): Promise<Record<string, number>> {
  const server = net.createServer({ allowHalfOpen: true });
  const accepted: net.Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, r));
  const port = (server.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  try {
    // In batches, so the listen backlog never overflows (an overflow would stall a SYN for 1 s).
    for (let i = 0; i < CONNECTIONS; i += 100) {
      const batch = Array.from({ length: Math.min(100, CONNECTIONS - i) }, () => {
        const c = net.connect({ port, host: '127.0.0.1' });
        clients.push(c);
        return new Promise<void>((resolve, reject) => {
          c.once('connect', resolve);
          c.once('error', reject);
        });
      });
      await Promise.all(batch);
    }
  } catch (err) {
    const limit = fdLimit();
    const code = (err as NodeJS.ErrnoException).code;
    for (const c of clients) c.destroy();
    server.close();
    throw new Error(
      `could not open ${CONNECTIONS} loopback connections (${code ?? String(err)}): they need about ` +
        `${2 * CONNECTIONS + 50} descriptors and this process may open ${limit ?? 'an unknown number'} ` +
        `(ulimit -n); raise it with 'ulimit -n 4096' before running the benchmark`,
      { cause: err },
    );
  }
  while (accepted.length < CONNECTIONS) await new Promise((r) => setImmediate(r));

  const source = defaultKernelSource();
  // A table filtered in the kernel (sock_diag) is told the lab's port, as the engine does.
  (source as Partial<{ setPorts(p: Iterable<number>): void }>).setPorts?.([port]);
  // pollMs is huge: the benchmark drives every poll itself through pollNow().
  const obs = new KernelObserver(source, { pollMs: 1e9 });
  let reports = 0;
  obs.onChange(() => reports++);
  obs.watch('listener', { local: { host: '127.0.0.1', port }, remote: null });
  clients.forEach((c, i) => {
    const local = { host: c.localAddress!, port: c.localPort! };
    const remote = { host: '127.0.0.1', port };
    obs.watch(`c${i}`, { local, remote });
    obs.watch(`s${i}`, { local: remote, remote: local });
  });

  const pollMs: number[] = [];
  const readMs: number[] = [];
  let rows = 0;
  for (let i = 0; i < POLLS; i++) {
    let t0 = performance.now();
    await obs.pollNow();
    pollMs.push(performance.now() - t0);
    t0 = performance.now();
    rows = (await source.read()).length;
    readMs.push(performance.now() - t0);
  }
  obs.dispose();
  // On Linux, the parse alone (the rest of a read is the kernel printing the table).
  const parseMs: number[] = [];
  if (source.kind === 'procfs') {
    const text = readFileSync('/proc/net/tcp', 'latin1');
    for (let i = 0; i < POLLS; i++) {
      const t0 = performance.now();
      parseProcNetTcp(text, 4);
      parseMs.push(performance.now() - t0);
    }
  }
  for (const c of clients) c.destroy();
  for (const s of accepted) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));

  // Each watch must have been reported once (its first observation), else matching is broken.
  if (reports < 2 * CONNECTIONS + 1)
    throw new Error(`only ${reports} of ${2 * CONNECTIONS + 1} watches matched`);
  return {
    'kernel_poll.connections': CONNECTIONS,
    [`kernel_poll.source_${source.kind}`]: 1,
    'kernel_poll.table_rows': rows,
    'kernel_poll.watches': 2 * CONNECTIONS + 1,
    'kernel_poll.median_ms': Number(median(pollMs).toFixed(3)),
    'kernel_poll.p95_ms': Number(percentile(pollMs, 0.95).toFixed(3)),
    'kernel_poll.read_parse_median_ms': Number(median(readMs).toFixed(3)),
    ...(parseMs.length ? { 'kernel_poll.parse_only_median_ms': Number(median(parseMs).toFixed(3)) } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchKernelPoll());
}
