/**
 * The lab's limits: what keeps a student's experiment (or a runaway lesson) from exhausting
 * the machine. Each limit answers with the error C would give, or a rejected command.
 */

import { MAX_WRITE_BYTES } from '../contract/basics';
import { MAX_TRACE_EVENTS } from '../contract/trace';

/** Limits of one lab. */
export interface Limits {
  /** Most actors (server plus clients); addClient beyond it is a rejected command. */
  actors: number;
  /** Most open descriptors per actor; socket()/accept() beyond it return -1 EMFILE. */
  fdsPerActor: number;
  /** Most bytes in one write(); a larger write is a rejected command. */
  bytesPerWrite: number;
  /** Most events the log keeps in memory; older ones are dropped with a notice. */
  events: number;
  /**
   * Most bytes the lab holds, over all actors, for writes blocked on peers that do not read
   * (each blocked write's buffer, until it returns). A write that would block beyond it
   * returns the bytes the kernel took, or -1 ENOBUFS when it took none (note.heldFull).
   */
  heldBytes: number;
}

/** The limits used when a lab is created without its own. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  actors: 16,
  fdsPerActor: 64,
  bytesPerWrite: MAX_WRITE_BYTES,
  // A saved log is a trace: a log the lab kept must load again.
  events: MAX_TRACE_EVENTS,
  heldBytes: 64 * 1024 * 1024,
});
