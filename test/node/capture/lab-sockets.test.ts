/**
 * Which segments are the lab's, without a capture: both endpoints must be a lab socket's
 * pair, and the socket not ended (beyond a short grace); a segment that only touches a live
 * lab address is held, bounded in count and age, until the lab claims its connection.
 */
import { describe, expect, it } from 'vitest';
import { initialViewState, type SocketView, type ViewState } from '../../../app/contract';
import {
  END_GRACE_US,
  HOLD_CONNS,
  HOLD_MS,
  HOLD_PER_CONN,
  HoldQueue,
  LabSockets,
} from '../../../app/core/capture';
import { EMPTY_BUFFERS } from '../../../app/contract/view';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const T0 = 1_700_000_000_000; // ms since the epoch

function socket(id: string, local: number | null, remote: number | null, closedAtMs?: number): SocketView {
  return {
    id,
    actor: 'server',
    family: 'inet',
    listener: null,
    local: local === null ? null : ep(local),
    remote: remote === null ? null : ep(remote),
    peer: null,
    state: closedAtMs === undefined ? 'ESTABLISHED' : 'CLOSED',
    transitions:
      closedAtMs === undefined
        ? []
        : [{ from: 'LAST_ACK', to: 'CLOSED', cause: 'x', source: 'kernel', seq: 1, t: closedAtMs }],
    kernel: null,
    confirmed: false,
    buffers: EMPTY_BUFFERS,
    acceptQueue: null,
    refs: [],
    released: false,
  };
}

function viewOf(...sockets: SocketView[]): ViewState {
  const v = initialViewState();
  return {
    ...v,
    sockets: Object.fromEntries(sockets.map((s) => [s.id, s])),
    socketOrder: sockets.map((s) => s.id),
  };
}

describe('LabSockets: a segment is the lab’s when both ends are a lab socket’s pair', () => {
  const now = T0 * 1000;
  it('a pair in either direction; one shared endpoint is not enough', () => {
    const idx = new LabSockets();
    idx.refresh(viewOf(socket('s1', 5000, null), socket('s2', 40000, 5000), socket('s3', 5000, 40000)));
    expect(idx.belongs(ep(40000), ep(5000), now)).toBe(true);
    expect(idx.belongs(ep(5000), ep(40000), now)).toBe(true);
    // Another program's client talking to the lab's server port: not a pair of the lab's.
    expect(idx.belongs(ep(41000), ep(5000), now)).toBe(false);
    expect(idx.touches(ep(41000), ep(5000))).toBe(true);
    expect(idx.find(ep(5000), ep(40000), now)).toBe('s3');
    // A SYN to the listener before accept names the listener.
    expect(idx.find(ep(5000), ep(41000), now)).toBe('s1');
    expect(idx.find(ep(41000), ep(5000), now)).toBeNull();
  });

  it('an ended socket’s pair is its own only up to the grace after its end', () => {
    const idx = new LabSockets();
    idx.refresh(viewOf(socket('s1', 5000, null, T0), socket('s2', 40000, 5000, T0)));
    expect(idx.belongs(ep(40000), ep(5000), T0 * 1000 + END_GRACE_US)).toBe(true);
    expect(idx.belongs(ep(40000), ep(5000), T0 * 1000 + END_GRACE_US + 1)).toBe(false);
    // Its addresses no longer hold anything: a new program on port 5000 is let go at once.
    expect(idx.touches(ep(41000), ep(5000))).toBe(false);
    expect(idx.find(ep(5000), ep(41000), now)).toBeNull();
  });
});

describe('HoldQueue', () => {
  it('gives back a claimed connection in order, lets go of the old and the excess', () => {
    let clock = 0;
    const q = new HoldQueue<number>(() => clock);
    for (let i = 0; i < HOLD_PER_CONN + 3; i++) q.hold(ep(1), ep(2), i);
    q.hold(ep(3), ep(2), -1);
    expect(q.released).toBe(3);
    expect(q.takePair(ep(2), ep(1))).toEqual([...Array(HOLD_PER_CONN).keys()]);
    expect(q.size).toBe(1);
    clock = HOLD_MS + 1;
    expect(q.take(() => true)).toEqual([]);
    expect(q.released).toBe(4);
    for (let i = 0; i <= HOLD_CONNS; i++) q.hold(ep(10 + i), ep(2), i);
    expect(q.size).toBe(HOLD_CONNS);
    expect(q.take((items) => items[0] === HOLD_CONNS)).toEqual([HOLD_CONNS]);
  });
});
