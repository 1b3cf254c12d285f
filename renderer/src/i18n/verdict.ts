/**
 * A checkpoint's verdict (codes with parameters from evaluate, app/contract/verdicts.ts) as
 * the window says it: each code from its `verdict.` entry in the one vue-i18n catalog, parts
 * joined by the language's `verdict.join.` entries, actors by their names in the language, a
 * block reason in the window's words for it. The contract's `verdictText` is the English of
 * logs and the lesson check; this is the window's, in either language.
 */
import { VERDICT_PARAM_KINDS, VERDICT_PARAMS, type VerdictPart, type VerdictValue } from '@contract/verdicts';
import { actorName, hasMessage, message, type Lang, type MessageParams } from './index';
import { own } from '@contract/own';

/** `part` in `lang`. */
export function sayVerdict(part: VerdictPart, lang: Lang): string {
  if ('all' in part) return part.all.map((p) => sayVerdict(p, lang)).join(message(lang, 'verdict.join.all'));
  if ('any' in part) return part.any.map((p) => sayVerdict(p, lang)).join(message(lang, 'verdict.join.any'));
  if ('not' in part) return message(lang, 'verdict.join.not', { part: sayVerdict(part.not, lang) });
  const value = (name: string, v: VerdictValue): string => {
    if (typeof v === 'object') {
      const list = Array.isArray(v) ? v : [v as Exclude<VerdictValue, string | number | readonly unknown[]>];
      return list.map((p) => sayVerdict(p, lang)).join(message(lang, 'verdict.join.list'));
    }
    const kind = own(VERDICT_PARAM_KINDS as Readonly<Record<string, string>>, name);
    if (kind === 'actor') return actorName(String(v), lang);
    if (kind === 'blockReason') return hasMessage(`block.${v}`) ? message(lang, `block.${v}`) : String(v);
    return String(v);
  };
  const given = part.params ?? {};
  // Only the code's own parameters (never an object's inherited property); one it lacks shows as {name}.
  const named: MessageParams = {};
  for (const name of (VERDICT_PARAMS as Readonly<Record<string, readonly string[]>>)[part.code] ?? [])
    named[name] = Object.hasOwn(given, name) ? value(name, given[name]!) : `{${name}}`;
  return message(lang, `verdict.${part.code}`, named);
}
