/**
 * Links packet capture to the lab: runs the capture tool on loopback, keeps only the
 * segments of the lab's own sockets, and appends each as a `segment` event (source
 * 'captured') naming the lab sockets at each end. The view then hides the inferred segments
 * of every connection that has captured ones (see `visibleSegments`), so the ladder never
 * shows a segment twice. Without capture (no tool, no permission, the tool died) the lab
 * goes on with inferred segments and says why in a `capture.status` event.
 */
import type { Endpoint, SocketId } from '../contract/schema';
import type { ViewState } from '../contract/reducer';
import { capturedSegmentEvent, startCapture, type Capture, type CaptureStatus } from './capture/capture';
import { WindowScaleTracker } from './capture/window';
import type { EventLog } from './event-log';
import { endpointKey } from './kernel/address';

/** Options of the lab's capture (`LabOptions.capture`). */
export interface LabCaptureOptions {
  /** The capture tool or a command prefix ending in it (see CaptureOptions.tool). */
  tool?: string | readonly string[];
  /** Capture interface (default: the platform's loopback). */
  iface?: string;
  /** How long to wait for the tool to start before the lab goes on (ms, default 5000). */
  startTimeoutMs?: number;
}

/** Index of the lab's sockets by endpoint, rebuilt when the view's sockets change. */
class SocketIndex {
  private sockets: ViewState['sockets'] | null = null;
  /** Every local or remote endpoint of a lab socket. */
  private endpoints = new Set<string>();
  /** "local>remote" → socket, for connected sockets. */
  private pairs = new Map<string, SocketId>();
  /** local → socket, for listening (or not yet connected) sockets. */
  private locals = new Map<string, SocketId>();

  refresh(view: ViewState): void {
    if (view.sockets === this.sockets) return;
    this.sockets = view.sockets;
    this.endpoints.clear();
    this.pairs.clear();
    this.locals.clear();
    for (const id of view.socketOrder) {
      const s = view.sockets[id];
      if (!s || s.actor === null) continue;
      if (s.local) this.endpoints.add(endpointKey(s.local));
      // A client's remote is known at connect(), before its own port: its SYN still passes.
      if (s.remote) this.endpoints.add(endpointKey(s.remote));
      if (s.local && s.remote) this.pairs.set(`${endpointKey(s.local)}>${endpointKey(s.remote)}`, id);
      else if (s.local) this.locals.set(endpointKey(s.local), id);
    }
  }

  has(e: Endpoint): boolean {
    return this.endpoints.has(endpointKey(e));
  }

  /** The lab socket whose local end is `local` (talking to `remote`), if any. */
  find(local: Endpoint, remote: Endpoint): SocketId | null {
    const l = endpointKey(local);
    return this.pairs.get(`${l}>${endpointKey(remote)}`) ?? this.locals.get(l) ?? null;
  }
}

/** The running capture of a lab. */
export class LabCapture {
  private readonly index = new SocketIndex();
  private readonly windows = new WindowScaleTracker();
  private capture: Capture | null = null;

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
      filter: (src, dst) => {
        lc.index.refresh(log.view());
        return lc.index.has(src) || lc.index.has(dst);
      },
      onSegment: (seg) => {
        lc.index.refresh(log.view());
        const from = lc.index.find(seg.src, seg.dst);
        const to = lc.index.find(seg.dst, seg.src);
        log.append(capturedSegmentEvent(seg, from, to, lc.windows.window(seg).win));
      },
      onStatus: (s: CaptureStatus) => {
        log.append({ type: 'capture.status', status: s.status, tool: s.tool, reason: s.reason });
        settle();
      },
    });
    const timeout = opts.startTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([started, new Promise<void>((r) => (timer = setTimeout(r, timeout)))]);
    clearTimeout(timer);
    return lc;
  }

  /** The lab's captured packets as a classic .pcap file, or null when nothing was captured. */
  exportPcap(): Uint8Array | null {
    const c = this.capture;
    if (!c || c.packets().length === 0) return null;
    return c.exportPcap();
  }

  /** Stops the capture tool. */
  async stop(): Promise<void> {
    await this.capture?.stop();
  }
}
