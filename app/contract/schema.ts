/**
 * The one contract between the lab engine and the window: commands the window may send
 * (commands.ts, re-exported here), events the engine emits, and their runtime schemas. Types are inferred from the schemas,
 * so a payload that passes `parse` is exactly the type the code expects.
 *
 * Imported by app/core, app/main, app/preload, app/web and renderer. No Node or DOM import.
 */
import { z } from 'zod';
import { callForEvent } from './call-preview';
import { SayableSchema } from './message-schema';
import { ProgramEndSchema, ProgramSchema, FrameViewSchema, MAX_OUTPUT_CHUNK } from './program';
import {
  ActorIdSchema,
  EndpointSchema,
  FdSchema,
  MAX_WRITE_BYTES,
  CAPTURE_STATES,
  SEGMENT_SOURCES,
  STATE_SOURCES,
  SocketIdSchema,
  TcpStateSchema,
} from './basics';
import {
  BlockReasonSchema,
  CallNameSchema,
  CallSchema,
  ErrnoSchema,
  PollEventSchema,
  SockOptValueSchema,
} from './calls';

export * from './basics';
export * from './calls';
export * from './commands';
export * from './messages';
export * from './message-schema';
export * from './program';

// ---------------------------------------------------------------------------------------
// Events: the append-only log. Every event has a sequence number and a timestamp.

const Base = {
  /** 1, 2, 3, … in the order the engine emitted them. */
  seq: z.number().int().min(1),
  /** Wall-clock time in milliseconds since the Unix epoch (fractional: microseconds). */
  t: z.number(),
};

export const TCP_FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR'] as const;
export const TcpFlagSchema = z.enum(TCP_FLAGS);
export type TcpFlag = z.infer<typeof TcpFlagSchema>;

export const BuffersSchema = z.object({
  /** Bytes of the write() in progress not yet copied into the kernel (the program still holds them). */
  sendApp: z.number().int().min(0),
  /** The kernel's send queue (tx_queue): sent but not acknowledged, or not yet sent. */
  sendKernel: z.number().int().min(0),
  /** The kernel's receive queue (rx_queue): arrived, not yet taken by the process. */
  recvKernel: z.number().int().min(0),
  /**
   * Bytes taken from the kernel but not yet read by the program: always 0 now that read() is the
   * kernel's own recv(2) (kept so traces of the earlier engine still open).
   */
  recvApp: z.number().int().min(0),
  /** The first bytes waiting in the send buffer, as text (at most 64 characters). */
  sendPreview: z.string().max(256),
  /** The first bytes waiting to be read, as text (at most 64 characters). */
  recvPreview: z.string().max(256),
  /** A FIN has arrived and sits behind the bytes above. */
  finReceived: z.boolean(),
});
export type Buffers = z.infer<typeof BuffersSchema>;

/** A call's out-parameters: poll's revents, select's ready sets, getsockopt's value, fcntl's flags. */
export const CallOutSchema = z
  .object({
    revents: z.array(z.object({ fd: z.number().int(), revents: z.array(PollEventSchema) }).strict()).max(64),
    readfds: z.array(FdSchema).max(64),
    writefds: z.array(FdSchema).max(64),
    optval: SockOptValueSchema,
    flags: z.array(z.enum(['O_NONBLOCK'])).max(1),
    /** accept's peer, getsockname's or getpeername's address. */
    addr: EndpointSchema.extend({ family: z.enum(['inet', 'inet6']) }).strict(),
    /** read's bytes, write's: as text, while among the socket's first 4096 that way (view.ts SOCKET_TEXT_KEEP). */
    data: z.string().max(4096),
  })
  .partial()
  .strict();
export type CallOut = z.infer<typeof CallOutSchema>;

/** A write as an event carries it: `data` is a preview, `bytes` the length written. */
const WriteEventCallSchema = z
  .object({
    call: z.literal('write'),
    args: z
      .object({
        fd: FdSchema,
        data: z.string().max(MAX_WRITE_BYTES).optional(),
        fill: z.number().int().min(1).max(MAX_WRITE_BYTES).optional(),
        bytes: z
          .number()
          .int()
          .min(0)
          .max(4 * MAX_WRITE_BYTES),
      })
      .strict()
      .refine((a) => (a.data === undefined) !== (a.fill === undefined), {
        message: 'write takes either data or fill, not both and not neither',
      }),
  })
  .strict();

