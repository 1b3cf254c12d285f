/**
 * The window's own preferences: language, theme, which panels are open, presentation mode
 * (the projector layout, its text size) and whether the first-run hint was seen. Language
 * and theme start from the system (navigator.language, prefers-color-scheme) and are
 * remembered in localStorage once the user picks one; presentation mode, its text size and
 * the hint are remembered as they change.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import { detectLang, i18n, isLang, translate, type Lang, type MessageKey, type MessageParams } from '@/i18n';

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
  /** Presentation mode: the projector layout, text at `textScale`, high contrast. */
  const presentation = ref(stored(PRESENTATION_KEY) === 'on');
  /** The text size in presentation mode, one of TEXT_SCALES. */
  const textScale = ref<number>(textScaleFrom(stored(TEXT_SCALE_KEY)));
  /** Whether the first-run hint (where to start) was dismissed or followed. */
  const hintSeen = ref(stored(HINT_KEY) === 'yes');

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
  /** Presentation mode on, off, or (no argument) the other way; remembered. */
  function setPresentation(on = !presentation.value): void {
    presentation.value = on;
    remember(PRESENTATION_KEY, on ? 'on' : 'off');
  }
  /** Move the presentation text size `by` steps of TEXT_SCALES (kept within 100–200 %). */
  function stepTextScale(by: number): void {
    const i = TEXT_SCALES.indexOf(textScale.value as (typeof TEXT_SCALES)[number]);
    const next = TEXT_SCALES[Math.max(0, Math.min(TEXT_SCALES.length - 1, i + by))]!;
    textScale.value = next;
    remember(TEXT_SCALE_KEY, String(next));
  }
  /** The first-run hint is not shown again. */
  function dismissHint(): void {
    hintSeen.value = true;
    remember(HINT_KEY, 'yes');
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
