/**
 * The one contract between the lab engine and the window: commands the window may send,
 * events the engine emits, and their runtime schemas. Types are inferred from the schemas,
 * so a payload that passes `parse` is exactly the type the code expects.
 *
 * Imported by app/core, app/main, app/preload, app/web and renderer. No Node or DOM import.
 */
import { z } from 'zod';
import { callForEvent } from './call-preview';

/** The eleven TCP states of RFC 793, spelled as Linux spells them in its docs and ss(8). */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;
export const TcpStateSchema = z.enum(TCP_STATES);
/** One of the eleven TCP states. */
export type TcpState = z.infer<typeof TcpStateSchema>;

/** The POSIX-like calls an actor can make. */
export const CALL_NAMES = [
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'read',
  'write',
  'shutdown',
  'close',
  'setsockopt',
  'getsockopt',
  'fcntl',
  'poll',
  'select',
] as const;
export const CallNameSchema = z.enum(CALL_NAMES);
export type CallName = z.infer<typeof CallNameSchema>;

/** errno names the lab's calls can return, as C names them (the kernel's, see app/core/sys/errno.ts). */
export const ERRNOS = [
  'EAGAIN',
  'EINPROGRESS',
  'ENOTSOCK',
  'ENOPROTOOPT',
  'EPERM',
  'ENOMEM',
  'EFAULT',
  'ENFILE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ESHUTDOWN',
  'EDESTADDRREQ',
  'EMSGSIZE',
  'EPROTONOSUPPORT',
  'ENOSYS',
  'EIO',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EBADF',
  'EINVAL',
  'ENOTCONN',
  'EISCONN',
  'EALREADY',
  'EINTR',
  'EMFILE',
  'ENOBUFS',
  'EOPNOTSUPP',
  'ETIMEDOUT',
  'EACCES',
  'EAFNOSUPPORT',
] as const;
export const ErrnoSchema = z.enum(ERRNOS);
export type Errno = z.infer<typeof ErrnoSchema>;

/** Why a call is blocked; each names the kernel-side condition that will release it. */
export const BLOCK_REASONS = [
  'no-connection', // accept: the accept queue is empty; released by a completed handshake
  'recv-empty', // read: the receive buffer is empty; released by bytes or a FIN
  'send-full', // write: the send buffer is full; released by the peer reading
  'handshake', // connect: SYN sent, waiting for SYN-ACK
  'poll-wait', // poll/select: no descriptor is ready yet; released by one becoming ready or the timeout
] as const;
export const BlockReasonSchema = z.enum(BLOCK_REASONS);
export type BlockReason = z.infer<typeof BlockReasonSchema>;

/** Ids: actors are 'server', 'client', 'client2', …; sockets 's1', 's2', …; calls 'c1', …. */
export const ActorIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'an actor id is lowercase letters, digits and dashes');
export type ActorId = z.infer<typeof ActorIdSchema>;
export const SocketIdSchema = z.string().regex(/^s[0-9]{1,9}$/);
export type SocketId = z.infer<typeof SocketIdSchema>;

export const PortSchema = z.number().int().min(0).max(65535);
/** A host is an IP literal or 'localhost'; the engine refuses anything outside loopback. */
export const HostSchema = z.string().min(1).max(64);
export const EndpointSchema = z.object({ host: HostSchema, port: PortSchema });
/** An address and a port. */
export type Endpoint = z.infer<typeof EndpointSchema>;

export const FdSchema = z.number().int().min(0).max(65535);

