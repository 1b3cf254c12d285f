/**
 * How many events per second the event log and the reducer take: a synthetic but realistic
 * mix (calls, buffer updates, kernel observations, segments) reduced one by one, as the
 * live view does.
 */
import {
  EventSchema,
  initialViewState,
  reduce,
  reduceMany,
  type LabEvent,
  type LabEventInput,
} from '../app/contract';
import { EventLog } from '../app/core/event-log';

function mix(i: number): LabEventInput {
  const socket = i % 2 ? 's4' : 's2';
  switch (i % 4) {
    case 0:
      return {
        type: 'socket.buffers',
        socket,
        buffers: {
          sendApp: i,
          sendKernel: i * 2,
          recvKernel: i * 3,
          recvApp: 0,
          sendPreview: 'xxxx',
          recvPreview: '',
          finReceived: false,
        },
      };
    case 1:
      return { type: 'socket.kernel', socket, state: 'ESTABLISHED', sendQ: i, recvQ: i, timerMs: null };
    case 2:
      return {
        type: 'segment',
        source: 'inferred',
        src: { host: '127.0.0.1', port: 5000 },
        dst: { host: '127.0.0.1', port: 40000 },
        from: 's2',
        to: 's4',
        flags: ['ACK', 'PSH'],
        seqNo: i,
        ackNo: 1,
        len: 65536,
        win: null,
        options: [],
        tsUs: i,
      };
    default:
      return {
        type: 'call.started',
        actor: 'server',
        callId: `c${i}`,
        call: { call: 'read', args: { fd: 4, max: 1024 } },
      };
  }
}

/** Events per second through the EventLog (numbering, storing, reducing) and through the reducer alone. */
export async function benchEvents(n = 200_000): Promise<Record<string, number>> {
  const setup: LabEventInput[] = [
    { type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' },
    { type: 'actor.added', actor: 'server', kind: 'server' },
    { type: 'socket.created', socket: 's2', actor: 'server', family: 'inet' },
    { type: 'socket.created', socket: 's4', actor: 'server', family: 'inet' },
  ];
  const log = new EventLog();
  for (const e of setup) log.append(e);
  const inputs = Array.from({ length: n }, (_, i) => mix(i));
  let t0 = performance.now();
  for (const e of inputs) log.append(e);
  const logMs = performance.now() - t0;

  const events: LabEvent[] = log.events().slice() as LabEvent[];
  let s = initialViewState();
  t0 = performance.now();
  for (const e of events) s = reduce(s, e);
  const reduceMs = performance.now() - t0;

  t0 = performance.now();
  for (let i = 0; i < 20_000; i++) EventSchema.parse(events[i]);
  const parseMs = performance.now() - t0;
  return {
    ...reducerPerSocketCount(),
    'events.log_and_reduce_per_s': Math.round(n / (logMs / 1000)),
    'events.reduce_only_per_s': Math.round(events.length / (reduceMs / 1000)),
    'events.schema_parse_per_s': Math.round(20_000 / (parseMs / 1000)),
  };
}

/**
 * The reducer's cost per event (µs) in a view with 10, 100 and 1,000 sockets, side by side:
 * buffer and kernel events on one socket of many, as a transfer on one connection sends.
 */
function reducerPerSocketCount(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const count of [10, 100, 1000]) {
    let s = initialViewState();
    let seq = 0;
    const ev = (e: LabEventInput): LabEvent => ({ ...e, seq: ++seq, t: seq }) as LabEvent;
    for (let i = 1; i <= count; i++)
      s = reduce(s, ev({ type: 'socket.created', socket: `s${i}`, actor: null, family: 'inet' }));
    const events = Array.from({ length: 20_000 }, (_, i) => ev(mix(i * 4 + (i % 2))));
    // In batches of 64, as the window and the event log reduce them (reduceMany), and one by one.
    let t0 = performance.now();
    for (let i = 0; i < events.length; i += 64) s = reduceMany(s, events, i, i + 64);
    out[`events.reduce_us_per_event_batched_with_${count}_sockets`] = Number(
      (((performance.now() - t0) * 1000) / events.length).toFixed(2),
    );
    t0 = performance.now();
    for (const e of events.slice(0, 2000)) s = reduce(s, e);
    out[`events.reduce_us_per_event_single_with_${count}_sockets`] = Number(
      (((performance.now() - t0) * 1000) / 2000).toFixed(2),
    );
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchEvents());
}
