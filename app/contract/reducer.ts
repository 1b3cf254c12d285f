/**
 * The pure reducer from events to view state. The same function serves the live view,
 * stepping back through the timeline, replay of a saved trace, lesson checkpoints and tests:
 * reducing the first N events gives the lab as it was after event N.
 *
 * The reducer never mutates its input state: it returns a new object for every part that
 * changed (structural sharing), so a view of event N can be kept while N+1 is reduced.
 */
import type { ActorId, CallName, LabEvent, SegmentSource, SocketId } from './schema';
import type { EventCall } from './call-preview';
import {
  callSocket,
  EMPTY_BUFFERS,
  initialViewState,
  MAX_VIEW_NOTICES,
  OUTPUT_KEEP,
  socketAfterCall,
  type OutputChunk,
  type ActorView,
  type CallView,
  type NoticeView,
  type SegmentView,
  type SocketView,
  type ViewState,
} from './view';
import { appendCapped, heldBy, runFrom, type CappedRun, withDrop as countIn } from './segment-cap';
import { own } from './own';
import { connKey } from './selectors';

export * from './view';
export * from './selectors';
export { droppedOf, isControlSegment } from './segment-cap';

/**
 * The records (actors, sockets) made during the running `reduceMany`, which no view outside
 * it can hold: those are updated in place, so a batch copies each record once, not once per
 * event (a copy costs as much as the record has sockets). Null outside reduceMany.
 */
let owned: WeakSet<object> | null = null;

/** `rec` with `key` set to `value`: a copy, or `rec` itself when this reduceMany made it. */
function withEntry<T>(rec: Record<string, T>, key: string, value: T): Record<string, T> {
  if (owned?.has(rec)) {
    rec[key] = value;
    return rec;
  }
  const next = { ...rec, [key]: value };
  owned?.add(next);
  return next;
}

function updateActor(s: ViewState, id: ActorId, f: (a: ActorView) => ActorView): ViewState {
  const a = own(s.actors, id);
  if (!a) return s;
  return { ...s, actors: withEntry(s.actors, id, f(a)) };
}

function updateSocket(s: ViewState, id: SocketId, f: (k: SocketView) => SocketView): ViewState {
  const k = own(s.sockets, id);
  if (!k) return s;
  const next = f(k);
  next.confirmed = next.kernel !== null && next.kernel.state === next.state;
  return { ...s, sockets: withEntry(s.sockets, id, next) };
}

function findCall(a: ActorView, callId: string): CallView | null {
  if (a.current?.callId === callId) return a.current;
  return null;
}

