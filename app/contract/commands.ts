/**
 * The commands the window may send the lab (over IPC or WebSocket), with their schema, and
 * the answer a command gets (never thrown across the boundary). Records from outside are read
 * with `ownRecord`, which refuses a "__proto__" key by name. Re-exported by schema.ts, where
 * every caller imports them from.
 */
import { z } from 'zod';
import type { Message } from './messages';
import { ProgramSchema, type ProgramProblem, type StopReason } from './program';
import { ActorIdSchema, EndpointSchema } from './basics';
import { CallSchema, type BlockReason, type Errno } from './calls';

// ---------------------------------------------------------------------------------------
// Records from outside.

/**
 * A key of a record that comes from outside. "__proto__" is refused: assigned to a plain
 * object it would set the object's prototype instead of adding a key (every other name,
 * "constructor" and "toString" included, is an ordinary key).
 */
export const RecordKeySchema = z.string().refine((k) => k !== '__proto__', {
  message: 'the name "__proto__" is not accepted',
});

/**
 * A record from outside with RecordKeySchema keys (or `key`'s). zod drops an own "__proto__"
 * key without a word (JSON.parse makes one), so the raw input is checked first and refused by
 * name.
 */
export function ownRecord<V extends z.ZodType, K extends z.ZodType<string> = typeof RecordKeySchema>(
  value: V,
  key: K = RecordKeySchema as unknown as K,
) {
  return z
    .unknown()
    .superRefine((x, ctx) => {
      if (typeof x === 'object' && x !== null && Object.hasOwn(x, '__proto__'))
        ctx.addIssue({ code: 'custom', message: 'the name "__proto__" is not accepted' });
    })
    .pipe(z.record(key, value));
}

// ---------------------------------------------------------------------------------------
// Commands: what the window (over IPC or WebSocket) may ask of the lab.

export const CommandSchema = z.discriminatedUnion('type', [
  /** Make one call on an actor (the sandbox palette). */
  z.object({ type: z.literal('call'), actor: ActorIdSchema, call: CallSchema }).strict(),
  /**
   * Execute one statement of the actor's program ('statement', the default), or run it up to
   * and including its next library call ('call': what a lesson's step does).
   */
  z
    .object({
      type: z.literal('step'),
      actor: ActorIdSchema,
      unit: z.enum(['statement', 'call']).optional(),
    })
    .strict(),
  /**
   * Run the actor's program until a call blocks, the program ends or faults, a breakpoint's
   * line (1-based) is next, or a budget of statements without a call is spent.
   */
  z
    .object({
      type: z.literal('run'),
      actor: ActorIdSchema,
      breakpoints: z.array(z.number().int().min(1).max(100_000)).max(500).optional(),
    })
    .strict(),
  /** Interrupt the actor's blocked call: it returns -1 EINTR. */
  z.object({ type: z.literal('interrupt'), actor: ActorIdSchema }).strict(),
  /** Add a client actor (with the default client program unless one is given). */
  z.object({ type: z.literal('addClient'), program: ProgramSchema.optional() }).strict(),
  /** Give an actor a program, restarting it at its first line. */
  z.object({ type: z.literal('loadProgram'), actor: ActorIdSchema, program: ProgramSchema }).strict(),
  /**
   * The captured packets as a classic .pcap file, answered as base64 text: all of them, or
   * one connection's (either direction), or those since an event (a lesson's run, from the
   * reset it made).
   */
  z
    .object({
      type: z.literal('exportPcap'),
      connection: z.object({ a: EndpointSchema, b: EndpointSchema }).strict().optional(),
      sinceSeq: z.number().int().min(1).optional(),
    })
    .strict(),
  /** Close every socket and start again with a server and one client. */
  z
    .object({
      type: z.literal('reset'),
      // ownRecord: a "__proto__" key is refused by name (z.record drops it without a word).
      programs: ownRecord(ProgramSchema, ActorIdSchema).optional(),
    })
    .strict(),
]);
/** A command from the window. */
export type Command = z.infer<typeof CommandSchema>;

/**
 * The answer to a command: never thrown across the boundary. A program that cannot run
 * comes back with its problems (line, column, a message code the window says).
 * A refusal says why as a code (`refusal`, said in the window's language) and in English (`error`).
 */
export type CommandResult =
  | { ok: true; value?: CallOutcome | StopReason | string }
  | { ok: false; error: string; refusal?: Message; problems?: ProgramProblem[] };

/** What a call did, as far as the command that started it can tell. */
export type CallOutcome =
  | { callId: string; status: 'returned'; ret: number; errno?: Errno }
  | { callId: string; status: 'blocked'; reason: BlockReason };
