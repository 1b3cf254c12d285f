/**
 * clock.ts: CLOCK_REALTIME minus CLOCK_MONOTONIC through clock_gettime, checked against the
 * same two clocks as Node reads them (Date.now() is the realtime clock in ms,
 * process.hrtime the monotonic one).
 */
import { describe, expect, it } from 'vitest';
import { realtimeMinusMonoUs } from '../../../app/core/kernel/clock';

describe('the clocks’ offset', () => {
  it.runIf(process.platform === 'linux')('is realtime minus monotonic, to the ms Date.now() gives', () => {
    const us = realtimeMinusMonoUs();
    expect(us).not.toBeNull();
    const nodeMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;
    // Date.now() is whole ms: the two agree within one, and the preemption guard.
    expect(Math.abs(us! / 1000 - nodeMs)).toBeLessThan(2);
    // Read twice, the offset is the same to a few µs (no slew that fast).
    expect(Math.abs(realtimeMinusMonoUs()! - us!)).toBeLessThan(50);
  });
});