/** Apply one event. Unknown actors or sockets are ignored (the schema already checked shapes). */
export function reduce(prev: ViewState, e: LabEvent): ViewState {
  let s: ViewState = { ...prev, seq: e.seq, t: e.t };
  switch (e.type) {
    case 'lab.reset': {
      const fresh = initialViewState();
      return {
        ...fresh,
        seq: e.seq,
        t: e.t,
        platform: e.platform,
        kernelSource: e.kernelSource,
        capture: prev.capture,
      };
    }
    case 'actor.added':
      if (own(s.actors, e.actor)) return s;
      return {
        ...s,
        actorOrder: [...s.actorOrder, e.actor],
        actors: withEntry(s.actors, e.actor, {
          id: e.actor,
          kind: e.kind,
          fds: {},
          program: null,
          pc: null,
          frames: [],
          steps: 0,
          output: [],
          end: null,
          current: null,
          last: null,
        }),
      };
    case 'program.loaded':
      return updateActor(s, e.actor, (a) => ({
        ...a,
        program: e.program,
        pc: null,
        frames: [],
        steps: 0,
        output: [],
        end: null,
        last: null,
      }));
    case 'program.pc':
      return updateActor(s, e.actor, (a) => ({ ...a, pc: e.line, frames: e.frames, steps: e.steps }));
    case 'program.output':
      return updateActor(s, e.actor, (a) => ({ ...a, output: appendOutput(a.output, e.stream, e.text) }));
    case 'program.ended':
      return updateActor(s, e.actor, (a) => ({ ...a, pc: null, end: e.end }));
    case 'call.started':
      return updateActor(s, e.actor, (a) => ({
        ...a,
        current: {
          callId: e.callId,
          call: e.call,
          text: e.text ?? null,
          line: e.line ?? null,
          blocked: null,
          ret: null,
          errno: null,
          detail: null,
          out: null,
          startedSeq: e.seq,
          endedSeq: null,
        },
      }));
    case 'call.blocked':
      return updateActor(s, e.actor, (a) => {
        const c = findCall(a, e.callId);
        return c ? { ...a, current: { ...c, blocked: e.reason } } : a;
      });
    case 'call.returned': {
      const a0 = own(s.actors, e.actor);
      const c0 = a0 && findCall(a0, e.callId);
      const sock = c0 ? callSocket(a0, c0.call, e.ret) : undefined;
      if (c0 && sock !== undefined)
        s = updateSocket(s, sock, (k) => socketAfterCall(k, c0.call, e.ret, e.out));
      return updateActor(s, e.actor, (a) => {
        const c = findCall(a, e.callId);
        if (!c) return a;
        const done: CallView = {
          ...c,
          blocked: null,
          ret: e.ret,
          errno: e.errno ?? null,
          detail: e.detail ?? null,
          out: e.out ?? null,
          endedSeq: e.seq,
        };
        return { ...a, current: null, last: done };
      });
    }
    case 'fd.opened':
      s = updateActor(s, e.actor, (a) => ({ ...a, fds: { ...a.fds, [e.fd]: e.socket } }));
      return updateSocket(s, e.socket, (k) => ({ ...k, refs: [...k.refs, { actor: e.actor, fd: e.fd }] }));
    case 'fd.closed':
      s = updateActor(s, e.actor, (a) => {
        const fds = { ...a.fds };
        delete fds[e.fd];
        return { ...a, fds };
      });
      return updateSocket(s, e.socket, (k) => ({
        ...k,
        refs: k.refs.filter((r) => !(r.actor === e.actor && r.fd === e.fd)),
      }));
    case 'socket.created':
      if (own(s.sockets, e.socket)) return s;
      return {
        ...s,
        socketOrder: [...s.socketOrder, e.socket],
        sockets: withEntry(s.sockets, e.socket, {
          id: e.socket,
          actor: e.actor,
          family: e.family,
          listener: e.listener ?? null,
          local: null,
          remote: null,
          peer: null,
          state: 'CLOSED',
          transitions: [],
          kernel: null,
          confirmed: false,
          buffers: EMPTY_BUFFERS,
          acceptQueue: null,
          refs: [],
          released: false,
        }),
      };
    case 'socket.address':
      return updateSocket(s, e.socket, (k) => ({ ...k, local: e.local, remote: e.remote, peer: e.peer }));
    case 'socket.state':
      return updateSocket(s, e.socket, (k) => ({
        ...k,
        state: e.to,
        transitions: [
          ...k.transitions,
          {
            from: e.from,
            to: e.to,
            cause: e.cause,
            source: e.source ?? 'inferred',
            ...(e.tsUs !== undefined ? { tsUs: e.tsUs } : {}),
            seq: e.seq,
            t: e.t,
          },
        ],
      }));
    case 'socket.kernel':
      return updateSocket(s, e.socket, (k) => ({
        ...k,
        kernel: { state: e.state, sendQ: e.sendQ, recvQ: e.recvQ, timerMs: e.timerMs, seq: e.seq, t: e.t },
      }));
    case 'socket.buffers':
      return updateSocket(s, e.socket, (k) => ({ ...k, buffers: e.buffers }));
    case 'socket.queue':
      return updateSocket(s, e.socket, (k) => ({
        ...k,
        acceptQueue: { length: e.length, backlog: e.backlog },
      }));
    case 'socket.released':
      return updateSocket(s, e.socket, (k) => ({ ...k, released: true }));
    case 'segment': {
      const seg = segmentView(e);
      const { segments, dropped } = appendCapped(s.segments, seg);
      return {
        ...s,
        segments,
        capturedConns: withConn(s.capturedConns, e.source, seg.conn),
        droppedSegments: countIn(s.droppedSegments, dropped, withEntry),
      };
    }
    case 'capture.status':
      return { ...s, capture: { status: e.status, tool: e.tool, reason: e.reason } };
    case 'lab.notice': {
      const n: NoticeView = { seq: e.seq, level: e.level, text: e.text };
      const notices =
        s.notices.length >= MAX_VIEW_NOTICES
          ? [...s.notices.slice(1 - MAX_VIEW_NOTICES), n]
          : [...s.notices, n];
      return { ...s, notices };
    }
    default: {
      const never: never = e;
      void never;
      return s;
    }
  }
}

