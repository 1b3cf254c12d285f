/**
 * With the kernel's state-change tracepoint (root on Linux; skipped, saying so, elsewhere):
 * every transition the lab shows for every socket is one the kernel made, in the kernel's
 * order — checked against a second tracer of the test's own, for a classic close, two
 * actors closing together, and a simultaneous close through CLOSING behind queued data.
 * TIME_WAIT, which the tracepoint never reports, comes from the kernel's table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SocketView } from '../../../app/contract';
import { stateTracerUnavailable } from '../../../app/core/kernel/tracefs';
import { StateTracer, type StateTransition } from '../../../app/core/kernel/tracepoint';
import type { Lab } from '../../../app/core/lab';
import { call, connectedPair, modelState, newLab, ret, returned, sock, waitFor } from './helpers';

const why = process.platform === 'linux' ? await stateTracerUnavailable() : 'not Linux';
if (why) console.log(`tracepoint tests skipped: ${why}`);

const tracers: StateTracer[] = [];
afterEach(async () => {
  for (const t of tracers.splice(0)) await t.dispose();
});

/** A lab taking states from the tracepoint, and the kernel's transitions seen by our own tracer. */
async function tracedLab(): Promise<{ lab: Lab; seen: StateTransition[]; tracer: StateTracer }> {
  const lab = await newLab({ trace: true });
  const o = await StateTracer.open({ ports: [lab.defaultPort()] });
  if (!o.ok) throw new Error(o.reason);
  tracers.push(o.tracer);
  const seen: StateTransition[] = [];
  o.tracer.onTransition((t) => seen.push(t));
  return { lab, seen, tracer: o.tracer };
}

/**
 * Resolves once `pred` holds, checked now, after every lab event and at every transition our
 * own tracer sees: the two tracers' lines of one change come in either order (a line may wait
 * up to 100 ms for its pair), so neither alone says when both have it.
 */
function settled(lab: Lab, tracer: StateTracer, pred: () => boolean, what: string, ms = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred()) return resolve();
    const check = () => {
      if (!pred()) return;
      clearTimeout(timer);
      offLab();
      offTracer();
      resolve();
    };
    const timer = setTimeout(() => {
      offLab();
      offTracer();
      reject(new Error(`timed out after ${ms} ms waiting for: ${what}`));
    }, ms);
    const offLab = lab.subscribe(check);
    const offTracer = tracer.onTransition(check);
  });
}

