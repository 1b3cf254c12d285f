/**
 * Loopback packet capture with tcpdump (or Wireshark's dumpcap) as a child process writing
 * classic pcap to its stdout. Each TCP segment that passes the caller's filter is reported
 * with the fields of the contract's `segment` event; the raw packets are kept (bounded) for a
 * .pcap export. Capture needs privileges most users lack: when it cannot run, the status
 * says why and how to enable it, and the lab goes on with inferred segments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import type { CaptureState } from '../../contract';
import {
  msg,
  type Endpoint,
  type LabEventInput,
  type Message,
  type SocketId,
  type TcpFlag,
} from '../../contract/schema';
import { PcapReader, decodeTcp, writePcap, type PcapHeader, type PcapPacket, type TcpSegment } from './pcap';

/** A captured segment: the contract's `segment` event fields the capture knows. */
export interface CapturedSegment {
  src: Endpoint;
  dst: Endpoint;
  flags: TcpFlag[];
  seqNo: number;
  /** null when the ACK flag is not set. */
  ackNo: number | null;
  /** Raw window field (not scaled); see `wscale`. */
  win: number;
  /** Window scale shift from this segment's WS option (SYN, SYN-ACK), else null. */
  wscale: number | null;
  len: number;
  options: string[];
  /** Capture timestamp in µs since the epoch. */
  tsUs: number;
}

/** The capture's state, as the contract's `capture.status` event carries it. */
export interface CaptureStatus {
  status: CaptureState;
  /** The tool's name ('tcpdump', 'dumpcap'), or null when none was found. */
  tool: string | null;
  /** Why it is not on, as a message code (how to enable capture is the window's to say). */
  reason: Message | null;
}

/** Options of {@link startCapture}. */
export interface CaptureOptions {
  /** Which segments to report: a quick test on the endpoints (the lab's: one of its sockets' ends). */
  filter: (src: Endpoint, dst: Endpoint) => boolean;
  /**
   * Each segment that passed the filter, with its raw packet. The packet is kept for the
   * export unless this returns false; a caller that decides later passes it to `keep()`.
   */
  onSegment: (seg: CapturedSegment, packet: PcapPacket) => void | boolean;
  onStatus: (status: CaptureStatus) => void;
  /**
   * The tool: a name or path ('tcpdump', '/usr/sbin/dumpcap'), or a command whose last word is
   * the tool, run after a prefix (`['runuser', '-u', 'nobody', '--', 'tcpdump']`). Default:
   * tcpdump, else dumpcap, from PATH and the sbin directories.
   */
  tool?: string | readonly string[];
  /** Capture interface; default lo (Linux), lo0 (macOS), \\Device\\NPF_Loopback (Windows). */
  iface?: string;
  /** Most packets kept for the export (default 100,000); later ones are reported, not kept. */
  maxPackets?: number;
  /** Platform for defaults and help texts (tests). */
  platform?: NodeJS.Platform;
}

/** A running (or failed) capture. */
export interface Capture {
  /** The last status reported. */
  readonly status: CaptureStatus;
  /** Process id of the tool while it runs, else null. */
  readonly pid: number | null;
  /** Stops the tool (status 'off'); resolves when the process has exited. */
  stop(): Promise<void>;
  /** The kept packets, raw as captured, in capture order. */
  packets(): readonly PcapPacket[];
  /** Keeps a packet that `onSegment` declined at first (bounded by maxPackets like the rest). */
  keep(packet: PcapPacket): void;
  /** Packets that passed the filter but were not kept (over maxPackets). */
  readonly dropped: number;
  /**
   * The kept packets as a classic pcap file (`tcpdump -r`, Wireshark), or null before any
   * header; only those `keep` takes (given each packet's decoded TCP segment), when given.
   */
  exportPcap(keep?: (seg: TcpSegment | null, p: PcapPacket) => boolean): Uint8Array | null;
}

/** The contract's `segment` event input (before the log numbers and stamps it). */
export type SegmentEventInput = Extract<LabEventInput, { type: 'segment' }>;

/**
 * The `segment` event for a captured segment, with the lab sockets at each end (null for a
 * peer outside the lab). The window is the raw field; pass `win` to give a scaled one
 * (see WindowScaleTracker).
 */
