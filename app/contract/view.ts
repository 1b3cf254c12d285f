/**
 * The view state: everything the window shows, as the reducer (reducer.ts) builds it from
 * the events. Plain data; part of the contract (reducer.ts re-exports it).
 */
import type {
  CaptureState,
  SegmentSource,
  StateSource,
  ActorId,
  BlockReason,
  Buffers,
  CallOut,
  Endpoint,
  Errno,
  Program,
  SocketId,
  TcpFlag,
  TcpState,
  Sayable,
  FrameView,
  ProgramEnd,
  SockOptName,
  SockOptValue,
} from './schema';
import { previewText } from './call-preview';

/** Most characters of program output the view keeps per actor (older output is dropped). */
export const OUTPUT_KEEP = 64 * 1024;

/** Some output of a program, on one stream. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}
import type { EventCall } from './call-preview';

/**
 * Most bytes of each direction of a socket whose text the view keeps: what the program read
 * from it, what it wrote on it. The engine carries no more (call.returned's `out.data`); the
 * byte counts go on past it.
 */
export const SOCKET_TEXT_KEEP = 4096;

/** What the program read from a socket, or wrote on it. */
export interface SocketText {
  /** The first SOCKET_TEXT_KEEP bytes as UTF-8 text (a character cut by the bound is left out). */
  text: string;
  /** Every byte: the sum of the calls' return values. */
  bytes: number;
}

/** The call an actor is in, or last made. */
export interface CallView {
  callId: string;
  /** The call as its call.started event carries it (a write's data cut to a preview). */
  call: EventCall;
  /** The call as C would print it (strace's notation), for a program's call; null for the sandbox's. */
  text: string | null;
  line: number | null;
  /** Set while blocked. */
  blocked: BlockReason | null;
  /** Set once returned. */
  ret: number | null;
  errno: Errno | null;
  detail: Sayable | null;
  /** The call's out-parameters (poll's revents, getsockopt's value, …), once returned. */
  out: CallOut | null;
  startedSeq: number;
  endedSeq: number | null;
}

export interface ActorView {
  id: ActorId;
  kind: 'server' | 'client';
  /** Descriptor table: fd number → socket. */
  fds: Record<number, SocketId>;
  program: Program | null;
  /** Line (1-based) of the statement the program runs next, or is in; null once it has ended (or none is loaded). */
  pc: number | null;
  /** The call stack at the last stop, innermost first, with each frame's variables. */
  frames: FrameView[];
  /** Statements executed since the program was loaded (0: not started). */
  steps: number;
  /** What the program printed, oldest first, at most OUTPUT_KEEP characters in all. */
  output: OutputChunk[];
  /** How the program stopped, once it has. */
  end: ProgramEnd | null;
  /** The call in progress (blocked or running), or null. */
  current: CallView | null;
  /** The last call that returned. */
  last: CallView | null;
}

export interface KernelView {
  state: TcpState | null;
  sendQ: number;
  recvQ: number;
  timerMs: number | null;
  /** Event number of this observation and its wall-clock time (for the timer countdown). */
  seq: number;
  t: number;
}

export interface TransitionView {
  from: TcpState;
  to: TcpState;
  cause: Sayable;
  /** 'kernel': a kernel source saw this state; 'inferred': implied between two readings. */
  source: StateSource;
  /** When the kernel made it (its tracepoint), µs since the epoch; absent otherwise. */
  tsUs?: number;
  seq: number;
  t: number;
}

export interface SocketView {
  id: SocketId;
  actor: ActorId | null;
  family: 'inet' | 'inet6';
  listener: SocketId | null;
  local: Endpoint | null;
  remote: Endpoint | null;
  peer: SocketId | null;
  /** The model's state. */
  state: TcpState;
  /** Every model transition, oldest first. */
  transitions: TransitionView[];
  /** The kernel's latest word on this socket; null until the observer has seen it. */
  kernel: KernelView | null;
  /** The kernel's state equals the model's. */
  confirmed: boolean;
  buffers: Buffers;
  /** The kernel's accept queue (listening sockets): connections waiting for accept(), and its limit. */
  acceptQueue: { length: number; backlog: number } | null;
  /** Descriptors (actor, fd) that refer to this socket. */
  refs: { actor: ActorId; fd: number }[];
  released: boolean;
  /** What the program read from this socket (read/recv that returned > 0); absent before. */
  received?: SocketText;
  /** What the program wrote on this socket (write/send that returned > 0); absent before. */
  sent?: SocketText;
  /** The options a setsockopt that returned 0 set on this socket, each its last value; absent before. */
  options?: Partial<Record<SockOptName, SockOptValue>>;
}

