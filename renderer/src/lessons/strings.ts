/**
 * The lesson sidebar's words (i18n/sidebar-*.ts, under `lesson.` in the window's one vue-i18n
 * catalog) and how it says verdicts, live counts and actions in either language.
 */
import type { LessonAction, Measure, VerdictPart } from '@contract/lesson';
import type { ReplaySay } from '@contract/lesson-replay';
import { actorName as nameOf, message, type Lang } from '@/i18n';
import type { SidebarKey } from '@/i18n/sidebar-en';
import { say } from '@/i18n/say';
import { sayVerdict } from '@/i18n/verdict';

/** A key of the sidebar's words. */
export type LessonStringKey = SidebarKey;

/** One of the window's languages for a language tag (the sidebar is handed `ui.lang`). */
const langOf = (lang: string): Lang => (lang.startsWith('zh') ? 'zh-CN' : 'en');

/** The sidebar's word for `key` in `lang`, with its parameters filled from `params`. */
export function ls(lang: string, key: LessonStringKey, params: Record<string, string | number> = {}): string {
  return message(langOf(lang), `lesson.${key}`, params);
}

/** An actor's name as the window says it: server, client 2 / 服务器, 客户端 2. */
export function actorName(id: string, lang: string): string {
  return nameOf(id, langOf(lang));
}

/** A checkpoint's verdict detail (codes with parameters from evaluate) in `lang` (i18n/verdict.ts). */
export function describeVerdict(detail: VerdictPart, lang: string): string {
  return sayVerdict(detail, langOf(lang));
}

/** What stopped a replay or an action (codes, a verdict, or a transport's text) in `lang`. */
export function describeReplay(says: readonly ReplaySay[], lang: string): string {
  const l = langOf(lang);
  return says
    .map((x) => (typeof x === 'object' && 'verdict' in x ? sayVerdict(x.verdict, l) : say(x, l)))
    .join(message(l, 'verdict.join.all'));
}

/** A live count in words, e.g. "server sockets in CLOSE_WAIT: 3". */
export function describeMeasure(m: Measure, lang: string): string {
  const actor = m.actor === null ? '' : actorName(m.actor, lang);
  const params = {
    actor,
    what: m.what ?? '',
    n: m.value.toLocaleString(lang.startsWith('zh') ? 'zh-CN' : 'en'),
  };
  if (m.kind === 'countSockets')
    return ls(lang, m.actor === null ? 'countSocketsAll' : 'countSockets', params);
  if (m.kind === 'buffer') return ls(lang, m.what === 'send' ? 'buffersend' : 'bufferrecv', params);
  return ls(lang, m.kind, params);
}

/** What an action's button says, e.g. "Next call: server (3 times)", "服务器：到下一个调用（3 次）". */
export function describeAction(a: LessonAction, lang: string): string {
  const actor = 'actor' in a ? actorName(a.actor, lang) : '';
  const times = (key: 'pressTimes' | 'pressUpTo', base: string) =>
    'times' in a && a.times && a.times > 1
      ? ls(lang, 'actionTimes', { action: base, times: ls(lang, key, { n: a.times }) })
      : base;
  switch (a.kind) {
    case 'step':
      return times('pressTimes', ls(lang, 'actionStep', { actor }));
    case 'run':
      return times('pressUpTo', ls(lang, 'actionRun', { actor }));
    case 'interrupt':
      return ls(lang, 'actionInterrupt', { actor });
    case 'call':
      return ls(lang, 'actionCall', {
        actor,
        call: `${a.call.call}(${Object.values(a.call.args).join(', ')})`,
      });
    case 'addClient':
      return ls(lang, 'actionAddClient', { actor });
    case 'loadProgram':
      return ls(lang, 'actionLoad', { actor, program: a.program });
    case 'together':
      return ls(lang, 'actionTogether', { actions: a.of.map((x) => describeAction(x, lang)).join(' + ') });
    case 'sequence':
      return a.of.map((x) => describeAction(x, lang)).join(' → ');
    case 'observe':
      return ls(lang, 'actionObserve');
  }
}
