/**
 * The order of the tracepoint's events and the kernel table's rows, made deterministic: a
 * tracer of the test's own stands in for the kernel's tracepoint (its events are handed to the
 * lab when the test says), while the sockets and the kernel's table are real. A row of the
 * table read while the tracepoint's events of that socket are still on their way (in the
 * tracer, a line waits up to 100 ms for its pair) must not move the socket; once the
 * tracepoint hands the socket over, the table's TIME_WAIT is shown at once.
 */
import { describe, expect, it } from 'vitest';
import type { SocketView } from '../../../app/contract';
import type { Engine } from '../../../app/core/engine';
import type { StateTracer, StateTransition } from '../../../app/core/kernel/tracepoint';
import type { KernelRow, KernelTableSource } from '../../../app/core/kernel/types';
import type { Lab } from '../../../app/core/lab';
import type { TcpState } from '../../../app/contract/schema';
import { connectedPair, isLinux, newLab, ret, serverListening, sock, waitFor } from '../engine/helpers';
import { runToEnd } from '../interp/run-to-end';

/** A stand-in for StateTracer: the test sends each transition itself. */
function fakeTracer(): { tracer: StateTracer; send(t: StateTransition): void } {
  const listeners = new Set<(t: StateTransition) => void>();
  const tracer = {
    onTransition(l: (t: StateTransition) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    setPorts: () => Promise.resolve(),
  } as unknown as StateTracer;
  return { tracer, send: (t) => listeners.forEach((l) => l(t)) };
}

/** The kernel's event of socket `s` (its own four-tuple and identity). */
function event(s: SocketView, sk: string, oldstate: TcpState, newstate: TcpState): StateTransition {
  return {
    tsUs: Math.round((performance.timeOrigin + performance.now()) * 1000),
    family: 'inet',
    saddr: s.local!.host,
    sport: s.local!.port,
    daddr: s.remote?.host ?? '0.0.0.0',
    dport: s.remote?.port ?? 0,
    oldstate,
    newstate,
    skaddr: sk,
  };
}

const path = (lab: Lab, id: string) => sock(lab.view(), id).transitions.map((t) => `${t.to}/${t.source}`);

describe.skipIf(!isLinux)('the tracepoint’s events and the kernel table', () => {
  it('a TIME_WAIT the table read before the tracepoint’s events waits for them, and is shown at the hand-over', async () => {
    const lab = await newLab();
    const { tracer, send } = fakeTracer();
    (lab as unknown as { engine: Engine }).engine.facts.useTracer(tracer);
    const { server, client } = await connectedPair(lab);
    send(event(client, 'c', 'CLOSED', 'SYN_SENT'));
    send(event(client, 'c', 'SYN_SENT', 'ESTABLISHED'));
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    void server;
    // The kernel's table has the client's time-wait socket; the tracepoint's events of its
    // close have not come yet: the table must not decide.
    await waitFor(lab, (v) => sock(v, client.id).kernel?.state === 'TIME_WAIT', 'the table’s TIME_WAIT');
    expect(path(lab, client.id)).toEqual(['SYN_SENT/kernel', 'ESTABLISHED/kernel']);
    send(event(client, 'c', 'ESTABLISHED', 'FIN_WAIT_1'));
    send(event(client, 'c', 'FIN_WAIT_1', 'FIN_WAIT_2'));
    expect(path(lab, client.id)).toEqual([
      'SYN_SENT/kernel',
      'ESTABLISHED/kernel',
      'FIN_WAIT_1/kernel',
      'FIN_WAIT_2/kernel',
    ]);
    // The hand-over: the time-wait socket replaced the client's; the table's row is its.
    send(event(client, 'c', 'FIN_WAIT_2', 'CLOSED'));
    expect(path(lab, client.id)).toEqual([
      'SYN_SENT/kernel',
      'ESTABLISHED/kernel',
      'FIN_WAIT_1/kernel',
      'FIN_WAIT_2/kernel',
      'TIME_WAIT/kernel',
    ]);
  });

  it('after the hand-over the table gives only what the time-wait socket can say: TIME_WAIT or gone', async () => {
    // A table of the test's own: a read begun before the hand-over may still hold the full
    // socket's FIN_WAIT_1 (procfs reads asynchronously); it must not move the socket back.
    let rows: KernelRow[] = [];
    const table: KernelTableSource = { kind: 'procfs', read: () => Promise.resolve(rows) };
    const lab = await newLab({ kernel: table });
    const { tracer, send } = fakeTracer();
    (lab as unknown as { engine: Engine }).engine.facts.useTracer(tracer);
    const { client } = await connectedPair(lab);
    const row = (state: TcpState): KernelRow => ({
      local: client.local!,
      remote: client.remote!,
      state,
      sendQ: 0,
      recvQ: 0,
      timerMs: state === 'TIME_WAIT' ? 60_000 : null,
      inode: 0,
    });
    rows = [row('FIN_WAIT_2')];
    send(event(client, 'c', 'CLOSED', 'SYN_SENT'));
    send(event(client, 'c', 'SYN_SENT', 'ESTABLISHED'));
    expect(await ret(lab, 'client', 'close', { fd: 3 })).toEqual({ ret: 0 });
    send(event(client, 'c', 'ESTABLISHED', 'FIN_WAIT_1'));
    send(event(client, 'c', 'FIN_WAIT_1', 'FIN_WAIT_2'));
    send(event(client, 'c', 'FIN_WAIT_2', 'CLOSED'));
    await waitFor(lab, (v) => sock(v, client.id).kernel?.state === 'FIN_WAIT_2', 'the table’s FIN_WAIT_2');
    rows = [row('FIN_WAIT_1')];
    await waitFor(lab, (v) => sock(v, client.id).kernel?.state === 'FIN_WAIT_1', 'the stale FIN_WAIT_1');
    const handedOver = ['SYN_SENT/kernel', 'ESTABLISHED/kernel', 'FIN_WAIT_1/kernel', 'FIN_WAIT_2/kernel'];
    expect(path(lab, client.id)).toEqual(handedOver);
    rows = [row('TIME_WAIT')];
    await waitFor(lab, (v) => sock(v, client.id).state === 'TIME_WAIT', 'TIME_WAIT');
    expect(path(lab, client.id)).toEqual([...handedOver, 'TIME_WAIT/kernel']);
    rows = [];
    await waitFor(lab, (v) => sock(v, client.id).state === 'CLOSED', 'gone');
    expect(path(lab, client.id)).toEqual([...handedOver, 'TIME_WAIT/kernel', 'CLOSED/kernel']);
  });

  it('a close the lab saw before the tracepoint’s events gives its cause to its own step only', async () => {
    // The server closes while the lab, behind the tracepoint, still shows its connection
    // CLOSED: the close's cause is for the step out of CLOSED, not for LAST_ACK → CLOSED.
    const lab = await newLab();
    const { tracer, send } = fakeTracer();
    (lab as unknown as { engine: Engine }).engine.facts.useTracer(tracer);
    const { server } = await connectedPair(lab);
    expect(sock(lab.view(), server.id).state).toBe('CLOSED');
    expect(await ret(lab, 'server', 'close', { fd: 4 })).toEqual({ ret: 0 });
    send(event(server, 's', 'LISTEN', 'SYN_RECEIVED'));
    send(event(server, 's', 'SYN_RECEIVED', 'ESTABLISHED'));
    send(event(server, 's', 'ESTABLISHED', 'CLOSE_WAIT'));
    send(event(server, 's', 'CLOSE_WAIT', 'LAST_ACK'));
    send(event(server, 's', 'LAST_ACK', 'CLOSED'));
    const causes = sock(lab.view(), server.id).transitions.map(
      (t) => `${t.to}/${typeof t.cause === 'string' ? t.cause : t.cause.code}`,
    );
    expect(causes).toEqual([
      'SYN_RECEIVED/cause.synReceived',
      'ESTABLISHED/cause.ackReceived',
      'CLOSE_WAIT/cause.finReceived',
      'LAST_ACK/cause.close',
      'CLOSED/cause.finAcked',
    ]);
  });

  it('an exit’s close behind the tracepoint: the kernel’s FIN_WAIT_1 says the exit closed it', async () => {
    // The client's program connects and returns before the lab has read any of its events:
    // its close at exit is judged from the kernel's state (TCP_INFO), not the lab's CLOSED.
    const lab = await newLab();
    const { tracer, send } = fakeTracer();
    (lab as unknown as { engine: Engine }).engine.facts.useTracer(tracer);
    await serverListening(lab);
    const source = `#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(PORT);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd, (struct sockaddr *)&a, sizeof a);
    return 0;
}
`;
    const r = await lab.execute({ type: 'loadProgram', actor: 'client', program: { name: 'c', source } });
    expect(r.ok).toBe(true);
    await runToEnd(lab, ['client']);
    const client = Object.values(lab.view().sockets).find((x) => x.actor === 'client')!;
    expect(client.state).toBe('CLOSED');
    send(event(client, 'c', 'CLOSED', 'SYN_SENT'));
    send(event(client, 'c', 'SYN_SENT', 'ESTABLISHED'));
    send(event(client, 'c', 'ESTABLISHED', 'FIN_WAIT_1'));
    const causes = sock(lab.view(), client.id).transitions.map(
      (t) => `${t.to}/${typeof t.cause === 'string' ? t.cause : t.cause.code}`,
    );
    expect(causes).toEqual([
      'SYN_SENT/cause.connect',
      'ESTABLISHED/cause.synAckReceived',
      'FIN_WAIT_1/cause.exitFin',
    ]);
  });
});
