/**
 * The calls an actor can make: their names, arguments, errnos and block reasons, with their
 * schemas. Part of the contract (app/contract/schema.ts re-exports it). No Node or DOM import.
 */
import { z } from 'zod';
import { FdSchema, HostSchema, MAX_READ_BYTES, MAX_WRITE_BYTES, PortSchema } from './basics';
import { BLOCK_REASONS, CALL_NAMES, ERRNOS, POLL_EVENTS, SOCKOPT_NAMES } from './constants';

export { BLOCK_REASONS, CALL_NAMES, ERRNOS, POLL_EVENTS, SOCKOPT_NAMES, type SockOptName } from './constants';

export const CallNameSchema = z.enum(CALL_NAMES);
export type CallName = z.infer<typeof CallNameSchema>;

export const ErrnoSchema = z.enum(ERRNOS);
export type Errno = z.infer<typeof ErrnoSchema>;

export const BlockReasonSchema = z.enum(BLOCK_REASONS);
export type BlockReason = z.infer<typeof BlockReasonSchema>;

// ---------------------------------------------------------------------------------------
// Call arguments, one schema per call.

export const SockOptValueSchema = z.union([
  z.number().int().min(-2147483648).max(2147483647),
  z.object({ onoff: z.number().int().min(0).max(1), linger: z.number().int().min(0).max(3600) }).strict(),
]);
export type SockOptValue = z.infer<typeof SockOptValueSchema>;
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
  getsockname: z.object({ fd: FdSchema }).strict(),
  getpeername: z.object({ fd: FdSchema }).strict(),
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
  z.object({ call: z.literal('getsockname'), args: CallArgsSchemas.getsockname }).strict(),
  z.object({ call: z.literal('getpeername'), args: CallArgsSchemas.getpeername }).strict(),
]);
export type Call = z.output<typeof CallSchema>;
