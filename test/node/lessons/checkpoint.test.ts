/**
 * The checkpoint language over views built by reducing hand-made event lists with the
 * contract's reducer: each kind holds exactly when the lab is in that state, and fails
 * (with a detail saying why) one event earlier.
 */
import { describe, expect, it } from 'vitest';
import {
  CheckpointSchema,
  evaluate,
  measures,
  verdictText,
  type Checkpoint,
} from '../../../app/contract/lesson';
import { reduceAll, type ViewState } from '../../../app/contract/reducer';
import type { LabEvent, LabEventInput } from '../../../app/contract/schema';

const ep = (port: number) => ({ host: '127.0.0.1', port });

/** Number and stamp events as the engine's log does. */
function log(inputs: LabEventInput[]): LabEvent[] {
  return inputs.map((e, i) => ({ ...e, seq: i + 1, t: 1000 + i }) as LabEvent);
}

/** A server that listens on 5000 (fd 3), a client connected (fd 3), the connection queued, then accepted (server fd 4). */
const base: LabEventInput[] = [
  { type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' },
  { type: 'actor.added', actor: 'server', kind: 'server' },
  { type: 'actor.added', actor: 'client', kind: 'client' },
  { type: 'socket.created', socket: 's1', actor: 'server', family: 'inet' },
  { type: 'fd.opened', actor: 'server', fd: 3, socket: 's1' },
  { type: 'socket.state', socket: 's1', from: 'CLOSED', to: 'LISTEN', cause: 'listen()' },
  { type: 'socket.kernel', socket: 's1', state: 'LISTEN', sendQ: 0, recvQ: 0, timerMs: null },
  { type: 'call.started', actor: 'server', callId: 'c1', call: { call: 'accept', args: { fd: 3 } } },
  { type: 'call.blocked', actor: 'server', callId: 'c1', reason: 'no-connection' },
  { type: 'socket.created', socket: 's2', actor: 'client', family: 'inet' },
  { type: 'fd.opened', actor: 'client', fd: 3, socket: 's2' },
  {
    type: 'call.started',
    actor: 'client',
    callId: 'c2',
    call: { call: 'connect', args: { fd: 3, host: '127.0.0.1', port: 5000 } },
  },
  { type: 'socket.state', socket: 's2', from: 'CLOSED', to: 'SYN_SENT', cause: 'connect()' },
  {
    type: 'segment',
    source: 'inferred',
    src: ep(40000),
    dst: ep(5000),
    from: 's2',
    to: null,
    flags: ['SYN'],
    seqNo: 0,
    ackNo: null,
    len: 0,
    win: null,
    options: [],
    tsUs: 1,
  },
  { type: 'socket.created', socket: 's3', actor: null, family: 'inet', listener: 's1' },
  {
    type: 'segment',
    source: 'inferred',
    src: ep(5000),
    dst: ep(40000),
    from: 's3',
    to: 's2',
    flags: ['SYN', 'ACK'],
    seqNo: 0,
    ackNo: 1,
    len: 0,
    win: null,
    options: [],
    tsUs: 2,
  },
  { type: 'socket.state', socket: 's2', from: 'SYN_SENT', to: 'ESTABLISHED', cause: 'SYN-ACK received' },
  { type: 'socket.state', socket: 's3', from: 'CLOSED', to: 'ESTABLISHED', cause: 'ACK received' },
  { type: 'socket.queue', socket: 's1', length: 1, backlog: 5 },
  { type: 'call.returned', actor: 'client', callId: 'c2', call: 'connect', ret: 0 },
  { type: 'socket.kernel', socket: 's3', state: 'ESTABLISHED', sendQ: 0, recvQ: 0, timerMs: null },
];
const view = (extra: LabEventInput[] = []): ViewState => reduceAll(log([...base, ...extra]));
const ok = (cp: Checkpoint, v: ViewState) => evaluate(CheckpointSchema.parse(cp), v).ok;

describe('checkpoint language', () => {
  it('actorBlocked: the call and the reason', () => {
    const v = view();
    expect(ok({ kind: 'actorBlocked', actor: 'server' }, v)).toBe(true);
    expect(ok({ kind: 'actorBlocked', actor: 'server', call: 'accept', reason: 'no-connection' }, v)).toBe(
      true,
    );
    expect(ok({ kind: 'actorBlocked', actor: 'server', call: 'read' }, v)).toBe(false);
    expect(ok({ kind: 'actorBlocked', actor: 'client' }, v)).toBe(false);
    expect(evaluate({ kind: 'actorBlocked', actor: 'server', call: 'read' }, v).detail).toEqual({
      code: 'blocked.wrongCall',
      params: { actor: 'server', call: 'accept', wantCall: 'read' },
    });
    expect(verdictText(evaluate({ kind: 'actorBlocked', actor: 'server', call: 'read' }, v).detail)).toBe(
      'server is blocked in accept(), not read()',
    );
    expect(ok({ kind: 'actorBlocked', actor: 'nobody' }, v)).toBe(false);
  });

  it('actorReturned: ret, retAtLeast, errno', () => {
    const v = view();
    expect(ok({ kind: 'actorReturned', actor: 'client', call: 'connect', ret: 0 }, v)).toBe(true);
    expect(ok({ kind: 'actorReturned', actor: 'client', call: 'connect', ret: -1 }, v)).toBe(false);
    expect(ok({ kind: 'actorReturned', actor: 'client', call: 'connect', errno: 'ECONNREFUSED' }, v)).toBe(
      false,
    );
    expect(ok({ kind: 'actorReturned', actor: 'server', call: 'accept' }, v)).toBe(false);
    const v2 = view([
      { type: 'socket.queue', socket: 's1', length: 0, backlog: 5 },
      { type: 'fd.opened', actor: 'server', fd: 4, socket: 's3' },
      { type: 'call.returned', actor: 'server', callId: 'c1', call: 'accept', ret: 4 },
    ]);
    expect(ok({ kind: 'actorReturned', actor: 'server', call: 'accept', ret: 4 }, v2)).toBe(true);
    expect(ok({ kind: 'actorReturned', actor: 'server', call: 'accept', retAtLeast: 5 }, v2)).toBe(false);
    const refused = reduceAll(
      log([
        ...base.slice(0, 3),
        {
          type: 'call.started',
          actor: 'client',
          callId: 'c9',
          call: { call: 'connect', args: { fd: 3, host: '127.0.0.1', port: 1 } },
        },
        {
          type: 'call.returned',
          actor: 'client',
          callId: 'c9',
          call: 'connect',
          ret: -1,
          errno: 'ECONNREFUSED',
        },
      ]),
    );
    expect(
      ok(
        { kind: 'actorReturned', actor: 'client', call: 'connect', ret: -1, errno: 'ECONNREFUSED' },
        refused,
      ),
    ).toBe(true);
  });

  it('socketState: by fd and by role, kernel confirmation, ever', () => {
    const v = view();
    expect(
      ok({ kind: 'socketState', actor: 'server', fd: 3, state: 'LISTEN', kernelConfirmed: true }, v),
    ).toBe(true);
    expect(ok({ kind: 'socketState', actor: 'server', role: 'listening', state: 'LISTEN' }, v)).toBe(true);
    // The queued connection belongs to the server through its listener, before accept().
    expect(
      ok(
        {
          kind: 'socketState',
          actor: 'server',
          role: 'connection',
          state: 'ESTABLISHED',
          kernelConfirmed: true,
        },
        v,
      ),
    ).toBe(true);
    // The client's socket has no kernel row yet: the model says ESTABLISHED, unconfirmed.
    expect(ok({ kind: 'socketState', actor: 'client', fd: 3, state: 'ESTABLISHED' }, v)).toBe(true);
    expect(
      ok({ kind: 'socketState', actor: 'client', fd: 3, state: 'ESTABLISHED', kernelConfirmed: true }, v),
    ).toBe(false);
    expect(ok({ kind: 'socketState', actor: 'client', fd: 3, state: 'SYN_SENT' }, v)).toBe(false);
    expect(ok({ kind: 'socketState', actor: 'client', fd: 3, state: 'SYN_SENT', ever: true }, v)).toBe(true);
    expect(ok({ kind: 'socketState', actor: 'client', fd: 4, state: 'ESTABLISHED' }, v)).toBe(false);
    // After close() the descriptor is gone but the socket (TIME_WAIT) is still found by role.
    const tw = view([
      { type: 'fd.closed', actor: 'client', fd: 3, socket: 's2' },
      { type: 'socket.state', socket: 's2', from: 'ESTABLISHED', to: 'FIN_WAIT_1', cause: 'close()' },
      { type: 'socket.state', socket: 's2', from: 'FIN_WAIT_1', to: 'FIN_WAIT_2', cause: 'ACK of FIN' },
      { type: 'socket.state', socket: 's2', from: 'FIN_WAIT_2', to: 'TIME_WAIT', cause: 'FIN received' },
      { type: 'socket.released', socket: 's2' },
      { type: 'socket.kernel', socket: 's2', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 59000 },
    ]);
    expect(
      ok(
        {
          kind: 'socketState',
          actor: 'client',
          role: 'connection',
          state: 'TIME_WAIT',
          kernelConfirmed: true,
        },
        tw,
      ),
    ).toBe(true);
    expect(ok({ kind: 'socketState', actor: 'client', fd: 3, state: 'TIME_WAIT' }, tw)).toBe(false);
    expect(
      ok({ kind: 'socketState', actor: 'client', role: 'connection', state: 'FIN_WAIT_1', ever: true }, tw),
    ).toBe(true);
    expect(
      ok({ kind: 'socketState', actor: 'client', role: 'connection', state: 'CLOSING', ever: true }, tw),
    ).toBe(false);
  });

  it('buffer: kernel and app bytes together, per side', () => {
    const buffers = {
      sendApp: 1000,
      sendKernel: 3000,
      recvKernel: 70000,
      recvApp: 5,
      sendPreview: '',
      recvPreview: 'xx',
      finReceived: false,
    };
    const v = view([{ type: 'socket.buffers', socket: 's3', buffers }]);
    expect(ok({ kind: 'buffer', actor: 'server', role: 'connection', side: 'recv', atLeast: 70005 }, v)).toBe(
      true,
    );
    expect(ok({ kind: 'buffer', actor: 'server', role: 'connection', side: 'recv', atLeast: 70006 }, v)).toBe(
      false,
    );
    expect(ok({ kind: 'buffer', actor: 'server', role: 'connection', side: 'send', atLeast: 4000 }, v)).toBe(
      true,
    );
    expect(ok({ kind: 'buffer', actor: 'server', role: 'connection', side: 'send', atLeast: 4001 }, v)).toBe(
      false,
    );
    expect(ok({ kind: 'buffer', actor: 'client', fd: 3, side: 'recv', atLeast: 1 }, v)).toBe(false);
  });

  it('segmentSeen: flags, not, from, count; captured segments hide inferred ones', () => {
    const v = view();
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'] }, v)).toBe(true);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'], from: 'client' }, v)).toBe(true);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN', 'ACK'] }, v)).toBe(true);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'], atLeast: 2 }, v)).toBe(true);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'], atLeast: 3 }, v)).toBe(false);
    expect(ok({ kind: 'segmentSeen', flags: ['FIN'] }, v)).toBe(false);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], from: 'server' }, v)).toBe(false);
    // One captured segment on the connection hides the inferred ones (visibleSegments).
    const cap = view([
      {
        type: 'segment',
        source: 'captured',
        src: ep(40000),
        dst: ep(5000),
        from: 's2',
        to: 's3',
        flags: ['ACK'],
        seqNo: 77,
        ackNo: 99,
        len: 0,
        win: 100,
        options: [],
        tsUs: 3,
      },
    ]);
    expect(ok({ kind: 'segmentSeen', flags: ['SYN'] }, cap)).toBe(false);
    expect(ok({ kind: 'segmentSeen', flags: ['ACK'], from: 'client' }, cap)).toBe(true);
  });

  it('queueLength, countSockets, fdCount', () => {
    const v = view();
    expect(ok({ kind: 'queueLength', actor: 'server', atLeast: 1 }, v)).toBe(true);
    expect(ok({ kind: 'queueLength', actor: 'server', atLeast: 2 }, v)).toBe(false);
    expect(ok({ kind: 'countSockets', state: 'ESTABLISHED', atLeast: 2 }, v)).toBe(true);
    expect(ok({ kind: 'countSockets', state: 'ESTABLISHED', atLeast: 2, kernelConfirmed: true }, v)).toBe(
      false,
    );
    expect(
      ok({ kind: 'countSockets', actor: 'server', state: 'ESTABLISHED', atLeast: 1, atMost: 1 }, v),
    ).toBe(true);
    expect(ok({ kind: 'countSockets', actor: 'server', state: 'CLOSE_WAIT', atMost: 0 }, v)).toBe(true);
    expect(ok({ kind: 'fdCount', actor: 'server', atLeast: 1, atMost: 1 }, v)).toBe(true);
    expect(ok({ kind: 'fdCount', actor: 'server', atLeast: 2 }, v)).toBe(false);
    expect(() => CheckpointSchema.parse({ kind: 'fdCount', actor: 'server' })).toThrow(/atLeast or atMost/);
  });

  it('programEnded, all, any, not', () => {
    const prog = { name: 'p', source: 'int main(void)\n{\n    return 0;\n}\n' };
    const v = view([
      { type: 'program.loaded', actor: 'client', program: prog },
      { type: 'program.pc', actor: 'client', line: 3, frames: [{ fn: 'main', line: 3, vars: [] }], steps: 0 },
      { type: 'program.pc', actor: 'client', line: null, frames: [], steps: 1 },
      { type: 'program.ended', actor: 'client', end: { how: 'exit', status: 0 } },
    ]);
    expect(ok({ kind: 'programEnded', actor: 'client' }, v)).toBe(true);
    expect(ok({ kind: 'programEnded', actor: 'server' }, v)).toBe(false);
    const yes: Checkpoint = { kind: 'fdCount', actor: 'server', atLeast: 1 };
    const no: Checkpoint = { kind: 'fdCount', actor: 'server', atLeast: 9 };
    expect(ok({ kind: 'all', of: [yes, yes] }, v)).toBe(true);
    expect(ok({ kind: 'all', of: [yes, no] }, v)).toBe(false);
    expect(ok({ kind: 'any', of: [no, yes] }, v)).toBe(true);
    expect(ok({ kind: 'any', of: [no, no] }, v)).toBe(false);
    expect(ok({ kind: 'not', of: no }, v)).toBe(true);
    // A failed `all` says its first failed part; a held one says every part; `not` wraps its part.
    expect(verdictText(evaluate({ kind: 'all', of: [yes, no] }, v).detail)).toBe(
      'server holds 1 descriptor(s), need ≥ 9',
    );
    expect(verdictText(evaluate({ kind: 'all', of: [yes, yes] }, v).detail)).toBe(
      'server holds 1 descriptor(s), need ≥ 1; server holds 1 descriptor(s), need ≥ 1',
    );
    expect(verdictText(evaluate({ kind: 'any', of: [no, no] }, v).detail)).toBe(
      'server holds 1 descriptor(s), need ≥ 9 | server holds 1 descriptor(s), need ≥ 9',
    );
    expect(evaluate({ kind: 'not', of: yes }, v).detail).toEqual({
      not: {
        code: 'count.fds',
        params: { actor: 'server', n: 1, bounds: { code: 'bounds.atLeast', params: { min: 1 } } },
      },
    });
    expect(verdictText(evaluate({ kind: 'not', of: yes }, v).detail)).toBe(
      'not (server holds 1 descriptor(s), need ≥ 1)',
    );
  });

  it('queueLength by atMost', () => {
    const v = view();
    expect(ok({ kind: 'queueLength', actor: 'server', atMost: 1 }, v)).toBe(true);
    expect(ok({ kind: 'queueLength', actor: 'server', atMost: 0 }, v)).toBe(false);
    expect(ok({ kind: 'queueLength', actor: 'server', atLeast: 1, atMost: 2 }, v)).toBe(true);
  });

  it('rejects unknown kinds and stray fields', () => {
    expect(
      CheckpointSchema.safeParse({ kind: 'socketState', actor: 'server', state: 'LISTENING' }).success,
    ).toBe(false);
    expect(CheckpointSchema.safeParse({ kind: 'magic' }).success).toBe(false);
    expect(
      CheckpointSchema.safeParse({ kind: 'queueLength', actor: 'server', atLeast: 1, extra: 1 }).success,
    ).toBe(false);
    expect(
      CheckpointSchema.safeParse({
        kind: 'socketState',
        actor: 'server',
        state: 'LISTEN',
        ever: true,
        kernelConfirmed: true,
      }).success,
    ).toBe(false);
  });

  it('measures: the live counts a checkpoint depends on', () => {
    const v = view();
    const m = measures(
      {
        kind: 'all',
        of: [
          { kind: 'countSockets', actor: 'server', state: 'ESTABLISHED', atLeast: 3 },
          { kind: 'not', of: { kind: 'fdCount', actor: 'server', atMost: 0 } },
          { kind: 'queueLength', actor: 'server', atLeast: 1 },
          { kind: 'actorBlocked', actor: 'server' },
        ],
      },
      v,
    );
    expect(m).toEqual([
      { kind: 'countSockets', actor: 'server', what: 'ESTABLISHED', value: 1 },
      { kind: 'fdCount', actor: 'server', what: null, value: 1 },
      { kind: 'queueLength', actor: 'server', what: null, value: 1 },
    ]);
  });
});