/** Largest payload of one write() command, in bytes. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;
/** Largest read() request, in bytes. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------------------
// Call arguments, one schema per call.

/** Socket options the lab offers, by their C names. */
export const SOCKOPT_NAMES = [
  'SO_REUSEADDR',
  'SO_REUSEPORT',
  'SO_LINGER',
  'SO_RCVBUF',
  'SO_SNDBUF',
  'SO_ERROR',
  'SO_KEEPALIVE',
  'SO_TYPE',
  'TCP_NODELAY',
] as const;
export type SockOptName = (typeof SOCKOPT_NAMES)[number];
export const SockOptValueSchema = z.union([
  z.number().int().min(-2147483648).max(2147483647),
  z.object({ onoff: z.number().int().min(0).max(1), linger: z.number().int().min(0).max(3600) }).strict(),
]);
export type SockOptValue = z.infer<typeof SockOptValueSchema>;
/** poll(2) events, by their POSIX names. */
export const POLL_EVENTS = [
  'POLLIN',
  'POLLOUT',
  'POLLPRI',
  'POLLRDHUP',
  'POLLERR',
  'POLLHUP',
  'POLLNVAL',
] as const;
export const PollEventSchema = z.enum(POLL_EVENTS);
export type PollEventName = z.infer<typeof PollEventSchema>;

export const CallArgsSchemas = {
  socket: z.object({ family: z.enum(['inet', 'inet6']).default('inet') }).strict(),
  bind: z.object({ fd: FdSchema, host: HostSchema, port: PortSchema }).strict(),
  listen: z.object({ fd: FdSchema, backlog: z.number().int().min(0).max(4096).default(5) }).strict(),
  accept: z.object({ fd: FdSchema }).strict(),
  connect: z.object({ fd: FdSchema, host: HostSchema, port: PortSchema.min(1) }).strict(),
  read: z.object({ fd: FdSchema, max: z.number().int().min(1).max(MAX_READ_BYTES).default(1024) }).strict(),
  /**
   * `data` is written as UTF-8. `fill` instead writes that many bytes of a repeating
   * pattern, for flow-control demonstrations; exactly one of the two is given.
   */
  write: z
    .object({
      fd: FdSchema,
      data: z.string().max(MAX_WRITE_BYTES).optional(),
      fill: z.number().int().min(1).max(MAX_WRITE_BYTES).optional(),
    })
    .strict()
    .refine((a) => (a.data === undefined) !== (a.fill === undefined), {
      message: 'write takes either data or fill, not both and not neither',
    }),
  shutdown: z.object({ fd: FdSchema, how: z.enum(['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR']) }).strict(),
  close: z.object({ fd: FdSchema }).strict(),
  /** An option by its C name; SO_LINGER takes { onoff, linger }, the others an int. */
  setsockopt: z
    .object({ fd: FdSchema, opt: z.enum(SOCKOPT_NAMES), value: SockOptValueSchema })
    .strict()
    .refine((a) => (a.opt === 'SO_LINGER') === (typeof a.value === 'object'), {
      message: 'SO_LINGER takes { onoff, linger }; every other option takes an int',
    }),
  getsockopt: z.object({ fd: FdSchema, opt: z.enum(SOCKOPT_NAMES) }).strict(),
  /** fcntl(fd, F_GETFL) or fcntl(fd, F_SETFL, flags): the lab offers the O_NONBLOCK flag. */
  fcntl: z
    .object({
      fd: FdSchema,
      cmd: z.enum(['F_GETFL', 'F_SETFL']),
      flags: z
        .array(z.enum(['O_NONBLOCK']))
        .max(1)
        .optional(),
    })
    .strict(),
  /** poll(fds, nfds, timeout): timeout in ms, -1 waits for ever. */
  poll: z
    .object({
      fds: z
        .array(
          z
            .object({ fd: z.number().int().min(-1).max(65535), events: z.array(PollEventSchema).max(4) })
            .strict(),
        )
        .max(64),
      timeout: z.number().int().min(-1).max(3_600_000).default(-1),
    })
    .strict(),
  /** select(nfds, readfds, writefds, NULL, timeout): timeout in ms, null waits for ever. */
  select: z
    .object({
      readfds: z.array(FdSchema).max(64).default([]),
      writefds: z.array(FdSchema).max(64).default([]),
      timeout: z.number().int().min(0).max(3_600_000).nullable().default(null),
    })
    .strict(),
} as const;

/** Arguments of each call, after defaults are applied. */
export type CallArgs = { [K in CallName]: z.output<(typeof CallArgsSchemas)[K]> };

