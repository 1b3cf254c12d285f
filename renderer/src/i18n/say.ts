/**
 * What the window says for an engine message (a code with parameters) in a language: the
 * code's entry under `msg.` in the one vue-i18n catalog (messages-en.ts, messages-zh.ts).
 * A plain string is an older trace's English, shown as it was written.
 */
import { MESSAGE_OPTIONAL, MESSAGE_PARAMS, type MessageCode, type Sayable } from '../../../app/contract';
import { message, type Lang, type MessageKey, type MessageParams } from './index';

/** `m` in `lang`. */
export function say(m: Sayable, lang: Lang): string {
  if (typeof m === 'string') return m;
  const given = (m.params ?? {}) as Readonly<MessageParams>;
  // Only the code's own parameters (never an object's inherited property); one it lacks shows as {name}.
  const named: MessageParams = {};
  for (const name of MESSAGE_PARAMS[m.code] ?? [])
    named[name] = Object.hasOwn(given, name) ? given[name]! : `{${name}}`;
  // A code whose optional part is empty is said in its brief form, without that part.
  const optional = (MESSAGE_OPTIONAL as Partial<Record<MessageCode, string>>)[m.code];
  const key = optional !== undefined && named[optional] === '' ? `msg.${m.code}.brief` : `msg.${m.code}`;
  return message(lang, key, named);
}

/** The same for code holding only a translate function: its 'lang.code' entry names the language. */
export function sayWith(m: Sayable, t: (key: MessageKey) => string): string {
  return say(m, t('lang.code') === 'zh-CN' ? 'zh-CN' : 'en');
}
