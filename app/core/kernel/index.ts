/**
 * The kernel observer: the kernel's own socket table (procfs on Linux, netstat on macOS and
 * Windows), matched to lab sockets and reported only when a row changes.
 */
import type { KernelRow, KernelTableSource } from './types';
import { NetstatSource } from './netstat';
import { ProcfsSource } from './procfs';

export * from './types';
export * from './address';
export * from './procfs';
export * from './netstat';
export * from './observer';

/** A source for platforms with no known table: always empty. */
export class NoneSource implements KernelTableSource {
  readonly kind = 'none' as const;
  /** Always resolves to no rows. */
  async read(): Promise<KernelRow[]> {
    return [];
  }
}

/** The kernel table of this platform: procfs on Linux, netstat on macOS and Windows, else none. */
export function defaultKernelSource(platform: NodeJS.Platform = process.platform): KernelTableSource {
  if (platform === 'linux') return new ProcfsSource();
  if (platform === 'darwin' || platform === 'win32') return new NetstatSource(platform);
  return new NoneSource();
}
