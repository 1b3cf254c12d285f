/**
 * The kernel observer: the kernel's own socket table (sock_diag or procfs on Linux, netstat
 * on macOS and Windows), matched to lab sockets and reported only when a row changes; and on
 * Linux as root, the tracepoint of every TCP state change (tracepoint.ts).
 */
import type { KernelRow, KernelTableSource } from './types';
import { NetstatSource } from './netstat';
import { ProcfsSource } from './procfs';
import { SockDiagSource, probeSockDiag } from './sockdiag';

export * from './types';
export * from './address';
export * from './procfs';
export * from './netstat';
export * from './observer';
export * from './sockdiag';
export * from './tracepoint';
export { ownInstances, removeStaleInstances, stateTracerUnavailable } from './tracefs';
export * from './trace-lines';

/** A source for platforms with no known table: always empty. */
export class NoneSource implements KernelTableSource {
  readonly kind = 'none' as const;
  /** Always resolves to no rows. */
  async read(): Promise<KernelRow[]> {
    return [];
  }
}

/**
 * The kernel table of this platform: on Linux sock_diag when it answers, else procfs;
 * netstat on macOS and Windows; else none.
 *
 * sock_diag is preferred because the kernel filters on the lab's ports: a query costs a walk
 * of the hash's buckets plus the lab's own rows (here 5–6 ms for both families with one lab
 * row, 11 ms with 2,000, whatever else is open), while every read of /proc/net/tcp prints
 * every socket of the machine (73 ms with 12,000; bench/kernel-facts.ts). procfs
 * stays the fallback where sock_diag cannot be used: a kernel without inet_diag, a sandbox
 * that refuses AF_NETLINK sockets, or a C library koffi cannot load (musl has no libc.so.6).
 * A SockDiagSource reports nothing until it is told the lab's ports (`setPorts`).
 */
export function defaultKernelSource(platform: NodeJS.Platform = process.platform): KernelTableSource {
  if (platform === 'linux')
    return probeSockDiag(platform) === null ? new SockDiagSource() : new ProcfsSource();
  if (platform === 'darwin' || platform === 'win32') return new NetstatSource(platform);
  return new NoneSource();
}
