/**
 * The window's two languages and the one function that looks a string up.
 * Kept tiny on purpose: a typed dictionary per language, `{name}` parameters, no plurals.
 */
import { LANGUAGES } from '@contract/shortcuts';
import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey, Messages } from './en';

/** The languages the window speaks (the contract's, so the menu and the window agree). */
export const LANGS = LANGUAGES;
/** One of the window's languages. */
export type Lang = (typeof LANGS)[number];

/** Every language's dictionary. */
export const dictionaries: Record<Lang, Messages> = { en, 'zh-CN': zhCN };

/** Parameters filled into a message. */
export type MessageParams = Record<string, string | number>;

/** The message `key` in `lang`, with `{name}` placeholders replaced from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = dictionaries[lang][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The language to start in for a browser language tag: Chinese for any zh-*, else English. */
export function detectLang(tag: string | undefined | null): Lang {
  return tag && tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Whether a stored value is one of our languages. */
export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}
