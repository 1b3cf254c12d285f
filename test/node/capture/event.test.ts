/** A captured segment becomes a `segment` event the contract's schema accepts. */
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../../app/contract/schema';
import { capturedSegmentEvent, type CapturedSegment } from '../../../app/core/capture';

describe('capturedSegmentEvent', () => {
  it('fills every field of a captured segment event and passes the schema', () => {
    const seg: CapturedSegment = {
      src: { host: '127.0.0.1', port: 40000 },
      dst: { host: '127.0.0.1', port: 5000 },
      flags: ['SYN'],
      seqNo: 0xffffffff,
      ackNo: null,
      win: 65495,
      wscale: 7,
      len: 0,
      options: ['MSS=65495', 'WS=7'],
      tsUs: 1_700_000_000_123_456,
    };
    const ev = capturedSegmentEvent(seg, 's3', null);
    expect(ev).toEqual({
      type: 'segment',
      source: 'captured',
      src: seg.src,
      dst: seg.dst,
      from: 's3',
      to: null,
      flags: ['SYN'],
      seqNo: 0xffffffff,
      ackNo: null,
      len: 0,
      win: 65495,
      options: ['MSS=65495', 'WS=7'],
      tsUs: 1_700_000_000_123_456,
    });
    expect(EventSchema.parse({ ...ev, seq: 1, t: 1 })).toMatchObject({ type: 'segment', seqNo: 0xffffffff });
    expect(capturedSegmentEvent({ ...seg, flags: ['ACK'], win: 512 }, 's3', 's4', 512 * 128).win).toBe(65536);
  });
});
