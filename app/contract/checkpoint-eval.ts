/**
 * Judging checkpoints: `evaluate(checkpoint, view)` says whether a checkpoint holds on a view
 * and why (codes with parameters, verdicts.ts: the window says them in its language,
 * `verdictText` in English); `measures` gives the live numbers a step shows. Pure: it looks
 * only at the view. Part of the lesson language (lesson.ts re-exports it, and verdicts.ts).
 */
import { visibleSegments, type SocketView, type ViewState } from './reducer';
import type { ActorId } from './schema';
import type { Checkpoint } from './checkpoints';
import { sentBy, socketsOf, where } from './checkpoint-find';
import {
  judgeBytes,
  judgeNumberedSegments,
  judgeOutput,
  judgeProgramAt,
  judgeProgramEnded,
  judgeRetransmission,
  judgeSockopt,
} from './checkpoint-kinds';
import { vmsg, type VerdictMessage, type VerdictPart } from './verdicts';
import { own } from './own';

export * from './verdicts';

/**
 * The verdict on a checkpoint: whether it holds, and why, as codes with parameters
 * (verdicts.ts): the window says it in its language, `verdictText` in English for logs and tests.
 */
export interface Verdict {
  ok: boolean;
  detail: VerdictPart;
}

function bounds(n: number, c: { atLeast?: number; atMost?: number }): boolean {
  return (c.atLeast === undefined || n >= c.atLeast) && (c.atMost === undefined || n <= c.atMost);
}

function boundsPart(c: { atLeast?: number; atMost?: number }): VerdictMessage {
  if (c.atLeast !== undefined && c.atMost !== undefined)
    return vmsg('bounds.between', { min: c.atLeast, max: c.atMost });
  if (c.atLeast !== undefined) return vmsg('bounds.atLeast', { min: c.atLeast });
  if (c.atMost !== undefined) return vmsg('bounds.atMost', { max: c.atMost });
  return vmsg('bounds.any');
}

