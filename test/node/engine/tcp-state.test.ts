/** The pure TCP state machine and the kernel-table inference. */
import { describe, expect, it } from 'vitest';
import { TCP_STATES, type TcpState } from '../../../app/contract/schema';
import { inferFromKernel, nextState, type TcpInput } from '../../../app/core/tcp-state';

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

describe('inferFromKernel', () => {
  it('explains what the kernel saw ahead of the model', () => {
    expect(inferFromKernel('ESTABLISHED', 'CLOSE_WAIT')).toEqual(['fin-received']);
    expect(inferFromKernel('FIN_WAIT_1', 'FIN_WAIT_2')).toEqual(['fin-acked']);
    expect(inferFromKernel('FIN_WAIT_1', 'CLOSING')).toEqual(['fin-received']);
    expect(inferFromKernel('FIN_WAIT_1', 'TIME_WAIT')).toEqual(['fin-acked', 'fin-received']);
    expect(inferFromKernel('FIN_WAIT_2', 'TIME_WAIT')).toEqual(['fin-received']);
    expect(inferFromKernel('CLOSING', 'TIME_WAIT')).toEqual(['fin-acked']);
    expect(inferFromKernel('LAST_ACK', null)).toEqual(['fin-acked']);
    expect(inferFromKernel('TIME_WAIT', null)).toEqual(['timeout']);
    expect(inferFromKernel('ESTABLISHED', null)).toEqual(['rst']);
  });

  it('infers nothing when the kernel agrees or lags behind', () => {
    for (const s of TCP_STATES) expect(inferFromKernel(s, s)).toEqual([]);
    expect(inferFromKernel('FIN_WAIT_1', 'ESTABLISHED')).toEqual([]);
    expect(inferFromKernel('LAST_ACK', 'CLOSE_WAIT')).toEqual([]);
    expect(inferFromKernel('LISTEN', null)).toEqual([]);
    expect(inferFromKernel('SYN_SENT', null)).toEqual([]);
  });

  it('every inferred path is a valid path of the machine', () => {
    for (const m of TCP_STATES) {
      for (const k of [...TCP_STATES, null]) {
        const inputs = inferFromKernel(m, k);
        let s: TcpState | null = m;
        for (const i of inputs) s = s ? nextState(s, i) : null;
        expect(s, `${m} → ${String(k)}`).not.toBeNull();
        if (inputs.length && k !== null) expect(s).toBe(k);
      }
    }
  });
});
