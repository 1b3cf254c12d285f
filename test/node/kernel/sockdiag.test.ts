/**
 * SockDiagSource: the port filter's bytecode (run here as the kernel runs it), and live
 * loopback sockets checked against /proc/net/tcp and `ss -tanoi`.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BC,
  ProcfsSource,
  SockDiagSource,
  defaultKernelSource,
  portFilterBytecode,
  portRanges,
  type KernelRow,
} from '../../../app/core/kernel';
import { Fds, asSs, byEndpoints, ss, until } from './helpers';

/** inet_diag_bc_run of net/ipv4/inet_diag.c for the port operations, on host-order ports. */
function bcRun(bc: Buffer, sport: number, dport: number): boolean {
  let off = 0;
  let len = bc.length;
  while (len > 0) {
    const code = bc[off]!;
    const arg = bc.readUInt16LE(off + 6);
    let yes: boolean;
    if (code === BC.JMP) yes = false;
    else if (code === BC.S_EQ) yes = sport === arg;
    else if (code === BC.D_EQ) yes = dport === arg;
    else if (code === BC.S_GE) yes = sport >= arg;
    else if (code === BC.S_LE) yes = sport <= arg;
    else if (code === BC.D_GE) yes = dport >= arg;
    else if (code === BC.D_LE) yes = dport <= arg;
    else throw new Error(`op ${code}`);
    const step = yes ? bc[off + 1]! : bc.readUInt16LE(off + 2);
    off += step;
    len -= step;
  }
  return len === 0;
}

describe('the port filter', () => {
  it('groups ports into ranges', () => {
    expect(portRanges([9, 5, 7, 8, 5, 0, 70000, 1.5, 11])).toEqual([
      [5, 5],
      [7, 9],
      [11, 11],
    ]);
  });

  it('matches a socket exactly when its source or destination port is in the set', () => {
    const ports = [5, 7, 8, 9, 11, 40000, 40001];
    const bc = portFilterBytecode(ports)!;
    const set = new Set(ports);
    for (let s = 0; s < 50; s++) {
      for (const d of [0, 5, 6, 9, 10, 11, 12, 40000, 40001, 40002]) {
        expect(bcRun(bc, s, d), `sport ${s} dport ${d}`).toBe(set.has(s) || set.has(d));
      }
    }
    expect(portFilterBytecode([])).toBeNull();
  });
});