/** Lab sockets a countSockets checkpoint counts (of its actor, or all) that are in its state. */
function countInState(view: ViewState, cp: Extract<Checkpoint, { kind: 'countSockets' }>): number {
  const pool =
    cp.actor !== undefined
      ? socketsOf(view, { actor: cp.actor })
      : view.socketOrder.map((id) => own(view.sockets, id)!).filter((s) => s !== undefined);
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
  const no = (detail: VerdictPart): Verdict => ({ ok: false, detail });
  const yes = (detail: VerdictPart): Verdict => ({ ok: true, detail });
  switch (cp.kind) {
    case 'actorBlocked': {
      const a = own(view.actors, cp.actor);
      if (!a) return no(vmsg('actor.missing', { id: cp.actor }));
      const cur = a.current;
      if (!cur || cur.blocked === null) return no(vmsg('blocked.not', { actor: cp.actor }));
      const name = cur.call.call;
      if (cp.call !== undefined && name !== cp.call)
        return no(vmsg('blocked.wrongCall', { actor: cp.actor, call: name, wantCall: cp.call }));
      if (cp.reason !== undefined && cur.blocked !== cp.reason)
        return no(
          vmsg('blocked.wrongReason', { actor: cp.actor, reason: cur.blocked, wantReason: cp.reason }),
        );
      return yes(vmsg('blocked.ok', { actor: cp.actor, call: name, reason: cur.blocked }));
    }
    case 'actorReturned': {
      const a = own(view.actors, cp.actor);
      if (!a) return no(vmsg('actor.missing', { id: cp.actor }));
      const last = a.last;
      if (!last) return no(vmsg('returned.none', { actor: cp.actor, wantCall: cp.call }));
      if (last.call.call !== cp.call)
        return no(vmsg('returned.wrongCall', { actor: cp.actor, call: last.call.call, wantCall: cp.call }));
      const ret = String(last.ret);
      const got = last.errno
        ? vmsg('got.errno', { call: cp.call, ret, errno: last.errno })
        : vmsg('got.ret', { call: cp.call, ret });
      if (cp.ret !== undefined && last.ret !== cp.ret)
        return no(vmsg('returned.want', { actor: cp.actor, got, want: cp.ret }));
      if (cp.retAtLeast !== undefined && (last.ret === null || last.ret < cp.retAtLeast))
        return no(vmsg('returned.wantAtLeast', { actor: cp.actor, got, want: cp.retAtLeast }));
      if (cp.errno !== undefined && last.errno !== cp.errno)
        return no(vmsg('returned.want', { actor: cp.actor, got, want: cp.errno }));
      return yes(vmsg('returned.ok', { actor: cp.actor, got }));
    }
    case 'socketState': {
      const socks = socketsOf(view, cp);
      if (socks.length === 0) return no(vmsg('socket.none', { where: where(cp) }));
      const hit = socks.find((s) =>
        cp.ever
          ? s.state === cp.state || s.transitions.some((t) => t.to === cp.state)
          : s.state === cp.state && (!cp.kernelConfirmed || s.confirmed),
      );
      if (hit) {
        const code = cp.ever ? 'socket.passed' : cp.kernelConfirmed ? 'socket.inConfirmed' : 'socket.in';
        return yes(vmsg(code, { socket: hit.id, state: cp.state }));
      }
      const now = socks.map((s) =>
        !s.kernel
          ? vmsg('now.socket', { socket: s.id, state: s.state })
          : s.kernel.state === null
            ? vmsg('now.gone', { socket: s.id, state: s.state })
            : vmsg('now.kernel', { socket: s.id, state: s.state, kernel: s.kernel.state }),
      );
      const code = cp.ever
        ? 'socket.notYetThrough'
        : cp.kernelConfirmed
          ? 'socket.notConfirmed'
          : 'socket.notIn';
      return no(vmsg(code, { where: where(cp), state: cp.state, now }));
    }
    case 'buffer': {
      const socks = socketsOf(view, cp);
      if (socks.length === 0) return no(vmsg('socket.none', { where: where(cp) }));
      const sizes = socks.map((s) => ({ id: s.id, n: bufferBytes(s, cp.side) }));
      const best = sizes.reduce((x, y) => (y.n > x.n ? y : x));
      const ok = best.n >= cp.atLeast;
      const params = { socket: best.id, n: best.n, cmp: ok ? '≥' : '<', need: cp.atLeast };
      return { ok, detail: vmsg(cp.side === 'send' ? 'buffer.send' : 'buffer.recv', params) };
    }
    case 'bytes':
      return judgeBytes(cp, view);
    case 'output':
      return judgeOutput(cp, view);
    case 'programAt':
      return judgeProgramAt(cp, view);
    case 'sockopt':
      return judgeSockopt(cp, view);
    case 'retransmission':
      return judgeRetransmission(cp, view);
    case 'segmentSeen': {
      if (cp.seq !== undefined || cp.ack !== undefined) return judgeNumberedSegments(cp, view);
      const segs = visibleSegments(view).filter(
        (g) =>
          cp.flags.every((f) => g.flags.includes(f)) &&
          !(cp.not ?? []).some((f) => g.flags.includes(f)) &&
          (cp.minLen === undefined || g.len >= cp.minLen) &&
          sentBy(view, g, cp.from),
      );
      const need = cp.atLeast ?? 1;
      const n = segs.length;
      const flags = cp.flags.join('+');
      const not = cp.not?.length ? cp.not.join('/') : null;
      const from = cp.from;
      const detail =
        not !== null && from
          ? vmsg('segments.seenWithoutFrom', { n, flags, not, from, need })
          : not !== null
            ? vmsg('segments.seenWithout', { n, flags, not, need })
            : from
              ? vmsg('segments.seenFrom', { n, flags, from, need })
              : vmsg('segments.seen', { n, flags, need });
      return { ok: n >= need, detail };
    }
    case 'queueLength': {
      const n = acceptQueueLength(view, cp.actor);
      const detail =
        cp.atMost === undefined && cp.atLeast !== undefined
          ? vmsg('queue.length', { n, actor: cp.actor, need: cp.atLeast })
          : vmsg('queue.lengthBounds', { n, actor: cp.actor, bounds: boundsPart(cp) });
      return { ok: bounds(n, cp), detail };
    }
    case 'countSockets': {
      const n = countInState(view, cp);
      const need = boundsPart(cp);
      const detail = cp.actor
        ? vmsg(cp.kernelConfirmed ? 'count.socketsOfConfirmed' : 'count.socketsOf', {
            n,
            actor: cp.actor,
            state: cp.state,
            bounds: need,
          })
        : vmsg(cp.kernelConfirmed ? 'count.socketsConfirmed' : 'count.sockets', {
            n,
            state: cp.state,
            bounds: need,
          });
      return { ok: bounds(n, cp), detail };
    }
    case 'fdCount': {
      const a = own(view.actors, cp.actor);
      if (!a) return no(vmsg('actor.missing', { id: cp.actor }));
      const n = Object.keys(a.fds).length;
      return { ok: bounds(n, cp), detail: vmsg('count.fds', { actor: cp.actor, n, bounds: boundsPart(cp) }) };
    }
    case 'programEnded':
      return judgeProgramEnded(cp, view);
    case 'all': {
      const vs = cp.of.map((c) => evaluate(c, view));
      const bad = vs.find((v) => !v.ok);
      return bad ? bad : yes({ all: vs.map((v) => v.detail) });
    }
    case 'any': {
      const vs = cp.of.map((c) => evaluate(c, view));
      const good = vs.find((v) => v.ok);
      return good ? good : no({ any: vs.map((v) => v.detail) });
    }
    case 'not': {
      const v = evaluate(cp.of, view);
      return { ok: !v.ok, detail: { not: v.detail } };
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
          value: Object.keys(own(view.actors, cp.actor)?.fds ?? {}).length,
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
