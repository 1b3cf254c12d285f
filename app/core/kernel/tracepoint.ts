/**
 * Every TCP state change of the lab's sockets, from the kernel's tracepoint
 * sock:inet_sock_set_state (Linux, tracefs; root unless tracefs is opened to the user).
 *
 * The tracer makes two tracing instances of its own, instances/tcplab-<pid>-<n> and
 * tcplab-<pid>-<n>-sk, enables the tracepoint in both with the same filter on the lab's
 * ports, and reads each trace_pipe through a `cat` child. Two, because no one output of the
 * event has everything: the event's own format prints addresses (IPv6 too) but not the
 * socket's address `skaddr`; the `fields` option prints skaddr but no IPv6 address (a 16-byte
 * array prints as <INVALID-SIZE>). Lines of the two are paired by (family, ports, states) in
 * order; each instance records one event in the same tracepoint call, so the orders agree.
 *
 * Clock: trace_clock `mono` is CLOCK_MONOTONIC. Kernel times become CLOCK_REALTIME µs, the
 * clock of the capture's packets, which the ladder orders them among: by the offset of the
 * two clocks now (clock.ts, re-read every OFFSET_TTL_MS, so an NTP slew or step is
 * followed), not by Node's performance.timeOrigin (read once at start, and a few µs off).
 *
 * What the tracepoint does not say (docs/architecture.md, "Kernel facts"): TIME_WAIT never appears, because a time-wait
 * socket replaces the original: the closing side ends FIN_WAIT_2 → CLOSED (or CLOSING →
 * CLOSED) and the time-wait socket is only in the table (sock_diag). An orphan (closed, no
 * descriptor) is replaced as soon as its FIN is acknowledged, in substate FIN_WAIT2, so its
 * CLOSED may come before the peer's FIN; the table still shows FIN_WAIT_2, then TIME_WAIT. A connect's first event
 * CLOSED → SYN_SENT may carry source port 0 (the port is chosen after the state is set):
 * match it by `skaddr`, the socket's identity, on the events that follow it (SYN_SENT →
 * ESTABLISHED carries the real port). A server's connection first appears as LISTEN →
 * SYN_RECEIVED of the new socket (request sockets, TCP_NEW_SYN_RECV, have no events).
 *
 * Whether tracefs can be used, and the removal of stale instances, are in tracefs.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmdirSync, writeFileSync } from 'node:fs';
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import type { TcpState } from '../../contract/schema';
import { realtimeMinusMonoUs } from './clock';
import { portRanges } from './sockdiag';
import { EVENT, HOW_TO_ALLOW, removeStaleInstances, stateTracerUnavailable } from './tracefs';
import {
  pairKey,
  parseFieldsLine,
  parseTextLine,
  traceFilter,
  type FieldsEvent,
  type TextEvent,
} from './trace-lines';

/** One state change of a TCP socket, as the kernel reported it. */
export interface StateTransition {
  /** Kernel timestamp of the change, CLOCK_REALTIME µs since the epoch (the capture's clock). */
  tsUs: number;
  family: 'inet' | 'inet6';
  saddr: string;
  /** 0 on a connect's CLOSED → SYN_SENT when the port was not yet chosen. */
  sport: number;
  daddr: string;
  dport: number;
  oldstate: TcpState;
  newstate: TcpState;
  /**
   * The kernel socket's identity (its address, hashed with a key of this process so no kernel
   * pointer leaves the tracer): equal on every event of one socket. '' if its line was lost.
   */
  skaddr: string;
}

/** The outcome of {@link StateTracer.open}. */
export type StateTracerOpen = { ok: true; tracer: StateTracer } | { ok: false; reason: string };

/** Options of {@link StateTracer.open}. */
export interface StateTracerOptions {
  /** The lab's ports to begin with (none: the event stays disabled until setPorts). */
  ports?: Iterable<number>;
  /** Where tracefs is (or is mounted when missing, as root). Default /sys/kernel/tracing. */
  root?: string;
  /** Told of a failure while running (a write to tracefs, the reader's exit). */
  onError?: (err: unknown) => void;
}

/** How long the clocks' offset is used before it is read again. */
const OFFSET_TTL_MS = 250;
/** How long a line waits for its partner from the other instance before it goes alone. */
const PAIR_WAIT_MS = 100;

