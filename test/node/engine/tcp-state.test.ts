/** The pure TCP state machine and the kernel-table inference. */
import { describe, expect, it } from 'vitest';
import { TCP_STATES, type TcpState } from '../../../app/contract/schema';
import { nextState, pathBetween, type TcpInput } from '../../../app/core/tcp-state';

function run(from: TcpState, inputs: TcpInput[]): TcpState[] {
  const path: TcpState[] = [];
  let s = from;
  for (const i of inputs) {
    const n = nextState(s, i);
    if (!n) throw new Error(`${i} does not apply in ${s}`);
    path.push(n);
    s = n;
  }
  return path;
}

describe('nextState', () => {
  it('client side: connect, close first, TIME_WAIT, expiry', () => {
    expect(
      run('CLOSED', ['connect', 'syn-ack-received', 'close', 'fin-acked', 'fin-received', 'timeout']),
    ).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  });

  it('server side: a queued connection, passive close through CLOSE_WAIT and LAST_ACK', () => {
    expect(run('CLOSED', ['syn-received', 'ack-received', 'fin-received', 'close', 'fin-acked'])).toEqual([
      'SYN_RECEIVED',
      'ESTABLISHED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'CLOSED',
    ]);
    expect(run('CLOSED', ['listen', 'close'])).toEqual(['LISTEN', 'CLOSED']);
  });

  it('simultaneous close goes through CLOSING', () => {
    expect(run('ESTABLISHED', ['close', 'fin-received', 'fin-acked'])).toEqual([
      'FIN_WAIT_1',
      'CLOSING',
      'TIME_WAIT',
    ]);
  });

  it('every state is reachable, and RST ends every connected state', () => {
    const seen = new Set<TcpState>(['CLOSED']);
    const inputs: TcpInput[] = [
      'listen',
      'connect',
      'syn-received',
      'syn-ack-received',
      'ack-received',
      'close',
      'fin-received',
      'fin-acked',
      'rst',
      'timeout',
    ];
    let frontier: TcpState[] = ['CLOSED'];
    for (let round = 0; round < 20 && frontier.length; round++) {
      const next: TcpState[] = [];
      for (const s of frontier) {
        for (const i of inputs) {
          const n = nextState(s, i);
          if (n && !seen.has(n)) {
            seen.add(n);
            next.push(n);
          }
        }
      }
      frontier = next;
    }
    expect([...seen].sort()).toEqual([...TCP_STATES].sort());
    for (const s of TCP_STATES) if (s !== 'CLOSED') expect(nextState(s, 'rst')).toBe('CLOSED');
  });

  it('inputs that do not apply give null', () => {
    expect(nextState('CLOSED', 'fin-received')).toBeNull();
    expect(nextState('LISTEN', 'connect')).toBeNull();
    expect(nextState('FIN_WAIT_2', 'close')).toBeNull();
    expect(nextState('TIME_WAIT', 'fin-received')).toBeNull();
  });
});

describe('pathBetween', () => {
  it('fills the steps between two kernel readings, FIN_WAIT_2 before CLOSING', () => {
    const to = (a: TcpState, b: TcpState, allow?: (i: TcpInput) => boolean) =>
      pathBetween(a, b, allow)?.map((h) => `${h.input}:${h.to}`);
    expect(to('ESTABLISHED', 'TIME_WAIT')).toEqual([
      'close:FIN_WAIT_1',
      'fin-acked:FIN_WAIT_2',
      'fin-received:TIME_WAIT',
    ]);
    expect(to('FIN_WAIT_1', 'TIME_WAIT')).toEqual(['fin-acked:FIN_WAIT_2', 'fin-received:TIME_WAIT']);
    expect(to('CLOSED', 'ESTABLISHED')).toEqual(['connect:SYN_SENT', 'syn-ack-received:ESTABLISHED']);
    expect(to('ESTABLISHED', 'ESTABLISHED')).toEqual([]);
    // Without the program's calls, the kernel's own moves: a refused connect is a reset.
    const own = (i: TcpInput) => i !== 'close' && i !== 'listen' && i !== 'connect';
    expect(to('SYN_SENT', 'CLOSED', own)).toEqual(['rst:CLOSED']);
    expect(to('CLOSED', 'ESTABLISHED', own)).toEqual([
      'syn-received:SYN_RECEIVED',
      'ack-received:ESTABLISHED',
    ]);
    expect(to('ESTABLISHED', 'FIN_WAIT_1', own)).toBeUndefined();
  });

  it('every path is a valid walk of the machine, ending where asked', () => {
    for (const a of TCP_STATES) {
      for (const b of TCP_STATES) {
        const path = pathBetween(a, b);
        if (!path) continue;
        let s: TcpState | null = a;
        for (const h of path) {
          expect(h.from).toBe(s);
          s = nextState(s!, h.input);
          expect(s).toBe(h.to);
        }
        expect(s).toBe(b);
      }
    }
  });
});
