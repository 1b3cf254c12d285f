/**
 * Keyboard shortcuts and application-menu actions, shared by the main process (the menu)
 * and the window (its keydown handler), so both show and obey the same keys.
 *
 * The lab's stepping keys are plain letters (c, s one statement; v, d to the next call — the
 * key right of c and of s; Shift+C, Shift+S run; i, r; p plays the timeline): quick to hit
 * while teaching. A plain letter would swallow typing if it were a registered menu
 * accelerator, so:
 * - the window acts on them itself, and only when focus is not in a text field;
 * - the menu shows them but does not register them (`registerAccelerator: false`, Windows
 *   and Linux). macOS cannot show an accelerator without registering it, so there the Lab
 *   menu shows the key in its label instead.
 * File and Help items use CmdOrCtrl (or function keys: F1 lessons, F5 presentation mode, as
 * slides start), which never clash with typing, and are registered by the menu.
 */
import type { MenuAction } from './menu';

/** main → renderer channel carrying one MenuAction (the window helper's preload forwards it). */
export const MENU_CHANNEL = 'lab:menu';

/** Languages the lab speaks. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
/** Colour themes; 'system' follows the operating system. */
export const THEMES = ['system', 'light', 'dark'] as const;

/** renderer → main invoke channel: the window's language and theme, so the menu follows them. */
export const PREFS_CHANNEL = 'lab:prefs';

/** One of the languages in LANGUAGES. */
export type Language = (typeof LANGUAGES)[number];
/** One of the themes in THEMES. */
export type Theme = (typeof THEMES)[number];

/** The lab's language for a locale tag (navigator.language, Electron's app.getLocale()): Chinese for any zh, else English. */
export function languageOf(tag: string | null | undefined): Language {
  return tag && tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * One shortcut. `key` is `KeyboardEvent.key` as the window sees it (an upper-case letter
 * when Shift is held); `accelerator` is the same key in Electron's accelerator syntax;
 * `plain` marks keys without Ctrl/Cmd, which the window must ignore while the user types.
 */
export interface Shortcut {
  /** The action the key triggers. */
  action: MenuAction;
  /** `KeyboardEvent.key` value, e.g. 'c', 'C' (with Shift), 'o' (with CmdOrCtrl). */
  key: string;
  /** Shift held. */
  shift: boolean;
  /** Ctrl (Windows, Linux) or Cmd (macOS) held. */
  cmdOrCtrl: boolean;
  /** Electron accelerator string for the menu. */
  accelerator: string;
  /** No modifier but Shift: acts only outside text fields and is never registered by the menu. */
  plain: boolean;
}

function shortcut(action: MenuAction, accelerator: string): Shortcut {
  const parts = accelerator.split('+');
  const last = parts[parts.length - 1] ?? '';
  const shift = parts.includes('Shift');
  const cmdOrCtrl = parts.includes('CmdOrCtrl');
  const letter = last.length === 1 ? (shift ? last.toUpperCase() : last.toLowerCase()) : last;
  return { action, key: letter, shift, cmdOrCtrl, accelerator, plain: !cmdOrCtrl && last.length === 1 };
}

/**
 * Every shortcut of the lab, by name. The window's keydown handler and the menu both read
 * this table; change a key here and both follow.
 */
export const SHORTCUTS = {
  stepClient: shortcut({ type: 'step', actor: 'client' }, 'C'),
  stepServer: shortcut({ type: 'step', actor: 'server' }, 'S'),
  nextClient: shortcut({ type: 'step', actor: 'client', unit: 'call' }, 'V'),
  nextServer: shortcut({ type: 'step', actor: 'server', unit: 'call' }, 'D'),
  runClient: shortcut({ type: 'run', actor: 'client' }, 'Shift+C'),
  runServer: shortcut({ type: 'run', actor: 'server' }, 'Shift+S'),
  interrupt: shortcut({ type: 'interrupt' }, 'I'),
  reset: shortcut({ type: 'reset' }, 'R'),
  openTrace: shortcut({ type: 'openTrace' }, 'CmdOrCtrl+O'),
  saveTrace: shortcut({ type: 'saveTrace' }, 'CmdOrCtrl+S'),
  export: shortcut({ type: 'export' }, 'CmdOrCtrl+E'),
  lessons: shortcut({ type: 'lessons' }, 'F1'),
  presentation: shortcut({ type: 'presentation' }, 'F5'),
  play: shortcut({ type: 'play' }, 'P'),
} as const satisfies Record<string, Shortcut>;

/** Name of one entry of SHORTCUTS. */
export type ShortcutName = keyof typeof SHORTCUTS;

/** The parts of a keyboard event that pick a shortcut (a DOM KeyboardEvent fits). */
export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * The shortcut a key press means, or null. `isMac` picks Cmd (macOS) or Ctrl (elsewhere)
 * for CmdOrCtrl. The caller skips plain shortcuts while focus is in a text field.
 */
export function matchShortcut(e: KeyLike, isMac: boolean): Shortcut | null {
  if (e.altKey) return null;
  const cmd = isMac ? e.metaKey : e.ctrlKey;
  const other = isMac ? e.ctrlKey : e.metaKey;
  if (other) return null;
  for (const s of Object.values(SHORTCUTS) as Shortcut[]) {
    if (s.cmdOrCtrl !== cmd || s.shift !== e.shiftKey) continue;
    // Letters compare without case: Shift is checked above, and Caps Lock must not matter.
    if (s.key.length === 1 ? s.key.toLowerCase() === e.key.toLowerCase() : s.key === e.key) return s;
  }
  return null;
}
