/**
 * The window's own preferences: language, theme, which panels are open, presentation mode
 * (the projector layout, its text size) and whether the first-run hint was seen. Language
 * and theme start from the system (navigator.language, VueUse's usePreferredDark) and are
 * remembered in localStorage once the user picks one; presentation mode, its text size and
 * the hint are remembered as they change. Every stored value goes through VueUse's
 * useLocalStorage with a serializer that checks it: a value this window did not write (or
 * storage that refuses access) reads as the default, never as a broken preference.
 */
import { usePreferredDark } from '@vueuse/core';
import { useRemembered as remembered } from '@/composables/useRemembered';
import { defineStore } from 'pinia';
import { computed, reactive, watch } from 'vue';
import { THEMES, type Theme as ThemeChoice } from '@contract/shortcuts';
import {
  detectLang,
  hasLang,
  i18n,
  isLang,
  loadLang,
  translate,
  type Lang,
  type MessageKey,
  type MessageParams,
} from '@/i18n';

/** Light or dark: the theme shown ('system' of the contract's THEMES resolved). */
export type Theme = Exclude<ThemeChoice, 'system'>;

/** The panels that can be shown or hidden. */
export interface Panels {
  lessons: boolean;
  diagram: boolean;
  sandbox: boolean;
  help: boolean;
}

const LANG_KEY = 'tcplab.lang';
const THEME_KEY = 'tcplab.theme';
const PRESENTATION_KEY = 'tcplab.presentation';
const TEXT_SCALE_KEY = 'tcplab.textScale';
const HINT_KEY = 'tcplab.hintSeen';

/** Text sizes of presentation mode, as a factor of the window's own (100 % to 200 %). */
export const TEXT_SCALES = [1, 1.25, 1.5, 1.75, 2] as const;
/** The text size presentation mode starts at. */
export const DEFAULT_TEXT_SCALE = 1.5;

/** The nearest of TEXT_SCALES to a stored value, or the default when it is not a number. */
function textScaleFrom(v: string | null): number {
  const n = Number(v);
  if (v === null || !Number.isFinite(n)) return DEFAULT_TEXT_SCALE;
  return TEXT_SCALES.reduce((best, s) => (Math.abs(s - n) < Math.abs(best - n) ? s : best), TEXT_SCALES[0]);
}

const isTheme = (v: string): v is Theme => v !== 'system' && (THEMES as readonly string[]).includes(v);

/** Language, theme and panel toggles; `t` translates in the current language. */
export const useUiStore = defineStore('ui', () => {
  /** The language chosen, or null to go by the system's. */
  const savedLang = remembered<Lang | null>(LANG_KEY, null, (v) => (isLang(v) ? v : null), String);
  const systemLang = detectLang(globalThis.navigator?.language);
  /** Current language. */
  const lang = computed<Lang>(() => savedLang.value ?? systemLang);
  /** The theme chosen, or null to follow the system's. */
  const savedTheme = remembered<Theme | null>(THEME_KEY, null, (v) => (isTheme(v) ? v : null), String);
  const prefersDark = usePreferredDark();
  /** Current theme. */
  const theme = computed<Theme>(() => savedTheme.value ?? (prefersDark.value ? 'dark' : 'light'));
  /** What the user chose, as the menu's Theme items say it ('system' when following it). */
  const themeChoice = computed<ThemeChoice>(() => savedTheme.value ?? 'system');
  /** Which panels are open. */
  const panels = reactive<Panels>({ lessons: true, diagram: true, sandbox: false, help: false });
  /** Presentation mode: the projector layout, text at `textScale`, high contrast. */
  const presentation = remembered(
    PRESENTATION_KEY,
    false,
    (v) => v === 'on',
    (on) => (on ? 'on' : 'off'),
  );
  /** The text size in presentation mode, one of TEXT_SCALES. */
  const textScale = remembered<number>(TEXT_SCALE_KEY, DEFAULT_TEXT_SCALE, textScaleFrom, String);
  /** Whether the first-run hint (where to start) was dismissed or followed. */
  const hintSeen = remembered(
    HINT_KEY,
    false,
    (v) => v === 'yes',
    (seen) => (seen ? 'yes' : 'no'),
  );

  /** The language asked for last (a switch waiting for its messages may be overtaken). */
  let asked: Lang | null = null;
  /**
   * Choose a language and remember it. The window switches once the language's messages are
   * in (Chinese is a chunk of its own, i18n/index.ts): at once when they are, a moment later
   * the first time; `<html lang>` says which one it speaks.
   */
  function setLang(l: Lang): void {
    asked = l;
    if (hasLang(l)) {
      savedLang.value = l;
      return;
    }
    loadLang(l).then(
      () => {
        if (asked === l) savedLang.value = l;
      },
      (err: unknown) => console.error(`the window's ${l} messages could not be loaded:`, err),
    );
  }
  /** Choose a theme and remember it. */
  function setTheme(th: Theme): void {
    savedTheme.value = th;
  }
  /** Forget the chosen theme and follow the system's again. */
  function followSystemTheme(): void {
    savedTheme.value = null;
  }
  /** Show or hide a panel. */
  function toggle(panel: keyof Panels, on?: boolean): void {
    panels[panel] = on ?? !panels[panel];
  }
  /** Presentation mode on, off, or (no argument) the other way; remembered. */
  function setPresentation(on = !presentation.value): void {
    presentation.value = on;
  }
  /** Move the presentation text size `by` steps of TEXT_SCALES (kept within 100–200 %). */
  function stepTextScale(by: number): void {
    const i = TEXT_SCALES.indexOf(textScale.value as (typeof TEXT_SCALES)[number]);
    const next = TEXT_SCALES[Math.max(0, Math.min(TEXT_SCALES.length - 1, i + by))]!;
    textScale.value = next;
  }
  /** The first-run hint is not shown again. */
  function dismissHint(): void {
    hintSeen.value = true;
  }

  /** Translate a key in the current language (reactive: re-evaluated when the language changes). */
  const t = computed(() => {
    const l = lang.value;
    return (key: MessageKey, params?: MessageParams) => translate(l, key, params);
  });

  // The window's one vue-i18n instance speaks the chosen language (useI18n, $t), at once.
  watch(lang, (l) => void (i18n.global.locale.value = l), { immediate: true, flush: 'sync' });
  // The document follows the choices: lang for screen readers and CJK font selection,
  // data-theme for the CSS variables, data-presentation for the projector's contrast.
  watch(
    [lang, theme, presentation],
    ([l, th, p]) => {
      if (typeof document === 'undefined') return;
      const root = document.documentElement;
      root.lang = l;
      root.dataset.theme = th;
      if (p) root.dataset.presentation = 'on';
      else delete root.dataset.presentation;
    },
    { immediate: true },
  );

  return {
    lang,
    theme,
    themeChoice,
    panels,
    presentation,
    textScale,
    hintSeen,
    setLang,
    setTheme,
    followSystemTheme,
    toggle,
    setPresentation,
    stepTextScale,
    dismissHint,
    t,
  };
});
