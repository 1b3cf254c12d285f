/**
 * Loopback addresses and real port checks: the lab binds and connects only on loopback, and
 * bind() detects EADDRINUSE for real (libuv reports a conflict only at listen or connect).
 */
import net from 'node:net';
import { ERRNOS, msg, type Endpoint, type Errno, type Message } from '../contract/schema';
import { normalizeHost } from './kernel/address';

/** The result of checking a host for a socket of a family. */
export type HostCheck = { ok: true; host: string } | { ok: false; errno: Errno; detail: Message };

/**
 * Check that `host` is a loopback address usable by a socket of `family`: 127.0.0.0/8 or
 * 'localhost' for inet, ::1 or 'localhost' for inet6. Returns the canonical address.
 */
export function checkLoopback(host: string, family: 'inet' | 'inet6', notLoopback: Errno): HostCheck {
  const h = host.trim().toLowerCase();
  if (h === 'localhost') return { ok: true, host: family === 'inet' ? '127.0.0.1' : '::1' };
  const canon = normalizeHost(h);
  if (net.isIPv4(canon)) {
    if (family === 'inet6' && canon !== h) {
      // An IPv4-mapped address on an inet6 socket: loopback if the IPv4 part is.
      if (canon.startsWith('127.')) return { ok: true, host: h };
    }
    if (family === 'inet6') {
      return {
        ok: false,
        errno: 'EAFNOSUPPORT',
        detail: msg('note.ipv4OnInet6', { host }),
      };
    }
    if (!canon.startsWith('127.')) {
      return {
        ok: false,
        errno: notLoopback,
        detail: msg('note.notLoopback', { host }),
      };
    }
    return { ok: true, host: canon };
  }
  if (net.isIPv6(canon)) {
    if (family === 'inet') {
      return {
        ok: false,
        errno: 'EAFNOSUPPORT',
        detail: msg('note.ipv6OnInet', { host }),
      };
    }
    if (canon !== '::1') {
      return {
        ok: false,
        errno: notLoopback,
        detail: msg('note.notLoopback', { host }),
      };
    }
    return { ok: true, host: '::1' };
  }
  return {
    ok: false,
    errno: notLoopback,
    detail: msg('note.notIp', { host }),
  };
}

/** An errno name for a Node error code, or the fallback when C has no such name in the lab. */
export function toErrno(err: unknown, fallback: Errno = 'EINVAL'): Errno {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (ERRNOS as readonly string[]).includes(code)
    ? (code as Errno)
    : fallback;
}

/** The message of an error, short. */
export function errText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

/**
 * Try to listen on `host:port` for real and close again: the port picked (when 0 was asked)
 * or the errno the kernel gave (EADDRINUSE when any socket, in the lab or not, listens there).
 */
export function probeListen(
  host: string,
  port: number,
): Promise<{ ok: true; port: number } | { ok: false; errno: Errno; detail: string }> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err) => resolve({ ok: false, errno: toErrno(err), detail: errText(err) }));
    srv.listen({ host, port, exclusive: true, backlog: 1 }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : port;
      srv.close(() => resolve({ ok: true, port: got }));
    });
  });
}

/** A free loopback port, picked by the kernel (listen on port 0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const r = await probeListen(host, 0);
  if (!r.ok) throw new Error(`no free port on ${host}: ${r.detail}`);
  return r.port;
}

/** Two endpoints are the same (hosts compared in canonical form). */
export function sameEndpoint(a: Endpoint | null, b: Endpoint | null): boolean {
  return !!a && !!b && a.port === b.port && normalizeHost(a.host) === normalizeHost(b.host);
}

/** host:port, with brackets for IPv6. */
export function showEndpoint(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
