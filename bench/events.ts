/**
 * How many events per second the event log and the reducer take: a synthetic but realistic
 * mix (calls, buffer updates, kernel observations, segments) reduced one by one, as the
 * live view does.
 */
import { EventSchema, initialViewState, reduce, type LabEvent, type LabEventInput } from '../app/contract';
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
    'events.log_and_reduce_per_s': Math.round(n / (logMs / 1000)),
    'events.reduce_only_per_s': Math.round(events.length / (reduceMs / 1000)),
    'events.schema_parse_per_s': Math.round(20_000 / (parseMs / 1000)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchEvents());
}
