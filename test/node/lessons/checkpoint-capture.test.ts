/**
 * The checkpoints on captured segments: sequence and acknowledgement numbers relative to
 * the ISNs as the course writes them (the SYN is 0, its ACK is 1), and retransmissions. On
 * fixture views first (numbers chosen to wrap around 2^32), then on a real capture of the
 * lab (Linux, root and tcpdump: skipped otherwise) — the handshake, data and close of a
 * connection, and a SYN the kernel retransmits while the accept queue is full.
 */
import { describe, expect, it } from 'vitest';
import { CheckpointSchema, evaluate, verdictText, type Checkpoint } from '../../../app/contract/lesson';
import { reduceAll, type ViewState } from '../../../app/contract/reducer';
import type { LabEvent, LabEventInput, TcpFlag } from '../../../app/contract/schema';
import { findTool } from '../../../app/core/capture/capture';
import { call, newLab, ret, returned, sockOf, waitFor } from '../engine/helpers';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const log = (inputs: LabEventInput[]): LabEvent[] =>
  inputs.map((e, i) => ({ ...e, seq: i + 1, t: 1000 + i }) as LabEvent);
const parse = (cp: Checkpoint) => CheckpointSchema.parse(cp);
const holds = (cp: Checkpoint, v: ViewState) => evaluate(parse(cp), v).ok;
const say = (cp: Checkpoint, v: ViewState) => verdictText(evaluate(parse(cp), v).detail);

/** The client's ISN, near the top of the sequence space so that its numbers wrap. */
const C_ISN = 0xfffffffe;
const S_ISN = 7000;
const add = (a: number, b: number) => (a + b) >>> 0;

/** A segment between the client (port 40000, socket c) and the server's connection (5000, socket s). */
function seg(
  fromClient: boolean,
  flags: TcpFlag[],
  seqNo: number,
  ackNo: number | null,
  len = 0,
  source: 'captured' | 'inferred' = 'captured',
): LabEventInput {
  return {
    type: 'segment',
    source,
    src: ep(fromClient ? 40000 : 5000),
    dst: ep(fromClient ? 5000 : 40000),
    from: fromClient ? 'c' : 's',
    to: fromClient ? 's' : 'c',
    flags,
    seqNo,
    ackNo,
    len,
    win: 1000,
    options: [],
    tsUs: seqNo,
  };
}

const actors: LabEventInput[] = [
  { type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' },
  { type: 'actor.added', actor: 'server', kind: 'server' },
  { type: 'actor.added', actor: 'client', kind: 'client' },
  { type: 'socket.created', socket: 'c', actor: 'client', family: 'inet' },
  { type: 'socket.created', socket: 's', actor: 'server', family: 'inet' },
];

/** A handshake, 5 bytes each way, the client's FIN and its ACK; then what `extra` adds. */
function fixture(extra: LabEventInput[] = []): ViewState {
  const c1 = add(C_ISN, 1);
  const s1 = add(S_ISN, 1);
  return reduceAll(
    log([
      ...actors,
      seg(true, ['SYN'], C_ISN, null),
      seg(false, ['SYN', 'ACK'], S_ISN, c1),
      seg(true, ['ACK'], c1, s1),
      seg(true, ['PSH', 'ACK'], c1, s1, 5),
      seg(false, ['ACK'], s1, add(c1, 5)),
      seg(false, ['PSH', 'ACK'], s1, add(c1, 5), 5),
      seg(true, ['ACK'], add(c1, 5), add(s1, 5)),
      seg(true, ['FIN', 'ACK'], add(c1, 5), add(s1, 5)),
      seg(false, ['ACK'], add(s1, 5), add(c1, 6)),
      ...extra,
    ]),
  );
}

describe('relative numbers on captured segments (fixture views)', () => {
  it('the SYN is 0, its ACK is 1, data and FIN count on, numbers wrap around 2^32', () => {
    const v = fixture();
    expect(holds({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], seq: 0 }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], seq: 1 }, v)).toBe(false);
    // ack = peer ISN + 1, both ways.
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], seq: 0, ack: 1, from: 'server' }, v)).toBe(
      true,
    );
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 0 }, v)).toBe(false);
    expect(
      holds({ kind: 'segmentSeen', flags: ['ACK'], not: ['SYN'], seq: 1, ack: 1, from: 'client' }, v),
    ).toBe(true);
    // The client's data is seq 1 (5 bytes), the server's ACK of it is 6; the FIN is at 6, acked with 7.
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], minLen: 5, seq: 1, from: 'client' }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], ack: 6, from: 'server' }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['FIN'], seq: 6, ack: 6, from: 'client' }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], ack: 7, from: 'server' }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], ack: 7, from: 'client' }, v)).toBe(false);
    // Counts: two segments from the server acknowledge 6 (the ACK and the echo).
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], ack: 6, from: 'server', atLeast: 2 }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], ack: 6, from: 'server', atLeast: 3 }, v)).toBe(false);
    expect(
      say(
        { kind: 'segmentSeen', flags: ['FIN'], not: ['RST'], from: 'client', minLen: 1, seq: 6, ack: 6 },
        v,
      ),
    ).toBe(
      '0 captured segment(s) FIN with no RST, from client, at least 1 data byte(s), relative seq 6, relative ack 6 seen (need 1)',
    );
    // A SYN without ACK has no acknowledgement number to compare.
    expect(holds({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], ack: 0 }, v)).toBe(false);
  });

  it('only captured segments count; the ISN is the latest SYN of that direction', () => {
    // Inferred segments have no real numbers: a view with only those says so.
    const inferred = reduceAll(
      log([
        ...actors,
        seg(true, ['SYN'], 0, null, 0, 'inferred'),
        seg(false, ['SYN', 'ACK'], 0, 1, 0, 'inferred'),
      ]),
    );
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'] }, inferred)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 1 }, inferred)).toBe(false);
    expect(say({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 1 }, inferred)).toBe(
      'no captured segments yet: SYN+ACK by relative numbers is judged on a packet capture (run the lab as root with tcpdump)',
    );
    // A segment whose SYN is not in the view has no relative number.
    const noSyn = reduceAll(log([...actors, seg(true, ['ACK'], 500, 900)]));
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], seq: 0 }, noSyn)).toBe(false);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'] }, noSyn)).toBe(true);
    // The same ports used again by a new connection: its own SYN renumbers from there.
    const again = fixture([seg(true, ['SYN'], 123, null), seg(false, ['SYN', 'ACK'], 9000, 124)]);
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], seq: 0, ack: 1, atLeast: 2 }, again)).toBe(
      true,
    );
  });
});

