/**
 * The lab side of the transfer benchmarks: connect the default server and client through
 * sandbox calls, then move bytes client → server in write/read calls, through the whole
 * engine (commands, blocking, events, reducer). Shared by throughput.ts and frames.ts.
 */
import type { CallOutcome, Command, CommandResult } from '../app/contract';
import type { Lab } from '../app/core/lab';

/** Execute a command that must be accepted; its value. */
export async function ok(lab: Lab, cmd: Command): Promise<CallOutcome | string | undefined> {
  const r: CommandResult = await lab.execute(cmd);
  if (!r.ok) throw new Error(`${JSON.stringify(cmd).slice(0, 120)}: ${r.error}`);
  return r.value;
}

/** Resolves when the actor's current call has returned, with its return value. */
export function returned(lab: Lab, actor: string): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const a = lab.view().actors[actor];
      if (a && a.current === null && a.last) {
        resolve(a.last.ret ?? -1);
        return true;
      }
      return false;
    };
    if (check()) return;
    const off = lab.subscribe(() => {
      if (check()) off();
    });
  });
}

/** server: socket, bind, listen; client: socket, connect; server: accept (fds 3 and 4). */
export async function connectPair(lab: Lab): Promise<void> {
  const port = lab.defaultPort();
  const call = (actor: string, c: Extract<Command, { type: 'call' }>['call']) =>
    ok(lab, { type: 'call', actor, call: c });
  await call('server', { call: 'socket', args: { family: 'inet' } });
  await call('server', { call: 'bind', args: { fd: 3, host: '127.0.0.1', port } });
  await call('server', { call: 'listen', args: { fd: 3, backlog: 5 } });
  await call('client', { call: 'socket', args: { family: 'inet' } });
  await call('client', { call: 'connect', args: { fd: 3, host: '127.0.0.1', port } });
  await returned(lab, 'client');
  await call('server', { call: 'accept', args: { fd: 3 } });
  await returned(lab, 'server');
}

/** Move `total` bytes client → server in `chunk`-byte writes and reads; ms taken and events logged. */
export async function transfer(
  lab: Lab,
  total: number,
  chunk: number,
): Promise<{ ms: number; events: number }> {
  const startEvents = lab.events().length;
  const t0 = performance.now();
  const writer = (async () => {
    for (let sent = 0; sent < total; sent += chunk) {
      await ok(lab, { type: 'call', actor: 'client', call: { call: 'write', args: { fd: 3, fill: chunk } } });
      await returned(lab, 'client');
    }
  })();
  let got = 0;
  while (got < total) {
    await ok(lab, { type: 'call', actor: 'server', call: { call: 'read', args: { fd: 4, max: chunk } } });
    const n = await returned(lab, 'server');
    if (n <= 0) throw new Error(`read returned ${n} after ${got} bytes`);
    got += n;
  }
  await writer;
  return { ms: performance.now() - t0, events: lab.events().length - startEvents };
}
