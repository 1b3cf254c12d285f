/**
 * Judging checkpoints: `evaluate(checkpoint, view)` says whether a checkpoint holds on a view
 * and why not yet; `measures` gives the live numbers a step shows. Pure: it looks only at
 * the view. Part of the lesson language (lesson.ts re-exports it).
 */
import { visibleSegments, type SocketView, type ViewState } from './reducer';
import type { ActorId } from './schema';
import type { Checkpoint } from './lesson';

/** The verdict on a checkpoint: whether it holds, and in a few words why (English, for logs and tests). */
export interface Verdict {
  ok: boolean;
  detail: string;
}

function socketsOf(
  view: ViewState,
  c: { actor: ActorId; fd?: number; role?: 'listening' | 'connection' },
): SocketView[] {
  if (c.fd !== undefined) {
    const id = view.actors[c.actor]?.fds[c.fd];
    const s = id === undefined ? undefined : view.sockets[id];
    return s ? [s] : [];
  }
  // By role, over every socket the actor opened or accepted, including those whose
  // descriptor is closed (a socket in TIME_WAIT has none any more) and connections still
  // waiting in the accept queue of one of its listening sockets (accept() not called yet).
  const held = new Set(Object.values(view.actors[c.actor]?.fds ?? {}));
  const mine = (s: SocketView) => s.actor === c.actor || held.has(s.id);
  const all = view.socketOrder
    .map((id) => view.sockets[id]!)
    .filter(
      (s) =>
        s !== undefined &&
        (mine(s) ||
          (s.listener !== null && view.sockets[s.listener] !== undefined && mine(view.sockets[s.listener]!))),
    );
  if (c.role === undefined) return all;
  return all.filter((s) =>
    c.role === 'listening'
      ? isListening(s)
      : !isListening(s) && (s.remote !== null || s.listener !== null || s.transitions.length > 0),
  );
}

function isListening(s: SocketView): boolean {
  return s.state === 'LISTEN' || s.transitions.some((t) => t.to === 'LISTEN');
}

function where(c: { actor: ActorId; fd?: number; role?: string }): string {
  return c.fd !== undefined
    ? `${c.actor} fd ${c.fd}`
    : c.role
      ? `${c.actor}'s ${c.role} socket`
      : `a socket of ${c.actor}`;
}

function bounds(n: number, c: { atLeast?: number; atMost?: number }): boolean {
  return (c.atLeast === undefined || n >= c.atLeast) && (c.atMost === undefined || n <= c.atMost);
}

function boundsText(c: { atLeast?: number; atMost?: number }): string {
  return [c.atLeast !== undefined ? `≥ ${c.atLeast}` : '', c.atMost !== undefined ? `≤ ${c.atMost}` : '']
    .filter(Boolean)
    .join(' and ');
}

/** Lab sockets a countSockets checkpoint counts (of its actor, or all) that are in its state. */
function countInState(view: ViewState, cp: Extract<Checkpoint, { kind: 'countSockets' }>): number {
  const pool =
    cp.actor !== undefined
      ? socketsOf(view, { actor: cp.actor })
      : view.socketOrder.map((id) => view.sockets[id]!).filter((s) => s !== undefined);
  return pool.filter((s) => s.state === cp.state && (!cp.kernelConfirmed || s.confirmed)).length;
}

/** The longest accept queue of the actor's listening sockets (0 without one). */
function acceptQueueLength(view: ViewState, actor: ActorId): number {
  return Math.max(0, ...socketsOf(view, { actor, role: 'listening' }).map((s) => s.acceptQueue?.length ?? 0));
}

/** Bytes in one side of a socket's buffers: the kernel queue plus the lab's user-space part. */
function bufferBytes(s: SocketView, side: 'recv' | 'send'): number {
  return side === 'recv'
    ? s.buffers.recvKernel + s.buffers.recvApp
    : s.buffers.sendKernel + s.buffers.sendApp;
}

