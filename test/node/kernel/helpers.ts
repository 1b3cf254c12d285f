/** Shared by the kernel tests: real loopback sockets through the sys layer, and ss(8)'s table. */
import { execFileSync } from 'node:child_process';
import type { TcpState } from '../../../app/contract/schema';
import { type KernelRow } from '../../../app/core/kernel';
import { requireSys, type Sys } from '../../../app/core/sys';

/** The system-call layer, and every descriptor a test opened (closed by closeAll). */
export class Fds {
  readonly sys: Sys = requireSys();
  private readonly open = new Set<number>();

  /** A TCP socket on 127.0.0.1, bound to an ephemeral port unless `bind` is false. */
  socket(bind = true): number {
    const r = this.sys.socket('inet');
    if (r.ret < 0) throw new Error(`socket: ${r.errno}`);
    this.open.add(r.ret);
    if (bind) this.ok(this.sys.bind(r.ret, { family: 'inet', host: '127.0.0.1', port: 0 }), 'bind');
    return r.ret;
  }

  /** The local port of `fd`. */
  port(fd: number): number {
    return this.sys.getsockname(fd).addr!.port;
  }

  /** A listening socket with `backlog`: [fd, port]. */
  listener(backlog: number): [number, number] {
    const fd = this.socket();
    this.ok(this.sys.listen(fd, backlog), 'listen');
    return [fd, this.port(fd)];
  }

  /** A non-blocking connect to 127.0.0.1:port (EINPROGRESS is the normal answer). */
  connect(port: number): number {
    const fd = this.socket(false);
    const r = this.sys.connect(fd, { family: 'inet', host: '127.0.0.1', port });
    if (r.ret < 0 && r.errno !== 'EINPROGRESS') throw new Error(`connect: ${r.errno}`);
    return fd;
  }

  /** Waits (in poll(2), off the main thread) until each of `fds` reports one of `events`. */
  async waitFor(fds: number[], events: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let left = [...fds];
    while (left.length) {
      const buf = this.sys.pollBuffer(left.length);
      left.forEach((fd, i) => buf.set(i, fd, events));
      const r = await this.sys.pollAsync(buf, Math.max(1, deadline - Date.now()));
      if (r.ret === 0) throw new Error(`descriptors ${left.join(', ')} not ready in ${timeoutMs} ms`);
      left = left.filter((_, i) => (buf.revents(i) & events) === 0);
    }
  }

  /** accept(2) on a listener that poll said is readable. */
  accept(fd: number): number {
    const r = this.sys.accept(fd);
    if (r.ret < 0) throw new Error(`accept: ${r.errno}`);
    this.open.add(r.ret);
    return r.ret;
  }

  /** close(2) of one descriptor. */
  close(fd: number): void {
    if (this.open.delete(fd)) this.sys.close(fd);
  }

  /** Closes every descriptor still open. */
  closeAll(): void {
    for (const fd of this.open) this.sys.close(fd);
    this.open.clear();
  }

  private ok(r: { ret: number; errno: string | null }, what: string): void {
    if (r.ret < 0) throw new Error(`${what}: ${r.errno}`);
  }
}

/** Re-checks `cond` (each check a kernel query) until it holds; fails after `ms`. */
export async function until<T>(
  what: string,
  cond: () => T | null | undefined | false,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const SS_STATES: Record<string, TcpState> = {
  LISTEN: 'LISTEN',
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECEIVED',
  'FIN-WAIT-1': 'FIN_WAIT_1',
  'FIN-WAIT-2': 'FIN_WAIT_2',
  'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING',
  UNCONN: 'CLOSED',
};

/** One socket as `ss -tanoi` prints it (the -i detail lines are skipped). */
export interface SsRow {
  state: TcpState;
  recvQ: number;
  sendQ: number;
  local: string;
  remote: string;
}

/** `ss -tanoi` for sockets with source or destination port `port`. */
export function ss(port: number): SsRow[] {
  const out = execFileSync('ss', ['-tanoi', `( sport = :${port} or dport = :${port} )`], {
    encoding: 'utf8',
  });
  const rows: SsRow[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)/.exec(line);
    const state = m ? SS_STATES[m[1]!] : undefined;
    if (!m || !state) continue;
    rows.push({ state, recvQ: Number(m[2]), sendQ: Number(m[3]), local: m[4]!, remote: m[5]! });
  }
  return rows;
}

/** A row in ss's spelling: `127.0.0.1:80`, `[::1]:80`; a port 0 as `*`. */
export function asSs(r: KernelRow): SsRow {
  const ep = (e: KernelRow['local']): string =>
    `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port === 0 ? '*' : e.port}`;
  return { state: r.state, recvQ: r.recvQ, sendQ: r.sendQ, local: ep(r.local), remote: ep(r.remote) };
}

/** A stable order for comparing tables. */
export function byEndpoints<T extends { local: unknown; remote: unknown; state: string }>(rows: T[]): T[] {
  const k = (r: T): string => `${JSON.stringify(r.local)} ${JSON.stringify(r.remote)} ${r.state}`;
  return [...rows].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