/** A segment event as the view keeps it. */
function segmentView(e: Extract<LabEvent, { type: 'segment' }>): SegmentView {
  return {
    seq: e.seq,
    t: e.t,
    source: e.source,
    src: e.src,
    dst: e.dst,
    from: e.from,
    to: e.to,
    flags: e.flags,
    seqNo: e.seqNo,
    ackNo: e.ackNo,
    len: e.len,
    win: e.win,
    options: e.options ?? [],
    tsUs: e.tsUs,
    conn: connKey(e.src, e.dst),
  };
}

/** The captured connections, with `conn` added when this segment was captured. */
function withConn(captured: Record<string, true>, source: SegmentSource, conn: string): Record<string, true> {
  return source === 'captured' && !own(captured, conn) ? { ...captured, [conn]: true as const } : captured;
}

/**
 * Apply `events[from..to)` to `prev`: exactly what applying `reduce` to each in turn gives,
 * faster for long runs. `reduce` copies the segment list for every segment (it cannot touch
 * the list an earlier view holds); here the list is copied once per call and the states in
 * between, which nobody else sees, share a placeholder (no event but a segment reads the
 * list; the run's cap, segment-cap.ts, drops what `reduce` would). A captured 100 MB
 * transfer sends thousands of segments, each copy up to MAX_VIEW_SEGMENTS long. Likewise the
 * actors and sockets records are copied once per call (see `owned`). `prev` and its parts
 * are left untouched.
 */
export function reduceMany(
  prev: ViewState,
  events: readonly LabEvent[],
  from = 0,
  to = events.length,
): ViewState {
  const outer = owned;
  owned = new WeakSet();
  try {
    return reduceRun(prev, events, from, to);
  } finally {
    owned = outer;
  }
}

function reduceRun(prev: ViewState, events: readonly LabEvent[], from: number, to: number): ViewState {
  let s = prev;
  // The segments this call holds, or null; `held` is the states' placeholder (a reset
  // replaces it, and a segment after that starts a new run from the reset's list).
  let run: CappedRun | null = null;
  let held: SegmentView[] | null = null;
  const end = Math.min(to, events.length);
  for (let i = Math.max(0, from); i < end; i++) {
    const e = events[i]!;
    if (e.type !== 'segment') {
      s = reduce(s, e);
      continue;
    }
    const seg = segmentView(e);
    if (!run || s.segments !== held) {
      run = runFrom(s.segments);
      held = [];
    }
    const dropped = run.push(seg);
    s = {
      ...s,
      seq: e.seq,
      t: e.t,
      segments: held!,
      capturedConns: withConn(s.capturedConns, e.source, seg.conn),
      droppedSegments: countIn(s.droppedSegments, dropped, withEntry),
    };
  }
  if (run && s.segments === held) s = { ...s, segments: heldBy(run) };
  return s;
}

/** Reduce a whole list of events (or its first `n`) from the initial state. */
export function reduceAll(events: readonly LabEvent[], n = events.length): ViewState {
  return reduceMany(initialViewState(), events, 0, n);
}

/** The name of a call, for logs and labels. */
export function callName(c: EventCall): CallName {
  return c.call;
}

/** `out` with `text` added on `stream`, joined to the last chunk of the same stream, the oldest dropped past OUTPUT_KEEP. */
function appendOutput(out: OutputChunk[], stream: OutputChunk['stream'], text: string): OutputChunk[] {
  const last = out[out.length - 1];
  const next =
    last && last.stream === stream
      ? [...out.slice(0, -1), { stream, text: last.text + text }]
      : [...out, { stream, text }];
  let total = next.reduce((n, c) => n + c.text.length, 0);
  while (total > OUTPUT_KEEP && next.length) {
    const first = next[0]!;
    const cut = total - OUTPUT_KEEP;
    if (first.text.length <= cut) {
      next.shift();
      total -= first.text.length;
    } else {
      next[0] = { stream: first.stream, text: first.text.slice(cut) };
      total -= cut;
    }
  }
  return next;
}
