/**
 * loadSys picks the layer by platform: 'darwin' and 'win32' load theirs (here with koffi
 * faked, since their libraries cannot load on Linux), anything else says why in one line.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeState } from './fake-koffi';

const h = vi.hoisted(() => ({ state: undefined as unknown as FakeState }));
vi.mock('koffi', async () => {
  const { fakeKoffi, fakeState } = await import('./fake-koffi');
  h.state = fakeState();
  return { default: fakeKoffi(h.state) };
});

/** index.ts afresh (it caches its one answer per process). */
const fresh = async (): Promise<typeof import('../../../app/core/sys/index')> => {
  vi.resetModules();
  return import('../../../app/core/sys/index');
};

describe('loadSys(platform)', () => {
  beforeEach(() => {
    if (h.state) h.state.loaded.length = 0;
  });
  it('darwin: the libSystem layer', async () => {
    const s = (await fresh()).loadSys('darwin');
    expect(s.ok && s.sys.platform).toBe('darwin');
    expect(h.state.loaded).toEqual(['/usr/lib/libSystem.B.dylib']);
  });
  it('win32: the Winsock layer', async () => {
    const s = (await fresh()).loadSys('win32');
    expect(s.ok && s.sys.platform).toBe('win32');
    expect(h.state.loaded).toEqual(['ws2_32.dll']);
  });
  it('another platform: not ok, with the reason', async () => {
    const s = (await fresh()).loadSys('aix');
    expect(s).toEqual({ ok: false, reason: "the lab's system-call layer has no implementation for aix" });
  });
  it('a library that will not load: not ok, with koffi’s message', async () => {
    const m = await fresh();
    const koffi = (await import('koffi')).default as unknown as { load: (p: string) => unknown };
    const spy = vi.spyOn(koffi, 'load').mockImplementation(() => {
      throw new Error('no such library');
    });
    const s = m.loadSys('win32');
    spy.mockRestore();
    expect(s.ok).toBe(false);
    expect(!s.ok && s.reason).toMatch(/no such library/);
  });
});
