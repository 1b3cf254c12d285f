/**
 * read and write: recv(2) and send(2) on the actor's descriptor. read blocks on an empty
 * receive queue; write copies every byte into the kernel before it returns, as a blocking
 * C write does, and while it waits the bytes not yet copied are the program's (sendApp).
 * Both give the event the text of their bytes (`out.data`) while a socket's first
 * SOCKET_TEXT_KEEP bytes each way last: what the view keeps of them, for the lesson's checks.
 * A blocked write holds its buffer; the lab holds at most Limits.heldBytes so over all its
 * sockets, and a write that would block beyond it returns what the kernel took, or -1 ENOBUFS.
 */
import { StringDecoder } from 'node:string_decoder';
import { msg, type CallArgs } from '../../contract/schema';
import { SOCKET_TEXT_KEEP } from '../../contract/view';
import { asErrno, ebadf, type CallContext, type CallResult } from './result';
import type { Engine } from '../engine';

/**
 * The bytes of blocked writes the lab holds, per socket: a write's whole buffer while it waits
 * for the peer to read (what Limits.heldBytes bounds over every socket of the lab).
 */
const held = new WeakMap<object, number>();

/** What the lab holds for blocked writes now, over all its sockets. */
function heldBytes(e: Engine): number {
  let n = 0;
  for (const s of e.sockets.values()) n += held.get(s) ?? 0;
  return n;
}

const mib = (n: number): number => Math.round((n / (1024 * 1024)) * 10) / 10;

/** Most bytes one read() takes from the kernel at once (a read may always return fewer). */
const READ_CHUNK = 8 * 1024 * 1024;

/**
 * How many bytes of a socket's stream one way its events have carried as text, and the
 * decoder that keeps a character cut between two calls whole.
 */
interface Carried {
  bytes: number;
  decoder: StringDecoder;
}
const carried = { read: new WeakMap<object, Carried>(), write: new WeakMap<object, Carried>() };

/**
 * `{ data }`: the text of `bytes` for the call's event while they are among the socket's first
 * SOCKET_TEXT_KEEP bytes this way (cut there); nothing past them.
 */
function textOut(way: 'read' | 'write', socket: object, bytes: Buffer): { out?: { data: string } } {
  let c = carried[way].get(socket);
  if (!c) carried[way].set(socket, (c = { bytes: 0, decoder: new StringDecoder('utf8') }));
  if (c.bytes >= SOCKET_TEXT_KEEP) return {};
  const take = bytes.subarray(0, SOCKET_TEXT_KEEP - c.bytes);
  c.bytes += take.length;
  const data = c.decoder.write(take);
  return data ? { out: { data } } : {};
}

/** read(fd, buf, max): the bytes the kernel has, 0 at the end of the stream, or blocks. */
export function readCall(e: Engine, ctx: CallContext, args: CallArgs['read']): Promise<CallResult> {
  const s = ctx.actor.fds.get(args.fd);
  if (!s) return Promise.resolve(ebadf(args.fd));
  const fd = s.fd;
  const buf = Buffer.allocUnsafe(Math.min(args.max, READ_CHUNK));
  const attempt = (): CallResult | null => {
    const r = e.sys.recv(fd, buf, buf.length);
    if (r.ret === -1) {
      if (r.errno === 'EAGAIN' && !s.nonBlocking) return null;
      e.facts.observe(s);
      const errno = asErrno(r.errno);
      return {
        ret: -1,
        errno,
        ...(errno === 'ECONNRESET' ? { detail: msg('note.peerReset') } : {}),
      };
    }
    e.facts.observe(s);
    if (s.peer) e.facts.heat(s.peer);
    if (r.ret === 0) {
      s.finReceived = true;
      return { ret: 0, detail: msg('note.eof') };
    }
    // The buffer is this call's own: a large read keeps it, a small one copies out of it.
    const bytes = r.ret * 2 >= buf.length ? buf.subarray(0, r.ret) : Buffer.from(buf.subarray(0, r.ret));
    const text = bytes.subarray(0, 200).toString('utf8');
    return {
      ret: r.ret,
      bytes,
      ...textOut('read', s, bytes),
      detail: msg('note.read', { text: JSON.stringify(text).slice(0, 500) + (r.ret > 200 ? '…' : '') }),
    };
  };
  const P = e.sys.constants.POLL;
  return e.park(ctx, 'recv-empty', () => ({ fds: [{ fd, events: P.POLLIN | P.POLLRDHUP }] }), attempt);
}

