/** The /proc/net/tcp{,6} parser on recorded tables, and ProcfsSource on live loopback sockets. */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ProcfsSource,
  parseProcNetTcp,
  formatIPv6,
  normalizeHost,
  parseIPv6,
  type KernelRow,
} from '../../../app/core/kernel';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/kernel/${name}`, import.meta.url)), 'utf8');

describe('parseProcNetTcp on recorded tables (little-endian x86-64)', () => {
  it('reads IPv4 rows: LISTEN, ESTABLISHED with rx, FIN_WAIT_2 and CLOSE_WAIT', () => {
    const rows = parseProcNetTcp(fixture('proc-net-tcp.txt'), 4, 'LE');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      local: { host: '127.0.0.1', port: 0x8fb7 },
      remote: { host: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      sendQ: 0,
      recvQ: 0,
      timerMs: null,
      inode: 18379,
    });
    expect(rows.map((r) => r.state)).toEqual([
      'LISTEN',
      'ESTABLISHED',
      'FIN_WAIT_2',
      'CLOSE_WAIT',
      'ESTABLISHED',
    ]);
    // 'hello world' (11 bytes) unread on the paused server socket.
    expect(rows[4]).toMatchObject({
      local: { port: 36791 },
      remote: { host: '127.0.0.1', port: 54882 },
      recvQ: 11,
    });
    // Linux counts the FIN in a CLOSE_WAIT socket's rx_queue.
    expect(rows[3]).toMatchObject({ state: 'CLOSE_WAIT', recvQ: 1 });
  });

  it('reads IPv6 rows and the TIME_WAIT timer in USER_HZ ticks', () => {
    const rows = parseProcNetTcp(fixture('proc-net-tcp6.txt'), 6, 'LE');
    expect(rows.map((r) => [r.local.host, r.remote.host, r.state])).toEqual([
      ['::1', '::', 'LISTEN'],
      ['::1', '::1', 'ESTABLISHED'],
      ['::1', '::1', 'TIME_WAIT'],
      ['::1', '::1', 'ESTABLISHED'],
    ]);
    // tr 03, when 0x175B = 5979 ticks of 1/100 s.
    expect(rows[2]).toMatchObject({ state: 'TIME_WAIT', timerMs: 59790, inode: 0, local: { port: 0xa29e } });
  });

  it('reads IPv4-mapped rows of a dual-stack listener', () => {
    const rows = parseProcNetTcp(fixture('proc-net-tcp6-mapped.txt'), 6, 'LE');
    expect(rows[0]).toMatchObject({ local: { host: '::', port: 45157 }, state: 'LISTEN' });
    expect(rows[1]).toMatchObject({
      local: { host: '::ffff:127.0.0.1', port: 45157 },
      remote: { host: '::ffff:127.0.0.1', port: 58868 },
      state: 'ESTABLISHED',
    });
  });

  it('reads a big-endian table', () => {
    const text =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 7F000001:1F90 7F000002:0050 01 0000000A:00000014 01:00000014 00000000  1000        0 42 1\n';
    expect(parseProcNetTcp(text, 4, 'BE')).toEqual([
      {
        local: { host: '127.0.0.1', port: 8080 },
        remote: { host: '127.0.0.2', port: 80 },
        state: 'ESTABLISHED',
        sendQ: 10,
        recvQ: 20,
        timerMs: 200,
        inode: 42,
      },
    ]);
  });

  it('skips the header, blank and malformed lines', () => {
    expect(parseProcNetTcp('', 4)).toEqual([]);
    expect(parseProcNetTcp('garbage\n  0: zz:1 00000000:0000 0A 0:0 00:0 0 0 0 1\n', 4)).toEqual([]);
  });
});

describe('address spelling', () => {
  it('formats and parses IPv6 canonically', () => {
    expect(formatIPv6(parseIPv6('0:0:0:0:0:0:0:1')!)).toBe('::1');
    expect(formatIPv6(parseIPv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(parseIPv6('::ffff:7f00:1')!)).toBe('::ffff:127.0.0.1');
    expect(formatIPv6(new Uint8Array(16))).toBe('::');
    expect(parseIPv6('not an address')).toBeNull();
  });
  it('folds IPv4-mapped addresses into IPv4 and drops brackets and zones', () => {
    expect(normalizeHost('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeHost('[::1]')).toBe('::1');
    expect(normalizeHost('FE80::1%lo0')).toBe('fe80::1');
    expect(normalizeHost('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe.runIf(process.platform === 'linux')('ProcfsSource on live loopback sockets', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    while (cleanup.length) cleanup.pop()?.();
  });

  const source = new ProcfsSource();
  const find = async (pred: (r: KernelRow) => boolean): Promise<KernelRow | undefined> =>
    (await source.read()).find(pred);

  it('shows LISTEN, then ESTABLISHED on both ends, rx growing on a paused reader, then TIME_WAIT', async () => {
    const accepted: net.Socket[] = [];
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => server.close());
    const port = (server.address() as net.AddressInfo).port;

    const listen = await find((r) => r.state === 'LISTEN' && r.local.port === port);
    expect(listen).toMatchObject({
      local: { host: '127.0.0.1', port },
      remote: { host: '0.0.0.0', port: 0 },
    });
    expect(listen!.inode).toBeGreaterThan(0);
    // Two reads at once do not share (and garble) one read buffer.
    const [a, b] = await Promise.all([source.read(), source.read()]);
    for (const rows of [a, b])
      expect(rows.some((r) => r.state === 'LISTEN' && r.local.port === port)).toBe(true);

    const client = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    cleanup.push(() => client.destroy());
    await new Promise<void>((r) => client.once('connect', r));
    const cport = client.localPort!;
    const side = (l: number, r: number) => (row: KernelRow) => row.local.port === l && row.remote.port === r;
    expect(await find(side(cport, port))).toMatchObject({ state: 'ESTABLISHED', recvQ: 0 });
    await vi.waitFor(async () =>
      expect(await find(side(port, cport))).toMatchObject({ state: 'ESTABLISHED' }),
    );

    // The server socket is paused: the bytes stay in the kernel's receive queue.
    client.write('x'.repeat(1000));
    await vi.waitFor(async () => expect((await find(side(port, cport)))?.recvQ).toBe(1000));
    client.write('y'.repeat(234));
    await vi.waitFor(async () => expect((await find(side(port, cport)))?.recvQ).toBe(1234));

    // Client closes first: FIN_WAIT_2 / CLOSE_WAIT; then the server closes: TIME_WAIT on the client's side.
    await vi.waitFor(() => expect(accepted).toHaveLength(1));
    const s = accepted[0]!;
    s.resume();
    s.on('data', () => {});
    client.end();
    await vi.waitFor(async () => expect((await find(side(cport, port)))?.state).toBe('FIN_WAIT_2'));
    expect((await find(side(port, cport)))?.state).toBe('CLOSE_WAIT');
    s.end();
    await vi.waitFor(async () => expect((await find(side(cport, port)))?.state).toBe('TIME_WAIT'));
    const tw = await find(side(cport, port));
    // Linux's TIME_WAIT lasts 60 s; the timer counts down from there.
    expect(tw!.timerMs).toBeGreaterThan(50_000);
    expect(tw!.timerMs).toBeLessThanOrEqual(60_000);
    await vi.waitFor(async () => expect(await find(side(port, cport))).toBeUndefined());
  });

  it('reads IPv6 loopback rows from /proc/net/tcp6', async (ctx) => {
    const server = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '::1', resolve);
      });
    } catch {
      ctx.skip('no IPv6 loopback (::1) on this machine');
    }
    cleanup.push(() => server.close());
    const port = (server.address() as net.AddressInfo).port;
    expect(await find((r) => r.state === 'LISTEN' && r.local.port === port)).toMatchObject({
      local: { host: '::1', port },
    });
  });
});
