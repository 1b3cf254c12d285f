/**
 * The checkpoint language: a small declarative predicate over the contract's ViewState, as a
 * lesson file writes it (lesson.ts re-exports it; `evaluate` in checkpoint-eval.ts judges it).
 * A checkpoint is judged on the real state of the lab (sockets, kernel rows, segments, what
 * the programs read, wrote and printed), never on a button having been clicked.
 */
import { z } from 'zod';
import {
  ActorIdSchema,
  BlockReasonSchema,
  CallNameSchema,
  ErrnoSchema,
  FdSchema,
  SOCKOPT_NAMES,
  SockOptValueSchema,
  TcpFlagSchema,
  TcpStateSchema,
  type ActorId,
  type SockOptName,
  type SockOptValue,
} from './schema';
import { SOCKET_TEXT_KEEP } from './view';

// ---------------------------------------------------------------------------------------
// Checkpoints.

/** Which of an actor's sockets a checkpoint means: by descriptor, or by role. */
const SocketRefShape = {
  actor: ActorIdSchema,
  /** The socket this descriptor refers to now. */
  fd: FdSchema.optional(),
  /**
   * 'listening': a socket that listens (or listened); 'connection': a connected socket. A role
   * also finds sockets whose descriptor is already closed (TIME_WAIT, LAST_ACK, …), which an
   * fd cannot. Without fd or role: any socket of the actor.
   */
  role: z.enum(['listening', 'connection']).optional(),
};

/** A sequence or acknowledgement number relative to an ISN (0 … 2^32 − 1). */
const RelativeSchema = z.number().int().min(0).max(0xffffffff);

/** A predicate over the lab's view state. The combinators nest (all / any / not). */
export type Checkpoint =
  | {
      kind: 'actorBlocked';
      actor: ActorId;
      call?: z.infer<typeof CallNameSchema>;
      reason?: z.infer<typeof BlockReasonSchema>;
    }
  | {
      kind: 'actorReturned';
      actor: ActorId;
      call: z.infer<typeof CallNameSchema>;
      ret?: number;
      retAtLeast?: number;
      errno?: z.infer<typeof ErrnoSchema>;
    }
  | {
      kind: 'socketState';
      actor: ActorId;
      fd?: number;
      role?: 'listening' | 'connection';
      state: z.infer<typeof TcpStateSchema>;
      kernelConfirmed?: boolean;
      ever?: boolean;
    }
  | {
      kind: 'buffer';
      actor: ActorId;
      fd?: number;
      role?: 'listening' | 'connection';
      side: 'recv' | 'send';
      atLeast: number;
    }
  | {
      kind: 'bytes';
      actor: ActorId;
      fd?: number;
      role?: 'listening' | 'connection';
      side: 'received' | 'sent';
      contains?: string;
      atLeast?: number;
    }
  | {
      kind: 'segmentSeen';
      flags: z.infer<typeof TcpFlagSchema>[];
      not?: z.infer<typeof TcpFlagSchema>[];
      from?: ActorId;
      minLen?: number;
      atLeast?: number;
      seq?: number;
      ack?: number;
    }
  | { kind: 'retransmission'; flags?: z.infer<typeof TcpFlagSchema>[]; from?: ActorId }
  | { kind: 'queueLength'; actor: ActorId; atLeast?: number; atMost?: number }
  | {
      kind: 'countSockets';
      actor?: ActorId;
      state: z.infer<typeof TcpStateSchema>;
      atLeast?: number;
      atMost?: number;
      kernelConfirmed?: boolean;
    }
  | { kind: 'fdCount'; actor: ActorId; atLeast?: number; atMost?: number }
  | { kind: 'programEnded'; actor: ActorId; status?: number }
  | { kind: 'programAt'; actor: ActorId; line?: number; text?: string }
  | { kind: 'output'; actor: ActorId; contains: string; stream?: 'stdout' | 'stderr' }
  | {
      kind: 'sockopt';
      actor: ActorId;
      fd?: number;
      role?: 'listening' | 'connection';
      opt: SockOptName;
      value?: SockOptValue;
    }
  | { kind: 'all'; of: Checkpoint[] }
  | { kind: 'any'; of: Checkpoint[] }
  | { kind: 'not'; of: Checkpoint };

const atLeastOrMost = (c: { atLeast?: number; atMost?: number }) =>
  c.atLeast !== undefined || c.atMost !== undefined;

