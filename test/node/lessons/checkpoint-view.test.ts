/**
 * What the view keeps for the checkpoints on programs' bytes and options, from hand-made
 * event lists through the contract's reducer: the text a socket's program read and wrote
 * (up to SOCKET_TEXT_KEEP, from call.returned's out.data), the byte counts past it, the
 * options a setsockopt that returned 0 set. (The same on real runs: checkpoint-programs.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { CheckpointSchema, evaluate, type Checkpoint } from '../../../app/contract/lesson';
import { reduceAll, SOCKET_TEXT_KEEP, type ViewState } from '../../../app/contract/reducer';
import type { LabEvent, LabEventInput } from '../../../app/contract/schema';

const log = (inputs: LabEventInput[]): LabEvent[] =>
  inputs.map((e, i) => ({ ...e, seq: i + 1, t: 1000 + i }) as LabEvent);

/** A client holding fd 3 (socket s2), and a socket s3 of the server. */
const base: LabEventInput[] = [
  { type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' },
  { type: 'actor.added', actor: 'server', kind: 'server' },
  { type: 'actor.added', actor: 'client', kind: 'client' },
  { type: 'socket.created', socket: 's2', actor: 'client', family: 'inet' },
  { type: 'fd.opened', actor: 'client', fd: 3, socket: 's2' },
  { type: 'socket.created', socket: 's3', actor: 'server', family: 'inet' },
  { type: 'fd.opened', actor: 'server', fd: 3, socket: 's3' },
];
const view = (extra: LabEventInput[] = []): ViewState => reduceAll(log([...base, ...extra]));
const ok = (cp: Checkpoint, v: ViewState) => evaluate(CheckpointSchema.parse(cp), v).ok;

describe('the view of what programs read, wrote and set', () => {
  it('keeps the text of reads and writes up to its bound, every byte counted, and options set', () => {
    const io = (id: string, call: 'read' | 'write', ret: number, data?: string): LabEventInput[] => [
      {
        type: 'call.started',
        actor: 'client',
        callId: id,
        call:
          call === 'read'
            ? { call: 'read', args: { fd: 3, max: 9999 } }
            : { call: 'write', args: { fd: 3, fill: Math.max(ret, 1), bytes: Math.max(ret, 1) } },
      },
      { type: 'call.returned', actor: 'client', callId: id, call, ret, ...(data ? { out: { data } } : {}) },
    ];
    const opt = (id: string, value: number, ret: number): LabEventInput[] => [
      {
        type: 'call.started',
        actor: 'client',
        callId: id,
        call: { call: 'setsockopt', args: { fd: 3, opt: 'TCP_NODELAY', value } },
      },
      {
        type: 'call.returned',
        actor: 'client',
        callId: id,
        call: 'setsockopt',
        ret,
        ...(ret < 0 ? { errno: 'EINVAL' as const } : {}),
      },
    ];
    const big = 'y'.repeat(SOCKET_TEXT_KEEP - 2);
    const v2 = view([
      ...io('w1', 'write', 3, 'abc'),
      ...io('w2', 'write', -1),
      ...io('w3', 'write', SOCKET_TEXT_KEEP - 2, big),
      // Past the bound the engine sends no text; a longer one is cut all the same.
      ...io('w4', 'write', 10, 'zzzzzzzzzz'),
      ...io('r1', 'read', 0),
      ...io('r2', 'read', 2, 'ok'),
      ...opt('o1', 1, -1),
      ...opt('o2', 1, 0),
    ]);
    const s2 = v2.sockets.s2!;
    expect(s2.sent).toEqual({ text: 'abc' + big.slice(0, -1), bytes: SOCKET_TEXT_KEEP + 11 });
    expect(s2.received).toEqual({ text: 'ok', bytes: 2 });
    expect(s2.options).toEqual({ TCP_NODELAY: 1 });
    expect(v2.sockets.s3!.received).toBeUndefined();
    expect(
      ok({ kind: 'bytes', actor: 'client', fd: 3, side: 'sent', contains: 'abcyy', atLeast: 4096 }, v2),
    ).toBe(true);
    expect(ok({ kind: 'bytes', actor: 'client', fd: 3, side: 'sent', contains: 'z' }, v2)).toBe(false);
    expect(
      ok({ kind: 'bytes', actor: 'client', fd: 3, side: 'received', contains: 'ok', atLeast: 3 }, v2),
    ).toBe(false);
    expect(ok({ kind: 'sockopt', actor: 'client', fd: 3, opt: 'TCP_NODELAY', value: 1 }, v2)).toBe(true);
    // A setsockopt that failed sets nothing.
    expect(ok({ kind: 'sockopt', actor: 'client', fd: 3, opt: 'TCP_NODELAY' }, view(opt('o1', 1, -1)))).toBe(
      false,
    );
  });
});
