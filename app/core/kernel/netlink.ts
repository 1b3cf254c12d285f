/**
 * A NETLINK_SOCK_DIAG socket through koffi (Linux only): socket, sendto, recv, close of the C
 * library, and the netlink message framing of <linux/netlink.h>. Netlink headers are in the
 * host's byte order; what sock_diag puts inside them (ports, addresses) is in network order.
 */
import koffi from 'koffi';
import { endianness } from 'node:os';

/** <linux/netlink.h>, <linux/sock_diag.h>, <bits/socket.h>: the values the lab needs. */
export const NL = Object.freeze({
  AF_NETLINK: 16,
  SOCK_DGRAM: 2,
  SOCK_CLOEXEC: 0o2000000,
  NETLINK_SOCK_DIAG: 4,
  NLM_F_REQUEST: 0x1,
  /** NLM_F_ROOT | NLM_F_MATCH. */
  NLM_F_DUMP: 0x300,
  NLMSG_ERROR: 2,
  NLMSG_DONE: 3,
  SOCK_DIAG_BY_FAMILY: 20,
  /** sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
  NLMSG_HDRLEN: 16,
  /** sizeof(struct nlattr): u16 len, u16 type. */
  NLA_HDRLEN: 4,
  SOL_SOCKET: 1,
  SO_RCVTIMEO: 20,
});

/** The host byte order, which netlink headers and attributes use. */
export const HOST_LE = endianness() === 'LE';

/** Writes an unsigned 16/32-bit integer in host order. */
export function putU16(b: Buffer, v: number, off: number): void {
  if (HOST_LE) b.writeUInt16LE(v, off);
  else b.writeUInt16BE(v, off);
}
/** @see putU16 */
export function putU32(b: Buffer, v: number, off: number): void {
  if (HOST_LE) b.writeUInt32LE(v >>> 0, off);
  else b.writeUInt32BE(v >>> 0, off);
}
/** Reads an unsigned 16/32-bit integer in host order. */
export function getU16(b: Buffer, off: number): number {
  return HOST_LE ? b.readUInt16LE(off) : b.readUInt16BE(off);
}
/** @see getU16 */
export function getU32(b: Buffer, off: number): number {
  return HOST_LE ? b.readUInt32LE(off) : b.readUInt32BE(off);
}

/** NLMSG_ALIGN / NLA_ALIGN: 4 bytes. */
export const align4 = (n: number): number => (n + 3) & ~3;

interface Libc {
  socket: (domain: number, type: number, proto: number) => number;
  sendto: (fd: number, buf: Buffer, n: number, flags: number, addr: Buffer | null, len: number) => number;
  recv: (fd: number, buf: Buffer, n: number, flags: number) => number;
  setsockopt: (fd: number, level: number, name: number, v: Buffer, len: number) => number;
  close: (fd: number) => number;
}

let libc: Libc | null = null;
function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  const socket = lib.func('int socket(int, int, int)');
  const sendto = lib.func('intptr_t sendto(int, void *, uintptr_t, int, void *, uint32_t)');
  const recv = lib.func('intptr_t recv(int, void *, uintptr_t, int)');
  const setsockopt = lib.func('int setsockopt(int, int, int, void *, uint32_t)');
  const close = lib.func('int close(int)');
  libc = {
    socket: (d, t, p) => Number(socket(d, t, p)),
    sendto: (fd, b, n, fl, a, l) => Number(sendto(fd, b, n, fl, a, l)),
    recv: (fd, b, n, fl) => Number(recv(fd, b, n, fl)),
    setsockopt: (fd, lv, nm, v, l) => Number(setsockopt(fd, lv, nm, v, l)),
    close: (fd) => Number(close(fd)),
  };
  return libc;
}

/** A failed call: its name and errno number. */
export class NetlinkError extends Error {
  /** `call` failed with `errno` (a positive number; see errno(3)). */
  constructor(
    readonly call: string,
    readonly errno: number,
  ) {
    super(`${call} failed: errno ${errno}`);
  }
}

