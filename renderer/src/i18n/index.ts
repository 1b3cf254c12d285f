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
 * English, the fallback with every key, is bundled with the window; Chinese is a chunk of its
 * own (./zh.ts), loaded before the window first speaks it (`loadLang`: at start-up when the
 * window starts in Chinese, on the switch otherwise; the ui store switches once it is in).
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
import { flatCatalog } from './flat';
import { messagesEn } from './messages-en';
import { sidebarEn } from './sidebar-en';
import { verdictJoinsEn, verdictsEn } from './verdicts-en';

export type { MessageKey, Messages } from './en';

/** The languages the window speaks (the contract's, so the menu and the window agree). */
export const LANGS = LANGUAGES;
/** One of the window's languages. */
export type Lang = (typeof LANGS)[number];

/** Parameters filled into a message. */
export type MessageParams = Record<string, string | number>;

/** Every message of each language, as vue-i18n holds them; Chinese is empty until loadLang. */
export const catalogs: Record<Lang, Record<string, string>> = {
  en: flatCatalog(
    ['', en],
    ['msg.', messagesEn],
    ['verdict.', verdictsEn],
    ['verdict.join.', verdictJoinsEn],
    ['lesson.', sidebarEn],
  ),
  'zh-CN': {},
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

/** The languages whose messages are in. */
const loaded = new Set<Lang>(['en']);
let loadingZh: Promise<void> | null = null;

/** Whether `lang`'s messages are in (English always is). */
export function hasLang(lang: Lang): boolean {
  return loaded.has(lang);
}

/** Load `lang`'s messages (Chinese: its chunk, once); resolves once the window can speak it. */
export function loadLang(lang: Lang): Promise<void> {
  if (loaded.has(lang)) return Promise.resolve();
  loadingZh ??= import('./zh').then(
    (m) => {
      catalogs['zh-CN'] = m.catalogZh;
      i18n.global.setLocaleMessage('zh-CN', m.catalogZh);
      said['zh-CN'].clear(); // said in English until now (the fallback)
      loaded.add('zh-CN');
    },
    (err: unknown) => {
      loadingZh = null;
      throw err;
    },
  );
  return loadingZh;
}

/**
 * Messages already said, per language: a render says the same few hundred messages again
 * and again (a transfer redraws the panels every frame), and each of vue-i18n's `t` resolves,
 * looks up its compiled message and formats it. The catalogs change only when Chinese is
 * loaded (its cache is dropped then); a cache is emptied when it grows past SAID_MAX.
 */
const said: Record<Lang, Map<string, string>> = { en: new Map(), 'zh-CN': new Map() };
const SAID_MAX = 4096;

/** The cache key of a message and its parameters (separators no message text uses). */
function saidKey(key: string, params: Readonly<MessageParams> | undefined): string {
  if (!params) return key;
  let k = key;
  for (const name in params) k += `\u0001${name}\u0002${params[name]}`;
  return k;
}

/** Any message of the one catalog (`msg.…`, `verdict.…`, `lesson.…` or a window key) in `lang`. */
export function message(lang: Lang, key: string, params?: Readonly<MessageParams>): string {
  const cache = said[lang];
  const k = saidKey(key, params);
  let text = cache.get(k);
  if (text === undefined) {
    if (cache.size >= SAID_MAX) cache.clear();
    text = i18n.global.t(key, (params ?? {}) as MessageParams, { locale: lang });
    cache.set(k, text);
  }
  return text;
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
