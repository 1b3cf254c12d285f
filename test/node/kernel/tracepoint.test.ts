/**
 * StateTracer: the trace_pipe parsers on recorded lines; as root, the kernel's transitions of
 * a real loopback connect/close in order, the port filter, and the instances' removal; as
 * `nobody`, the unprivileged answer.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  StateTracer,
  ownInstances,
  parseFieldsLine,
  parseTextLine,
  traceFilter,
  type StateTransition,
} from '../../../app/core/kernel';
import { Fds } from './helpers';

const TEXT =
  '            node-4933    [000] ..s2.   641.067341: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP ' +
  'sport=47001 dport=34718 saddr=127.0.0.1 daddr=127.0.0.1 saddrv6=::ffff:127.0.0.1 daddrv6=::ffff:127.0.0.1 ' +
  'oldstate=TCP_SYN_RECV newstate=TCP_ESTABLISHED';
const TEXT6 =
  '  <idle>-0 [001] ..s2.  12.000001: inet_sock_set_state: family=AF_INET6 protocol=IPPROTO_TCP sport=0 ' +
  'dport=8080 saddr=0.0.0.0 daddr=127.0.0.6 saddrv6=:: daddrv6=::1 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT';
const FIELDS =
  '            node-4924    [000] .....   640.583120: inet_sock_set_state: skaddr=0xffff88810a8d6180 ' +
  '(-131387167514240) oldstate=0x7 (7) newstate=0x2 (2) sport=0x0 (0) dport=0x1f90 (8080) family=0xa (10) ' +
  'protocol=0x6 (6) saddr=0x0 (0) daddr=0x0 (0) saddr_v6=<INVALID-SIZE> daddr_v6=<INVALID-SIZE>';

describe('trace_pipe lines', () => {
  it('parses the event text into the contract spelling', () => {
    expect(parseTextLine(TEXT)).toEqual({
      monoUs: 641_067_341,
      family: 'inet',
      saddr: '127.0.0.1',
      sport: 47001,
      daddr: '127.0.0.1',
      dport: 34718,
      oldstate: 'SYN_RECEIVED',
      newstate: 'ESTABLISHED',
    });
    expect(parseTextLine(TEXT6)).toMatchObject({
      family: 'inet6',
      saddr: '::',
      daddr: '::1',
      sport: 0,
      oldstate: 'CLOSED',
      newstate: 'SYN_SENT',
    });
    expect(parseTextLine('# tracer: nop')).toBeNull();
  });

  it('parses the fields format into the key that pairs it with its text line', () => {
    expect(parseFieldsLine(FIELDS)).toEqual({
      key: 'inet6 0 8080 CLOSED SYN_SENT',
      skaddr: 'ffff88810a8d6180',
    });
    expect(parseFieldsLine(TEXT)).toBeNull();
  });

  it('writes the filter on ports and ranges', () => {
    expect(traceFilter([])).toBeNull();
    expect(traceFilter([80, 5000, 5001, 5002])).toBe(
      'protocol == 6 && (sport == 80 || (sport >= 5000 && sport <= 5002) || dport == 80 || (dport >= 5000 && dport <= 5002))',
    );
    const wide = traceFilter(Array.from({ length: 500 }, (_, i) => 10_000 + i * 2))!;
    expect(wide).toBe(
      'protocol == 6 && ((sport >= 10000 && sport <= 10998) || (dport >= 10000 && dport <= 10998))',
    );
  });
});

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

describe('StateTracer on the kernel (root)', () => {
  const fds = new Fds();
  let tracer: StateTracer | null = null;
  afterEach(async () => {
    fds.closeAll();
    await tracer?.dispose();
    tracer = null;
    expect(ownInstances()).toEqual([]);
  });

  /** Opens the tracer, or skips the test with a plain message where it cannot run. */
  const open = async (ctx: { skip: (note?: string) => void }, ports: number[]): Promise<StateTracer> => {
    if (!isRoot) ctx.skip('the state tracepoint needs root: not run here');
    const o = await StateTracer.open({ ports, onError: (e) => errors.push(e) });
    if (!o.ok) throw new Error(o.reason);
    tracer = o.tracer;
    return o.tracer;
  };
  const errors: unknown[] = [];

  /** Collects transitions until one satisfies `last`. */
  const collect = (t: StateTracer, last: (e: StateTransition) => boolean): Promise<StateTransition[]> =>
    new Promise((resolve) => {
      const got: StateTransition[] = [];
      const off = t.onTransition((e) => {
        got.push(e);
        if (last(e)) {
          off();
          resolve(got);
        }
      });
    });

  it('reports both ends of a connect and close in the kernel order', async (ctx) => {
    const lfd = fds.socket();
    const port = fds.port(lfd);
    const t = await open(ctx, [port]);
    expect(ownInstances()).toHaveLength(2);
    const done = collect(t, (e) => e.oldstate === 'LISTEN' && e.newstate === 'CLOSED');
    const { POLLIN, POLLOUT } = fds.sys.constants.POLL;
    const before = performance.timeOrigin + performance.now();
    fds.sys.listen(lfd, 4);
    const c = fds.connect(port);
    await fds.waitFor([c], POLLOUT);
    await fds.waitFor([lfd], POLLIN);
    const s = fds.accept(lfd);
    const cport = fds.port(c);
    fds.close(c); // the client closes first: FIN_WAIT_1, FIN_WAIT_2; the server CLOSE_WAIT
    await fds.waitFor([s], POLLIN);
    fds.close(s); // LAST_ACK; the client's FIN_WAIT_2 gives way to a time-wait socket
    fds.close(lfd);
    const got = await done;
    const after = performance.timeOrigin + performance.now();

    const bySk = new Map<string, StateTransition[]>();
    for (const e of got) bySk.set(e.skaddr, [...(bySk.get(e.skaddr) ?? []), e]);
    const seq = (es: StateTransition[] | undefined) => (es ?? []).map((e) => `${e.oldstate}→${e.newstate}`);
    const listener = got.find((e) => e.newstate === 'LISTEN')!.skaddr;
    // The connect's first event may carry source port 0: its socket is known by skaddr.
    const client = got.find((e) => e.newstate === 'ESTABLISHED' && e.sport === cport)!.skaddr;
    const server = got.find((e) => e.newstate === 'ESTABLISHED' && e.dport === cport)!.skaddr;
    expect(new Set([listener, client, server]).size).toBe(3);
    expect(bySk.size).toBe(3);
    expect(seq(bySk.get(listener))).toEqual(['CLOSED→LISTEN', 'LISTEN→CLOSED']);
    expect(seq(bySk.get(client))).toEqual([
      'CLOSED→SYN_SENT',
      'SYN_SENT→ESTABLISHED',
      'ESTABLISHED→FIN_WAIT_1',
      'FIN_WAIT_1→FIN_WAIT_2',
      'FIN_WAIT_2→CLOSED',
    ]);
    expect(seq(bySk.get(server))).toEqual([
      'LISTEN→SYN_RECEIVED',
      'SYN_RECEIVED→ESTABLISHED',
      'ESTABLISHED→CLOSE_WAIT',
      'CLOSE_WAIT→LAST_ACK',
      'LAST_ACK→CLOSED',
    ]);
    // Across both ends, the order of cause and effect.
    const at = (sk: string, to: string) => got.findIndex((e) => e.skaddr === sk && e.newstate === to);
    expect(at(client, 'SYN_SENT')).toBeLessThan(at(server, 'SYN_RECEIVED'));
    expect(at(client, 'FIN_WAIT_1')).toBeLessThan(at(server, 'CLOSE_WAIT'));
    expect(at(client, 'FIN_WAIT_1')).toBeLessThan(at(server, 'LAST_ACK'));
    // Not asserted: the client's FIN_WAIT_2 → CLOSED against the server's LAST_ACK. An orphan
    // that gets the ACK of its FIN becomes a time-wait socket (substate FIN_WAIT2) at once, so
    // its CLOSED comes first, unless close() still held the socket when the ACK came in; then
    // the full socket waits for the peer's FIN. Both happen here.
    const sEst = got.find((e) => e.skaddr === server && e.newstate === 'ESTABLISHED')!;
    expect(sEst).toMatchObject({ family: 'inet', saddr: '127.0.0.1', sport: port, daddr: '127.0.0.1' });
    // Kernel times, on the lab's wall clock, in order.
    for (let i = 1; i < got.length; i++) expect(got[i]!.tsUs).toBeGreaterThanOrEqual(got[i - 1]!.tsUs);
    expect(got[0]!.tsUs).toBeGreaterThanOrEqual(Math.floor(before * 1000) - 1000);
    expect(got[got.length - 1]!.tsUs).toBeLessThanOrEqual(Math.ceil(after * 1000));
    expect(errors).toEqual([]);
  });

  it('follows the port set: a port taken out is no longer reported', async (ctx) => {
    const [l1, p1] = fds.listener(4);
    const [l2, p2] = fds.listener(4);
    const t = await open(ctx, [p1]);
    await t.setPorts([p2]);
    const got = collect(t, (e) => e.newstate === 'ESTABLISHED' && e.sport === p2);
    // The connection on p1 happens first: were it still traced, it would come first.
    const c1 = fds.connect(p1);
    await fds.waitFor([c1, l1], fds.sys.constants.POLL.POLLOUT | fds.sys.constants.POLL.POLLIN);
    fds.connect(p2);
    await fds.waitFor([l2], fds.sys.constants.POLL.POLLIN);
    const events = await got;
    expect(events.every((e) => e.sport === p2 || e.dport === p2)).toBe(true);
    expect(events.map((e) => e.newstate)).toContain('SYN_SENT');
  });

  it('removes its instances on dispose, and says unavailable as nobody', async (ctx) => {
    const t = await open(ctx, [1]);
    expect(ownInstances()).toHaveLength(2);
    await t.dispose();
    expect(ownInstances()).toEqual([]);
    const script = fileURLToPath(new URL('./tracer-as-user.mts', import.meta.url));
    // nobody must be able to read the checkout (a clone inside a 0700 mktemp folder is not).
    const readable = await new Promise<boolean>((resolve) =>
      execFile('runuser', ['-u', 'nobody', '--', 'test', '-r', script], (err) => resolve(!err)),
    );
    if (!readable) return ctx.skip('the user nobody cannot read this checkout (its folder is private)');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'runuser',
        ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', script],
        { timeout: 20_000, cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const res = JSON.parse(out) as { ok: boolean; reason?: string; uid: number };
    expect(res.uid).not.toBe(0);
    expect(res.ok).toBe(false);
    expect(res.reason).toMatch(/run the lab as root, or grant this user access to tracefs/);
    expect(res.reason!.split('\n')).toHaveLength(1);
  });
});