export function capturedSegmentEvent(
  seg: CapturedSegment,
  from: SocketId | null,
  to: SocketId | null,
  win: number = seg.win,
): SegmentEventInput {
  return {
    type: 'segment',
    source: 'captured',
    src: seg.src,
    dst: seg.dst,
    from,
    to,
    flags: seg.flags,
    seqNo: seg.seqNo,
    ackNo: seg.ackNo,
    len: seg.len,
    win,
    options: seg.options,
    tsUs: seg.tsUs,
  };
}

/** Bytes of the tool's stderr kept for error messages. */
const STDERR_KEEP = 4096;
/** BPF filter: the lab binds only to 127.0.0.0/8 and ::1 (IPv4-mapped traffic is IPv4 on the wire). */
const BPF = 'tcp and (net 127.0.0.0/8 or host ::1)';

/** Finds an executable by name in PATH and the sbin directories (often missing from a user's PATH). */
export function findTool(name: string, platform: NodeJS.Platform = process.platform): string | null {
  const exts = platform === 'win32' ? ['.exe', ''] : [''];
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  if (platform === 'win32') dirs.push('C:\\Program Files\\Wireshark');
  if (platform === 'darwin') dirs.push('/Applications/Wireshark.app/Contents/MacOS');
  for (const dir of dirs) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Interface name of the loopback device per platform. */
function loopbackIface(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'lo0';
  if (platform === 'win32') return '\\Device\\NPF_Loopback';
  return 'lo';
}

/** Recognises the tools' words for "you may not capture". */
function isPermissionError(stderr: string): boolean {
  return /Operation not permitted|You don't have permission|Permission denied|permissions? to capture|cannot open BPF device/i.test(
    stderr,
  );
}

/** The first meaningful line of the tool's error output, for a reason text ('' if none). */
function firstError(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^(tcpdump: )?verbose output suppressed|^Capturing on|listening on/i.test(l));
  return (line ?? '').replace(/\.$/, '').slice(0, 300);
}

/**
 * Starts capturing loopback TCP. Never throws: every outcome arrives through `onStatus`
 * ('on' once the tool listens; 'unavailable' when it cannot start, with the reason and how to
 * enable capture; 'failed' when it dies while running; 'off' after `stop()`).
 *
 * Segments are reported in capture order, only those for which `filter(src, dst)` holds.
 */
