/**
 * What the window says for an engine message (a code with parameters) in a language: the
 * code's entry under `msg.` in the one vue-i18n catalog (messages-en.ts, messages-zh.ts).
 * A plain string is an older trace's English, shown as it was written.
 */
import { MESSAGE_OPTIONAL, MESSAGE_PARAMS, type MessageCode, type Sayable } from '@contract/messages';
import { actorName, hasMessage, message, type Lang, type MessageKey, type MessageParams } from './index';
import { own } from '@contract/own';

/** Parameters said in the window's words: an actor id by its name, a block reason, a type. */
const WORDS: Readonly<Record<string, (v: string, lang: Lang) => string>> = {
  actor: (v, lang) => actorName(v, lang),
  block: (v, lang) => (hasMessage(`block.${v}`) ? message(lang, `block.${v}`) : v),
  expected: (v, lang) => (hasMessage(`type.${v}`) ? message(lang, `type.${v}`) : v),
};

/** `m` in `lang`. */
export function say(m: Sayable, lang: Lang): string {
  if (typeof m === 'string') return m;
  const given = (m.params ?? {}) as Readonly<MessageParams>;
  // Only the code's own parameters (never an object's inherited property); one it lacks shows as {name}.
  const named: MessageParams = {};
  for (const name of MESSAGE_PARAMS[m.code] ?? []) {
    const v = Object.hasOwn(given, name) ? given[name]! : `{${name}}`;
    named[name] = Object.hasOwn(WORDS, name) && typeof v === 'string' ? WORDS[name]!(v, lang) : v;
  }
  // A code whose optional part is empty is said in its brief form, without that part.
  const optional = (MESSAGE_OPTIONAL as Partial<Record<MessageCode, string>>)[m.code];
  const key = optional !== undefined && own(named, optional) === '' ? `msg.${m.code}.brief` : `msg.${m.code}`;
  return message(lang, key, named);
}

/** The same for code holding only a translate function: its 'lang.code' entry names the language. */
export function sayWith(m: Sayable, t: (key: MessageKey) => string): string {
  return say(m, t('lang.code') === 'zh-CN' ? 'zh-CN' : 'en');
}
