/**
 * CLOCK_REALTIME minus CLOCK_MONOTONIC, read now through the C library's clock_gettime
 * (koffi; Linux). The tracepoint stamps its events with CLOCK_MONOTONIC (trace_clock
 * `mono`); the capture's packets carry the kernel's CLOCK_REALTIME (an skb's timestamp).
 * The ladder orders the two by time, and on loopback a state change follows the segment
 * that made it by 6–30 µs (measured: the handshake's last ACK and the server's ESTABLISHED,
 * 30 connections), so the offset must be that of the two clocks now: NTP slews the
 * realtime clock while a lab runs (a fresh machine's clock is being set), and Node's
 * `performance.timeOrigin` is read once at start, a few µs apart from its hrtime origin.
 */
import koffi from 'koffi';

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

/** Reads one clock in µs (a float; the kernel's ns / 1000). */
type ReadUs = (clock: number) => number;
let reader: ReadUs | null | undefined;

function load(): ReadUs | null {
  if (reader !== undefined) return reader;
  try {
    const lib = koffi.load('libc.so.6');
    koffi.struct('tcplab_timespec', { tv_sec: 'int64_t', tv_nsec: 'int64_t' });
    const f = lib.func('int clock_gettime(int, _Out_ tcplab_timespec *)');
    reader = (clock) => {
      const ts: { tv_sec?: number | bigint; tv_nsec?: number | bigint } = {};
      if (Number(f(clock, ts)) !== 0)
        throw new Error(`clock_gettime(${clock}) failed: errno ${koffi.errno()}`);
      return Number(ts.tv_sec) * 1e6 + Number(ts.tv_nsec) / 1e3;
    };
  } catch {
    reader = null;
  }
  return reader;
}

/**
 * Realtime µs minus monotonic µs: of a few readings mono, real, mono back to back, the one
 * with the least time between its two mono readings (a preemption between them is thrown
 * away). Null where clock_gettime cannot be reached (no libc.so.6).
 */
export function realtimeMinusMonoUs(tries = 3): number | null {
  const read = load();
  if (!read) return null;
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < tries; i++) {
    const a = read(CLOCK_MONOTONIC);
    const real = read(CLOCK_REALTIME);
    const b = read(CLOCK_MONOTONIC);
    if (b - a < best) {
      best = b - a;
      offset = real - (a + b) / 2;
    }
  }
  return offset;
}