/** The schema of a checkpoint (recursive through all / any / not). */
export const CheckpointSchema: z.ZodType<Checkpoint> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /** The actor is blocked in a call (optionally: this call, for this reason). */
    z
      .object({
        kind: z.literal('actorBlocked'),
        actor: ActorIdSchema,
        call: CallNameSchema.optional(),
        reason: BlockReasonSchema.optional(),
      })
      .strict(),
    /** The actor's last call that returned is `call`, with this return value / errno. */
    z
      .object({
        kind: z.literal('actorReturned'),
        actor: ActorIdSchema,
        call: CallNameSchema,
        ret: z.number().int().optional(),
        retAtLeast: z.number().int().optional(),
        errno: ErrnoSchema.optional(),
      })
      .strict(),
    /** A socket of the actor is in `state` (now, or `ever`: at some point); optionally confirmed by the kernel. */
    z
      .object({
        kind: z.literal('socketState'),
        ...SocketRefShape,
        state: TcpStateSchema,
        kernelConfirmed: z.boolean().optional(),
        ever: z.boolean().optional(),
      })
      .strict()
      .refine((c) => !(c.ever && c.kernelConfirmed), {
        message: '"ever" and "kernelConfirmed" do not go together',
      }),
    /** A socket's receive or send buffer (kernel queue + the lab's user-space part) holds at least N bytes. */
    z
      .object({
        kind: z.literal('buffer'),
        ...SocketRefShape,
        side: z.enum(['recv', 'send']),
        atLeast: z.number().int().min(0),
      })
      .strict(),
    /**
     * What the program read from (`received`) or wrote on (`sent`) a socket: the text it
     * contains (looked for in the first SOCKET_TEXT_KEEP bytes that way), at least N bytes in all.
     */
    z
      .object({
        kind: z.literal('bytes'),
        ...SocketRefShape,
        side: z.enum(['received', 'sent']),
        contains: z.string().min(1).max(SOCKET_TEXT_KEEP).optional(),
        atLeast: z.number().int().min(1).optional(),
      })
      .strict()
      .refine((c) => c.contains !== undefined || c.atLeast !== undefined, {
        message: 'bytes needs contains or atLeast',
      }),
    /**
     * At least `atLeast` (default 1) segments on the wire carry every flag in `flags` and none in
     * `not`. `seq` / `ack`: captured segments only, numbered as the course does: the sender's
     * sequence number minus its own ISN, the acknowledgement minus the peer's ISN (each ISN the
     * sequence number of that direction's SYN among the captured segments of the connection).
     */
    z
      .object({
        kind: z.literal('segmentSeen'),
        flags: z.array(TcpFlagSchema).min(1),
        not: z.array(TcpFlagSchema).optional(),
        from: ActorIdSchema.optional(),
        minLen: z.number().int().min(0).optional(),
        atLeast: z.number().int().min(1).optional(),
        seq: RelativeSchema.optional(),
        ack: RelativeSchema.optional(),
      })
      .strict(),
    /**
     * A captured segment came again: the same source, destination, sequence number and flags,
     * carrying a SYN, a FIN or data (optionally: with these flags, from this actor).
     */
    z
      .object({
        kind: z.literal('retransmission'),
        flags: z.array(TcpFlagSchema).min(1).optional(),
        from: ActorIdSchema.optional(),
      })
      .strict(),
    /** How many established connections wait for accept() in the actor's listening socket (its longest queue). */
    z
      .object({
        kind: z.literal('queueLength'),
        actor: ActorIdSchema,
        atLeast: z.number().int().min(0).optional(),
        atMost: z.number().int().min(0).optional(),
      })
      .strict()
      .refine(atLeastOrMost, { message: 'queueLength needs atLeast or atMost' }),
    /** How many lab sockets (of one actor, or all) are in a state. */
    z
      .object({
        kind: z.literal('countSockets'),
        actor: ActorIdSchema.optional(),
        state: TcpStateSchema,
        atLeast: z.number().int().min(0).optional(),
        atMost: z.number().int().min(0).optional(),
        kernelConfirmed: z.boolean().optional(),
      })
      .strict()
      .refine(atLeastOrMost, { message: 'countSockets needs atLeast or atMost' }),
    /** How many descriptors the actor holds. */
    z
      .object({
        kind: z.literal('fdCount'),
        actor: ActorIdSchema,
        atLeast: z.number().int().min(0).optional(),
        atMost: z.number().int().min(0).optional(),
      })
      .strict()
      .refine(atLeastOrMost, { message: 'fdCount needs atLeast or atMost' }),
    /** The actor's program has run to its end (`status`: exit() or main's return with that status). */
    z
      .object({ kind: z.literal('programEnded'), actor: ActorIdSchema, status: z.number().int().optional() })
      .strict(),
    /**
     * The actor's program is at a line (1-based), or at a line whose source contains `text`
     * (both: that line, and it contains the text): the statement it runs next, or the call it is in.
     */
    z
      .object({
        kind: z.literal('programAt'),
        actor: ActorIdSchema,
        line: z.number().int().min(1).optional(),
        text: z.string().min(1).max(200).optional(),
      })
      .strict()
      .refine((c) => c.line !== undefined || c.text !== undefined, {
        message: 'programAt needs line or text',
      }),
    /** What the actor's program printed (on one stream, or on either) contains a text. */
    z
      .object({
        kind: z.literal('output'),
        actor: ActorIdSchema,
        contains: z.string().min(1).max(1000),
        stream: z.enum(['stdout', 'stderr']).optional(),
      })
      .strict(),
    /**
     * A setsockopt that returned 0 set an option on a socket: to `value`, or, without one, to a
     * value that turns it on (not 0; SO_LINGER: onoff 1).
     */
    z
      .object({
        kind: z.literal('sockopt'),
        ...SocketRefShape,
        opt: z.enum(SOCKOPT_NAMES),
        value: SockOptValueSchema.optional(),
      })
      .strict(),
    z.object({ kind: z.literal('all'), of: z.array(CheckpointSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), of: z.array(CheckpointSchema).min(1) }).strict(),
    z.object({ kind: z.literal('not'), of: CheckpointSchema }).strict(),
  ]),
);