/** Judge a checkpoint on a view. Pure: the same view always gives the same verdict. */
export function evaluate(cp: Checkpoint, view: ViewState): Verdict {
  switch (cp.kind) {
    case 'actorBlocked': {
      const a = view.actors[cp.actor];
      if (!a) return { ok: false, detail: `no actor ${cp.actor}` };
      const cur = a.current;
      if (!cur || cur.blocked === null) return { ok: false, detail: `${cp.actor} is not blocked` };
      const name = cur.call.call;
      if (cp.call !== undefined && name !== cp.call)
        return { ok: false, detail: `${cp.actor} is blocked in ${name}(), not ${cp.call}()` };
      if (cp.reason !== undefined && cur.blocked !== cp.reason)
        return { ok: false, detail: `${cp.actor} is blocked for ${cur.blocked}, not ${cp.reason}` };
      return { ok: true, detail: `${cp.actor} is blocked in ${name}() (${cur.blocked})` };
    }
    case 'actorReturned': {
      const a = view.actors[cp.actor];
      if (!a) return { ok: false, detail: `no actor ${cp.actor}` };
      const last = a.last;
      if (!last || last.call.call !== cp.call)
        return {
          ok: false,
          detail: `${cp.actor}'s last returned call is ${last ? last.call.call + '()' : 'none'}, not ${cp.call}()`,
        };
      const got = `${cp.call}() returned ${last.ret}${last.errno ? ' ' + last.errno : ''}`;
      if (cp.ret !== undefined && last.ret !== cp.ret)
        return { ok: false, detail: `${cp.actor}: ${got}, expected ${cp.ret}` };
      if (cp.retAtLeast !== undefined && (last.ret === null || last.ret < cp.retAtLeast))
        return { ok: false, detail: `${cp.actor}: ${got}, expected ≥ ${cp.retAtLeast}` };
      if (cp.errno !== undefined && last.errno !== cp.errno)
        return { ok: false, detail: `${cp.actor}: ${got}, expected ${cp.errno}` };
      return { ok: true, detail: `${cp.actor}: ${got}` };
    }
    case 'socketState': {
      const socks = socketsOf(view, cp);
      if (socks.length === 0) return { ok: false, detail: `no ${where(cp)}` };
      const hit = socks.find((s) =>
        cp.ever
          ? s.state === cp.state || s.transitions.some((t) => t.to === cp.state)
          : s.state === cp.state && (!cp.kernelConfirmed || s.confirmed),
      );
      if (hit)
        return {
          ok: true,
          detail: `${hit.id} ${cp.ever ? 'passed through' : 'is in'} ${cp.state}${cp.kernelConfirmed ? ' (kernel confirms)' : ''}`,
        };
      const now = socks
        .map((s) => `${s.id} ${s.state}${s.kernel ? ` (kernel ${s.kernel.state ?? 'none'})` : ''}`)
        .join(', ');
      return {
        ok: false,
        detail: `${where(cp)} not ${cp.ever ? 'yet through' : 'in'} ${cp.state}${cp.kernelConfirmed ? ' confirmed by the kernel' : ''}: ${now}`,
      };
    }
    case 'buffer': {
      const socks = socketsOf(view, cp);
      if (socks.length === 0) return { ok: false, detail: `no ${where(cp)}` };
      const sizes = socks.map((s) => ({ id: s.id, n: bufferBytes(s, cp.side) }));
      const best = sizes.reduce((x, y) => (y.n > x.n ? y : x));
      const ok = best.n >= cp.atLeast;
      return {
        ok,
        detail: `${best.id} ${cp.side} buffer holds ${best.n} bytes (${ok ? '≥' : '<'} ${cp.atLeast})`,
      };
    }
    case 'segmentSeen': {
      const segs = visibleSegments(view).filter(
        (g) =>
          cp.flags.every((f) => g.flags.includes(f)) &&
          !(cp.not ?? []).some((f) => g.flags.includes(f)) &&
          (cp.minLen === undefined || g.len >= cp.minLen) &&
          (cp.from === undefined || (g.from !== null && view.sockets[g.from]?.actor === cp.from)),
      );
      const need = cp.atLeast ?? 1;
      const what = `${cp.flags.join('+')}${cp.not?.length ? ` without ${cp.not.join('/')}` : ''}${cp.from ? ` from ${cp.from}` : ''}`;
      return { ok: segs.length >= need, detail: `${segs.length} segment(s) ${what} seen (need ${need})` };
    }
    case 'queueLength': {
      const n = acceptQueueLength(view, cp.actor);
      return {
        ok: n >= cp.atLeast,
        detail: `${n} connection(s) waiting in ${cp.actor}'s accept queue (need ${cp.atLeast})`,
      };
    }
    case 'countSockets': {
      const n = countInState(view, cp);
      return {
        ok: bounds(n, cp),
        detail: `${n} socket(s)${cp.actor ? ` of ${cp.actor}` : ''} in ${cp.state}${cp.kernelConfirmed ? ' (kernel confirmed)' : ''}, need ${boundsText(cp)}`,
      };
    }
    case 'fdCount': {
      const a = view.actors[cp.actor];
      if (!a) return { ok: false, detail: `no actor ${cp.actor}` };
      const n = Object.keys(a.fds).length;
      return { ok: bounds(n, cp), detail: `${cp.actor} holds ${n} descriptor(s), need ${boundsText(cp)}` };
    }
    case 'programEnded': {
      const a = view.actors[cp.actor];
      if (!a) return { ok: false, detail: `no actor ${cp.actor}` };
      const ok = a.program !== null && a.pc === null && a.current === null;
      return {
        ok,
        detail: ok ? `${cp.actor}'s program has ended` : `${cp.actor}'s program is still running`,
      };
    }
    case 'all': {
      const vs = cp.of.map((c) => evaluate(c, view));
      const bad = vs.find((v) => !v.ok);
      return bad ? bad : { ok: true, detail: vs.map((v) => v.detail).join('; ') };
    }
    case 'any': {
      const vs = cp.of.map((c) => evaluate(c, view));
      const good = vs.find((v) => v.ok);
      return good ? good : { ok: false, detail: vs.map((v) => v.detail).join(' | ') };
    }
    case 'not': {
      const v = evaluate(cp.of, view);
      return { ok: !v.ok, detail: `not (${v.detail})` };
    }
  }
}