export interface SegmentView {
  seq: number;
  t: number;
  source: SegmentSource;
  src: Endpoint;
  dst: Endpoint;
  from: SocketId | null;
  to: SocketId | null;
  flags: TcpFlag[];
  seqNo: number | null;
  ackNo: number | null;
  len: number;
  win: number | null;
  options: string[];
  tsUs: number;
  /** Connection key (both endpoints, ordered), for grouping and relative numbers. */
  conn: string;
}

export interface CaptureView {
  status: CaptureState;
  tool: string | null;
  reason: Sayable | null;
}

export interface NoticeView {
  seq: number;
  level: 'info' | 'warning' | 'error';
  text: Sayable;
}

/** Everything the window shows, as of event `seq`. */
export interface ViewState {
  seq: number;
  t: number;
  platform: string;
  kernelSource: 'sockdiag' | 'procfs' | 'netstat' | 'none';
  actorOrder: ActorId[];
  actors: Record<ActorId, ActorView>;
  socketOrder: SocketId[];
  sockets: Record<SocketId, SocketView>;
  /** Every segment, in the order seen (captured and inferred: see visibleSegments). */
  segments: SegmentView[];
  /** Connections for which captured segments exist: their inferred ones are hidden. */
  capturedConns: Record<string, true>;
  /**
   * The segments the cap (MAX_VIEW_SEGMENTS) dropped, per source and connection
   * ("captured <conn>": segment-cap.ts). SYN, FIN, RST and a connection's handshake ACK go
   * last.
   */
  droppedSegments: Record<string, DroppedSegments>;
  capture: CaptureView;
  notices: NoticeView[];
}

/** What the view dropped of one connection's segments of one source. */
export interface DroppedSegments {
  /** How many. */
  n: number;
  /** The newest one's event number and capture time (µs): where they are missing. */
  lastSeq: number;
  lastTsUs: number;
}

/**
 * Most segments kept in the view; past it the oldest plain ones (no SYN, FIN or RST, not a
 * handshake's ACK) are dropped first (segment-cap.ts; the log keeps them all).
 */
export const MAX_VIEW_SEGMENTS = 5000;
/** Most notices kept in the view. */
export const MAX_VIEW_NOTICES = 200;

export const EMPTY_BUFFERS: Buffers = {
  sendApp: 0,
  sendKernel: 0,
  recvKernel: 0,
  recvApp: 0,
  sendPreview: '',
  recvPreview: '',
  finReceived: false,
};

/** The view before any event. */
export function initialViewState(): ViewState {
  return {
    seq: 0,
    t: 0,
    platform: '',
    kernelSource: 'none',
    actorOrder: [],
    actors: {},
    socketOrder: [],
    sockets: {},
    segments: [],
    capturedConns: {},
    droppedSegments: {},
    capture: { status: 'off', tool: null, reason: null },
    notices: [],
  };
}

/**
 * The socket a returned call changed in the view: a read or write that moved bytes (> 0), a
 * setsockopt that returned 0; found by the call's descriptor in the actor's table.
 */
export function callSocket(a: ActorView, call: EventCall, ret: number): SocketId | undefined {
  const moved = ret > 0 && (call.call === 'read' || call.call === 'write');
  return moved || (ret === 0 && call.call === 'setsockopt') ? a.fds[call.args.fd] : undefined;
}

/** A socket after one of its calls returned (see callSocket): the bytes read or written, the option set. */
export function socketAfterCall(
  k: SocketView,
  call: EventCall,
  ret: number,
  out: CallOut | undefined,
): SocketView {
  if (call.call === 'setsockopt')
    return { ...k, options: { ...k.options, [call.args.opt]: call.args.value } };
  if (call.call !== 'read' && call.call !== 'write') return k;
  const key = call.call === 'read' ? 'received' : 'sent';
  const was = k[key] ?? { text: '', bytes: 0 };
  const text =
    out?.data && was.text.length < SOCKET_TEXT_KEEP
      ? previewText(was.text + out.data, SOCKET_TEXT_KEEP)
      : was.text;
  return { ...k, [key]: { text, bytes: was.bytes + ret } };
}
