/** KernelObserver: matching, change-only reports, timer bucketing, polling discipline, live procfs. */
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  KernelObserver,
  ProcfsSource,
  type KernelRow,
  type KernelTableSource,
} from '../../../app/core/kernel';

const ep = (host: string, port: number) => ({ host, port });
const row = (over: Partial<KernelRow> & Pick<KernelRow, 'local' | 'remote' | 'state'>): KernelRow => ({
  sendQ: 0,
  recvQ: 0,
  timerMs: null,
  inode: 1,
  ...over,
});

/** A source whose table the test sets; counts reads and how many run at once. */
class FakeSource implements KernelTableSource {
  readonly kind = 'procfs' as const;
  rows: KernelRow[] = [];
  reads = 0;
  running = 0;
  maxRunning = 0;
  gate: Promise<void> | null = null;
  async read(): Promise<KernelRow[]> {
    this.reads++;
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.gate) await this.gate;
      return this.rows.map((r) => ({ ...r }));
    } finally {
      this.running--;
    }
  }
}

function record(obs: KernelObserver): Array<[string, KernelRow | null]> {
  const seen: Array<[string, KernelRow | null]> = [];
  obs.onChange((id, r) => seen.push([id, r]));
  return seen;
}

describe('KernelObserver matching and reports', () => {
  it('matches a listener by its LISTEN row and a connection by both endpoints, mapped IPv4 alike', async () => {
    const src = new FakeSource();
    const obs = new KernelObserver(src);
    const seen = record(obs);
    src.rows = [
      row({ local: ep('127.0.0.1', 5000), remote: ep('0.0.0.0', 0), state: 'LISTEN' }),
      row({
        local: ep('::ffff:127.0.0.1', 5000),
        remote: ep('::ffff:127.0.0.1', 40000),
        state: 'ESTABLISHED',
        recvQ: 3,
      }),
      row({ local: ep('127.0.0.1', 40000), remote: ep('127.0.0.1', 5000), state: 'ESTABLISHED' }),
    ];
    obs.watch('s1', { local: ep('127.0.0.1', 5000), remote: null });
    obs.watch('s2', { local: ep('127.0.0.1', 5000), remote: ep('127.0.0.1', 40000) });
    obs.watch('s3', { local: ep('127.0.0.1', 40001), remote: ep('127.0.0.1', 5000) });
    await obs.pollNow();
    expect(seen.map(([id, r]) => [id, r?.state ?? null, r?.recvQ ?? null])).toEqual([
      ['s1', 'LISTEN', 0],
      ['s2', 'ESTABLISHED', 3],
      ['s3', null, null],
    ]);
    obs.dispose();
  });

  it('reports only changes, and null once when the row disappears', async () => {
    const src = new FakeSource();
    const obs = new KernelObserver(src);
    const seen = record(obs);
    const key = { local: ep('::1', 6000), remote: ep('::1', 41000) };
    src.rows = [row({ ...key, state: 'ESTABLISHED' })];
    obs.watch('s4', key);
    await obs.pollNow();
    await obs.pollNow();
    expect(seen).toHaveLength(1);
    src.rows = [row({ ...key, state: 'ESTABLISHED', sendQ: 10 })];
    await obs.pollNow();
    src.rows = [row({ ...key, state: 'CLOSE_WAIT', sendQ: 10 })];
    await obs.pollNow();
    src.rows = [];
    await obs.pollNow();
    await obs.pollNow();
    expect(seen.map(([, r]) => (r ? `${r.state}/${r.sendQ}` : null))).toEqual([
      'ESTABLISHED/0',
      'ESTABLISHED/10',
      'CLOSE_WAIT/10',
      null,
    ]);
    obs.dispose();
  });

  it('reports a counting timer at most once per timerIntervalMs, a timer starting at once', async () => {
    const src = new FakeSource();
    let clock = 0;
    const obs = new KernelObserver(src, { timerIntervalMs: 500, now: () => clock });
    const seen = record(obs);
    const key = { local: ep('127.0.0.1', 40000), remote: ep('127.0.0.1', 5000) };
    src.rows = [row({ ...key, state: 'FIN_WAIT_2' })];
    obs.watch('s5', key);
    await obs.pollNow();
    clock = 40;
    src.rows = [row({ ...key, state: 'TIME_WAIT', timerMs: 60_000, inode: 0 })];
    await obs.pollNow();
    for (let t = 80; t <= 1000; t += 40) {
      clock = t;
      src.rows = [row({ ...key, state: 'TIME_WAIT', timerMs: 60_000 - (t - 40), inode: 0 })];
      await obs.pollNow();
    }
    // FIN_WAIT_2 at 0, TIME_WAIT at 40, then timer-only updates at 560 and (next ≥ 1060) none more.
    expect(seen.map(([, r]) => [r?.state, r?.timerMs])).toEqual([
      ['FIN_WAIT_2', null],
      ['TIME_WAIT', 60_000],
      ['TIME_WAIT', 59_480],
    ]);
    obs.dispose();
  });

  it('prefers the row with the inode seen before when a 4-tuple has two rows', async () => {
    const src = new FakeSource();
    const obs = new KernelObserver(src);
    const seen = record(obs);
    const key = { local: ep('127.0.0.1', 40000), remote: ep('127.0.0.1', 5000) };
    src.rows = [row({ ...key, state: 'ESTABLISHED', inode: 77 })];
    obs.watch('s6', key);
    await obs.pollNow();
    src.rows = [
      row({ ...key, state: 'TIME_WAIT', inode: 0, timerMs: 1 }),
      row({ ...key, state: 'ESTABLISHED', inode: 77, recvQ: 5 }),
    ];
    await obs.pollNow();
    expect(seen.at(-1)?.[1]).toMatchObject({ state: 'ESTABLISHED', recvQ: 5 });
    obs.dispose();
  });
});

