/**
 * Window scaling (RFC 7323 §2): the window field of a segment is shifted left by the
 * sender's scale factor, announced in its SYN, but only once both SYNs carried the WS option;
 * the SYNs' own windows are never scaled. A capture sees raw fields; this turns them into
 * bytes, per connection and direction, as Wireshark's "calculated window size" does.
 */
import type { Endpoint } from '../../contract/schema';
import { endpointKey } from '../kernel/address';

/** What the tracker needs of a segment (CapturedSegment and TcpSegment both fit). */
export interface WindowInput {
  src: Endpoint;
  dst: Endpoint;
  flags: readonly string[];
  win: number;
  wscale: number | null;
}

/**
 * Follows the WS options of each connection's handshake and gives each segment's window in
 * bytes. Feed it every captured segment in order. Without both SYNs seen (capture started
 * mid-connection), the raw field is returned and `scaled` is false.
 */
export class WindowScaleTracker {
  /** Per direction ("src>dst"): the shift the sender announced in its SYN, or null without WS. */
  private readonly shifts = new Map<string, number | null>();

  /** The window of `seg` in bytes, and whether scaling was applied. */
  window(seg: WindowInput): { win: number; scaled: boolean } {
    const fwd = `${endpointKey(seg.src)}>${endpointKey(seg.dst)}`;
    const rev = `${endpointKey(seg.dst)}>${endpointKey(seg.src)}`;
    if (seg.flags.includes('SYN')) {
      // A new handshake on this 4-tuple starts over (a reused port).
      if (!seg.flags.includes('ACK')) this.shifts.delete(rev);
      this.shifts.set(fwd, seg.wscale);
      return { win: seg.win, scaled: false };
    }
    const mine = this.shifts.get(fwd);
    const theirs = this.shifts.get(rev);
    if (mine === undefined || theirs === undefined) return { win: seg.win, scaled: false };
    // Scaling is on only if both sides sent WS; a shift above 14 is taken as 14 (RFC 7323).
    if (mine === null || theirs === null) return { win: seg.win, scaled: true };
    return { win: seg.win * 2 ** Math.min(mine, 14), scaled: true };
  }
}
