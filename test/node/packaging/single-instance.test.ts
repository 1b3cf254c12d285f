/**
 * One instance at a time: a second launch quits and the first comes to the front. The
 * `app` object is a stand-in (an EventEmitter with the lock call), as Electron cannot run
 * here; `electron` is mocked so nothing imports the real module.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import {
  ensureSingleInstance,
  focusWindow,
  type FocusableWindow,
  type SingleInstanceApp,
} from '../../../app/main/single-instance';

/** A stand-in for Electron's app: the lock is held by whoever asked first. */
function fakeApp(lock: { held: boolean }) {
  const app = Object.assign(new EventEmitter(), {
    quit: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => {
      if (lock.held) return false;
      lock.held = true;
      return true;
    }),
  });
  return app;
}

function fakeWindow(state: { minimized: boolean; visible: boolean }) {
  const calls: string[] = [];
  const win: FocusableWindow = {
    isDestroyed: () => false,
    isMinimized: () => state.minimized,
    restore: () => {
      calls.push('restore');
      state.minimized = false;
    },
    isVisible: () => state.visible,
    show: () => {
      calls.push('show');
      state.visible = true;
    },
    focus: () => calls.push('focus'),
  };
  return { win, calls };
}

describe('single instance', () => {
  it('lets the first launch run and makes the second quit, focusing the first', () => {
    const lock = { held: false };
    const first = fakeApp(lock);
    const second = fakeApp(lock);
    const { win, calls } = fakeWindow({ minimized: true, visible: true });
    const onSecond = vi.fn((_argv: string[]) => focusWindow(win));

    expect(ensureSingleInstance(first as unknown as SingleInstanceApp, onSecond)).toBe(true);
    expect(first.quit).not.toHaveBeenCalled();

    expect(ensureSingleInstance(second as unknown as SingleInstanceApp, vi.fn())).toBe(false);
    expect(second.quit).toHaveBeenCalledTimes(1);
    expect(second.listenerCount('second-instance')).toBe(0);

    // Electron then tells the first instance, with the second launch's command line.
    first.emit('second-instance', {}, ['tcp-lab', '--lesson', '2'], '/home/student');
    expect(onSecond).toHaveBeenCalledWith(['tcp-lab', '--lesson', '2'], '/home/student');
    expect(calls).toEqual(['restore', 'focus']);
  });

  it('shows a hidden window before focusing it, and ignores a missing one', () => {
    const { win, calls } = fakeWindow({ minimized: false, visible: false });
    focusWindow(win);
    expect(calls).toEqual(['show', 'focus']);
    expect(() => focusWindow(null)).not.toThrow();
    expect(() => focusWindow({ ...win, isDestroyed: () => true })).not.toThrow();
  });
});
