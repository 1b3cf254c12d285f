/**
 * The window's two languages and its one i18n system: a vue-i18n instance (Composition API)
 * that holds every message the window says, in one flat catalog per language:
 *
 * - the window's own words (en.ts, zh-CN.ts), under their keys ('controls.step');
 * - the engine's message codes, C problems and faults (messages-*.ts), under `msg.`;
 * - the lesson verdicts and their joins (verdicts-*.ts), under `verdict.` and `verdict.join.`;
 * - the lesson sidebar's words (sidebar-*.ts), under `lesson.`.
 *
 * Every catalog is a typed record of its keys, so a missing Chinese entry does not compile.
 * Texts use vue-i18n's message syntax: `{name}` is a parameter, and its special characters
 * `{ } @ |` are written as literal interpolations (`{'|'}`) where they are meant literally.
 * `translate`, `say` (say.ts) and the sidebar's `ls` are thin wrappers over `i18n.global.t`.
 * Why vue-i18n and not a typed table of our own: one message syntax and compiler for every
 * catalog (plurals, escapes, linked messages when we need them), its CSP-safe runtime
 * compiler, `useI18n` in components; the keys stay typed through our records.
 */
import { createI18n } from 'vue-i18n';
import { LANGUAGES, languageOf } from '@contract/shortcuts';
import { en, type MessageKey } from './en';
import { messagesEn } from './messages-en';
import { messagesZh } from './messages-zh';
import { sidebarEn } from './sidebar-en';
import { sidebarZh } from './sidebar-zh';
import { verdictJoinsEn, verdictsEn } from './verdicts-en';
import { verdictJoinsZh, verdictsZh } from './verdicts-zh';
import { zhCN } from './zh-CN';

export type { MessageKey, Messages } from './en';

/** The languages the window speaks (the contract's, so the menu and the window agree). */
export const LANGS = LANGUAGES;
/** One of the window's languages. */
export type Lang = (typeof LANGS)[number];

/** Parameters filled into a message. */
export type MessageParams = Record<string, string | number>;

/** One language's catalogs, flat, each under its namespace; a key given twice is a mistake. */
function catalog(...parts: [prefix: string, entries: Readonly<object>][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prefix, entries] of parts)
    for (const [k, v] of Object.entries(entries)) {
      if (Object.hasOwn(out, prefix + k)) throw new Error(`i18n: ${prefix + k} is defined twice`);
      out[prefix + k] = v as string;
    }
  return out;
}

/** Every message of each language, as vue-i18n holds them. */
export const catalogs: Record<Lang, Record<string, string>> = {
  en: catalog(
    ['', en],
    ['msg.', messagesEn],
    ['verdict.', verdictsEn],
    ['verdict.join.', verdictJoinsEn],
    ['lesson.', sidebarEn],
  ),
  'zh-CN': catalog(
    ['', zhCN],
    ['msg.', messagesZh],
    ['verdict.', verdictsZh],
    ['verdict.join.', verdictJoinsZh],
    ['lesson.', sidebarZh],
  ),
};

/**
 * The window's one vue-i18n instance. Keys are flat ('header.theme' and 'header.theme.light'
 * are both messages), so they are looked up as they are, not as paths. The ui store sets its
 * locale; the wrappers below name the language they say a message in.
 */
export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: catalogs,
  messageResolver: (obj, path) => {
    const o = obj as Record<string, unknown>;
    return Object.hasOwn(o, path) ? (o[path] as string) : null;
  },
  missingWarn: false,
  fallbackWarn: false,
});

/** Any message of the one catalog (`msg.…`, `verdict.…`, `lesson.…` or a window key) in `lang`. */
export function message(lang: Lang, key: string, params?: Readonly<MessageParams>): string {
  return i18n.global.t(key, (params ?? {}) as MessageParams, { locale: lang });
}

/** The window's message `key` in `lang`, its parameters filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  return message(lang, key, params);
}

/** Whether the one catalog has `key` (in English, which has every key). */
export function hasMessage(key: string): boolean {
  return i18n.global.te(key, 'en');
}

/** An actor's name in `lang`: "server", "client", "client 2" / 服务器, 客户端, 客户端 2; another id as it is. */
export function actorName(id: string, lang: Lang): string {
  if (id === 'server') return translate(lang, 'actor.server');
  const m = /^client([0-9]*)$/.exec(id);
  if (!m) return id;
  return m[1] ? translate(lang, 'actor.clientN', { n: m[1] }) : translate(lang, 'actor.client');
}

/** The language to start in for a browser language tag: Chinese for any zh-*, else English. */
export function detectLang(tag: string | undefined | null): Lang {
  return languageOf(tag);
}

/** Whether a stored value is one of our languages. */
export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}