describe('retransmissions (fixture views)', () => {
  it('a SYN, FIN or data segment that comes again; never a pure ACK, never an inferred one', () => {
    const v = fixture();
    expect(holds({ kind: 'retransmission' }, v)).toBe(false);
    expect(say({ kind: 'retransmission' }, v)).toBe('0 retransmitted segment(s) captured (need 1)');
    // A duplicate ACK is legitimate, not a retransmission.
    const dupAck = fixture([seg(false, ['ACK'], add(S_ISN, 6), add(C_ISN, 7))]);
    const dupAck2 = fixture([
      seg(false, ['ACK'], add(S_ISN, 6), add(C_ISN, 7)),
      seg(false, ['ACK'], add(S_ISN, 6), add(C_ISN, 7)),
    ]);
    expect(holds({ kind: 'retransmission' }, dupAck)).toBe(false);
    expect(holds({ kind: 'retransmission' }, dupAck2)).toBe(false);
    // The client's data sent again.
    const data = fixture([seg(true, ['PSH', 'ACK'], add(C_ISN, 1), add(S_ISN, 1), 5)]);
    expect(holds({ kind: 'retransmission' }, data)).toBe(true);
    expect(holds({ kind: 'retransmission', from: 'client' }, data)).toBe(true);
    expect(holds({ kind: 'retransmission', from: 'server' }, data)).toBe(false);
    expect(holds({ kind: 'retransmission', flags: ['SYN'] }, data)).toBe(false);
    expect(say({ kind: 'retransmission', flags: ['PSH'], from: 'client' }, data)).toBe(
      '1 retransmitted PSH segment(s) from client captured (need 1)',
    );
    // The same sequence number with other flags is another segment.
    const other = fixture([seg(true, ['FIN', 'PSH', 'ACK'], add(C_ISN, 6), add(S_ISN, 6))]);
    expect(holds({ kind: 'retransmission' }, other)).toBe(false);
    // The client's FIN again, and its SYN again.
    const fin = fixture([seg(true, ['ACK', 'FIN'], add(C_ISN, 6), add(S_ISN, 6))]);
    expect(holds({ kind: 'retransmission', flags: ['FIN'], from: 'client' }, fin)).toBe(true);
    const syn = fixture([seg(true, ['SYN'], C_ISN, null)]);
    expect(holds({ kind: 'retransmission', flags: ['SYN'], from: 'client' }, syn)).toBe(true);
    expect(say({ kind: 'retransmission', flags: ['SYN'] }, syn)).toBe(
      '1 retransmitted SYN segment(s) captured (need 1)',
    );
    expect(say({ kind: 'retransmission', from: 'server' }, syn)).toBe(
      '0 retransmitted segment(s) from server captured (need 1)',
    );
    // Inferred segments repeat as the model draws them: they never count.
    const inferred = reduceAll(
      log([
        ...actors,
        seg(true, ['SYN'], 0, null, 0, 'inferred'),
        seg(true, ['SYN'], 0, null, 0, 'inferred'),
      ]),
    );
    expect(say({ kind: 'retransmission' }, inferred)).toBe(
      'no captured segments: a retransmission is seen only in a packet capture (run the lab as root with tcpdump)',
    );
  });
});

