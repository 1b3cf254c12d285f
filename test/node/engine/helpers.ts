/**
 * Helpers for the engine tests: labs that are disposed (and their event logs checked
 * against the contract's schemas) after each test, waiting on the view through the event
 * subscription (never on sleeps), and the real kernel table.
 */
import { afterEach, expect } from 'vitest';
import { parseEvent } from '../../../app/contract/api';
import type { ViewState, SocketView } from '../../../app/contract/reducer';
import { reduceAll } from '../../../app/contract/reducer';
import type { Call, CallOutcome, CommandResult } from '../../../app/contract/schema';
import { ProcfsSource } from '../../../app/core/kernel/procfs';
import type { KernelRow } from '../../../app/core/kernel/types';
import { Lab, type LabOptions } from '../../../app/core/lab';
import type { Sayable } from '../../../app/contract';

export const isLinux = process.platform === 'linux';

const labs: Lab[] = [];

/** A lab disposed after the test, with every event checked against the schema. */
export async function newLab(opts: LabOptions = {}): Promise<Lab> {
  const lab = await Lab.create(opts);
  labs.push(lab);
  return lab;
}

afterEach(async () => {
  const all = labs.splice(0);
  for (const lab of all) {
    await lab.dispose();
    // Every event the engine emitted is valid by the contract, numbered 1, 2, 3, … and in
    // time order, and reducing the log from scratch gives the live view.
    const events = lab.events();
    events.forEach((e, i) => {
      const p = parseEvent(e);
      if (!p.ok) throw new Error(`event ${e.seq} (${e.type}) is invalid: ${p.error}`);
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    });
    expect(reduceAll(events)).toEqual(lab.view());
  }
});

/**
 * Resolve with the first truthy value of `pred(view)`, checked now and after every event;
 * reject after `ms` naming what was awaited and the last view's relevant part.
 */
export function waitFor<T>(
  lab: Lab,
  pred: (v: ViewState) => T | false | null | undefined,
  what: string,
  ms = 8000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = pred(lab.view());
    if (first) {
      resolve(first);
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${ms} ms waiting for: ${what}`));
    }, ms);
    const off = lab.subscribe(() => {
      const r = pred(lab.view());
      if (r) {
        clearTimeout(timer);
        off();
        resolve(r);
      }
    });
  });
}

/** Execute a command that must be accepted; its value. */
export async function ok(lab: Lab, p: Promise<CommandResult>): Promise<CommandResult & { ok: true }> {
  const r = await p;
  if (!r.ok) throw new Error(`command rejected: ${r.error}`);
  void lab;
  return r;
}

/** Make one call; the outcome (returned or blocked). */
export async function call<C extends Call['call']>(
  lab: Lab,
  actor: string,
  name: C,
  args: Record<string, unknown> = {},
): Promise<CallOutcome> {
  const r = await lab.handle({ type: 'call', actor, call: { call: name, args } });
  if (!r.ok) throw new Error(`call ${name} rejected: ${r.error}`);
  const v = r.value;
  if (typeof v !== 'object') throw new Error(`call ${name} answered ${String(v)}`);
  return v;
}

/** A call that must return (not block): its return value, errno as given. */
export async function ret(
  lab: Lab,
  actor: string,
  name: Call['call'],
  args: Record<string, unknown> = {},
): Promise<{ ret: number; errno?: string }> {
  const o = await call(lab, actor, name, args);
  if (o.status !== 'returned') throw new Error(`${name} blocked (${o.reason}) where it should return`);
  return { ret: o.ret, ...(o.errno ? { errno: o.errno } : {}) };
}

/** An engine message (a call's note, a cause, a notice) as one line: its code and parameters. */
export function said(m: Sayable | null | undefined): string | null {
  if (m === null || m === undefined) return null;
  return typeof m === 'string' ? m : `${m.code} ${JSON.stringify(m.params ?? {})}`;
}

/** Wait until the actor's call with this id has returned; the return value, errno and note. */
export async function returned(
  lab: Lab,
  actor: string,
  callId: string,
): Promise<{ ret: number; errno: string | null; detail: string | null }> {
  return waitFor(
    lab,
    (v) => {
      const l = v.actors[actor]?.last;
      return l && l.callId === callId ? { ret: l.ret!, errno: l.errno, detail: said(l.detail) } : null;
    },
    `${actor}'s call ${callId} to return`,
  );
}

/** The socket behind an actor's descriptor. */
export function sockOf(v: ViewState, actor: string, fd: number): SocketView {
  const id = v.actors[actor]?.fds[fd];
  const s = id ? v.sockets[id] : undefined;
  if (!s) throw new Error(`${actor} has no descriptor ${fd}`);
  return s;
}

/** A socket by id. */
export function sock(v: ViewState, id: string): SocketView {
  const s = v.sockets[id];
  if (!s) throw new Error(`no socket ${id}`);
  return s;
}

/** The server's listening socket and a connected client, fds: server 3 (listen), client 3. */
export async function serverListening(lab: Lab, port = lab.defaultPort()): Promise<void> {
  expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
  expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
  expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });
}

/** Server listening and accepted (connfd 4), client connected (fd 3). */
export async function connectedPair(lab: Lab): Promise<{ server: SocketView; client: SocketView }> {
  await serverListening(lab);
  expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
  expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() })).toEqual({
    ret: 0,
  });
  await waitFor(
    lab,
    (v) => sockOf(v, 'server', 3).acceptQueue?.length === 1,
    'the connection in the accept queue',
  );
  expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
  const v = lab.view();
  return { server: sockOf(v, 'server', 4), client: sockOf(v, 'client', 3) };
}

const procfs = new ProcfsSource();

/** The kernel's rows (Linux) with this local or remote port. */
export async function kernelRows(port: number): Promise<KernelRow[]> {
  const rows = await procfs.read();
  return rows.filter((r) => r.local.port === port || r.remote.port === port);
}

/** Wait until the view's kernel state of a socket is `state` (the observer confirmed it). */
export function kernelState(lab: Lab, id: string, state: string | null, what = ''): Promise<true> {
  return waitFor(
    lab,
    (v) => v.sockets[id]?.kernel !== null && v.sockets[id]?.kernel?.state === state,
    `kernel state ${state} for ${id} ${what}`,
  );
}

/** Wait until the model state of a socket is `state`. */
export function modelState(lab: Lab, id: string, state: string): Promise<true> {
  return waitFor(lab, (v) => v.sockets[id]?.state === state, `model state ${state} for ${id}`);
}

/** The value (as the window shows it) of variable `name` in the actor's innermost frame that has it. */
export function varOf(v: ViewState, actor: string, name: string): string | undefined {
  for (const f of v.actors[actor]?.frames ?? []) {
    const x = f.vars.find((y) => y.name === name);
    if (x) return x.value;
  }
  return undefined;
}

/** The text of line `line` (1-based) of the actor's program. */
export function lineText(lab: Lab, actor: string, line: number): string {
  return lab.view().actors[actor]?.program?.source.split('\n')[line - 1] ?? '';
}
