/**
 * The TIME_WAIT a lesson step needs (`needsTimeWait`), as the kernel's table lists it: the
 * actor's sockets in TIME_WAIT and the time left on their timers. The lesson replay
 * (./lesson-replay.ts, which re-exports these) waits for them; the window counts them down
 * while a step waits, without the replay's code. Pure. No Node or DOM import.
 */
import { own } from './own';
import type { ViewState } from './reducer';
import { socketOwner } from './selectors';
import type { KernelView } from './view';

/**
 * The sockets of `actor` (opened by it, or accepted from one of its listeners) that the
 * kernel's table lists in TIME_WAIT, with their timer readings: what a step's
 * `needsTimeWait` needs.
 */
export function timeWaitReadings(v: ViewState, actor: string): KernelView[] {
  const out: KernelView[] = [];
  for (const id of v.socketOrder) {
    const s = own(v.sockets, id);
    if (!s?.kernel || s.kernel.state !== 'TIME_WAIT') continue;
    if (socketOwner(v, s) === actor) out.push(s.kernel);
  }
  return out;
}

/**
 * What is left of the TIME_WAIT `actor`'s step needs at `now` (ms since the epoch): how many
 * of its sockets the kernel lists in TIME_WAIT, and the time until the last one goes, counted
 * down from each reading's own time (null when the kernel gives no timer).
 */
export function timeWaitLeft(
  v: ViewState,
  actor: string,
  now: number,
): { count: number; leftMs: number | null } {
  const rows = timeWaitReadings(v, actor);
  let leftMs: number | null = null;
  for (const k of rows) {
    if (k.timerMs === null) continue;
    const left = Math.max(0, k.timerMs - Math.max(0, now - k.t));
    leftMs = leftMs === null ? left : Math.max(leftMs, left);
  }
  return { count: rows.length, leftMs };
}