describe('SockDiagSource on live loopback sockets', () => {
  const fds = new Fds();
  const servers: net.Server[] = [];
  const source = new SockDiagSource();
  afterEach(() => {
    fds.closeAll();
    for (const s of servers.splice(0)) s.close();
    source.close();
  });

  const onPort = async (port: number): Promise<[KernelRow[], KernelRow[]]> => {
    source.setPorts([port]);
    const diag = source.readSync();
    const proc = (await new ProcfsSource().read()).filter(
      (r) => r.local.port === port || r.remote.port === port,
    );
    return [byEndpoints(diag), byEndpoints(proc)];
  };
  /**
   * Rows as both tables give them: without the timer's value (ms here, 10 ms ticks in procfs,
   * read moments apart) and without a listener's send queue: /proc/net/tcp prints the accept
   * queue as sock_diag does, but write_seq − snd_una (0) as a listener's tx_queue, where
   * sock_diag gives the backlog.
   */
  const noTimer = (rows: KernelRow[]) =>
    rows.map((r) => ({
      ...r,
      timerMs: r.timerMs === null ? null : 'runs',
      sendQ: r.state === 'LISTEN' ? 0 : r.sendQ,
    }));

  it('reads nothing, with no system call, while it has no ports', async () => {
    expect(await new SockDiagSource().read()).toEqual([]);
    expect(defaultKernelSource('linux').kind).toBe('sockdiag');
  });

  it('gives the accept queue and backlog: listen backlog 2 with 4 connects → 3 queued', async () => {
    const [lfd, port] = fds.listener(2);
    const clients = [0, 1, 2, 3].map(() => fds.connect(port));
    const { POLLOUT } = fds.sys.constants.POLL;
    // Three connects complete (the accept queue holds backlog + 1); the fourth's SYN is dropped.
    await Promise.all(clients.slice(0, 3).map((c) => fds.waitFor([c], POLLOUT)));
    await until('three connections queued', () => fds.sys.tcpInfo(lfd)?.unacked === 3);
    const [diag, proc] = await onPort(port);
    const listen = diag.find((r) => r.state === 'LISTEN');
    expect(listen).toMatchObject({ local: { host: '127.0.0.1', port }, recvQ: 3, sendQ: 2 });
    expect(diag.filter((r) => r.state === 'ESTABLISHED')).toHaveLength(6);
    expect(diag.filter((r) => r.state === 'SYN_SENT')).toHaveLength(1);
    expect(proc.find((r) => r.state === 'LISTEN')).toMatchObject({ recvQ: 3, sendQ: 0 });
    expect(noTimer(diag)).toEqual(noTimer(proc));
    // ss(8) asks sock_diag too, and prints the backlog as a listener's Send-Q.
    expect(byEndpoints(ss(port))).toEqual(byEndpoints(diag.map(asSs)));
  });

  it('gives queued bytes like /proc/net/tcp and ss', async () => {
    const [lfd, port] = fds.listener(8);
    const c = fds.connect(port);
    await fds.waitFor([lfd], fds.sys.constants.POLL.POLLIN);
    const s = fds.accept(lfd);
    fds.sys.send(c, Buffer.from('hello world'), 0, 11);
    await fds.waitFor([s], fds.sys.constants.POLL.POLLIN);
    const [diag, proc] = await onPort(port);
    expect(diag.find((r) => r.local.port === port && r.state === 'ESTABLISHED')).toMatchObject({ recvQ: 11 });
    expect(noTimer(diag)).toEqual(noTimer(proc));
    expect(byEndpoints(ss(port))).toEqual(byEndpoints(diag.map(asSs)));
  });

  it('leaves out sockets of other ports, and sees IPv6', async () => {
    const [, port] = fds.listener(8);
    const other = net.createServer();
    servers.push(other);
    await new Promise<void>((r) => other.listen(0, '::1', r));
    const otherPort = (other.address() as net.AddressInfo).port;
    const c = net.connect(otherPort, '::1');
    await new Promise((r) => c.once('connect', r));
    c.destroy();
    source.setPorts([port]);
    const rows = source.readSync();
    expect(rows.every((r) => r.local.port === port || r.remote.port === port)).toBe(true);
    expect(rows.some((r) => r.state === 'LISTEN')).toBe(true);
    source.setPorts([otherPort]);
    const v6 = source.readSync();
    expect(v6.find((r) => r.state === 'LISTEN')).toMatchObject({ local: { host: '::1', port: otherPort } });
    expect(v6.every((r) => r.local.port === otherPort || r.remote.port === otherPort)).toBe(true);
    source.setPorts([port, otherPort]);
    expect(source.readSync().filter((r) => r.state === 'LISTEN')).toHaveLength(2);
  });

  it('sees orphans without a descriptor: FIN_WAIT_2, then TIME_WAIT', async () => {
    const [lfd, port] = fds.listener(8);
    const c = fds.connect(port);
    const { POLLIN, POLLOUT } = fds.sys.constants.POLL;
    await fds.waitFor([c], POLLOUT);
    await fds.waitFor([lfd], POLLIN);
    const s = fds.accept(lfd);
    const cport = fds.port(c);
    const client = (rows: KernelRow[]) => rows.find((r) => r.local.port === cport);
    source.setPorts([port]);
    // The client closes first: the server reads the FIN, the client's orphan waits in FIN_WAIT_2.
    fds.close(c);
    await fds.waitFor([s], POLLIN);
    const fw2 = await until('FIN_WAIT_2', () => {
      const r = client(source.readSync());
      return r?.state === 'FIN_WAIT_2' && r;
    });
    expect(fw2).toMatchObject({ inode: 0, timerMs: expect.any(Number) });
    let [diag, proc] = await onPort(port);
    expect(noTimer(diag)).toEqual(noTimer(proc));
    expect(byEndpoints(ss(port))).toEqual(byEndpoints(diag.map(asSs)));
    // The server closes: the FIN puts the orphan in TIME_WAIT, for 60 s on Linux.
    fds.close(s);
    const tw = await until('TIME_WAIT', () => {
      const r = client(source.readSync());
      return r?.state === 'TIME_WAIT' && r;
    });
    expect(tw.inode).toBe(0);
    expect(tw.timerMs).toBeGreaterThan(50_000);
    expect(tw.timerMs).toBeLessThanOrEqual(60_000);
    [diag, proc] = await onPort(port);
    const tw2 = proc.find((r) => r.state === 'TIME_WAIT')!;
    expect(Math.abs(tw2.timerMs! - diag.find((r) => r.state === 'TIME_WAIT')!.timerMs!)).toBeLessThan(1000);
    expect(noTimer(diag)).toEqual(noTimer(proc));
  });
});