describe('KernelObserver polling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls only while something is watched, every pollMs, never two reads at once', async () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    // Date.now is faked with the timers, so poll durations are measured in fake time.
    const obs = new KernelObserver(src, { pollMs: 40, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(200);
    expect(src.reads).toBe(0);

    obs.watch('s1', { local: ep('127.0.0.1', 1), remote: null });
    await vi.advanceTimersByTimeAsync(400);
    expect(src.reads).toBeGreaterThanOrEqual(9);
    expect(src.reads).toBeLessThanOrEqual(10);

    // A slow read: the next poll waits for it.
    let release!: () => void;
    src.gate = new Promise<void>((r) => (release = r));
    const before = src.reads;
    await vi.advanceTimersByTimeAsync(1000);
    expect(src.reads).toBe(before + 1);
    expect(src.maxRunning).toBe(1);
    src.gate = null;
    release();
    // That poll took 1 s: the next waits as long (at most 1 s) before it starts.
    await vi.advanceTimersByTimeAsync(900);
    expect(src.reads).toBe(before + 1);
    // Then, polls being quick again, back to every 40 ms.
    await vi.advanceTimersByTimeAsync(300);
    expect(src.reads).toBeGreaterThanOrEqual(before + 5);

    obs.unwatch('s1');
    await vi.advanceTimersByTimeAsync(40);
    const after = src.reads;
    await vi.advanceTimersByTimeAsync(1000);
    expect(src.reads).toBe(after);
    expect(src.maxRunning).toBe(1);
    obs.dispose();
  });

  it('reports a failing read to onError and goes on polling', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let n = 0;
    const src: KernelTableSource = {
      kind: 'netstat',
      read: async () => {
        if (++n === 1) throw new Error('netstat timed out');
        return [];
      },
    };
    const obs = new KernelObserver(src, { pollMs: 10, onError: (e) => errors.push(e) });
    const seen = record(obs);
    obs.watch('s1', { local: ep('127.0.0.1', 1), remote: null });
    await vi.advanceTimersByTimeAsync(50);
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([['s1', null]]);
    obs.dispose();
  });
});

describe.runIf(process.platform === 'linux')('KernelObserver on /proc/net/tcp, live', () => {
  it('follows a real connection: LISTEN, ESTABLISHED, recv queue, FIN_WAIT_2/CLOSE_WAIT, gone', async () => {
    const obs = new KernelObserver(new ProcfsSource());
    const latest = new Map<string, KernelRow | null>();
    const history: string[] = [];
    obs.onChange((id, r) => {
      latest.set(id, r);
      history.push(`${id}:${r ? `${r.state}/${r.recvQ}` : 'gone'}`);
    });
    const accepted: net.Socket[] = [];
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      obs.watch('lst', { local: ep('127.0.0.1', port), remote: null });
      await vi.waitFor(() => expect(latest.get('lst')?.state).toBe('LISTEN'));

      const client = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      const reset = new Promise<string | undefined>((r) =>
        client.once('error', (e: NodeJS.ErrnoException) => r(e.code)),
      );
      await new Promise<void>((r) => client.once('connect', r));
      const cport = client.localPort!;
      obs.watch('cli', { local: ep('127.0.0.1', cport), remote: ep('127.0.0.1', port) });
      obs.watch('srv', { local: ep('::ffff:127.0.0.1', port), remote: ep('127.0.0.1', cport) });
      await vi.waitFor(() => expect(latest.get('srv')?.state).toBe('ESTABLISHED'));
      client.write('abcdef');
      await vi.waitFor(() => expect(latest.get('srv')?.recvQ).toBe(6));

      client.end();
      await vi.waitFor(() => expect(latest.get('cli')?.state).toBe('FIN_WAIT_2'));
      await vi.waitFor(() => expect(latest.get('srv')?.state).toBe('CLOSE_WAIT'));
      // destroy() with unread data: RST, both rows vanish.
      accepted[0]!.destroy();
      await vi.waitFor(() => expect(latest.get('srv')).toBeNull());
      await vi.waitFor(() => expect(latest.get('cli')).toBeNull());
      expect(await reset).toBe('ECONNRESET');
      // Every report was a change: no two equal entries in a row for one id.
      for (const id of ['lst', 'cli', 'srv']) {
        const mine = history.filter((h) => h.startsWith(`${id}:`));
        mine.forEach((h, i) => expect(h).not.toBe(mine[i - 1]));
      }
      client.destroy();
    } finally {
      obs.dispose();
      server.close();
    }
  });
});
