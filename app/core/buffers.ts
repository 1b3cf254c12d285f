/**
 * A socket's buffers as the window shows them: the bytes of a blocked write the program still
 * holds (sendApp), the kernel's send and receive queues from the last reading (SIOCOUTQ,
 * SIOCINQ), previews of the bytes waiting (the send side from the lab's record of recent
 * writes, the receive side peeked from the kernel with MSG_PEEK) and whether a FIN arrived.
 * One `socket.buffers` event per change, at most one per socket every 16 ms (the last change
 * is always sent, only later).
 */
import type { Buffers, LabEventInput } from '../contract/schema';
import type { LabSocket } from './lab-socket';
import type { Sys } from './sys/types';

/** Coalescing interval of buffer events per socket, in ms. */
const BUFFERS_EVERY_MS = 16;
/** Preview length of buffer contents, in bytes. */
const PREVIEW_BYTES = 64;
/** How far into its first write the outstanding bytes start before that write is cut to them. */
const COMPACT_BYTES = 1024 * 1024;

/** The buffers of the lab's sockets, turned into events. */
export class SocketBuffers {
  private readonly peekBuf = Buffer.alloc(PREVIEW_BYTES);

  /** Buffers read through `sys`, events to `emit`. */
  constructor(
    private readonly sys: Sys,
    private readonly emit: (e: LabEventInput) => void,
  ) {}

  /** Emit the socket's buffers if they changed, at most once per 16 ms (coalesced). */
  touch(s: LabSocket): void {
    if (s.dead || s.buffersTimer) return;
    const wait = s.buffersAt + BUFFERS_EVERY_MS - performance.now();
    if (wait > 0) {
      // Node's timers count whole milliseconds from the loop's cached clock and can fire a
      // little early: the callback checks again.
      s.buffersTimer = setTimeout(() => {
        s.buffersTimer = null;
        this.touch(s);
      }, Math.ceil(wait));
    } else this.flush(s);
  }

  private flush(s: LabSocket): void {
    const b = this.of(s);
    const l = s.buffersLast;
    if (l && (Object.keys(b) as (keyof Buffers)[]).every((k) => l[k] === b[k])) return;
    if (!l && b.sendApp + b.sendKernel + b.recvKernel === 0 && !b.finReceived) {
      s.buffersLast = b;
      return;
    }
    s.buffersLast = b;
    s.buffersAt = performance.now();
    this.emit({ type: 'socket.buffers', socket: s.id, buffers: b });
  }

  private of(s: LabSocket): Buffers {
    const r = s.fd >= 0 ? s.reading : null;
    const sendKernel = r?.sendQ ?? 0;
    const recvKernel = r?.recvQ ?? 0;
    // The bytes still outstanding are the last `sendApp + sendKernel` bytes written.
    const outstanding = s.sendApp + sendKernel;
    while (s.sendLog.length > 0 && s.sendLogBytes - s.sendLog[0]!.length >= outstanding) {
      s.sendLogBytes -= s.sendLog.shift()!.length;
    }
    // A large write whose head the kernel took keeps only its tail (a copy): a peer that does
    // not read would otherwise keep the whole of every write its queue holds a byte of. Not
    // the buffer a blocked write still holds (it is Limits.heldBytes's).
    const skip = s.sendLogBytes - outstanding;
    const first = s.sendLog[0];
    if (first && skip >= COMPACT_BYTES && (s.sendLog.length > 1 || s.sendApp === 0)) {
      s.sendLog[0] = Buffer.from(first.subarray(skip));
      s.sendLogBytes -= skip;
    }
    const sendPreview =
      outstanding > 0 ? previewAt(s.sendLog, Math.max(0, s.sendLogBytes - outstanding)) : '';
    let recvPreview = '';
    if (recvKernel > 0 && this.sys.peek) {
      const p = this.sys.peek(s.fd, this.peekBuf, PREVIEW_BYTES);
      if (p.ret > 0) recvPreview = this.peekBuf.subarray(0, p.ret).toString('utf8');
    }
    return {
      sendApp: s.sendApp,
      sendKernel,
      recvKernel,
      recvApp: 0,
      sendPreview: sendPreview.slice(0, 256),
      recvPreview: recvPreview.slice(0, 256),
      finReceived: s.finReceived,
    };
  }
}

/** At most PREVIEW_BYTES bytes as text, starting `skip` bytes into a list of chunks. */
function previewAt(chunks: readonly Buffer[], skip: number): string {
  const parts: Buffer[] = [];
  let want = PREVIEW_BYTES;
  for (const c of chunks) {
    if (want <= 0) break;
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    const part = c.subarray(skip, skip + want);
    skip = 0;
    want -= part.length;
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}
