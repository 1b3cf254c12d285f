/**
 * The application menu: File (traces), Edit, View (language, theme, zoom, presentation mode),
 * Lab (stepping, playing the timeline), Help, in Chinese or English. Items that act on the lab send a MenuAction to the window;
 * the window does the work, so the menu and the window's buttons share one code path.
 *
 * Shortcuts come from app/contract/shortcuts.ts, the table the window's keydown handler
 * reads too. Plain-letter keys are shown but not registered (see that file for why).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../contract/menu';
import { SHORTCUTS, type Language, type Shortcut, type Theme } from '../contract/shortcuts';

/** What setupMenu needs from the rest of the main process. */
export interface MenuOptions {
  /** Deliver an action to the focused lab window. */
  send(action: MenuAction): void;
  /** Language of the labels (and the checked Language item). Default 'en'. */
  language?: Language;
  /** The checked Theme item. Default 'system'. */
  theme?: Theme;
  /** process.platform by default; 'darwin' adds the app menu and the Window menu. */
  platform?: NodeJS.Platform;
  /** Show "Toggle Developer Tools" (development builds only). Default false. */
  devTools?: boolean;
  /** Product name for "About …" and the macOS app menu. Default 'TCP Lab'. */
  appName?: string;
}

/** The handle setupMenu returns: rebuild the menu when the window changes language or theme. */
export interface AppMenu {
  /** Rebuild the labels in this language. */
  setLanguage(language: Language): void;
  /** Move the Theme check mark. */
  setTheme(theme: Theme): void;
}

type Labels = Record<
  | 'file'
  | 'openTrace'
  | 'saveTrace'
  | 'export'
  | 'quit'
  | 'edit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'view'
  | 'language'
  | 'theme'
  | 'themeSystem'
  | 'themeLight'
  | 'themeDark'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetZoom'
  | 'fullScreen'
  | 'presentation'
  | 'devTools'
  | 'lab'
  | 'stepClient'
  | 'stepServer'
  | 'nextClient'
  | 'nextServer'
  | 'runClient'
  | 'runServer'
  | 'interrupt'
  | 'reset'
  | 'play'
  | 'window'
  | 'help'
  | 'lessons'
  | 'about',
  string
>;

/** Menu labels in both languages; '{app}' is replaced by the product name. */
export const MENU_LABELS: Record<Language, Labels> = {
  en: {
    file: '&File',
    openTrace: 'Open Trace…',
    saveTrace: 'Save Trace…',
    export: 'Export…',
    quit: 'Quit',
    edit: '&Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: '&View',
    language: 'Language',
    theme: 'Theme',
    themeSystem: 'Follow System',
    themeLight: 'Light',
    themeDark: 'Dark',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    resetZoom: 'Actual Size',
    fullScreen: 'Toggle Full Screen',
    presentation: 'Presentation Mode',
    devTools: 'Toggle Developer Tools',
    lab: '&Lab',
    stepClient: 'Step Client',
    stepServer: 'Step Server',
    nextClient: 'Client: Next Call',
    nextServer: 'Server: Next Call',
    runClient: 'Run Client',
    runServer: 'Run Server',
    interrupt: 'Interrupt Blocked Call',
    reset: 'Reset Lab',
    play: 'Play / Pause Timeline',
    window: 'Window',
    help: '&Help',
    lessons: 'Lessons',
    about: 'About {app}',
  },
  'zh-CN': {
    file: '文件(&F)',
    openTrace: '打开记录…',
    saveTrace: '保存记录…',
    export: '导出…',
    quit: '退出',
    edit: '编辑(&E)',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    view: '视图(&V)',
    language: '语言',
    theme: '主题',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    zoomIn: '放大',
    zoomOut: '缩小',
    resetZoom: '实际大小',
    fullScreen: '切换全屏',
    presentation: '演示模式',
    devTools: '切换开发者工具',
    lab: '实验(&L)',
    stepClient: '单步执行客户端',
    stepServer: '单步执行服务器',
    nextClient: '客户端：下一个调用',
    nextServer: '服务器：下一个调用',
    runClient: '运行客户端',
    runServer: '运行服务器',
    interrupt: '中断阻塞的调用',
    reset: '重置实验',
    play: '播放 / 暂停时间线',
    window: '窗口',
    help: '帮助(&H)',
    lessons: '课程',
    about: '关于 {app}',
  },
};

/** Names of the languages, each in its own language (the usual way to list them). */
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文（简体）', en: 'English' };

/**
 * The menu template, without touching Electron: what setupMenu installs. Exported for tests
 * and for anyone who wants to inspect the menu.
 */