/** One netlink message of an answer: its type and its payload (after the header). */
export interface NetlinkMessage {
  type: number;
  payload: Buffer;
}

/**
 * A NETLINK_SOCK_DIAG socket, kept open between requests. Calls are synchronous: a dump's
 * messages are made by the kernel inside sendto and each recv (netlink_dump runs in those
 * calls), so a recv never waits on anything but the kernel filling the buffer; SO_RCVTIMEO
 * (1 s) bounds it should that ever not hold.
 */
export class SockDiagSocket {
  private fd: number;
  private seq = 0;
  private readonly rx = Buffer.allocUnsafe(64 * 1024);

  /** Opens the socket; throws a NetlinkError when the kernel refuses. */
  constructor() {
    const c = load();
    this.fd = c.socket(NL.AF_NETLINK, NL.SOCK_DGRAM | NL.SOCK_CLOEXEC, NL.NETLINK_SOCK_DIAG);
    if (this.fd < 0) throw new NetlinkError('socket(AF_NETLINK)', koffi.errno());
    // struct timeval { long tv_sec; long tv_usec; } on a 64-bit host.
    const tv = Buffer.alloc(16);
    if (HOST_LE) tv.writeBigInt64LE(1n, 0);
    else tv.writeBigInt64BE(1n, 0);
    c.setsockopt(this.fd, NL.SOL_SOCKET, NL.SO_RCVTIMEO, tv, tv.length);
  }

  /**
   * Sends one dump request (`payload` after a header of type `type` with NLM_F_REQUEST |
   * NLM_F_DUMP) and hands every message of the answer to `onMessage` until NLMSG_DONE.
   * Throws a NetlinkError on a failed call or an NLMSG_ERROR answer.
   */
  dump(type: number, payload: Buffer, onMessage: (m: NetlinkMessage) => void): void {
    if (this.fd < 0) throw new Error('the sock_diag socket is closed');
    const c = load();
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const msg = Buffer.alloc(NL.NLMSG_HDRLEN + payload.length);
    putU32(msg, msg.length, 0);
    putU16(msg, type, 4);
    putU16(msg, NL.NLM_F_REQUEST | NL.NLM_F_DUMP, 6);
    putU32(msg, seq, 8);
    putU32(msg, 0, 12);
    payload.copy(msg, NL.NLMSG_HDRLEN);
    // A NULL address: the socket is unconnected, the kernel (pid 0) is the default peer.
    if (c.sendto(this.fd, msg, msg.length, 0, null, 0) < 0) throw new NetlinkError('sendto', koffi.errno());
    for (;;) {
      const n = c.recv(this.fd, this.rx, this.rx.length, 0);
      if (n < 0) throw new NetlinkError('recv', koffi.errno());
      if (n === 0) throw new NetlinkError('recv (end of stream)', 0);
      for (let off = 0; off + NL.NLMSG_HDRLEN <= n;) {
        const len = getU32(this.rx, off);
        const mtype = getU16(this.rx, off + 4);
        if (len < NL.NLMSG_HDRLEN || off + len > n) break;
        if (getU32(this.rx, off + 8) === seq) {
          if (mtype === NL.NLMSG_DONE) return;
          if (mtype === NL.NLMSG_ERROR) {
            const err = -(HOST_LE ? this.rx.readInt32LE(off + 16) : this.rx.readInt32BE(off + 16));
            throw new NetlinkError('SOCK_DIAG_BY_FAMILY', err);
          }
          onMessage({ type: mtype, payload: this.rx.subarray(off + NL.NLMSG_HDRLEN, off + len) });
        }
        off += align4(len);
      }
    }
  }

  /** Closes the descriptor (idempotent). */
  close(): void {
    if (this.fd >= 0) load().close(this.fd);
    this.fd = -1;
  }
}