/** setpriv(1), where util-linux has it. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null;
let instanceCount = 0;
/** Tracers not yet disposed: removed synchronously should the process exit without dispose. */
const live = new Set<StateTracer>();
let exitHook = false;

interface Pending {
  ev: TextEvent;
  skaddr: string | null;
  at: number;
}

/**
 * The tracepoint of TCP state changes on the lab's ports; see the file's comment. Open with
 * {@link StateTracer.open}, listen with {@link StateTracer.onTransition}, and `dispose()`
 * when done: it disables the event, ends the readers and removes both instances.
 */
export class StateTracer {
  /** The two instance directories (text, fields). */
  readonly instances: readonly [string, string];
  private offset = { us: 0, at: -Infinity };
  private readonly listeners = new Set<(t: StateTransition) => void>();
  private readonly readers: ChildProcess[] = [];
  private readonly pending: Pending[] = [];
  private readonly unpaired: { ev: FieldsEvent; at: number }[] = [];
  private readonly skKey = randomBytes(16);
  private ports = new Set<number>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private disposing: Promise<void> | null = null;

  private constructor(
    dir: string,
    private readonly onError: (err: unknown) => void,
  ) {
    this.instances = [dir, `${dir}-sk`];
  }

  /** µs to add to a kernel `mono` timestamp for CLOCK_REALTIME µs, as the clocks are now. */
  clockOffsetUs(): number {
    const now = performance.now();
    if (now - this.offset.at > OFFSET_TTL_MS) {
      this.offset = { us: realtimeMinusMonoUs() ?? measureMonoOffsetUs(), at: now };
    }
    return this.offset.us;
  }

