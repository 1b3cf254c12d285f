/**
 * Browser mode's limits on connections, so that many pages or idle programs cannot lock the
 * window out of the lab (issue 12: 250 idle HTTP connections left `GET /` unanswered):
 * - at most `maxConnections` sockets at once, WebSockets included; when full, the oldest
 *   socket that is neither a page's WebSocket nor serving a request is closed to make room
 *   (a flood of idle connections pushes out its own oldest, never a page), and when none can
 *   go, the new one is;
 * - the same when the process is short of descriptors (fewer than fd-budget.ts's TABLE_RESERVE
 *   left: the page may use what the lab's own calls leave in reserve, not the last of it);
 * - sockets idle for `idleMs` are closed (a page's WebSocket has its own heartbeat);
 * - at most `maxPages` WebSockets: the next page is told why (503).
 * Every limit that bites says so once in a while through `notice`.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { mayAcceptOutside } from '../core/fd-budget';

/** The limits; see the module comment. */
export interface ConnectionLimits {
  maxConnections: number;
  maxPages: number;
  idleMs: number;
}

/** Defaults: a classroom projector with a few tabs open, and room to spare. */
export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = Object.freeze({
  maxConnections: 64,
  maxPages: 8,
  idleMs: 15_000,
});

/** How often the same notice may be repeated. */
const NOTICE_EVERY_MS = 10_000;

interface Tracked {
  busy: number;
  page: boolean;
}

/** Tracks the server's sockets and applies the limits. */
export class ConnectionGuard {
  private readonly sockets = new Map<Socket, Tracked>();
  private readonly lastNotice = new Map<string, number>();
  private pageCount = 0;

  constructor(
    server: Server,
    readonly limits: ConnectionLimits,
    private readonly notice: (text: string) => void,
  ) {
    server.timeout = limits.idleMs;
    server.keepAliveTimeout = Math.min(5000, limits.idleMs);
    server.headersTimeout = Math.min(10_000, limits.idleMs);
    server.requestTimeout = 30_000;
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req, res) => {
      const t = this.sockets.get(req.socket);
      if (!t) return;
      t.busy++;
      res.once('close', () => t.busy--);
    });
  }

  /** How many sockets are open now. */
  connections(): number {
    return this.sockets.size;
  }

  /** How many pages hold a WebSocket now. */
  pages(): number {
    return this.pageCount;
  }

  /**
   * A WebSocket upgrade on `socket` passed its checks: may it become a page? Returns null,
   * or the reason it may not (to send as a 503).
   */
  admitPage(socket: Socket): string | null {
    if (this.pageCount >= this.limits.maxPages) {
      const why = `${this.pageCount} pages are open on this lab, its limit: close one and reload`;
      this.say('pages', `browser mode: refused a page: ${why}`);
      return why;
    }
    const t = this.sockets.get(socket);
    if (t && !t.page) {
      t.page = true;
      this.pageCount++;
    }
    return null;
  }

  /** Say `text` (a limit was hit), at most once per NOTICE_EVERY_MS for each `kind`. */
  say(kind: string, text: string): void {
    const now = performance.now();
    const last = this.lastNotice.get(kind);
    if (last !== undefined && now - last < NOTICE_EVERY_MS) return;
    this.lastNotice.set(kind, now);
    this.notice(text);
  }

  private admit(socket: Socket): void {
    const t: Tracked = { busy: 0, page: false };
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (t.page) this.pageCount--;
    });
    const full = this.sockets.size >= this.limits.maxConnections;
    const short = !mayAcceptOutside();
    if (full || short) {
      const why = full
        ? `${this.sockets.size} connections are open, the limit`
        : 'the process is short of descriptors';
      if (!this.evictOne()) {
        this.say('refused', `browser mode: refused a connection: ${why}`);
        socket.destroy();
        return;
      }
      this.say('evicted', `browser mode: closed an idle connection to make room: ${why}`);
    }
    this.sockets.set(socket, t);
  }

  /** Close the oldest socket that is no page and serves no request; false when there is none. */
  private evictOne(): boolean {
    for (const [socket, t] of this.sockets) {
      if (t.page || t.busy > 0) continue;
      this.sockets.delete(socket);
      socket.destroy();
      return true;
    }
    return false;
  }
}
