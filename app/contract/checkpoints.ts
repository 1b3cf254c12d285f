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
  TcpFlagSchema,
  TcpStateSchema,
  type ActorId,
} from './schema';

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
      kind: 'segmentSeen';
      flags: z.infer<typeof TcpFlagSchema>[];
      not?: z.infer<typeof TcpFlagSchema>[];
      from?: ActorId;
      minLen?: number;
      atLeast?: number;
    }
  | { kind: 'queueLength'; actor: ActorId; atLeast: number }
  | {
      kind: 'countSockets';
      actor?: ActorId;
      state: z.infer<typeof TcpStateSchema>;
      atLeast?: number;
      atMost?: number;
      kernelConfirmed?: boolean;
    }
  | { kind: 'fdCount'; actor: ActorId; atLeast?: number; atMost?: number }
  | { kind: 'programEnded'; actor: ActorId }
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
    /** At least `atLeast` (default 1) segments on the wire carry every flag in `flags` and none in `not`. */
    z
      .object({
        kind: z.literal('segmentSeen'),
        flags: z.array(TcpFlagSchema).min(1),
        not: z.array(TcpFlagSchema).optional(),
        from: ActorIdSchema.optional(),
        minLen: z.number().int().min(0).optional(),
        atLeast: z.number().int().min(1).optional(),
      })
      .strict(),
    /** The actor's listening socket has at least N established connections waiting for accept(). */
    z
      .object({ kind: z.literal('queueLength'), actor: ActorIdSchema, atLeast: z.number().int().min(0) })
      .strict(),
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
    /** The actor's program has run to its end. */
    z.object({ kind: z.literal('programEnded'), actor: ActorIdSchema }).strict(),
    z.object({ kind: z.literal('all'), of: z.array(CheckpointSchema).min(1) }).strict(),
    z.object({ kind: z.literal('any'), of: z.array(CheckpointSchema).min(1) }).strict(),
    z.object({ kind: z.literal('not'), of: CheckpointSchema }).strict(),
  ]),
);
