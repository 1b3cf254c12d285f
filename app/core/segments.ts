/**
 * Inferred segments: what the state machine says crossed the wire, drawn dashed in the
 * ladder wherever no capture shows the real ones (the view hides a connection's inferred
 * segments as soon as one of its segments was captured). Sequence numbers are relative
 * (ISN 0 on both sides): only a capture knows the real initial sequence numbers.
 *
 * Each segment is emitted once: by the side that sent it when that side is a lab socket, by
 * the receiving side only when the sender is not the lab's.
 */
import type { LabEventInput, SocketId, TcpFlag } from '../contract/schema';
import type { LabSocket } from './lab-socket';
import type { Hop } from './tcp-state';

const M = 0x100000000;

/** Emits inferred segments for state steps and writes. */
export class Segments {
  /** Segments go to `emit`. */
  constructor(private readonly emit: (e: LabEventInput) => void) {}

  /** The segments a step of `s`'s state machine implies. */
  onHop(s: LabSocket, hop: Hop): void {
    const peer = s.peer && !s.peer.dead ? s.peer : null;
    switch (hop.input) {
      case 'connect':
        s.snd = 0;
        s.rcv = 0;
        this.segment(s, 'out', ['SYN'], 0, s.synTo);
        break;
      case 'syn-ack-received':
        this.segment(s, 'in', ['SYN', 'ACK'], 0, null);
        this.segment(s, 'out', ['ACK'], 0, null);
        break;
      case 'syn-received':
        // A lab client drew the handshake from its side already.
        if (!peer) {
          s.snd = 0;
          s.rcv = 0;
          this.segment(s, 'in', ['SYN'], 0);
          this.segment(s, 'out', ['SYN', 'ACK'], 0);
        }
        break;
      case 'ack-received':
        if (!peer) this.segment(s, 'in', ['ACK'], 0);
        else {
          // The handshake's numbers as the client counted them.
          s.snd = peer.rcv;
          s.rcv = peer.snd;
        }
        break;
      case 'close':
        if (hop.from !== 'LISTEN' && hop.from !== 'SYN_SENT') this.segment(s, 'out', ['FIN', 'ACK'], 0);
        break;
      case 'fin-received':
        if (!peer) this.segment(s, 'in', ['FIN', 'ACK'], 0);
        this.segment(s, 'out', ['ACK'], 0);
        break;
      case 'fin-acked':
        if (!peer) this.segment(s, 'in', ['ACK'], 0);
        break;
      case 'rst':
        if (hop.from === 'LISTEN') break;
        if (s.rstSent) this.segment(s, 'out', ['RST'], 0);
        else if (!peer) this.segment(s, 'in', hop.from === 'SYN_SENT' ? ['RST', 'ACK'] : ['RST'], 0);
        break;
      default:
        break;
    }
  }

  /** `n` bytes written on `s` went out as data, and the receiver acknowledged them. */
  data(s: LabSocket, n: number): void {
    if (n <= 0) return;
    this.segment(s, 'out', ['PSH', 'ACK'], n);
    if (s.peer && !s.peer.dead) this.segment(s.peer, 'out', ['ACK'], 0);
    else this.segment(s, 'in', ['ACK'], 0);
  }

  /** One inferred segment of `s`'s connection: 'out' from s to its remote, 'in' to s. */
  private segment(
    s: LabSocket,
    dir: 'out' | 'in',
    flags: TcpFlag[],
    len: number,
    otherId?: SocketId | null,
  ): void {
    if (!s.local || !s.remote) return;
    const ack = flags.includes('ACK');
    const seqNo = (dir === 'out' ? s.snd : s.rcv) % M;
    const ackNo = ack ? (dir === 'out' ? s.rcv : s.snd) % M : null;
    const step = len + (flags.includes('SYN') ? 1 : 0) + (flags.includes('FIN') ? 1 : 0);
    if (dir === 'out') {
      s.snd += step;
      if (s.peer) s.peer.rcv = s.snd;
    } else s.rcv += step;
    const other = otherId !== undefined ? otherId : (s.peer?.id ?? null);
    this.emit({
      type: 'segment',
      source: 'inferred',
      src: dir === 'out' ? s.local : s.remote,
      dst: dir === 'out' ? s.remote : s.local,
      from: dir === 'out' ? s.id : other,
      to: dir === 'out' ? other : s.id,
      flags,
      seqNo,
      ackNo,
      len,
      win: null,
      options: [],
      tsUs: Math.round((performance.timeOrigin + performance.now()) * 1000),
    });
  }
}