/** A number a checkpoint counts, measured live: the window shows it while the student works. */
export interface Measure {
  kind: 'countSockets' | 'fdCount' | 'queueLength' | 'buffer';
  actor: ActorId | null;
  /** The state counted (countSockets) or the buffer side (buffer). */
  what: string | null;
  value: number;
}

/** The counts a checkpoint depends on (sockets in a state, descriptors, queue, buffer bytes), now. */
export function measures(cp: Checkpoint, view: ViewState): Measure[] {
  switch (cp.kind) {
    case 'all':
    case 'any':
      return cp.of.flatMap((c) => measures(c, view));
    case 'not':
      return measures(cp.of, view);
    case 'countSockets':
      return [{ kind: cp.kind, actor: cp.actor ?? null, what: cp.state, value: countInState(view, cp) }];
    case 'fdCount':
      return [
        {
          kind: cp.kind,
          actor: cp.actor,
          what: null,
          value: Object.keys(view.actors[cp.actor]?.fds ?? {}).length,
        },
      ];
    case 'queueLength':
      return [{ kind: cp.kind, actor: cp.actor, what: null, value: acceptQueueLength(view, cp.actor) }];
    case 'buffer': {
      const sizes = socketsOf(view, cp).map((s) => bufferBytes(s, cp.side));
      return [{ kind: cp.kind, actor: cp.actor, what: cp.side, value: Math.max(0, ...sizes) }];
    }
    default:
      return [];
  }
}
