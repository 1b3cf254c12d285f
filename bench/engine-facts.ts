/**
 * The engine's kernel facts at scale: a lab with 1,000 connections of its own (made with its
 * own calls), measured while the caller keeps thousands of unrelated sockets open. Figures:
 * the time to set the connections up, the share of a core the engine takes when idle, and
 * the time from a close() on one side to the event of the peer's CLOSE_WAIT (found through
 * the poller and TCP_INFO, no table scan). Run from kernel-facts.ts (it raises the limit).
 */
import type { Call } from '../app/contract';
import { processPoller } from '../app/core/blocking/poller';
import { Lab } from '../app/core/lab';
import { requireSys } from '../app/core/sys/index';
import { ok, returned } from './lab-transfer';

const CONNECTIONS = 1000;
const IDLE_MS = 2000;
const CLOSES = 50;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const r3 = (x: number): number => Number(x.toFixed(3));

/** The figures (the process's descriptor limit must allow about 2,100 more). */
export async function benchEngineFacts(): Promise<Record<string, number>> {
  const lab = await Lab.create({ limits: { actors: 3, fdsPerActor: CONNECTIONS + 10 } });
  try {
    const port = lab.defaultPort();
    const call = async (actor: string, c: Call): Promise<number> => {
      await ok(lab, { type: 'call', actor, call: c });
      return returned(lab, actor);
    };
    const t0 = performance.now();
    await call('server', { call: 'socket', args: { family: 'inet' } });
    await call('server', { call: 'bind', args: { fd: 3, host: '127.0.0.1', port } });
    await call('server', { call: 'listen', args: { fd: 3, backlog: 1024 } });
    for (let i = 0; i < CONNECTIONS; i++) {
      const fd = await call('client', { call: 'socket', args: { family: 'inet' } });
      await call('client', { call: 'connect', args: { fd, host: '127.0.0.1', port } });
      await call('server', { call: 'accept', args: { fd: 3 } });
    }
    const setupMs = performance.now() - t0;

    // Idle: nothing happens; the engine's ticks and idle watches are all that runs.
    await new Promise((r) => setTimeout(r, 200));
    const poller = processPoller(requireSys());
    const polls0 = poller.polls;
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const cpu = process.cpuUsage(cpu0);
    const idlePct = ((cpu.user + cpu.system) / 1000 / (performance.now() - w0)) * 100;
    const idlePolls = poller.polls - polls0;

    // A close on the client: how long until the server's socket shows CLOSE_WAIT.
    const lat: number[] = [];
    for (let i = 0; i < CLOSES; i++) {
      const fd = 3 + i;
      const peer = lab.view().actors.server!.fds[4 + i]!;
      const seen = new Promise<number>((resolve) => {
        const off = lab.subscribe((e) => {
          if (e.type === 'socket.state' && e.socket === peer && e.to === 'CLOSE_WAIT') {
            off();
            resolve(e.t);
          }
        });
      });
      const start = performance.timeOrigin + performance.now();
      await call('client', { call: 'close', args: { fd } });
      lat.push((await seen) - start);
    }
    return {
      'engine_facts.lab_connections': CONNECTIONS,
      'engine_facts.setup_ms': Math.round(setupMs),
      'engine_facts.idle_cpu_share_pct': r3(idlePct),
      'engine_facts.idle_polls_in_2s': idlePolls,
      'engine_facts.close_to_peer_close_wait_median_ms': r3(median(lat)),
      'engine_facts.close_to_peer_close_wait_max_ms': r3(Math.max(...lat)),
    };
  } finally {
    await lab.dispose();
  }
}