/** A call with its arguments, validated per call name. */
export const CallSchema = z.discriminatedUnion('call', [
  z.object({ call: z.literal('socket'), args: CallArgsSchemas.socket }).strict(),
  z.object({ call: z.literal('bind'), args: CallArgsSchemas.bind }).strict(),
  z.object({ call: z.literal('listen'), args: CallArgsSchemas.listen }).strict(),
  z.object({ call: z.literal('accept'), args: CallArgsSchemas.accept }).strict(),
  z.object({ call: z.literal('connect'), args: CallArgsSchemas.connect }).strict(),
  z.object({ call: z.literal('read'), args: CallArgsSchemas.read }).strict(),
  z.object({ call: z.literal('write'), args: CallArgsSchemas.write }).strict(),
  z.object({ call: z.literal('shutdown'), args: CallArgsSchemas.shutdown }).strict(),
  z.object({ call: z.literal('close'), args: CallArgsSchemas.close }).strict(),
  z.object({ call: z.literal('setsockopt'), args: CallArgsSchemas.setsockopt }).strict(),
  z.object({ call: z.literal('getsockopt'), args: CallArgsSchemas.getsockopt }).strict(),
  z.object({ call: z.literal('fcntl'), args: CallArgsSchemas.fcntl }).strict(),
  z.object({ call: z.literal('poll'), args: CallArgsSchemas.poll }).strict(),
  z.object({ call: z.literal('select'), args: CallArgsSchemas.select }).strict(),
]);
export type Call = z.output<typeof CallSchema>;

// ---------------------------------------------------------------------------------------
// Programs: C-like lines an actor steps through. Lessons declare them in their files.

/**
 * A key of a record that comes from outside. "__proto__" is refused: assigned to a plain
 * object it would set the object's prototype instead of adding a key (every other name,
 * "constructor" and "toString" included, is an ordinary key).
 */
export const RecordKeySchema = z.string().refine((k) => k !== '__proto__', {
  message: 'the name "__proto__" is not accepted',
});

/**
 * A record from outside with RecordKeySchema keys. zod drops an own "__proto__" key without a
 * word (JSON.parse makes one), so the raw input is checked first and refused by name.
 */
export function ownRecord<V extends z.ZodType>(value: V) {
  return z
    .unknown()
    .superRefine((x, ctx) => {
      if (typeof x === 'object' && x !== null && Object.hasOwn(x, '__proto__'))
        ctx.addIssue({ code: 'custom', message: 'the name "__proto__" is not accepted' });
    })
    .pipe(z.record(RecordKeySchema, value));
}

/** A value in a program line: a literal, or a program variable (`{ var: 'connfd' }`). */
export const ArgValueSchema = z.union([
  z.number(),
  z.string().max(MAX_WRITE_BYTES),
  z.object({ var: z.lazy(() => VarNameSchema) }).strict(),
]);
export type ArgValue = z.infer<typeof ArgValueSchema>;

/** A C identifier; "__proto__" is refused (see RecordKeySchema: variables are keys of `vars`). */
const VarNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/)
  .refine((k) => k !== '__proto__', { message: 'the name "__proto__" is not accepted' });

/**
 * One line of a program. `code` is the C text shown. A line either makes a call (its result
 * stored in `assign`; a read's bytes stored in `store`), jumps (to a line index, when the
 * condition holds or always), or only shows code (braces, comments): stepping skips those.
 */