const tcpdump = findTool('tcpdump');
const canCapture = process.platform === 'linux' && tcpdump !== null && process.getuid?.() === 0;

describe.runIf(canCapture)('on a real capture (needs Linux, tcpdump and root: skipped otherwise)', () => {
  it('the handshake, data and close by relative numbers; a SYN retransmitted while the queue is full', async () => {
    const lab = await newLab({ capture: true });
    await waitFor(lab, (v) => v.capture.status === 'on', 'capture on');
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'listen', { fd: 3, backlog: 1 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
    expect(await ret(lab, 'client', 'write', { fd: 3, data: 'hello' })).toEqual({ ret: 5 });
    expect(await ret(lab, 'server', 'read', { fd: 4 })).toEqual({ ret: 5 });
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    const closed: Checkpoint = { kind: 'segmentSeen', flags: ['ACK'], not: ['FIN'], ack: 7, from: 'server' };
    const v = await waitFor(lab, (x) => holds(closed, x) && x, "the ACK of the client's FIN");
    expect(holds({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], seq: 0, from: 'client' }, v)).toBe(
      true,
    );
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], seq: 0, ack: 1, from: 'server' }, v)).toBe(
      true,
    );
    expect(
      holds({ kind: 'segmentSeen', flags: ['ACK'], not: ['SYN'], seq: 1, ack: 1, from: 'client' }, v),
    ).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['ACK'], minLen: 5, seq: 1, ack: 1, from: 'client' }, v)).toBe(
      true,
    );
    expect(holds({ kind: 'segmentSeen', flags: ['FIN'], seq: 6, from: 'client' }, v)).toBe(true);
    expect(holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 0 }, v)).toBe(false);
    expect(holds({ kind: 'segmentSeen', flags: ['FIN'], seq: 5, from: 'client' }, v)).toBe(false);
    // An ordinary exchange on loopback retransmits nothing.
    expect(holds({ kind: 'retransmission' }, v)).toBe(false);

    // The queue full (backlog 1: the kernel queues 2), a third connect's SYN is dropped and
    // sent again; accept() makes room and it completes.
    for (const id of ['client2', 'client3', 'client4'])
      expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: id });
    for (const c of ['client2', 'client3']) {
      expect(await ret(lab, c, 'socket')).toEqual({ ret: 3 });
      expect(await ret(lab, c, 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    }
    await waitFor(lab, (x) => sockOf(x, 'server', 3).acceptQueue?.length === 2, 'two in the accept queue');
    expect(await ret(lab, 'client4', 'socket')).toEqual({ ret: 3 });
    const c4 = await call(lab, 'client4', 'connect', { fd: 3, host: '127.0.0.1', port });
    expect(c4).toMatchObject({ status: 'blocked', reason: 'handshake' });
    const resent: Checkpoint = { kind: 'retransmission', flags: ['SYN'], from: 'client4' };
    const r = await waitFor(lab, (x) => holds(resent, x) && x, 'the SYN retransmitted', 10_000);
    expect(holds({ kind: 'retransmission', from: 'client' }, r)).toBe(false);
    expect(say(resent, r)).toMatch(
      /^[1-9]\d* retransmitted SYN segment\(s\) from client4 captured \(need 1\)$/,
    );
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 5 });
    expect((await returned(lab, 'client4', c4.callId)).ret).toBe(0);
    // The SYN sent again has the same number: the SYN-ACK still acknowledges ISN + 1.
    await waitFor(
      lab,
      (x) => holds({ kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 1, atLeast: 4 }, x),
      'four SYN-ACKs that acknowledge ISN + 1',
    );
  }, 30_000);
});