export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const language = opts.language ?? 'en';
  const theme = opts.theme ?? 'system';
  const platform = opts.platform ?? process.platform;
  const mac = platform === 'darwin';
  const appName = opts.appName ?? 'TCP Lab';
  const l = MENU_LABELS[language];
  const send = opts.send;

  /** An item that sends its shortcut's action and shows its key. */
  const item = (label: string, s: Shortcut): MenuItemConstructorOptions => {
    if (!s.plain) return { label, accelerator: s.accelerator, click: () => send(s.action) };
    // A plain letter must not be registered: it would eat that letter in every text field.
    // Windows and Linux can display an accelerator without registering it; macOS cannot,
    // so there the key goes into the label.
    if (mac)
      return { label: `${label}\t${s.accelerator.replace('Shift+', '⇧')}`, click: () => send(s.action) };
    return { label, accelerator: s.accelerator, registerAccelerator: false, click: () => send(s.action) };
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: l.file,
    submenu: [
      item(l.openTrace, SHORTCUTS.openTrace),
      item(l.saveTrace, SHORTCUTS.saveTrace),
      item(l.export, SHORTCUTS.export),
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: l.quit } as const]),
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: l.edit,
    submenu: [
      { role: 'undo', label: l.undo },
      { role: 'redo', label: l.redo },
      { type: 'separator' },
      { role: 'cut', label: l.cut },
      { role: 'copy', label: l.copy },
      { role: 'paste', label: l.paste },
      { role: 'selectAll', label: l.selectAll },
    ],
  };

  const themeItem = (t: Theme, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: theme === t,
    click: () => send({ type: 'theme', theme: t }),
  });

  const viewMenu: MenuItemConstructorOptions = {
    label: l.view,
    submenu: [
      {
        label: l.language,
        submenu: (Object.keys(LANGUAGE_NAMES) as Language[]).map((lang) => ({
          label: LANGUAGE_NAMES[lang],
          type: 'radio',
          checked: language === lang,
          click: () => send({ type: 'language', language: lang }),
        })),
      },
      {
        label: l.theme,
        submenu: [
          themeItem('system', l.themeSystem),
          themeItem('light', l.themeLight),
          themeItem('dark', l.themeDark),
        ],
      },
      { type: 'separator' },
      { role: 'resetZoom', label: l.resetZoom },
      { role: 'zoomIn', label: l.zoomIn },
      { role: 'zoomOut', label: l.zoomOut },
      { type: 'separator' },
      { role: 'togglefullscreen', label: l.fullScreen },
      item(l.presentation, SHORTCUTS.presentation),
      ...(opts.devTools ? [{ role: 'toggleDevTools', label: l.devTools } as const] : []),
    ],
  };

  const labMenu: MenuItemConstructorOptions = {
    label: l.lab,
    submenu: [
      item(l.stepClient, SHORTCUTS.stepClient),
      item(l.stepServer, SHORTCUTS.stepServer),
      item(l.nextClient, SHORTCUTS.nextClient),
      item(l.nextServer, SHORTCUTS.nextServer),
      { type: 'separator' },
      item(l.runClient, SHORTCUTS.runClient),
      item(l.runServer, SHORTCUTS.runServer),
      { type: 'separator' },
      item(l.interrupt, SHORTCUTS.interrupt),
      item(l.reset, SHORTCUTS.reset),
      { type: 'separator' },
      item(l.play, SHORTCUTS.play),
    ],
  };

  const about = l.about.replace('{app}', appName);
  const helpMenu: MenuItemConstructorOptions = {
    label: l.help,
    role: 'help',
    submenu: [
      item(l.lessons, SHORTCUTS.lessons),
      ...(mac
        ? []
        : [{ type: 'separator' } as const, { label: about, click: () => send({ type: 'about' }) }]),
    ],
  };

  const template: MenuItemConstructorOptions[] = [fileMenu, editMenu, viewMenu, labMenu];
  if (mac) {
    template.unshift({
      label: appName,
      submenu: [
        { label: about, click: () => send({ type: 'about' }) },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit', label: `${l.quit} ${appName}` },
      ],
    });
    template.push({ label: l.window, role: 'windowMenu' });
  }
  template.push(helpMenu);
  return template;
}

/**
 * Install the application menu. Call once when the app is ready; use the returned handle
 * when the window switches language or theme so the menu follows.
 */
export function setupMenu(opts: MenuOptions): AppMenu {
  let current: MenuOptions = { ...opts };
  const install = (): void => Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(current)));
  // Picking a language or theme in the menu moves its check mark at once; the window
  // changes itself when the action reaches it.
  const send = (action: MenuAction): void => {
    if (action.type === 'language' && action.language !== current.language) {
      current = { ...current, language: action.language };
      install();
    } else if (action.type === 'theme' && action.theme !== current.theme) {
      current = { ...current, theme: action.theme };
      install();
    }
    opts.send(action);
  };
  current = { ...current, send };
  install();
  return {
    setLanguage(language) {
      if (language === current.language) return;
      current = { ...current, language };
      install();
    },
    setTheme(theme) {
      if (theme === current.theme) return;
      current = { ...current, theme };
      install();
    },
  };
}
