import { own } from './own';
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
  // segmentSeen with relative numbers (captured segments only)
  'segments.seenNumbered': ['n', 'flags', 'with', 'need'],
  'segments.noCapture': ['flags'],
  'seg.not': ['not'],
  'seg.from': ['from'],
  'seg.minLen': ['min'],
  'seg.seq': ['seq'],
  'seg.ack': ['ack'],
  // retransmission
  'retrans.seen': ['n'],
  'retrans.seenFlags': ['n', 'flags'],
  'retrans.seenFrom': ['n', 'from'],
  'retrans.seenFlagsFrom': ['n', 'flags', 'from'],
  'retrans.noCapture': [],
  // bytes
  'bytes.received': ['socket', 'n', 'got', 'wants'],
  'bytes.sent': ['socket', 'n', 'got', 'wants'],
  'want.bytes': ['min'],
  'want.text': ['text'],
  // output
  'output.contains': ['actor', 'text'],
  'output.containsOn': ['actor', 'stream', 'text'],
  'output.lacks': ['actor', 'text', 'tail'],
  'output.lacksOn': ['actor', 'stream', 'text', 'tail'],
  'output.nothing': ['actor', 'text'],
  'output.nothingOn': ['actor', 'stream', 'text'],
  // sockopt
  'sockopt.set': ['socket', 'opt', 'value'],
  'sockopt.other': ['socket', 'opt', 'value', 'want'],
  'sockopt.off': ['socket', 'opt', 'value'],
  'sockopt.notSet': ['where', 'opt'],
  // queueLength, countSockets, fdCount
  'queue.length': ['n', 'actor', 'need'],
  'queue.lengthBounds': ['n', 'actor', 'bounds'],
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
  'program.exited': ['actor', 'status'],
  'program.exitedNot': ['actor', 'status', 'want'],
  'program.faulted': ['actor', 'line', 'want'],
  // programAt
  'at.line': ['actor', 'line'],
  'at.lineText': ['actor', 'line', 'text'],
  'at.notLine': ['actor', 'line', 'want'],
  'at.notText': ['actor', 'line', 'text'],
  'at.nowhere': ['actor'],
  'at.noSuchLine': ['actor', 'text'],
  'at.lineLacks': ['actor', 'line', 'text'],
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
  with: 'parts',
  wants: 'parts',
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
    const kind = own(VERDICT_PARAM_KINDS as Readonly<Record<string, string>>, name);
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
  'segments.seenNumbered': '{n} captured segment(s) {flags} with {with} seen (need {need})',
  'segments.noCapture':
    'no captured segments yet: {flags} by relative numbers is judged on a packet capture (run the lab as root with tcpdump)',
  'seg.not': 'no {not}',
  'seg.from': 'from {from}',
  'seg.minLen': 'at least {min} data byte(s)',
  'seg.seq': 'relative seq {seq}',
  'seg.ack': 'relative ack {ack}',
  'retrans.seen': '{n} retransmitted segment(s) captured (need 1)',
  'retrans.seenFlags': '{n} retransmitted {flags} segment(s) captured (need 1)',
  'retrans.seenFrom': '{n} retransmitted segment(s) from {from} captured (need 1)',
  'retrans.seenFlagsFrom': '{n} retransmitted {flags} segment(s) from {from} captured (need 1)',
  'retrans.noCapture':
    'no captured segments: a retransmission is seen only in a packet capture (run the lab as root with tcpdump)',
  'bytes.received': '{socket}: the program read {n} byte(s) {got}, need {wants}',
  'bytes.sent': '{socket}: the program wrote {n} byte(s) {got}, need {wants}',
  'want.bytes': '≥ {min} bytes',
  'want.text': 'the text {text}',
  'output.contains': "{actor}'s output contains {text}",
  'output.containsOn': "{actor}'s {stream} contains {text}",
  'output.lacks': "{actor}'s output does not contain {text} yet (it ends {tail})",
  'output.lacksOn': "{actor}'s {stream} does not contain {text} yet (it ends {tail})",
  'output.nothing': '{actor} has printed nothing yet (waiting for {text})',
  'output.nothingOn': '{actor} has printed nothing on {stream} yet (waiting for {text})',
  'sockopt.set': '{socket} has {opt} set to {value}',
  'sockopt.other': '{socket} has {opt} set to {value}, not {want}',
  'sockopt.off': '{socket} has {opt} set to {value}, which turns it off',
  'sockopt.notSet': '{where} has no {opt} set by setsockopt()',
  'queue.length': "{n} connection(s) waiting in {actor}'s accept queue (need {need})",
  'queue.lengthBounds': "{n} connection(s) waiting in {actor}'s accept queue, need {bounds}",
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
  'program.exited': "{actor}'s program exited with status {status}",
  'program.exitedNot': "{actor}'s program exited with status {status}, not {want}",
  'program.faulted': "{actor}'s program faulted at line {line} instead of exiting with status {want}",
  'at.line': "{actor}'s program is at line {line}",
  'at.lineText': "{actor}'s program is at line {line} ({text})",
  'at.notLine': "{actor}'s program is at line {line}, not line {want}",
  'at.notText': "{actor}'s program is at line {line}, not at a line with {text}",
  'at.nowhere': "{actor}'s program is not at a line (not started, or ended)",
  'at.noSuchLine': "no line of {actor}'s program contains {text}",
  'at.lineLacks': "line {line} of {actor}'s program does not contain {text}",
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
