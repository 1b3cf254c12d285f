/**
 * The classic flow as captured, with a bulk transfer from the client in the middle: `n`
 * data segments of `size` bytes after the echo, the server acknowledging every second one,
 * the later numbers moved on by the bytes sent. Windows are set (65483 from the client,
 * 65536 from the server). Optionally each state change carries the kernel's timestamp (its
 * event's time, as the tracepoint gives one), with `tsUs` overrides per state.
 */
import type { LabEvent, LabEventInput } from '@contract';
import { classicEvents } from '../fixtures/classic';

type Seg = Extract<LabEventInput, { type: 'segment' }>;
const T0 = 1_700_000_000_000;

export interface BulkOptions {
  /** Data segments in the transfer (0: the classic flow alone). */
  n?: number;
  size?: number;
  /** Give every socket.state a kernel timestamp (µs): its event's time, or `stateTsUs(to, socket)`. */
  kernelTimes?: boolean;
  stateTsUs?: (to: string, socket: string, own: number) => number;
  /** Data segments (their index) the client sends again at the end of the transfer. */
  resend?: number[];
}

export function bulkEvents(opts: BulkOptions = {}): LabEvent[] {
  const n = opts.n ?? 0;
  const size = opts.size ?? 65_536;
  const total = n * size;
  const inputs: LabEventInput[] = classicEvents.map((e) => {
    const { seq: _s, t: _t, ...rest } = e as LabEvent & { seq: number; t: number };
    void _s;
    void _t;
    return rest as LabEventInput;
  });
  const dataAt = inputs.findIndex((e) => e.type === 'segment' && e.len === 5);
  const data = inputs[dataAt] as Seg;
  // The server's SYN-ACK, as a template for its ACKs (its sequence number is then y+1).
  const back = inputs.find((e) => e.type === 'segment' && e.src.port === data.dst.port) as Seg;
  const bulk: Seg[] = [];
  for (let k = 0; k < n; k++) {
    bulk.push({ ...data, flags: ['ACK'], seqNo: data.seqNo! + 5 + k * size, len: size });
    if (k % 2 === 1 || k === n - 1)
      bulk.push({
        ...back,
        flags: ['ACK'],
        seqNo: back.seqNo! + 1,
        ackNo: data.seqNo! + 5 + (k + 1) * size,
        len: 0,
      });
  }
  for (const k of opts.resend ?? [])
    bulk.push({ ...data, flags: ['ACK'], seqNo: data.seqNo! + 5 + k * size, len: size });
  const after = inputs.slice(dataAt + 1).map((e) => {
    if (e.type !== 'segment') return e;
    if (e.src.port === data.src.port) return { ...e, seqNo: e.seqNo! + total };
    return { ...e, ackNo: e.ackNo === null ? null : e.ackNo + total };
  });
  const all = [...inputs.slice(0, dataAt + 1), ...bulk, ...after];
  return all.map((e, i) => {
    const t = T0 + i;
    if (e.type === 'segment')
      return {
        ...e,
        source: 'captured',
        win: e.src.port === data.src.port ? 65_483 : 65_536,
        tsUs: t * 1000,
        seq: i + 1,
        t,
      } as LabEvent;
    if (e.type === 'socket.state' && opts.kernelTimes) {
      const own = t * 1000;
      return { ...e, tsUs: opts.stateTsUs?.(e.to, e.socket, own) ?? own, seq: i + 1, t } as LabEvent;
    }
    return { ...e, seq: i + 1, t } as LabEvent;
  });
}
