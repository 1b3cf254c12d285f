/**
 * Window state on a real temporary directory: a round trip through trackWindowState and
 * loadWindowState, the atomic write, a damaged file, and a window saved on a display that
 * is gone. Electron is mocked: app.getPath points at the temporary directory and the screen
 * has the displays each test sets.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Rectangle } from 'electron';

const fake = vi.hoisted(() => ({
  userData: '',
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] as { workArea: Rectangle }[],
}));

vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'userData' ? fake.userData : '/nonexistent') },
  screen: { getAllDisplays: () => fake.displays },
}));

import {
  DEFAULT_WINDOW_SIZE,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  trackWindowState,
  type TrackedWindow,
} from '../../../app/main/window-state';

/** A stand-in BrowserWindow: an EventEmitter with bounds the test moves. */
class FakeWindow extends EventEmitter {
  bounds: Rectangle = { x: 100, y: 80, width: 1200, height: 760 };
  maximized = false;
  minimized = false;
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isFullScreen(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tcplab-winstate-'));
  fake.userData = dir;
  fake.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stateFile = () => join(dir, 'window-state.json');

describe('window state', () => {
  it('starts at the default size, centred, when nothing is saved', () => {
    const log = vi.fn();
    expect(loadWindowState({ log })).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
    expect(log).not.toHaveBeenCalled();
  });

  it('remembers size, position and maximised across a move, a resize and a close', async () => {
    const win = new FakeWindow();
    const tracker = trackWindowState(win as unknown as TrackedWindow);
    win.bounds = { x: 150, y: 90, width: 1300, height: 800 };
    win.emit('move');
    win.emit('resize');
    // Written shortly after the last event (debounced), not at every pixel.
    await vi.waitFor(
      () =>
        expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ x: 150, y: 90, width: 1300 }),
      { timeout: 5000, interval: 50 },
    );
    win.bounds = { x: 200, y: 120, width: 1400, height: 850 };
    win.maximized = true;
    win.emit('maximize');
    win.emit('close'); // writes at once and stops listening
    expect(loadWindowState()).toEqual({ x: 200, y: 120, width: 1400, height: 850, maximized: true });
    expect(win.listenerCount('resize')).toBe(0);
    expect(win.listenerCount('close')).toBe(0);
    tracker.dispose();
  });

  it('does not save a minimised window', () => {
    const win = new FakeWindow();
    const tracker = trackWindowState(win as unknown as TrackedWindow);
    win.minimized = true;
    tracker.flush();
    expect(existsSync(stateFile())).toBe(false);
    tracker.dispose();
  });

  it('writes atomically: the file is whole and no temporary file is left', () => {
    saveWindowState({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
    saveWindowState({ x: 3, y: 4, width: 1100, height: 720, maximized: false });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toEqual({
      x: 3,
      y: 4,
      width: 1100,
      height: 720,
      maximized: false,
    });
  });

  it('ignores a damaged file with a log line', () => {
    for (const text of [
      '{"width": 1200, "height": ',
      '[]',
      '{"width": 10, "height": 10}',
      '{"width": "wide", "height": 700}',
      '',
    ]) {
      writeFileSync(stateFile(), text);
      const log = vi.fn();
      expect(loadWindowState({ log })).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/ignoring damaged .*window-state\.json/);
    }
  });

  it('brings back a window saved on a display that is gone', () => {
    // Saved on a second monitor to the right; now only the laptop screen is connected.
    writeFileSync(
      stateFile(),
      JSON.stringify({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }),
    );
    expect(loadWindowState()).toEqual({ width: 1200, height: 800, maximized: false });
    // With the monitor back, the position is kept.
    fake.displays.push({ workArea: { x: 1920, y: 0, width: 2560, height: 1400 } });
    expect(loadWindowState()).toEqual({ x: 2500, y: 100, width: 1200, height: 800, maximized: false });
  });

  it('keeps the title bar reachable and the size within the largest display', () => {
    const areas = [{ x: 0, y: 0, width: 1366, height: 728 }];
    expect(fitToDisplays({ x: 10, y: -300, width: 1000, height: 600, maximized: false }, areas)).toEqual({
      width: 1000,
      height: 600,
      maximized: false,
    });
    expect(fitToDisplays({ x: 1300, y: 10, width: 1000, height: 600, maximized: false }, areas)).toEqual({
      width: 1000,
      height: 600,
      maximized: false,
    });
    expect(fitToDisplays({ x: 0, y: 0, width: 3000, height: 2000, maximized: true }, areas)).toEqual({
      x: 0,
      y: 0,
      width: 1366,
      height: 728,
      maximized: true,
    });
  });
});
