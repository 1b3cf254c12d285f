/**
 * Links packet capture to the lab: runs the capture tool on loopback, keeps only the
 * segments of the lab's own connections — both endpoints those of a lab socket's connection
 * (see LabSockets) — and appends each as a `segment` event (source 'captured') naming the
 * lab sockets at each end. A segment to a lab listener from an address the lab does not know
 * yet is held until accept() tells the lab the pair, or let go (see HoldQueue). The view then
 * hides the inferred segments of every connection that has captured ones (see
 * `visibleSegments`), so the ladder never shows a segment twice. Without capture (no tool,
 * no permission, the tool died) the lab goes on with inferred segments and says why in a
 * `capture.status` event.
 */
import type { CaptureStatus } from './capture/capture';
import { capturedSegmentEvent, startCapture, type Capture, type CapturedSegment } from './capture/capture';
import { HoldQueue } from './capture/hold';
import { LabSockets } from './capture/lab-sockets';
import type { PcapPacket } from './capture/pcap';
import { WindowScaleTracker } from './capture/window';
import type { EventLog } from './event-log';
import { connKey } from '../contract/selectors';
import type { Endpoint } from '../contract/schema';

/** Options of the lab's capture (`LabOptions.capture`). */
export interface LabCaptureOptions {
  /** The capture tool or a command prefix ending in it (see CaptureOptions.tool). */
  tool?: string | readonly string[];
  /** Capture interface (default: the platform's loopback). */
  iface?: string;
  /** How long to wait for the tool to start before the lab goes on (ms, default 5000). */
  startTimeoutMs?: number;
}

/** A segment waiting for the lab to claim its connection. */
interface HeldSegment {
  seg: CapturedSegment;
  packet: PcapPacket;
}

/** Which packets an export keeps: one connection (either direction), those since a time. */
export interface PcapScope {
  connection?: { a: Endpoint; b: Endpoint };
  /** Capture time from which packets are kept, µs since the epoch. */
  sinceUs?: number;
}

/** The running capture of a lab. */
export class LabCapture {
  private readonly sockets = new LabSockets();
  private readonly windows = new WindowScaleTracker();
  private readonly held = new HoldQueue<HeldSegment>();
  private capture: Capture | null = null;
  private unsubscribe: () => void = () => undefined;
  private releasing = false;

  private constructor(private readonly log: EventLog) {}

  /**
   * Starts capturing for the lab whose events go to `log`; resolves once the tool runs, has
   * failed to start, or `startTimeoutMs` passed (then capture may still come on later).
   */
  static async start(log: EventLog, opts: LabCaptureOptions = {}): Promise<LabCapture> {
    const lc = new LabCapture(log);
    let settle: () => void = () => undefined;
    const started = new Promise<void>((r) => (settle = r));
    lc.capture = startCapture({
      tool: opts.tool,
      iface: opts.iface,
      // Every loopback segment is looked at (the BPF filter keeps loopback TCP only).
      filter: () => true,
      onSegment: (seg, packet) => lc.onSegment(seg, packet),
      onStatus: (s: CaptureStatus) => {
        log.append({ type: 'capture.status', status: s.status, tool: s.tool, reason: s.reason });
        settle();
      },
    });
    // The lab learns a pair from accept(), connect() and the kernel: held segments may be its.
    lc.unsubscribe = log.subscribe((e) => {
      if (e.type === 'socket.address' && lc.held.size > 0 && !lc.releasing) {
        lc.releasing = true;
        queueMicrotask(() => lc.releaseHeld());
      }
    });
    const timeout = opts.startTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([started, new Promise<void>((r) => (timer = setTimeout(r, timeout)))]);
    clearTimeout(timer);
    return lc;
  }

  /** The lab's captured packets as a classic .pcap file, or null when nothing was captured. */
  exportPcap(only?: PcapScope): Uint8Array | null {
    const c = this.capture;
    if (!c || c.packets().length === 0) return null;
    if (!only) return c.exportPcap();
    const key = only.connection ? connKey(only.connection.a, only.connection.b) : null;
    const sinceUs = only.sinceUs ?? -Infinity;
    return c.exportPcap(
      (seg, p) => p.tsUs >= sinceUs && (key === null || (seg !== null && connKey(seg.src, seg.dst) === key)),
    );
  }

  /** Stops the capture tool. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.capture?.stop();
  }

  /** A captured segment: the lab's (logged, its packet kept), held, or not the lab's. */
  private onSegment(seg: CapturedSegment, packet: PcapPacket): boolean {
    this.sockets.refresh(this.log.view());
    if (this.sockets.belongs(seg.src, seg.dst, seg.tsUs)) {
      // What was held of this connection went before it.
      for (const h of this.held.takePair(seg.src, seg.dst)) this.emit(h.seg, h.packet);
      this.emit(seg);
      return true;
    }
    if (this.sockets.touches(seg.src, seg.dst)) this.held.hold(seg.src, seg.dst, { seg, packet });
    return false;
  }

  /** Logs the held segments of every connection the lab now knows as its own. */
  private releaseHeld(): void {
    this.releasing = false;
    this.sockets.refresh(this.log.view());
    const mine = this.held.take((items) => {
      const first = items[0]?.seg;
      return first !== undefined && this.sockets.belongs(first.src, first.dst, first.tsUs);
    });
    for (const h of mine) this.emit(h.seg, h.packet);
  }

  /** Appends the `segment` event of a segment of the lab's (and keeps a held one's packet). */
  private emit(seg: CapturedSegment, packet?: PcapPacket): void {
    const from = this.sockets.find(seg.src, seg.dst, seg.tsUs);
    const to = this.sockets.find(seg.dst, seg.src, seg.tsUs);
    if (packet) this.capture?.keep(packet);
    this.log.append(capturedSegmentEvent(seg, from, to, this.windows.window(seg).win));
  }
}
