/**
 * Browser mode: the built renderer and a WebSocket bridge to the lab, on 127.0.0.1 only.
 *
 * Who may drive the lab: only a page that (1) reached us by the name 127.0.0.1:PORT or
 * localhost:PORT (the Host check stops DNS rebinding: another site's name resolving to
 * 127.0.0.1), (2) opens the WebSocket from our own origin (the Origin check stops other
 * sites' pages), and (3) knows the random token printed in the address (stops other users and
 * programs on this machine, which can reach loopback too). Everything that comes in is
 * parsed against the contract's ClientMessageSchema; anything else gets `{kind:'error'}` and
 * leaves the lab as it was (app/web/page-session.ts).
 *
 * Limits (issue 12): the connections and pages the server holds (connection-guard.ts), and
 * what one page may cost (page-session.ts). Each says so through `onNotice` when it bites.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { MAX_WRITE_BYTES } from '../contract';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection-guard';
import { contentSecurityPolicy } from '../host/csp';
import type { LabPort } from '../host/event-pump';
import { DEFAULT_PAGE_LIMITS, servePage, type PageLimits } from './page-session';
import { serveStatic } from './static';

/** Options of startWebServer. */
export interface WebServerOptions {
  /** The lab the page drives (the engine's Lab). */
  lab: LabPort;
  /** Port on 127.0.0.1; 0 (the default) lets the system pick a free one. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The token; a fresh random one by default (tests may pass their own). */
  token?: string;
  /** Largest incoming message in bytes; MAX_MESSAGE_BYTES by default. */
  maxMessageBytes?: number;
  /** Limits on connections and pages (DEFAULT_CONNECTION_LIMITS by default). */
  connections?: Partial<ConnectionLimits>;
  /** What one page may cost (DEFAULT_PAGE_LIMITS by default). */
  page?: Partial<PageLimits>;
  /** Where a limit that bites is told (default: a warning on stderr). */
  onNotice?: (text: string) => void;
}

/** A running browser-mode server. */
export interface WebServer {
  /** The address to open, token included: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  token: string;
  port: number;
  /** Close every connection and the server. Does not dispose the lab (its owner does). */
  close(): Promise<void>;
}

/**
 * Largest WebSocket message accepted. A write() may carry MAX_WRITE_BYTES characters; in
 * UTF-8 JSON a character takes up to 3 bytes (escapes up to 6, but those are rare), so this
 * leaves room for a full write of Chinese text. Bigger messages close the connection (1009).
 */
export const MAX_MESSAGE_BYTES = 3 * MAX_WRITE_BYTES + 64 * 1024;

/** The WebSocket path. */
export const WS_PATH = '/ws';

/** Start the server; resolves once it listens. */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = 0;

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const hostOk = (req: IncomingMessage): string | null => {
    const host = req.headers.host?.toLowerCase();
    return host && allowedHosts().includes(host) ? host : null;
  };
  const securityHeaders = (host: string): Record<string, string> => ({
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${host}`] }),
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page's address: never let it leave in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    // Same-origin opener and embedder policies: the page is cross-origin isolated (it loads
    // nothing from elsewhere), no other page shares its process, and its clock steps by
    // 5 µs, not 100 (the frame benchmark reads 16.67 ms frames as they are).
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = hostOk(req);
    if (!host) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('forbidden: unexpected Host\n');
      return;
    }
    void serveStatic(opts.rendererDir, req, res, securityHeaders(host));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  const notice = opts.onNotice ?? ((text: string) => console.warn(text));
  const guard = new ConnectionGuard(server, { ...DEFAULT_CONNECTION_LIMITS, ...opts.connections }, notice);
  const pageLimits: PageLimits = { ...DEFAULT_PAGE_LIMITS, ...opts.page };

  const refuse = (socket: Duplex, code: 400 | 403 | 404 | 503, why: string): void => {
    const text =
      code === 403
        ? 'Forbidden'
        : code === 404
          ? 'Not Found'
          : code === 503
            ? 'Service Unavailable'
            : 'Bad Request';
    socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const host = hostOk(req);
    if (!host) return refuse(socket, 403, 'unexpected Host');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      return refuse(socket, 400, 'bad request');
    }
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'not found');
    // Browsers always send Origin with a WebSocket; it must be this very server.
    if (req.headers.origin?.toLowerCase() !== `http://${host}`) return refuse(socket, 403, 'foreign origin');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf))
      return refuse(socket, 403, 'bad token');
    const full = guard.admitPage(socket as Socket);
    if (full) return refuse(socket, 503, full);
    wss.handleUpgrade(req, socket, head, (ws) =>
      servePage(ws, opts.lab, pageLimits, (t) => guard.say('page', t)),
    );
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    token,
    port,
    close() {
      closing ??= new Promise<void>((done) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      });
      return closing;
    },
  };
}
