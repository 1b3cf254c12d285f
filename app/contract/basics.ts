/**
 * The contract's basic names: TCP states, ids, endpoints and descriptor numbers, with their
 * schemas. Part of the contract (app/contract/schema.ts re-exports it). No Node or DOM import.
 */
import { z } from 'zod';

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

/** Ids: actors are 'server', 'client', 'client2', …; sockets 's1', 's2', …; calls 'c1', …. */
/** Names every plain object already has ("constructor", "valueof"…): no actor may be one. */
const OBJECT_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype).map((n) => n.toLowerCase()));

export const ActorIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'an actor id is lowercase letters, digits and dashes')
  // The view keeps actors in records keyed by id: a name every object has would shadow it.
  .refine((id) => !OBJECT_NAMES.has(id), { message: 'this actor name is reserved: choose another' });
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

/** How a packet capture stands: on, off (not asked for), unavailable (no tool or permission), failed. */
export const CAPTURE_STATES = ['on', 'off', 'unavailable', 'failed'] as const;
export type CaptureState = (typeof CAPTURE_STATES)[number];
/** Who saw a state: a kernel source, or the state machine between two of its readings. */
export const STATE_SOURCES = ['kernel', 'inferred'] as const;
export type StateSource = (typeof STATE_SOURCES)[number];
/** Who saw a segment: a packet capture on the wire, or the state machine. */
export const SEGMENT_SOURCES = ['captured', 'inferred'] as const;
export type SegmentSource = (typeof SEGMENT_SOURCES)[number];

/** Largest payload of one write() command, in bytes. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;
/** Largest read() request, in bytes. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;