/**
 * write(fd, data, n): send(2) until every byte is the kernel's; blocks on a full send
 * queue. A program that set O_NONBLOCK gets what fitted, or -1 EAGAIN.
 */
export function writeCall(
  e: Engine,
  ctx: CallContext,
  args: CallArgs['write'],
  payload?: Buffer,
): Promise<CallResult> {
  const s = ctx.actor.fds.get(args.fd);
  if (!s) return Promise.resolve(ebadf(args.fd));
  const fd = s.fd;
  // A C program's write() sends its buffer's bytes (payload); a sandbox write its text or a pattern.
  const buf =
    payload ?? (args.data !== undefined ? Buffer.from(args.data, 'utf8') : fillPattern(args.fill ?? 0));
  const n = buf.length;
  let off = 0;
  // Whether this write's buffer counts against the lab's heldBytes (from its first block).
  let holding = false;
  s.sendLog.push(buf);
  s.sendLogBytes += n;
  const attempt = (): CallResult | null => {
    while (off < n) {
      const r = e.sys.send(fd, buf, off, n - off);
      if (r.ret > 0) {
        off += r.ret;
        e.segments.data(s, r.ret);
        continue;
      }
      if (r.errno === 'EAGAIN') {
        if (!s.nonBlocking && !holding) {
          // Blocking would hold the buffer for a peer that may never read: within the limit only.
          const others = heldBytes(e);
          if (others + n > e.limits.heldBytes) {
            s.sendApp = 0;
            e.facts.observe(s);
            const detail = msg('note.heldFull', { held: mib(others), max: mib(e.limits.heldBytes) });
            return off > 0 ? { ret: off, detail } : { ret: -1, errno: 'ENOBUFS', detail };
          }
          holding = true;
          held.set(s, (held.get(s) ?? 0) + n);
        }
        if (!s.nonBlocking) {
          s.sendApp = n - off;
          e.facts.observe(s);
          if (s.peer) e.facts.heat(s.peer);
          return null;
        }
        s.sendApp = 0;
        e.facts.observe(s);
        return off > 0 ? { ret: off } : { ret: -1, errno: 'EAGAIN' };
      }
      // A C write that copied some bytes before the error returns their count.
      s.sendApp = 0;
      e.facts.observe(s);
      if (off > 0) return { ret: off };
      const errno = asErrno(r.errno);
      return {
        ret: -1,
        errno,
        ...(errno === 'EPIPE' && s.finSent ? { detail: msg('note.finSent') } : {}),
      };
    }
    s.sendApp = 0;
    e.facts.observe(s);
    if (s.peer) e.facts.heat(s.peer);
    return { ret: n };
  };
  const P = e.sys.constants.POLL;
  return e
    .park(ctx, 'send-full', () => ({ fds: [{ fd, events: P.POLLOUT }] }), attempt)
    .then((r) => {
      if (holding) {
        held.set(s, (held.get(s) ?? n) - n);
        holding = false;
      }
      if (s.sendApp !== 0) {
        // Interrupted (or the lab was reset) while parked: a C write interrupted after copying
        // some bytes returns their count.
        s.sendApp = 0;
        e.facts.touchBuffers(s);
        if (r.errno === 'EINTR' && off > 0) r = { ret: off };
      }
      return r.ret > 0 ? { ...r, ...textOut('write', s, buf.subarray(0, r.ret)) } : r;
    });
}

/** The last pattern made: a transfer writes the same size again and again (never mutated). */
let lastFill: Buffer | null = null;

/** `n` bytes of a readable repeating pattern (for write's `fill`). */
export function fillPattern(n: number): Buffer {
  if (lastFill?.length === n) return lastFill;
  lastFill = makePattern(n);
  return lastFill;
}

function makePattern(n: number): Buffer {
  const unit = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789\n');
  const buf = Buffer.allocUnsafe(n);
  // The pattern doubles each copy: log2(n / 37) copies instead of n / 37.
  let filled = unit.copy(buf, 0, 0, Math.min(unit.length, n));
  while (filled < n) filled += buf.copy(buf, filled, 0, Math.min(filled, n - filled));
  return buf;
}
