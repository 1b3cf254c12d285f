/**
 * Why a lesson checkpoint holds or not yet, as codes with parameters: `evaluate`
 * (checkpoint-eval.ts) gives a verdict whose `detail` is a part (a code with parameters) or a
 * combination of parts (`{ all }`, `{ any }`, `{ not }`, as the checkpoint combines them). The
 * window says it in the reader's language from its catalogs (renderer/src/i18n/verdicts-*.ts,
 * one entry per code, checked by the compiler); `verdictText` says it in English for logs,
 * the lesson check and tests.
 *
 * A parameter's name says what it holds, in every code (VERDICT_PARAM_KINDS): an actor id the
 * window names in its language, a block reason it says in words, a nested part (where a
 * socket is looked for, what a call returned, the bounds a count must meet), a list of parts
 * (the sockets as they are now); any other parameter is a number or a text shown as it is
 * (socket ids, TCP states, call names, flags, errnos).
 */

/** Every code and the names of its parameters. */
export const VERDICT_PARAMS = {
  'actor.missing': ['id'],
  // actorBlocked
  'blocked.not': ['actor'],
  'blocked.wrongCall': ['actor', 'call', 'wantCall'],
  'blocked.wrongReason': ['actor', 'reason', 'wantReason'],
  'blocked.ok': ['actor', 'call', 'reason'],
  // actorReturned
  'returned.none': ['actor', 'wantCall'],
  'returned.wrongCall': ['actor', 'call', 'wantCall'],
  'returned.want': ['actor', 'got', 'want'],
  'returned.wantAtLeast': ['actor', 'got', 'want'],
  'returned.ok': ['actor', 'got'],
  'got.ret': ['call', 'ret'],
  'got.errno': ['call', 'ret', 'errno'],
  // socketState and buffer
  'socket.none': ['where'],
  'socket.in': ['socket', 'state'],
  'socket.inConfirmed': ['socket', 'state'],
  'socket.passed': ['socket', 'state'],
  'socket.notIn': ['where', 'state', 'now'],
  'socket.notConfirmed': ['where', 'state', 'now'],
  'socket.notYetThrough': ['where', 'state', 'now'],
  'where.fd': ['actor', 'fd'],
  'where.listening': ['actor'],
  'where.connection': ['actor'],
  'where.any': ['actor'],
  'now.socket': ['socket', 'state'],
  'now.kernel': ['socket', 'state', 'kernel'],
  'now.gone': ['socket', 'state'],
  'buffer.recv': ['socket', 'n', 'cmp', 'need'],
  'buffer.send': ['socket', 'n', 'cmp', 'need'],
  // segmentSeen
  'segments.seen': ['n', 'flags', 'need'],
  'segments.seenWithout': ['n', 'flags', 'not', 'need'],
  'segments.seenFrom': ['n', 'flags', 'from', 'need'],
  'segments.seenWithoutFrom': ['n', 'flags', 'not', 'from', 'need'],
  // queueLength, countSockets, fdCount
  'queue.length': ['n', 'actor', 'need'],
  'count.sockets': ['n', 'state', 'bounds'],
  'count.socketsConfirmed': ['n', 'state', 'bounds'],
  'count.socketsOf': ['n', 'actor', 'state', 'bounds'],
  'count.socketsOfConfirmed': ['n', 'actor', 'state', 'bounds'],
  'count.fds': ['actor', 'n', 'bounds'],
  'bounds.atLeast': ['min'],
  'bounds.atMost': ['max'],
  'bounds.between': ['min', 'max'],
  'bounds.any': [],
  // programEnded
  'program.ended': ['actor'],
  'program.running': ['actor'],
} as const satisfies Record<string, readonly string[]>;

/** A verdict code. */
export type VerdictCode = keyof typeof VERDICT_PARAMS;
export const VERDICT_CODES = Object.keys(VERDICT_PARAMS) as VerdictCode[];

