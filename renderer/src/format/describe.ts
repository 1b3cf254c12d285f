/**
 * Plain words for what the window shows: calls as C writes them, endpoints, byte counts, and
 * one sentence per event for the event log.
 */
import type { ActorId, Call, CallOut, Endpoint, EventCall, LabEvent } from '@contract';
import type { MessageKey, MessageParams } from '@/i18n';
import { sayWith } from '@/i18n/say';

/** A translate function (the ui store's `t`). */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** "127.0.0.1:5000", "[::1]:5000", or "—". */
export function formatEndpoint(e: Endpoint | null | undefined): string {
  if (!e) return '—';
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** A byte count with thin grouping: 1048576 → "1 048 576". */
export function formatBytes(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

function quote(s: string, max = 24): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(cut);
}

/**
 * A call as C would write it: `accept(3)`, `write(4, "hello", 5)`, `bind(3, 127.0.0.1:5000)`.
 * A call from an event carries a write's data as a preview with its byte length (`bytes`).
 */
export function formatCall(c: Call | EventCall): string {
  switch (c.call) {
    case 'socket':
      return `socket(${c.args.family === 'inet6' ? 'AF_INET6' : 'AF_INET'}, SOCK_STREAM, 0)`;
    case 'bind':
      return `bind(${c.args.fd}, ${formatEndpoint(c.args)})`;
    case 'listen':
      return `listen(${c.args.fd}, ${c.args.backlog})`;
    case 'accept':
      return `accept(${c.args.fd})`;
    case 'connect':
      return `connect(${c.args.fd}, ${formatEndpoint(c.args)})`;
    case 'read':
      return `read(${c.args.fd}, buf, ${c.args.max})`;
    case 'write': {
      const a = c.args;
      if (a.data === undefined) return `write(${a.fd}, <${a.fill} B>, ${a.fill})`;
      const bytes = 'bytes' in a ? a.bytes : new TextEncoder().encode(a.data).length;
      // The preview holds more characters than the 24 shown, so a cut write shows its "…".
      return `write(${a.fd}, ${quote(a.data)}, ${bytes})`;
    }
    case 'shutdown':
      return `shutdown(${c.args.fd}, ${c.args.how})`;
    case 'close':
      return `close(${c.args.fd})`;
    case 'setsockopt': {
      const v = c.args.value;
      const shown = typeof v === 'number' ? String(v) : `{${v.onoff}, ${v.linger}}`;
      return `setsockopt(${c.args.fd}, ${c.args.opt.startsWith('TCP_') ? 'IPPROTO_TCP' : 'SOL_SOCKET'}, ${c.args.opt}, ${shown})`;
    }
    case 'getsockopt':
      return `getsockopt(${c.args.fd}, ${c.args.opt.startsWith('TCP_') ? 'IPPROTO_TCP' : 'SOL_SOCKET'}, ${c.args.opt})`;
    case 'fcntl':
      return c.args.cmd === 'F_GETFL'
        ? `fcntl(${c.args.fd}, F_GETFL)`
        : `fcntl(${c.args.fd}, F_SETFL, ${(c.args.flags ?? []).join(' | ') || '0'})`;
    case 'poll':
      return `poll({${c.args.fds.map((f) => `${f.fd}:${f.events.join('|')}`).join(', ')}}, ${c.args.fds.length}, ${c.args.timeout})`;
    case 'select':
      return `select(r{${c.args.readfds.join(',')}}, w{${c.args.writefds.join(',')}}, ${c.args.timeout ?? 'NULL'})`;
    case 'getsockname':
    case 'getpeername':
      return `${c.call}(${c.args.fd})`;
  }
}

/**
 * A call's out-parameters as C would leave them: `revents {3: POLLIN}`, `readfds {4}`,
 * `optval = 1`, `optval = {1, 0}`, `flags = O_NONBLOCK`. Empty for none.
 */
export function formatOut(out: CallOut | null | undefined): string {
  if (!out) return '';
  const parts: string[] = [];
  if (out.revents) {
    const r = out.revents.map((x) => `${x.fd}: ${x.revents.join('|') || '0'}`);
    parts.push(`revents {${r.join(', ')}}`);
  }
  if (out.readfds) parts.push(`readfds {${out.readfds.join(', ')}}`);
  if (out.writefds) parts.push(`writefds {${out.writefds.join(', ')}}`);
  if (out.optval !== undefined) {
    const v = out.optval;
    parts.push(`optval = ${typeof v === 'number' ? v : `{${v.onoff}, ${v.linger}}`}`);
  }
  if (out.flags) parts.push(`flags = ${out.flags.join(' | ') || '0'}`);
  if (out.addr) parts.push(`addr = ${formatEndpoint(out.addr)}`);
  return parts.join(', ');
}

/**
 * One sentence for an event, or null for events the log leaves out (program counter moves
 * and buffer updates: thousands of them in a transfer, and the socket cards show them).
 * `actorName` turns 'server' into the word in the current language. The engine's own free text
 * (causes, details, notices, capture reasons) is translated where the window knows it.
 */
export function describeEvent(
  e: LabEvent,
  t: Translate,
  calls: ReadonlyMap<string, Call | EventCall>,
  actorName: (a: ActorId) => string = (a) => a,
): string | null {
  switch (e.type) {
    case 'lab.reset':
      return t('ev.reset', { platform: e.platform, source: e.kernelSource });
    case 'actor.added':
      return t('ev.actor', {
        actor: actorName(e.actor),
        kind: t(e.kind === 'server' ? 'actor.server' : 'actor.client'),
      });
    case 'program.loaded':
      return t('ev.program', { actor: actorName(e.actor), name: e.program.name });
    case 'program.pc':
    case 'program.output':
    case 'socket.buffers':
      return null;
    case 'program.ended':
      return e.end.how === 'exit'
        ? t('ev.exited', { actor: actorName(e.actor), status: e.end.status })
        : t('ev.fault', { actor: actorName(e.actor), line: e.end.line, text: sayWith(e.end.text, t) });
    case 'call.started':
      return t('ev.call', { actor: actorName(e.actor), call: e.text ?? formatCall(e.call) });
    case 'call.blocked': {
      const c = calls.get(e.callId);
      return t('ev.blocked', {
        actor: actorName(e.actor),
        call: c ? `${c.call}()` : e.callId,
        reason: t(`block.${e.reason}`),
      });
    }
    case 'call.returned': {
      const params = {
        actor: actorName(e.actor),
        call: `${e.call}()`,
        ret: e.ret,
        errno: e.errno ?? '',
        detail: e.detail ? sayWith(e.detail, t) : formatOut(e.out),
      };
      if (e.ret < 0 && e.errno) return t(e.detail ? 'ev.failedDetail' : 'ev.failed', params);
      return t(params.detail ? 'ev.returnedDetail' : 'ev.returned', params);
    }
    case 'fd.opened':
      return t('ev.fdOpened', { actor: actorName(e.actor), fd: e.fd, socket: e.socket });
    case 'fd.closed':
      return t('ev.fdClosed', { actor: actorName(e.actor), fd: e.fd });
    case 'socket.created':
      return t('ev.socketCreated', { socket: e.socket });
    case 'socket.address':
      return t('ev.address', {
        socket: e.socket,
        local: formatEndpoint(e.local),
        remote: formatEndpoint(e.remote),
      });
    case 'socket.state':
      return t(e.source === 'kernel' ? 'ev.state' : 'ev.stateInferred', {
        socket: e.socket,
        from: e.from,
        to: e.to,
        cause: sayWith(e.cause, t),
      });
    case 'socket.kernel':
      return e.state === null
        ? t('ev.kernelGone', { socket: e.socket })
        : t('ev.kernel', { socket: e.socket, state: e.state });
    case 'socket.queue':
      return t('ev.queue', { socket: e.socket, n: e.length });
    case 'socket.released':
      return t('ev.released', { socket: e.socket });
    case 'segment':
      return t('ev.segment', {
        src: formatEndpoint(e.src),
        dst: formatEndpoint(e.dst),
        flags: e.flags.join(',') || '—',
        len: e.len,
        source: t(e.source === 'captured' ? 'ladder.captured' : 'ladder.inferred'),
      });
    case 'capture.status':
      return t('ev.capture', {
        status: e.status,
        reason: e.reason ? ` — ${sayWith(e.reason, t)}` : '',
      });
    case 'lab.notice':
      return t('ev.notice', { level: t(`level.${e.level}`), text: sayWith(e.text, t) });
  }
}

/** An actor's name in the current language: "server", "client", "client 2" / 服务器, 客户端 2. */
export function actorLabel(id: ActorId, t: Translate): string {
  if (id === 'server') return t('actor.server');
  const m = /^client(\d*)$/.exec(id);
  if (m) return m[1] ? t('actor.clientN', { n: m[1] }) : t('actor.client');
  return id;
}