/**
 * A call as `call.started` carries it ({@link EventCall}). Traces saved before previews hold
 * the whole write: they are read as a call and cut on the way in.
 */
export const EventCallSchema = z.union([WriteEventCallSchema, CallSchema]).transform(callForEvent);

export const EventSchema = z.discriminatedUnion('type', [
  /** The lab started or was reset: views start from scratch. */
  z.object({
    ...Base,
    type: z.literal('lab.reset'),
    platform: z.string(),
    /** Where kernel states come from: Linux /proc/net/tcp, netstat, or nowhere. */
    kernelSource: z.enum(['sockdiag', 'procfs', 'netstat', 'none']),
  }),
  z.object({
    ...Base,
    type: z.literal('actor.added'),
    actor: ActorIdSchema,
    kind: z.enum(['server', 'client']),
  }),
  z.object({ ...Base, type: z.literal('program.loaded'), actor: ActorIdSchema, program: ProgramSchema }),
  /**
   * Where the actor's program is: the line (1-based) of the statement it runs next, or of the
   * call it is in; null once it has ended. `frames`: the call stack, innermost first, with
   * each frame's variables. Sent when the program stops or pauses, and at each call.
   */
  z.object({
    ...Base,
    type: z.literal('program.pc'),
    actor: ActorIdSchema,
    line: z.number().int().min(1).nullable(),
    frames: z.array(FrameViewSchema).max(16),
    /** Statements executed since the program was loaded. */
    steps: z.number().int().min(0),
  }),
  /** What the program printed (printf, puts to stdout; perror, fputs to stderr). */
  z.object({
    ...Base,
    type: z.literal('program.output'),
    actor: ActorIdSchema,
    stream: z.enum(['stdout', 'stderr']),
    text: z.string().max(MAX_OUTPUT_CHUNK),
  }),
  /** The program stopped: exit() or main's return (with the status), or a fault at a line. */
  z.object({ ...Base, type: z.literal('program.ended'), actor: ActorIdSchema, end: ProgramEndSchema }),
  z.object({
    ...Base,
    type: z.literal('call.started'),
    actor: ActorIdSchema,
    callId: z.string(),
    /** The call, a write's data cut to a preview with its length (see call-preview.ts). */
    call: EventCallSchema,
    /** Program line (1-based) the call came from; absent for sandbox calls. */
    line: z.number().int().min(1).optional(),
    /** The call as C would print it (strace's notation), for a program's call. */
    text: z.string().max(300).optional(),
  }),
  z.object({
    ...Base,
    type: z.literal('call.blocked'),
    actor: ActorIdSchema,
    callId: z.string(),
    reason: BlockReasonSchema,
  }),
  z.object({
    ...Base,
    type: z.literal('call.returned'),
    actor: ActorIdSchema,
    callId: z.string(),
    call: CallNameSchema,
    ret: z.number().int(),
    errno: ErrnoSchema.optional(),
    /** A note explaining the result (a message), or what was read (note.read: the bytes as text, cut). */
    detail: SayableSchema(512).optional(),
    /** What the call wrote back besides its return value (C's out-parameters). */
    out: CallOutSchema.optional(),
  }),
  z.object({
    ...Base,
    type: z.literal('fd.opened'),
    actor: ActorIdSchema,
    fd: FdSchema,
    socket: SocketIdSchema,
  }),
  z.object({
    ...Base,
    type: z.literal('fd.closed'),
    actor: ActorIdSchema,
    fd: FdSchema,
    socket: SocketIdSchema,
  }),
  /**
   * A socket the lab knows: opened by a lab actor, or (external: true) a peer on loopback
   * outside the lab, seen on the other end of a lab connection.
   */
  z.object({
    ...Base,
    type: z.literal('socket.created'),
    socket: SocketIdSchema,
    actor: ActorIdSchema.nullable(),
    family: z.enum(['inet', 'inet6']),
    /** The listening socket this connection was accepted from, if any. */
    listener: SocketIdSchema.optional(),
  }),
  z.object({
    ...Base,
    type: z.literal('socket.address'),
    socket: SocketIdSchema,
    local: EndpointSchema.nullable(),
    remote: EndpointSchema.nullable(),
    /** The lab socket on the other end, when the peer is a lab socket. */
    peer: SocketIdSchema.nullable(),
  }),
  /** The model's state machine moved. */
  z.object({
    ...Base,
    type: z.literal('socket.state'),
    socket: SocketIdSchema,
    from: TcpStateSchema,
    to: TcpStateSchema,
    /** What moved it: a message (cause.*), or an older trace's English words. */
    cause: SayableSchema(80),
    /**
     * Who saw it: the kernel (TCP_INFO through the descriptor, the kernel's socket table, or
     * its state-change tracepoint), or nobody — a step between two kernel readings that the
     * state machine implies ('inferred'; traces from before this field read as inferred).
     */
    source: z.enum(STATE_SOURCES).optional(),
    /** When the kernel made the change (its tracepoint's timestamp), µs since the epoch. */
    tsUs: z.number().optional(),
  }),
  /** What the kernel's socket table says of this socket now (only sent when it changed). */
  z.object({
    ...Base,
    type: z.literal('socket.kernel'),
    socket: SocketIdSchema,
    /** null: the kernel has no row for this socket (any more). */
    state: TcpStateSchema.nullable(),
    sendQ: z.number().int().min(0),
    recvQ: z.number().int().min(0),
    /** Time left on the kernel's timer for this socket (TIME_WAIT), in ms; null if none. */
    timerMs: z.number().min(0).nullable(),
  }),
  z.object({ ...Base, type: z.literal('socket.buffers'), socket: SocketIdSchema, buffers: BuffersSchema }),
  /**
   * The listening socket's accept queue as the kernel reports it (TCP_INFO: tcpi_unacked is
   * the connections waiting for accept(), tcpi_sacked the limit listen()'s backlog set).
   */
  z.object({
    ...Base,
    type: z.literal('socket.queue'),
    socket: SocketIdSchema,
    length: z.number().int().min(0),
    backlog: z.number().int().min(0),
  }),
  /** The lab let go of this socket: no descriptor refers to it any more. */
  z.object({ ...Base, type: z.literal('socket.released'), socket: SocketIdSchema }),
  /** A TCP segment: captured on the wire, or inferred from the state machine. */
  z.object({
    ...Base,
    type: z.literal('segment'),
    source: z.enum(SEGMENT_SOURCES),
    src: EndpointSchema,
    dst: EndpointSchema,
    /** Lab sockets at each end, where known. */
    from: SocketIdSchema.nullable(),
    to: SocketIdSchema.nullable(),
    flags: z.array(TcpFlagSchema),
    /** Absolute sequence and acknowledgement numbers (null when the source cannot know). */
    seqNo: z.number().int().min(0).max(0xffffffff).nullable(),
    ackNo: z.number().int().min(0).max(0xffffffff).nullable(),
    len: z.number().int().min(0),
    win: z.number().int().min(0).nullable(),
    options: z.array(z.string()).default([]),
    /** Capture timestamp in microseconds since the epoch (inferred: the engine's clock). */
    tsUs: z.number(),
  }),
  z.object({
    ...Base,
    type: z.literal('capture.status'),
    status: z.enum(CAPTURE_STATES),
    tool: z.string().nullable(),
    /** Why capture is not on, in plain words. */
    reason: SayableSchema(1000).nullable(),
  }),
  /** A limit was hit or something went wrong outside any call; shown in the log. */
  z.object({
    ...Base,
    type: z.literal('lab.notice'),
    level: z.enum(['info', 'warning', 'error']),
    text: SayableSchema(1000),
  }),
]);
/** One entry of the event log. */
export type LabEvent = z.infer<typeof EventSchema>;
export type LabEventType = LabEvent['type'];
/** An event before the log numbers and stamps it. */
export type LabEventInput = LabEvent extends infer E
  ? E extends LabEvent
    ? Omit<E, 'seq' | 't'>
    : never
  : never;