/**
 * What a parameter holds, by its name (the same in every code): an actor id, a block reason,
 * a part, a list of parts. A name not listed is a number or a text shown as it is.
 */
export const VERDICT_PARAM_KINDS = {
  actor: 'actor',
  from: 'actor',
  reason: 'blockReason',
  wantReason: 'blockReason',
  where: 'part',
  got: 'part',
  bounds: 'part',
  now: 'parts',
} as const satisfies Record<string, 'actor' | 'blockReason' | 'part' | 'parts'>;

/** A parameter's value: a number or text, a nested part, or a list of them. */
export type VerdictValue = string | number | VerdictMessage | readonly VerdictMessage[];

type ParamsOf<K extends VerdictCode> = Record<(typeof VERDICT_PARAMS)[K][number], VerdictValue>;

/**
 * A code and its parameters. One shape for every code (a union per code would be too wide for
 * the stores that keep a verdict); `vmsg` checks that a code gets exactly its parameters.
 */
export interface VerdictMessage {
  code: VerdictCode;
  params?: Readonly<Record<string, VerdictValue>>;
}

/** A verdict's explanation: a part, or parts combined as the checkpoint combines them. */
export type VerdictPart =
  VerdictMessage | { all: readonly VerdictPart[] } | { any: readonly VerdictPart[] } | { not: VerdictPart };

/** A part: `vmsg('queue.length', { n: 0, actor: 'server', need: 1 })`. */
export function vmsg<K extends VerdictCode>(
  code: K,
  ...params: (typeof VERDICT_PARAMS)[K] extends readonly [] ? [] : [ParamsOf<K>]
): VerdictMessage {
  return params[0] ? { code, params: params[0] } : { code };
}

/** How a language says the combinations and lists of parts. */
export interface VerdictJoins {
  /** Between the parts of a holding `all`. */
  all: string;
  /** Between the parts of an `any` none of which holds. */
  any: string;
  /** Between the items of a list parameter. */
  list: string;
  /** Around a part that must not hold: `{part}` is the part. */
  not: string;
}

/** What a language needs to say a verdict: its catalog, its joins, and how it names actors and block reasons. */
export interface VerdictLanguage {
  catalog: Readonly<Record<VerdictCode, string>>;
  joins: VerdictJoins;
  actor: (id: string) => string;
  blockReason: (reason: string) => string;
}

/** Fill `{name}` with a value: only the code's own parameters, never an object's inherited property. */
function fill(
  text: string,
  params: Readonly<Record<string, VerdictValue>> | undefined,
  say: (name: string, v: VerdictValue) => string,
): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && Object.hasOwn(params, name) ? say(name, params[name]!) : whole,
  );
}

/** Say a verdict's detail in a language. */
export function sayVerdictIn(part: VerdictPart, lang: VerdictLanguage): string {
  if ('all' in part) return part.all.map((p) => sayVerdictIn(p, lang)).join(lang.joins.all);
  if ('any' in part) return part.any.map((p) => sayVerdictIn(p, lang)).join(lang.joins.any);
  if ('not' in part) return lang.joins.not.replace('{part}', () => sayVerdictIn(part.not, lang));
  const value = (name: string, v: VerdictValue): string => {
    if (typeof v === 'object') {
      const list = Array.isArray(v) ? (v as readonly VerdictMessage[]) : [v as VerdictMessage];
      return list.map((p) => sayVerdictIn(p, lang)).join(lang.joins.list);
    }
    const kind = (VERDICT_PARAM_KINDS as Readonly<Record<string, string>>)[name];
    if (kind === 'actor') return lang.actor(String(v));
    if (kind === 'blockReason') return lang.blockReason(String(v));
    return String(v);
  };
  const text = lang.catalog[part.code] ?? VERDICT_EN[part.code] ?? part.code;
  return fill(text, part.params, value);
}

