/**
 * The contract's basic names: TCP states, ids, endpoints and descriptor numbers, with their
 * schemas. Part of the contract (app/contract/schema.ts re-exports it). No Node or DOM import.
 */
import { z } from 'zod';
import { TCP_STATES } from './constants';

export {
  CAPTURE_STATES,
  MAX_READ_BYTES,
  MAX_WRITE_BYTES,
  SEGMENT_SOURCES,
  STATE_SOURCES,
  TCP_STATES,
  type CaptureState,
  type SegmentSource,
  type StateSource,
} from './constants';

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
