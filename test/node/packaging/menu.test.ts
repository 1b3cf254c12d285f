/**
 * The application menu: its items, their accelerators (the same keys as the window's
 * shortcuts table), what each click sends, and the language switch. Electron is mocked:
 * Menu.buildFromTemplate hands the template back so the test can read it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

const electron = vi.hoisted(() => ({
  installed: [] as MenuItemConstructorOptions[][],
}));

vi.mock('electron', () => ({
  Menu: {
    buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
    setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] }) =>
      electron.installed.push(menu.template),
  },
}));

import { MENU_LABELS, buildMenuTemplate, setupMenu } from '../../../app/main/menu';
import { MenuActionSchema, type MenuAction } from '../../../app/contract/menu';
import { SHORTCUTS, matchShortcut } from '../../../app/contract/shortcuts';

/** Every item of a template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const top = template.find((i) => i.label === label);
  expect(top, `menu ${label}`).toBeDefined();
  expect(Array.isArray(top?.submenu)).toBe(true);
  return top?.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  expect(item?.click, `${item?.label} has a click handler`).toBeTypeOf('function');
  // Electron passes (menuItem, window, event); the menu's handlers use none of them.
  (item?.click as unknown as () => void)();
}

beforeEach(() => {
  electron.installed.length = 0;
});

describe('application menu', () => {
  it('has File, Edit, View, Lab and Help on Linux and Windows', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const t = buildMenuTemplate({ send: () => {}, platform });
      expect(t.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Lab', '&Help']);
    }
  });

  it('adds the app menu first and the Window menu on macOS', () => {
    const t = buildMenuTemplate({ send: () => {}, platform: 'darwin' });
    expect(t.map((i) => i.label ?? i.role)).toEqual([
      'TCP Lab',
      '&File',
      '&Edit',
      '&View',
      '&Lab',
      'Window',
      '&Help',
    ]);
    expect(items(t).filter((i) => i.role === 'quit')).toHaveLength(1);
  });

  it('sends each Lab action with the window shortcut as the accelerator, shown but not registered', () => {
    const sent: MenuAction[] = [];
    const t = buildMenuTemplate({ send: (a) => sent.push(a), platform: 'linux' });
    const lab = submenu(t, '&Lab').filter((i) => i.type !== 'separator');
    expect(lab.map((i) => [i.label, i.accelerator, i.registerAccelerator])).toEqual([
      ['Step Client', 'C', false],
      ['Step Server', 'S', false],
      ['Client: Next Call', 'V', false],
      ['Server: Next Call', 'D', false],
      ['Run Client', 'Shift+C', false],
      ['Run Server', 'Shift+S', false],
      ['Interrupt Blocked Call', 'I', false],
      ['Reset Lab', 'R', false],
      ['Play / Pause Timeline', 'P', false],
    ]);
    lab.forEach(click);
    expect(sent).toEqual([
      { type: 'step', actor: 'client' },
      { type: 'step', actor: 'server' },
      { type: 'step', actor: 'client', unit: 'call' },
      { type: 'step', actor: 'server', unit: 'call' },
      { type: 'run', actor: 'client' },
      { type: 'run', actor: 'server' },
      { type: 'interrupt' },
      { type: 'reset' },
      { type: 'play' },
    ]);
  });

  it('never registers a plain-key accelerator (it would eat typing), on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      for (const i of items(buildMenuTemplate({ send: () => {}, platform }))) {
        if (i.accelerator === undefined || i.registerAccelerator === false) continue;
        expect(String(i.accelerator), `${platform}: ${i.label}`).toMatch(/CmdOrCtrl\+|^F\d+$/);
      }
    }
  });

  it('puts the Lab keys into the labels on macOS, where accelerators are always registered', () => {
    const t = buildMenuTemplate({ send: () => {}, platform: 'darwin' });
    const lab = submenu(t, '&Lab').filter((i) => i.type !== 'separator');
    expect(lab.every((i) => i.accelerator === undefined)).toBe(true);
    expect(lab.map((i) => i.label)).toEqual([
      'Step Client\tC',
      'Step Server\tS',
      'Client: Next Call\tV',
      'Server: Next Call\tD',
      'Run Client\t⇧C',
      'Run Server\t⇧S',
      'Interrupt Blocked Call\tI',
      'Reset Lab\tR',
      'Play / Pause Timeline\tP',
    ]);
  });

  it('registers CmdOrCtrl shortcuts for the File items and F1 for lessons', () => {
    const sent: MenuAction[] = [];
    const t = buildMenuTemplate({ send: (a) => sent.push(a), platform: 'win32' });
    const file = submenu(t, '&File').filter((i) => i.label && !i.role);
    expect(file.map((i) => [i.label, i.accelerator, i.registerAccelerator])).toEqual([
      ['Open Trace…', 'CmdOrCtrl+O', undefined],
      ['Save Trace…', 'CmdOrCtrl+S', undefined],
      ['Export…', 'CmdOrCtrl+E', undefined],
    ]);
    file.forEach(click);
    const help = submenu(t, '&Help').filter((i) => i.type !== 'separator');
    expect(help.map((i) => [i.label, i.accelerator])).toEqual([
      ['Lessons', 'F1'],
      ['About TCP Lab', undefined],
    ]);
    help.forEach(click);
    expect(sent.map((a) => a.type)).toEqual(['openTrace', 'saveTrace', 'export', 'lessons', 'about']);
  });

  it('has language, theme and zoom in View, with the current choices checked', () => {
    const sent: MenuAction[] = [];
    const t = buildMenuTemplate({
      send: (a) => sent.push(a),
      platform: 'linux',
      language: 'zh-CN',
      theme: 'dark',
    });
    const view = submenu(t, '视图(&V)');
    const language = view.find((i) => i.label === '语言')?.submenu as MenuItemConstructorOptions[];
    const theme = view.find((i) => i.label === '主题')?.submenu as MenuItemConstructorOptions[];
    expect(language.map((i) => [i.label, i.checked])).toEqual([
      ['中文（简体）', true],
      ['English', false],
    ]);
    expect(theme.map((i) => [i.label, i.checked])).toEqual([
      ['跟随系统', false],
      ['浅色', false],
      ['深色', true],
    ]);
    expect(view.map((i) => i.role).filter(Boolean)).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    // Presentation mode: F5, registered (a function key never clashes with typing).
    const presentation = view.find((i) => i.label === '演示模式');
    expect([presentation?.accelerator, presentation?.registerAccelerator]).toEqual(['F5', undefined]);
    click(language[1]);
    click(theme[1]);
    click(presentation);
    expect(sent).toEqual([
      { type: 'language', language: 'en' },
      { type: 'theme', theme: 'light' },
      { type: 'presentation' },
    ]);
  });

  it('shows developer tools only when asked', () => {
    const roles = (devTools: boolean) =>
      items(buildMenuTemplate({ send: () => {}, platform: 'linux', devTools })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('has every label in both languages', () => {
    expect(Object.keys(MENU_LABELS['zh-CN']).sort()).toEqual(Object.keys(MENU_LABELS.en).sort());
    for (const v of Object.values(MENU_LABELS['zh-CN'])) expect(v).not.toBe('');
  });

  it('setupMenu installs the menu and rebuilds it when the language is picked', () => {
    const sent: MenuAction[] = [];
    const menu = setupMenu({ send: (a) => sent.push(a), platform: 'linux' });
    expect(electron.installed).toHaveLength(1);
    const first = electron.installed[0] ?? [];
    const language = submenu(first, '&View').find((i) => i.label === 'Language')
      ?.submenu as MenuItemConstructorOptions[];
    click(language[0]); // 中文
    expect(sent).toEqual([{ type: 'language', language: 'zh-CN' }]);
    expect(electron.installed).toHaveLength(2);
    expect(electron.installed[1]?.map((i) => i.label)).toEqual([
      '文件(&F)',
      '编辑(&E)',
      '视图(&V)',
      '实验(&L)',
      '帮助(&H)',
    ]);
    menu.setLanguage('zh-CN'); // already: no rebuild
    expect(electron.installed).toHaveLength(2);
    menu.setTheme('dark');
    expect(electron.installed).toHaveLength(3);
  });
});

describe('shortcuts table', () => {
  it('has valid actions and distinct keys', () => {
    const all = Object.values(SHORTCUTS);
    for (const s of all) expect(MenuActionSchema.safeParse(s.action).success).toBe(true);
    expect(new Set(all.map((s) => s.accelerator)).size).toBe(all.length);
  });

  it('maps key presses to shortcuts the way the window sees them', () => {
    const key = (
      k: string,
      mods: Partial<{ shift: boolean; ctrl: boolean; meta: boolean; alt: boolean }> = {},
    ) => ({
      key: k,
      shiftKey: !!mods.shift,
      ctrlKey: !!mods.ctrl,
      metaKey: !!mods.meta,
      altKey: !!mods.alt,
    });
    expect(matchShortcut(key('c'), false)).toBe(SHORTCUTS.stepClient);
    expect(matchShortcut(key('C', { shift: true }), false)).toBe(SHORTCUTS.runClient);
    expect(matchShortcut(key('C'), false)).toBe(SHORTCUTS.stepClient); // Caps Lock
    expect(matchShortcut(key('s'), true)).toBe(SHORTCUTS.stepServer);
    expect(matchShortcut(key('i'), false)).toBe(SHORTCUTS.interrupt);
    expect(matchShortcut(key('r'), false)).toBe(SHORTCUTS.reset);
    expect(matchShortcut(key('o', { ctrl: true }), false)).toBe(SHORTCUTS.openTrace);
    expect(matchShortcut(key('o', { meta: true }), true)).toBe(SHORTCUTS.openTrace);
    expect(matchShortcut(key('o', { ctrl: true }), true)).toBeNull(); // Ctrl is not Cmd on macOS
    expect(matchShortcut(key('s', { ctrl: true }), false)).toBe(SHORTCUTS.saveTrace);
    expect(matchShortcut(key('F1'), false)).toBe(SHORTCUTS.lessons);
    expect(matchShortcut(key('F5'), false)).toBe(SHORTCUTS.presentation);
    expect(matchShortcut(key('p'), false)).toBe(SHORTCUTS.play);
    expect(matchShortcut(key('c', { alt: true }), false)).toBeNull();
    expect(matchShortcut(key('c', { ctrl: true }), false)).toBeNull(); // Ctrl+C stays copy
    expect(matchShortcut(key('x'), false)).toBeNull();
    expect(SHORTCUTS.stepClient.plain).toBe(true);
    expect(SHORTCUTS.openTrace.plain).toBe(false);
  });
});
