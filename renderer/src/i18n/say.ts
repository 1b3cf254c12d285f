/**
 * What the window says for an engine message (a code with parameters) in a language: the
 * catalogs messages-en.ts and messages-zh.ts. A plain string is an older trace's English,
 * shown as it was written.
 */
import type { Sayable } from '@contract';
import type { Lang, MessageKey } from './index';
import { messagesEn } from './messages-en';
import { messagesZh } from './messages-zh';

/** `m` in `lang`. */
export function say(m: Sayable, lang: Lang): string {
  if (typeof m === 'string') return m;
  const text = (lang === 'zh-CN' ? messagesZh : messagesEn)[m.code] ?? messagesEn[m.code] ?? m.code;
  const params = m.params as Readonly<Record<string, string | number>> | undefined;
  // An empty optional part ({detail}) goes with the brackets around it.
  const trimmed = text.replace(
    /\s*([(（]?)\{(\w+)\}([)）]?)/g,
    (whole, open: string, name: string, close: string) =>
      params && Object.hasOwn(params, name) && params[name] === '' && (open === '') === (close === '')
        ? ''
        : whole,
  );
  return trimmed.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The same for code holding only a translate function: its 'lang.code' entry names the language. */
export function sayWith(m: Sayable, t: (key: MessageKey) => string): string {
  return say(m, t('lang.code') === 'zh-CN' ? 'zh-CN' : 'en');
}