export const ProgramLineSchema = z
  .object({
    code: z.string().max(200),
    call: CallNameSchema.optional(),
    args: ownRecord(ArgValueSchema).optional(),
    assign: VarNameSchema.optional(),
    store: VarNameSchema.optional(),
    jump: z.number().int().min(0).max(999).optional(),
    when: z
      .object({ var: VarNameSchema, op: z.enum(['<', '<=', '==', '!=', '>', '>=']), value: z.number() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((l) => !(l.call !== undefined && l.jump !== undefined), {
    message: 'a line either calls or jumps, not both',
  })
  .refine((l) => l.when === undefined || l.jump !== undefined, { message: '"when" needs "jump"' });
export type ProgramLine = z.infer<typeof ProgramLineSchema>;

export const ProgramSchema = z
  .object({
    name: z.string().min(1).max(64),
    lines: z.array(ProgramLineSchema).min(1).max(200),
  })
  .strict()
  .superRefine((p, ctx) => {
    p.lines.forEach((l, i) => {
      if (l.jump !== undefined && l.jump >= p.lines.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'jump'],
          message: `jump to line ${l.jump} past the end`,
        });
      }
    });
  });
/** A program: lines of C an actor executes one call at a time. */
export type Program = z.infer<typeof ProgramSchema>;

// ---------------------------------------------------------------------------------------
// Commands: what the window (over IPC or WebSocket) may ask of the lab.

export const CommandSchema = z.discriminatedUnion('type', [
  /** Make one call on an actor (the sandbox palette). */
  z.object({ type: z.literal('call'), actor: ActorIdSchema, call: CallSchema }).strict(),
  /** Execute the actor's program up to and including its next call. */
  z.object({ type: z.literal('step'), actor: ActorIdSchema }).strict(),
  /** Step the actor's program until a call blocks, fails, or the program ends. */
  z.object({ type: z.literal('run'), actor: ActorIdSchema }).strict(),
  /** Interrupt the actor's blocked call: it returns -1 EINTR. */
  z.object({ type: z.literal('interrupt'), actor: ActorIdSchema }).strict(),
  /** Add a client actor (with the default client program unless one is given). */
  z.object({ type: z.literal('addClient'), program: ProgramSchema.optional() }).strict(),
  /** Give an actor a program, restarting it at its first line. */
  z.object({ type: z.literal('loadProgram'), actor: ActorIdSchema, program: ProgramSchema }).strict(),
  /** The captured packets as a classic .pcap file, answered as base64 text. */
  z.object({ type: z.literal('exportPcap') }).strict(),
  /** Close every socket and start again with a server and one client. */
  z
    .object({
      type: z.literal('reset'),
      programs: z.record(ActorIdSchema, ProgramSchema).optional(),
    })
    .strict(),
]);
/** A command from the window. */
export type Command = z.infer<typeof CommandSchema>;

/** The answer to a command: never thrown across the boundary. */
export type CommandResult = { ok: true; value?: CallOutcome | string } | { ok: false; error: string };

/** What a call did, as far as the command that started it can tell. */
export type CallOutcome =
  | { callId: string; status: 'returned'; ret: number; errno?: Errno }
  | { callId: string; status: 'blocked'; reason: BlockReason };

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
  /** The line the actor's program will execute next; null when the program has ended. */
  z.object({
    ...Base,
    type: z.literal('program.pc'),
    actor: ActorIdSchema,
    line: z.number().int().min(0).nullable(),
    vars: ownRecord(z.union([z.number(), z.string()])),
  }),
  z.object({
    ...Base,
    type: z.literal('call.started'),
    actor: ActorIdSchema,
    callId: z.string(),
    /** The call, a write's data cut to a preview with its length (see call-preview.ts). */
    call: EventCallSchema,
    /** Program line the call came from; absent for sandbox calls. */
    line: z.number().int().min(0).optional(),
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
    /** A sentence explaining an error, or what was read (read: the bytes, as text, cut). */
    detail: z.string().max(512).optional(),
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
    /** What moved it, in a few words: 'close()', 'FIN received', 'ACK of FIN', …. */
    cause: z.string().max(80),
    /**
     * Who saw it: the kernel (TCP_INFO through the descriptor, the kernel's socket table, or
     * its state-change tracepoint), or nobody — a step between two kernel readings that the
     * state machine implies ('inferred'; traces from before this field read as inferred).
     */
    source: z.enum(['kernel', 'inferred']).optional(),
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
    source: z.enum(['captured', 'inferred']),
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
    status: z.enum(['on', 'off', 'unavailable', 'failed']),
    tool: z.string().nullable(),
    /** Why capture is not on, in plain words. */
    reason: z.string().max(1000).nullable(),
  }),
  /** A limit was hit or something went wrong outside any call; shown in the log. */
  z.object({
    ...Base,
    type: z.literal('lab.notice'),
    level: z.enum(['info', 'warning', 'error']),
    text: z.string().max(1000),
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