/**
 * The English of every code, for logs, the lesson check and tests (and the window's English
 * catalog, renderer/src/i18n/verdicts-en.ts). Actor ids and block reasons stay as they are.
 */
export const VERDICT_EN: Readonly<Record<VerdictCode, string>> = {
  'actor.missing': 'no actor {id}',
  'blocked.not': '{actor} is not blocked',
  'blocked.wrongCall': '{actor} is blocked in {call}(), not {wantCall}()',
  'blocked.wrongReason': '{actor} is blocked because {reason}, not because {wantReason}',
  'blocked.ok': '{actor} is blocked in {call}() ({reason})',
  'returned.none': '{actor} has not returned from any call yet (waiting for {wantCall}())',
  'returned.wrongCall': "{actor}'s last returned call is {call}(), not {wantCall}()",
  'returned.want': '{actor}: {got}, expected {want}',
  'returned.wantAtLeast': '{actor}: {got}, expected ≥ {want}',
  'returned.ok': '{actor}: {got}',
  'got.ret': '{call}() returned {ret}',
  'got.errno': '{call}() returned {ret} {errno}',
  'socket.none': 'no {where}',
  'socket.in': '{socket} is in {state}',
  'socket.inConfirmed': '{socket} is in {state} (kernel confirms)',
  'socket.passed': '{socket} passed through {state}',
  'socket.notIn': '{where} not in {state}: {now}',
  'socket.notConfirmed': '{where} not in {state} confirmed by the kernel: {now}',
  'socket.notYetThrough': '{where} not yet through {state}: {now}',
  'where.fd': '{actor} fd {fd}',
  'where.listening': "{actor}'s listening socket",
  'where.connection': "{actor}'s connection socket",
  'where.any': 'a socket of {actor}',
  'now.socket': '{socket} {state}',
  'now.kernel': '{socket} {state} (kernel {kernel})',
  'now.gone': '{socket} {state} (kernel: no longer listed)',
  'buffer.recv': '{socket} recv buffer holds {n} bytes ({cmp} {need})',
  'buffer.send': '{socket} send buffer holds {n} bytes ({cmp} {need})',
  'segments.seen': '{n} segment(s) {flags} seen (need {need})',
  'segments.seenWithout': '{n} segment(s) {flags} without {not} seen (need {need})',
  'segments.seenFrom': '{n} segment(s) {flags} from {from} seen (need {need})',
  'segments.seenWithoutFrom': '{n} segment(s) {flags} without {not} from {from} seen (need {need})',
  'queue.length': "{n} connection(s) waiting in {actor}'s accept queue (need {need})",
  'count.sockets': '{n} socket(s) in {state}, need {bounds}',
  'count.socketsConfirmed': '{n} socket(s) in {state} (kernel confirmed), need {bounds}',
  'count.socketsOf': '{n} socket(s) of {actor} in {state}, need {bounds}',
  'count.socketsOfConfirmed': '{n} socket(s) of {actor} in {state} (kernel confirmed), need {bounds}',
  'count.fds': '{actor} holds {n} descriptor(s), need {bounds}',
  'bounds.atLeast': '≥ {min}',
  'bounds.atMost': '≤ {max}',
  'bounds.between': '≥ {min} and ≤ {max}',
  'bounds.any': 'any number',
  'program.ended': "{actor}'s program has ended",
  'program.running': "{actor}'s program is still running",
};

/** How English joins parts: '; ' in a holding `all`, ' | ' between failed alternatives, 'not (…)'. */
export const VERDICT_JOINS_EN: VerdictJoins = { all: '; ', any: ' | ', list: ', ', not: 'not ({part})' };

/** A verdict's detail in English, ids and reasons as they are: for logs, the lesson check and tests. */
export function verdictText(part: VerdictPart): string {
  return sayVerdictIn(part, {
    catalog: VERDICT_EN,
    joins: VERDICT_JOINS_EN,
    actor: (id) => id,
    blockReason: (r) => r,
  });
}