/** The kernel's new states for socket `s`, in order, without the time-wait hand-over. */
function kernelPath(seen: StateTransition[], s: SocketView): string[] {
  const key = (h: string, p: number) => `${h}:${p}`;
  const here = key(s.local!.host, s.local!.port);
  const there = key(s.remote!.host, s.remote!.port);
  // A connect's first event may carry port 0: the socket's identity ties it to the rest.
  const mine = new Set(
    seen
      .filter((t) => key(t.saddr, t.sport) === here && key(t.daddr, t.dport) === there)
      .map((t) => t.skaddr),
  );
  return seen
    .filter((t) => mine.has(t.skaddr))
    .filter((t) => !(t.newstate === 'CLOSED' && ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING'].includes(t.oldstate)))
    .map((t) => t.newstate);
}

/** The lab's path of `s` as the tracepoint gave it (TIME_WAIT and after are the table's). */
function labPath(s: SocketView): string[] {
  const path: string[] = [];
  for (const t of s.transitions) {
    if (t.to === 'TIME_WAIT' || t.from === 'TIME_WAIT') continue;
    path.push(t.to);
  }
  return path;
}

/**
 * The kernel has recorded at least `min` states of each socket, and the lab has applied as
 * many: a socket whose tracepoint events the lab has not applied yet is still CLOSED in the
 * lab, which a wait for "closed" alone would take for the end.
 */
function caughtUp(lab: Lab, seen: StateTransition[], ids: string[], min: number): boolean {
  return ids.every((id) => {
    const s = sock(lab.view(), id);
    const k = kernelPath(seen, s);
    return k.length >= min && labPath(s).length >= k.length;
  });
}

/** Every transition of both sockets is the kernel's, and equals the kernel's own record. */
function expectKernelRecord(lab: Lab, seen: StateTransition[], ids: string[]): void {
  for (const id of ids) {
    const s = sock(lab.view(), id);
    const told = `${id}: ${s.transitions.map((t) => `${t.to}/${t.source}/${t.cause}`).join(' → ')}; kernel: ${seen
      .map((t) => `${t.saddr}:${t.sport}>${t.dport} ${t.oldstate}→${t.newstate}`)
      .join(', ')}`;
    expect(
      s.transitions.map((t) => t.source),
      told,
    ).toEqual(s.transitions.map(() => 'kernel'));
    expect(labPath(s), told).toEqual(kernelPath(seen, s));
  }
}

describe.skipIf(why !== null)('states from the kernel tracepoint', () => {
  it('a classic close: client first, the server after reading 0', async () => {
    const { lab, seen, tracer } = await tracedLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    const r = await call(lab, 'server', 'read', { fd: 4 });
    expect((r.status === 'returned' ? r : await returned(lab, 'server', r.callId)).ret).toBe(0);
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    await modelState(lab, client.id, 'TIME_WAIT');
    await modelState(lab, server.id, 'CLOSED');
    await settled(
      lab,
      tracer,
      () =>
        kernelPath(seen, sock(lab.view(), server.id)).at(-1) === 'CLOSED' &&
        caughtUp(lab, seen, [client.id, server.id], 4),
      'the kernel, and the lab after it',
    );
    expectKernelRecord(lab, seen, [client.id, server.id]);
    const listener = sock(lab.view(), sock(lab.view(), server.id).listener!);
    expect(listener.transitions.map((t) => [t.to, t.source])).toEqual([['LISTEN', 'kernel']]);
    expect(labPath(sock(lab.view(), server.id))).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    // The kernel's timestamps come with them, in order.
    const ts = sock(lab.view(), server.id).transitions.map((t) => t.tsUs ?? 0);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });

  it('two actors closing together: the transitions are the kernel’s, none it did not make', async () => {
    const { lab, seen, tracer } = await tracedLab();
    const { server, client } = await connectedPair(lab);
    await Promise.all([ret(lab, 'client', 'close', { fd: 3 }), ret(lab, 'server', 'close', { fd: 4 })]);
    await settled(
      lab,
      tracer,
      () => caughtUp(lab, seen, [client.id, server.id], 4),
      'the kernel record, and the lab after it',
    );
    await waitFor(
      lab,
      (v) => [client.id, server.id].every((id) => ['TIME_WAIT', 'CLOSED'].includes(sock(v, id).state)),
      'both ends closed',
    );
    expectKernelRecord(lab, seen, [client.id, server.id]);
  });

  it('a simultaneous close behind queued data goes through CLOSING, as the kernel records it', async () => {
    const { lab, seen } = await tracedLab();
    const { server, client } = await connectedPair(lab);
    expect(await ret(lab, 'client', 'write', { fd: 3, fill: 1_000_000 })).toEqual({ ret: 1_000_000 });
    expect(await ret(lab, 'client', 'shutdown', { fd: 3, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    await modelState(lab, client.id, 'FIN_WAIT_1');
    expect(await ret(lab, 'server', 'shutdown', { fd: 4, how: 'SHUT_WR' })).toEqual({ ret: 0 });
    await modelState(lab, client.id, 'CLOSING');
    let eof = false;
    for (let i = 0; i < 10_000 && !eof; i++) {
      const r = await call(lab, 'server', 'read', { fd: 4, max: 1_000_000 });
      const n = r.status === 'returned' ? r.ret : (await returned(lab, 'server', r.callId)).ret;
      eof = n === 0;
    }
    await modelState(lab, client.id, 'TIME_WAIT');
    await modelState(lab, server.id, 'TIME_WAIT');
    expectKernelRecord(lab, seen, [client.id, server.id]);
    expect(labPath(sock(lab.view(), client.id))).toEqual([
      'SYN_SENT',
      'ESTABLISHED',
      'FIN_WAIT_1',
      'CLOSING',
    ]);
  }, 60_000);
});
