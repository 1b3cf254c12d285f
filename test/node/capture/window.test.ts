/** WindowScaleTracker: RFC 7323 scaling from the handshake's WS options. */
import { describe, expect, it } from 'vitest';
import { WindowScaleTracker } from '../../../app/core/capture';

const C = { host: '127.0.0.1', port: 40000 };
const S = { host: '::ffff:127.0.0.1', port: 5000 };

describe('WindowScaleTracker', () => {
  it("scales each direction by its sender's shift once both SYNs had WS, never the SYNs", () => {
    const t = new WindowScaleTracker();
    expect(t.window({ src: C, dst: S, flags: ['SYN'], win: 65495, wscale: 7 })).toEqual({
      win: 65495,
      scaled: false,
    });
    expect(t.window({ src: S, dst: C, flags: ['SYN', 'ACK'], win: 65483, wscale: 5 })).toEqual({
      win: 65483,
      scaled: false,
    });
    expect(t.window({ src: C, dst: S, flags: ['ACK'], win: 512, wscale: null })).toEqual({
      win: 512 * 128,
      scaled: true,
    });
    expect(
      t.window({ src: { host: '127.0.0.1', port: 5000 }, dst: C, flags: ['ACK'], win: 100, wscale: null }),
    ).toEqual({ win: 3200, scaled: true });
  });

  it('does not scale when one SYN lacked WS, nor without the handshake', () => {
    const t = new WindowScaleTracker();
    expect(t.window({ src: C, dst: S, flags: ['ACK'], win: 9, wscale: null })).toEqual({
      win: 9,
      scaled: false,
    });
    t.window({ src: C, dst: S, flags: ['SYN'], win: 1, wscale: 7 });
    t.window({ src: S, dst: C, flags: ['SYN', 'ACK'], win: 1, wscale: null });
    expect(t.window({ src: C, dst: S, flags: ['ACK'], win: 512, wscale: null })).toEqual({
      win: 512,
      scaled: true,
    });
  });
});
