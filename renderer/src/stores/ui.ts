/**
 * The window's own preferences: language, theme and which panels are open. Language and
 * theme start from the system (navigator.language, prefers-color-scheme) and are remembered
 * in localStorage once the user picks one.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import { detectLang, isLang, translate, type Lang, type MessageKey, type MessageParams } from '../i18n';

/** Light or dark. */
export type Theme = 'light' | 'dark';

/** The panels that can be shown or hidden. */
export interface Panels {
  lessons: boolean;
  diagram: boolean;
  sandbox: boolean;
  help: boolean;
}

const LANG_KEY = 'tcplab.lang';
const THEME_KEY = 'tcplab.theme';

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null; // storage can be disabled (privacy settings): fall back to the system
  }
}

function remember(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    /* not remembered, still applied */
  }
}

function systemTheme(): Theme {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Language, theme and panel toggles; `t` translates in the current language. */
export const useUiStore = defineStore('ui', () => {
  const savedLang = stored(LANG_KEY);
  const savedTheme = stored(THEME_KEY);
  /** Current language. */
  const lang = ref<Lang>(isLang(savedLang) ? savedLang : detectLang(globalThis.navigator?.language));
  /** Current theme. */
  const theme = ref<Theme>(savedTheme === 'dark' || savedTheme === 'light' ? savedTheme : systemTheme());
  /** Which panels are open. */
  const panels = reactive<Panels>({ lessons: true, diagram: true, sandbox: false, help: false });

  /** Choose a language and remember it. */
  function setLang(l: Lang): void {
    lang.value = l;
    remember(LANG_KEY, l);
  }
  /** Choose a theme and remember it. */
  function setTheme(th: Theme): void {
    theme.value = th;
    remember(THEME_KEY, th);
  }
  /** Forget the chosen theme and follow the system's again. */
  function followSystemTheme(): void {
    try {
      globalThis.localStorage?.removeItem(THEME_KEY);
    } catch {
      /* nothing remembered */
    }
    theme.value = systemTheme();
  }
  /** Show or hide a panel. */
  function toggle(panel: keyof Panels, on?: boolean): void {
    panels[panel] = on ?? !panels[panel];
  }

  /** Translate a key in the current language (reactive: re-evaluated when the language changes). */
  const t = computed(() => {
    const l = lang.value;
    return (key: MessageKey, params?: MessageParams) => translate(l, key, params);
  });

  // The document follows the choices: lang for screen readers and CJK font selection,
  // data-theme for the CSS variables.
  watch(
    [lang, theme],
    ([l, th]) => {
      if (typeof document === 'undefined') return;
      document.documentElement.lang = l;
      document.documentElement.dataset.theme = th;
    },
    { immediate: true },
  );

  return { lang, theme, panels, setLang, setTheme, followSystemTheme, toggle, t };
});