  /**
   * Makes the instances and starts reading, or says in one line why it cannot (not Linux, not
   * root and tracefs not opened to this user, no such tracepoint) and how to allow it.
   */
  static async open(opts: StateTracerOptions = {}): Promise<StateTracerOpen> {
    const root = opts.root ?? '/sys/kernel/tracing';
    const why = await stateTracerUnavailable(root);
    if (why) return { ok: false, reason: why };
    await removeStaleInstances(root);
    const t = new StateTracer(
      `${root}/instances/tcplab-${process.pid}-${++instanceCount}`,
      opts.onError ?? (() => {}),
    );
    live.add(t);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => live.forEach((x) => x.disposeSync()));
    }
    try {
      for (const [i, dir] of t.instances.entries()) {
        await mkdir(dir);
        await writeFile(`${dir}/trace_clock`, 'mono');
        await writeFile(`${dir}/buffer_size_kb`, '256');
        if (i === 1) await writeFile(`${dir}/options/fields`, '1');
      }
      t.instances.forEach((dir, i) => t.read(dir, i));
      await t.setPorts(opts.ports ?? []);
    } catch (err) {
      await t.dispose();
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return { ok: false, reason: `could not set up a tracing instance (${code}): ${HOW_TO_ALLOW}` };
    }
    return { ok: true, tracer: t };
  }

  /** Subscribes to transitions (in the kernel's order); returns the unsubscribe function. */
  onTransition(listener: (t: StateTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The lab's ports now: rewrites both filters (no ports: the event is disabled). */
  async setPorts(ports: Iterable<number>): Promise<void> {
    const list = [...ports];
    const filter = traceFilter(list);
    this.ports = new Set(
      portRanges(list).flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)),
    );
    for (const dir of this.instances) {
      if (filter === null) await writeFile(`${dir}/${EVENT}/enable`, '0');
      else {
        await writeFile(`${dir}/${EVENT}/filter`, filter);
        await writeFile(`${dir}/${EVENT}/enable`, '1');
      }
    }
  }

  /** Disables the event, ends the readers and removes both instances (idempotent). */
  dispose(): Promise<void> {
    this.disposing ??= this.teardown();
    return this.disposing;
  }

  private async teardown(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listeners.clear();
    for (const dir of this.instances) await writeFile(`${dir}/${EVENT}/enable`, '0').catch(() => {});
    // An instance cannot be removed while its trace_pipe is open: the readers end first.
    await Promise.all(
      this.readers.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.exitCode !== null || r.signalCode !== null) return resolve();
            r.once('exit', () => resolve());
            r.kill('SIGTERM');
          }),
      ),
    );
    for (const dir of this.instances) {
      await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') this.onError(err);
      });
    }
    live.delete(this);
  }

  /** At process exit: no more event loop, so everything synchronously. */
  private disposeSync(): void {
    for (const r of this.readers) r.kill('SIGKILL');
    for (const dir of this.instances) {
      try {
        writeFileSync(`${dir}/${EVENT}/enable`, '0');
      } catch {
        /* gone already */
      }
      // The killed readers may hold trace_pipe a moment longer: try for up to ~200 ms.
      for (let i = 0; i < 40; i++) {
        try {
          rmdirSync(dir);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EBUSY') break;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    }
  }

  /**
   * Reads `dir`/trace_pipe through `cat`, started by setpriv(1) with a parent-death signal:
   * when this process ends by any means the reader is killed too (left to itself, a cat
   * blocked on an idle trace_pipe would live on and pin the instance). Without setpriv
   * (util-linux), a plain cat, ended by dispose() or the exit hook.
   */
  private read(dir: string, which: number): void {
    const pipe = `${dir}/trace_pipe`;
    const r = SETPRIV
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', 'cat', pipe], { stdio: ['ignore', 'pipe', 'ignore'] })
      : spawn('cat', [pipe], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.readers.push(r);
    let rest = '';
    r.stdout!.setEncoding('latin1');
    r.stdout!.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (which === 0) this.onText(line);
        else this.onFields(line);
      }
      this.flush(false);
    });
    r.on('exit', (code, signal) => {
      if (!this.disposing)
        this.onError(new Error(`the trace_pipe reader of ${dir} ended (${code ?? signal})`));
    });
    r.on('error', (err) => this.onError(err));
  }

  private wanted(sport: number, dport: number): boolean {
    return this.ports.has(sport) || this.ports.has(dport);
  }

  private onText(line: string): void {
    const ev = parseTextLine(line);
    if (!ev || !this.wanted(ev.sport, ev.dport)) return;
    const key = pairKey(ev.family, ev.sport, ev.dport, ev.oldstate, ev.newstate);
    const i = this.unpaired.findIndex((u) => u.ev.key === key);
    const skaddr = i >= 0 ? this.unpaired.splice(i, 1)[0]!.ev.skaddr : null;
    this.pending.push({ ev, skaddr, at: performance.now() });
  }

  private onFields(line: string): void {
    const ev = parseFieldsLine(line);
    if (!ev) return;
    const p = this.pending.find(
      (x) =>
        x.skaddr === null &&
        pairKey(x.ev.family, x.ev.sport, x.ev.dport, x.ev.oldstate, x.ev.newstate) === ev.key,
    );
    if (p) p.skaddr = ev.skaddr;
    else this.unpaired.push({ ev, at: performance.now() });
  }

  /** Emits, in order, the pending lines that have their skaddr or waited long enough. */
  private flush(timedOut: boolean): void {
    const now = performance.now();
    const offsetUs = this.pending.length ? this.clockOffsetUs() : 0;
    while (this.unpaired.length && now - this.unpaired[0]!.at > 10 * PAIR_WAIT_MS) this.unpaired.shift();
    while (this.pending.length) {
      const p = this.pending[0]!;
      if (p.skaddr === null && !(timedOut || now - p.at >= PAIR_WAIT_MS)) break;
      this.pending.shift();
      const { monoUs, ...rest } = p.ev;
      const t: StateTransition = {
        ...rest,
        tsUs: Math.round(monoUs + offsetUs),
        skaddr: p.skaddr === null ? '' : this.hashSk(p.skaddr),
      };
      for (const l of this.listeners) l(t);
    }
    if (this.pending.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush(true);
      }, PAIR_WAIT_MS);
      this.flushTimer.unref?.();
    }
  }

  private hashSk(raw: string): string {
    return createHash('sha256').update(this.skKey).update(raw).digest('hex').slice(0, 16);
  }
}

/**
 * The lab's wall-clock µs (performance.timeOrigin + now()) minus CLOCK_MONOTONIC µs: the pair
 * of readings with the least time between them, of a few. Used only where clock_gettime
 * cannot be called (clock.ts): timeOrigin is read once at start, so this is off by a few µs
 * and does not follow the realtime clock's corrections.
 */
export function measureMonoOffsetUs(): number {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 5; i++) {
    const a = process.hrtime.bigint();
    const wall = (performance.timeOrigin + performance.now()) * 1000;
    const b = process.hrtime.bigint();
    const gap = Number(b - a);
    if (gap < best) {
      best = gap;
      offset = wall - Number((a + b) / 2n) / 1000;
    }
  }
  return offset;
}
