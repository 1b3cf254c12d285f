/**
 * poll and select: the kernel's poll(2) on the actor's descriptors. Asked at once without
 * waiting; when nothing is ready the call parks on the process's poller with every
 * descriptor, until one is ready or the timeout passes (then 0, as in C).
 */
import { POLL_EVENTS, type CallArgs, type PollEventName } from '../../contract/schema';
import { ebadf, type CallContext, type CallResult, type ParkOn } from './result';
import type { Engine } from '../engine';

/** poll(fds, nfds, timeout): how many entries have revents; each entry's revents in `out`. */
export function pollCall(e: Engine, ctx: CallContext, args: CallArgs['poll']): Promise<CallResult> {
  const P = e.sys.constants.POLL;
  const entries = args.fds.map((f) => ({
    fd: f.fd,
    real: f.fd < 0 ? -1 : (ctx.actor.fds.get(f.fd)?.fd ?? -2),
    events: f.events.reduce((a, n) => a | P[n], 0),
  }));
  const buf = e.sys.pollBuffer(entries.length);
  const attempt = (final: boolean): CallResult | null => {
    entries.forEach((x, i) => buf.set(i, x.real >= 0 ? x.real : -1, x.events));
    const r = e.sys.poll(buf, 0);
    // A number that is not the actor's descriptor gets POLLNVAL, as the kernel gives it.
    const revents = entries.map((x, i) => ({
      fd: x.fd,
      revents: x.real === -2 ? (['POLLNVAL'] as PollEventName[]) : names(e, buf.revents(i)),
    }));
    const ready = revents.filter((x) => x.revents.length > 0).length;
    if (r.ret === -1) return { ret: -1, errno: 'EINTR' };
    if (ready === 0 && !final) return null;
    return { ret: ready, out: { revents } };
  };
  const on = (): ParkOn => ({
    fds: entries.filter((x) => x.real >= 0).map((x) => ({ fd: x.real, events: x.events })),
  });
  if (args.timeout === 0) return Promise.resolve(attempt(true)!);
  return e.park(
    ctx,
    'poll-wait',
    on,
    () => attempt(false),
    timeoutOf(args.timeout, () => attempt(true)!),
  );
}

/** select(nfds, readfds, writefds, NULL, timeout): the ready descriptors of each set in `out`. */
export function selectCall(e: Engine, ctx: CallContext, args: CallArgs['select']): Promise<CallResult> {
  const P = e.sys.constants.POLL;
  const all = [
    ...args.readfds.map((fd) => ({ fd, w: false })),
    ...args.writefds.map((fd) => ({ fd, w: true })),
  ];
  for (const x of all) if (!ctx.actor.fds.has(x.fd)) return Promise.resolve(ebadf(x.fd));
  const entries = all.map((x) => ({
    ...x,
    real: ctx.actor.fds.get(x.fd)!.fd,
    events: x.w ? P.POLLOUT : P.POLLIN,
  }));
  const buf = e.sys.pollBuffer(entries.length);
  // select counts a descriptor ready for reading on data, end of stream, hang-up or error.
  const readMask = P.POLLIN | P.POLLHUP | P.POLLERR;
  const writeMask = P.POLLOUT | P.POLLHUP | P.POLLERR;
  const attempt = (final: boolean): CallResult | null => {
    entries.forEach((x, i) => buf.set(i, x.real, x.events));
    const r = e.sys.poll(buf, 0);
    if (r.ret === -1) return { ret: -1, errno: 'EINTR' };
    const readfds: number[] = [];
    const writefds: number[] = [];
    entries.forEach((x, i) => {
      const rev = buf.revents(i);
      if (!x.w && rev & readMask) readfds.push(x.fd);
      if (x.w && rev & writeMask) writefds.push(x.fd);
    });
    const n = readfds.length + writefds.length;
    if (n === 0 && !final) return null;
    return { ret: n, out: { readfds, writefds } };
  };
  const on = (): ParkOn => ({ fds: entries.map((x) => ({ fd: x.real, events: x.events })) });
  if (args.timeout === 0) return Promise.resolve(attempt(true)!);
  return e.park(
    ctx,
    'poll-wait',
    on,
    () => attempt(false),
    timeoutOf(args.timeout ?? -1, () => attempt(true)!),
  );
}

function timeoutOf(
  ms: number,
  onTimeout: () => CallResult,
): { ms: number; onTimeout: () => CallResult } | undefined {
  return ms >= 0 ? { ms, onTimeout } : undefined;
}

/** The POSIX names of a revents word. */
function names(e: Engine, bits: number): PollEventName[] {
  const P = e.sys.constants.POLL;
  return POLL_EVENTS.filter((n) => P[n] !== 0 && (bits & P[n]) !== 0);
}