export function startCapture(opts: CaptureOptions): Capture {
  const platform = opts.platform ?? process.platform;
  const maxPackets = opts.maxPackets ?? 100_000;
  let status: CaptureStatus = { status: 'off', tool: null, reason: null };
  const setStatus = (s: CaptureStatus): void => {
    status = s;
    opts.onStatus(status);
  };
  const kept: PcapPacket[] = [];
  let dropped = 0;
  /** Whether a packet kept late went in before a later one: sorted before the next read. */
  let unsorted = false;
  const keep = (p: PcapPacket): void => {
    if (kept.length >= maxPackets) {
      dropped++;
      return;
    }
    if (kept.length && kept[kept.length - 1]!.tsUs > p.tsUs) unsorted = true;
    kept.push(p);
  };
  const sorted = (): PcapPacket[] => {
    if (unsorted) kept.sort((a, b) => a.tsUs - b.tsUs); // stable: same-time packets keep their order
    unsorted = false;
    return kept;
  };
  let header: PcapHeader | null = null;
  let child: ChildProcess | null = null;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();

  const handle: Capture = {
    get status() {
      return status;
    },
    get dropped() {
      return dropped;
    },
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null;
    },
    packets: () => sorted(),
    keep,
    exportPcap: (keepIt) => {
      if (!header) return null;
      const h = header;
      const all = sorted();
      const chosen = keepIt ? all.filter((p) => keepIt(decodeTcp(h.linkType, p.data), p)) : all;
      return writePcap(chosen, h.linkType, h.snaplen);
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        stopping = true;
        const proc = child;
        proc.kill('SIGTERM');
        // A tool that ignores SIGTERM is killed for good after 2 s, so stop() always ends.
        const force = setTimeout(() => proc.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(force);
      }
    },
  };

  // Which command: a prefix plus the tool, or the tool found on this machine.
  let command: string[];
  if (opts.tool !== undefined) {
    command = typeof opts.tool === 'string' ? [opts.tool] : [...opts.tool];
  } else {
    const found = findTool('tcpdump', platform) ?? findTool('dumpcap', platform);
    if (!found) {
      queueMicrotask(() =>
        setStatus({
          status: 'unavailable',
          tool: null,
          reason: msg('capture.noTool'),
        }),
      );
      return handle;
    }
    command = [found];
  }
  const toolPath = command.at(-1) ?? 'tcpdump';
  const toolName = /dumpcap/i.test(basename(toolPath)) ? 'dumpcap' : 'tcpdump';
  const iface = opts.iface ?? loopbackIface(platform);
  const args =
    toolName === 'dumpcap'
      ? // -P: classic pcap rather than pcapng; -q: no packet counts on stderr.
        ['-i', iface, '-P', '-q', '-s', '256', '-f', BPF, '-w', '-']
      : // --immediate-mode: hand each packet over at once (libpcap otherwise waits up to 1 s to
        // fill a buffer block); -U: flush each packet to the pipe; -s 256: headers suffice.
        ['-i', iface, '--immediate-mode', '-U', '-n', '-s', '256', '-w', '-', BPF];

  const reader = new PcapReader();
  let stderr = '';
  // 'on' needs both signs: tcpdump's "listening on …" comes after the device is open and
  // the filter set, but dumpcap prints "Capturing on …" before it opens the device; both
  // write the pcap header (which holds the link type) only once the device is open. A
  // caller that waits for 'on' before making traffic thus misses no packet.
  let sawListening = false;
  const maybeOn = (): void => {
    if (status.status === 'off' && sawListening && reader.header && !stopping) {
      setStatus({ status: 'on', tool: toolName, reason: null });
    }
  };
  const proc = spawn(command[0] ?? toolPath, [...command.slice(1), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  exited = new Promise((resolve) => proc.once('close', () => resolve()));
  // If the lab's process ends without stop(), the tool would capture on (and, with no
  // traffic, never hit a broken pipe): kill it as the process exits.
  const killOnExit = (): void => {
    proc.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  proc.once('close', () => process.removeListener('exit', killOnExit));

  proc.on('error', (err: NodeJS.ErrnoException) => {
    // spawn failed: no such program, or not executable.
    setStatus({
      status: 'unavailable',
      tool: err.code === 'ENOENT' ? null : toolName,
      reason:
        err.code === 'ENOENT'
          ? msg('capture.notFound', { tool: toolName, path: (command[0] ?? '').slice(0, 300) })
          : msg('capture.cannotStart', { tool: toolName, error: err.message.slice(0, 300) }),
    });
  });

  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (text: string) => {
    if (stderr.length < STDERR_KEEP) stderr += text.slice(0, STDERR_KEEP - stderr.length);
    if (/listening on|Capturing on/i.test(stderr)) sawListening = true;
    maybeOn();
  });

  proc.stdout?.on('data', (chunk: Buffer) => {
    let packets: PcapPacket[];
    try {
      packets = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      setStatus({
        status: 'failed',
        tool: toolName,
        reason: msg('capture.unreadable', { error: (err as Error).message.slice(0, 300) }),
      });
      stopping = true;
      proc.kill('SIGTERM');
      return;
    }
    header = reader.header;
    maybeOn();
    const linkType = header?.linkType ?? -1;
    for (const p of packets) {
      const seg = decodeTcp(linkType, p.data);
      if (!seg || !opts.filter(seg.src, seg.dst)) continue;
      const wanted = opts.onSegment(
        {
          src: seg.src,
          dst: seg.dst,
          flags: seg.flags,
          seqNo: seg.seqNo,
          ackNo: seg.ackNo,
          win: seg.win,
          wscale: seg.wscale,
          len: seg.len,
          options: seg.options,
          tsUs: p.tsUs,
        },
        p,
      );
      if (wanted !== false) keep(p);
    }
  });

  proc.once('close', (code, signal) => {
    if (stopping) {
      if (status.status === 'on' || status.status === 'off')
        setStatus({ status: 'off', tool: toolName, reason: null });
      return;
    }
    if (status.status === 'unavailable') return; // already explained by the spawn error
    const detail = firstError(stderr);
    if (status.status === 'on') {
      setStatus({
        status: 'failed',
        tool: toolName,
        reason: msg('capture.stopped', { tool: toolName, how: signal ?? `exit ${code}`, detail }),
      });
    } else if (isPermissionError(stderr)) {
      setStatus({
        status: 'unavailable',
        tool: toolName,
        reason: msg('capture.noPermission', { iface, detail }),
      });
    } else {
      setStatus({
        status: 'unavailable',
        tool: toolName,
        reason: msg('capture.cannotCapture', { tool: toolName, detail: detail || `exit ${code ?? signal}` }),
      });
    }
  });

  return handle;
}
