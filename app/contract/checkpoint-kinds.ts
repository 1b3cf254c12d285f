/**
 * Judging the checkpoints on what the programs did and on the captured wire: the bytes a
 * socket's program read or wrote, a program's output, its line, its exit status, a socket
 * option, sequence numbers relative to the ISNs, a retransmission. Pure over the view;
 * `evaluate` (checkpoint-eval.ts) calls these.
 */
import { previewText, utf8Length } from './call-preview';
import type { Checkpoint } from './checkpoints';
import { numberedSegments, retransmissions, sentBy, socketsOf, where } from './checkpoint-find';
import type { SocketView, ViewState } from './reducer';
import type { SockOptValue } from './schema';
import { vmsg, type VerdictMessage } from './verdicts';
import { own } from './own';

/** The verdict of one of these kinds: holds or not, and why. */
export interface KindVerdict {
  ok: boolean;
  detail: VerdictMessage;
}

type Of<K extends Checkpoint['kind']> = Extract<Checkpoint, { kind: K }>;

/** A text quoted as a C string literal would show it, cut to `max` characters (…). */
function quoted(text: string, max = 60): string {
  return text.length > max ? `${JSON.stringify(previewText(text, max))}…` : JSON.stringify(text);
}

/** The end of a text, quoted: its last `max` characters (… before them when cut). */
function tail(text: string, max = 40): string {
  return text.length > max ? `…${JSON.stringify(text.slice(-max))}` : JSON.stringify(text);
}

/** bytes: what the program read from (received) or wrote on (sent) a socket. */
export function judgeBytes(cp: Of<'bytes'>, view: ViewState): KindVerdict {
  const socks = socketsOf(view, cp);
  if (socks.length === 0) return { ok: false, detail: vmsg('socket.none', { where: where(cp) }) };
  const side = (s: SocketView) => (cp.side === 'received' ? s.received : s.sent) ?? { text: '', bytes: 0 };
  const holds = (s: SocketView) =>
    (cp.atLeast === undefined || side(s).bytes >= cp.atLeast) &&
    (cp.contains === undefined || side(s).text.includes(cp.contains));
  const best =
    socks.find(holds) ?? socks.reduce((x, y) => (side(y).bytes > side(x).bytes ? y : x), socks[0]!);
  const { text, bytes } = side(best);
  const wants: VerdictMessage[] = [];
  if (cp.atLeast !== undefined) wants.push(vmsg('want.bytes', { min: cp.atLeast }));
  if (cp.contains !== undefined) wants.push(vmsg('want.text', { text: JSON.stringify(cp.contains) }));
  // Bytes past those kept as text end the quote in … as a cut one does (the count goes on).
  const got = text.length <= 60 && bytes > utf8Length(text) ? `${quoted(text)}…` : quoted(text);
  const params = { socket: best.id, n: bytes, got, wants };
  return {
    ok: holds(best),
    detail: vmsg(cp.side === 'received' ? 'bytes.received' : 'bytes.sent', params),
  };
}

/** output: what the program printed contains a text (on its stream, or on either). */
export function judgeOutput(cp: Of<'output'>, view: ViewState): KindVerdict {
  const a = own(view.actors, cp.actor);
  if (!a) return { ok: false, detail: vmsg('actor.missing', { id: cp.actor }) };
  const on = (stream: 'stdout' | 'stderr') =>
    a.output
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('');
  // Each stream on its own: a text never spans stdout and stderr.
  const streams = cp.stream ? [on(cp.stream)] : [on('stdout'), on('stderr')];
  const text = JSON.stringify(cp.contains);
  const ok = streams.some((t) => t.includes(cp.contains));
  const stream = cp.stream;
  if (ok)
    return {
      ok,
      detail: stream
        ? vmsg('output.containsOn', { actor: cp.actor, stream, text })
        : vmsg('output.contains', { actor: cp.actor, text }),
    };
  const all = stream ? streams[0]! : a.output.map((c) => c.text).join('');
  if (all === '')
    return {
      ok,
      detail: stream
        ? vmsg('output.nothingOn', { actor: cp.actor, stream, text })
        : vmsg('output.nothing', { actor: cp.actor, text }),
    };
  return {
    ok,
    detail: stream
      ? vmsg('output.lacksOn', { actor: cp.actor, stream, text, tail: tail(all) })
      : vmsg('output.lacks', { actor: cp.actor, text, tail: tail(all) }),
  };
}

/** programAt: the program is at a line, or at a line whose source contains a text. */
export function judgeProgramAt(cp: Of<'programAt'>, view: ViewState): KindVerdict {
  const a = own(view.actors, cp.actor);
  if (!a) return { ok: false, detail: vmsg('actor.missing', { id: cp.actor }) };
  const actor = cp.actor;
  const lines = (a.program?.source ?? '').split('\n');
  if (cp.text !== undefined) {
    const text = JSON.stringify(cp.text);
    const has = (n: number) => lines[n - 1]?.includes(cp.text!) ?? false;
    if (cp.line !== undefined && a.program && !has(cp.line))
      return { ok: false, detail: vmsg('at.lineLacks', { actor, line: cp.line, text }) };
    if (a.program && !lines.some((l) => l.includes(cp.text!)))
      return { ok: false, detail: vmsg('at.noSuchLine', { actor, text }) };
    if (a.pc === null || !a.program) return { ok: false, detail: vmsg('at.nowhere', { actor }) };
    if (cp.line !== undefined && a.pc !== cp.line)
      return { ok: false, detail: vmsg('at.notLine', { actor, line: a.pc, want: cp.line }) };
    return has(a.pc)
      ? { ok: true, detail: vmsg('at.lineText', { actor, line: a.pc, text }) }
      : { ok: false, detail: vmsg('at.notText', { actor, line: a.pc, text }) };
  }
  if (a.pc === null || !a.program) return { ok: false, detail: vmsg('at.nowhere', { actor }) };
  return a.pc === cp.line
    ? { ok: true, detail: vmsg('at.line', { actor, line: a.pc }) }
    : { ok: false, detail: vmsg('at.notLine', { actor, line: a.pc, want: cp.line! }) };
}

/** programEnded: the program has ended (exited or faulted), with this exit status if one is given. */
export function judgeProgramEnded(cp: Of<'programEnded'>, view: ViewState): KindVerdict {
  const a = own(view.actors, cp.actor);
  if (!a) return { ok: false, detail: vmsg('actor.missing', { id: cp.actor }) };
  const actor = cp.actor;
  // Ended: exited or faulted (a program just loaded and not yet stopped at a line is not).
  const end = a.program !== null && a.current === null ? a.end : null;
  if (!end) return { ok: false, detail: vmsg('program.running', { actor }) };
  if (cp.status === undefined) return { ok: true, detail: vmsg('program.ended', { actor }) };
  if (end.how === 'fault')
    return { ok: false, detail: vmsg('program.faulted', { actor, line: end.line, want: cp.status }) };
  return end.status === cp.status
    ? { ok: true, detail: vmsg('program.exited', { actor, status: end.status }) }
    : { ok: false, detail: vmsg('program.exitedNot', { actor, status: end.status, want: cp.status }) };
}

/** An option's value as C writes it: `1`, or SO_LINGER's `{1, 0}`. */
function optText(v: SockOptValue): string {
  return typeof v === 'number' ? String(v) : `{${v.onoff}, ${v.linger}}`;
}

/** Whether a value turns its option on: not 0 (SO_LINGER: onoff 1). */
function isOn(v: SockOptValue): boolean {
  return typeof v === 'number' ? v !== 0 : v.onoff === 1;
}

/** sockopt: a setsockopt that returned 0 set the option on a socket (to `value`, or on). */
export function judgeSockopt(cp: Of<'sockopt'>, view: ViewState): KindVerdict {
  const socks = socketsOf(view, cp);
  if (socks.length === 0) return { ok: false, detail: vmsg('socket.none', { where: where(cp) }) };
  const want = cp.value;
  const holds = (v: SockOptValue | undefined) =>
    v !== undefined && (want === undefined ? isOn(v) : optText(v) === optText(want));
  const hit = socks.find((s) => holds(s.options?.[cp.opt]));
  const opt = cp.opt;
  if (hit)
    return {
      ok: true,
      detail: vmsg('sockopt.set', { socket: hit.id, opt, value: optText(hit.options![opt]!) }),
    };
  const set = socks.find((s) => s.options?.[opt] !== undefined);
  if (!set) return { ok: false, detail: vmsg('sockopt.notSet', { where: where(cp), opt }) };
  const value = optText(set.options![opt]!);
  return {
    ok: false,
    detail:
      want === undefined
        ? vmsg('sockopt.off', { socket: set.id, opt, value })
        : vmsg('sockopt.other', { socket: set.id, opt, value, want: optText(want) }),
  };
}

/** segmentSeen with `seq` or `ack`: captured segments, numbered relative to the ISNs. */
export function judgeNumberedSegments(cp: Of<'segmentSeen'>, view: ViewState): KindVerdict {
  const flags = cp.flags.join('+');
  const numbered = numberedSegments(view);
  if (numbered.length === 0) return { ok: false, detail: vmsg('segments.noCapture', { flags }) };
  const n = numbered.filter(
    ({ segment: g, seq, ack }) =>
      cp.flags.every((f) => g.flags.includes(f)) &&
      !(cp.not ?? []).some((f) => g.flags.includes(f)) &&
      (cp.minLen === undefined || g.len >= cp.minLen) &&
      sentBy(view, g, cp.from) &&
      (cp.seq === undefined || seq === cp.seq) &&
      (cp.ack === undefined || ack === cp.ack),
  ).length;
  const parts: VerdictMessage[] = [];
  if (cp.not?.length) parts.push(vmsg('seg.not', { not: cp.not.join('/') }));
  if (cp.from !== undefined) parts.push(vmsg('seg.from', { from: cp.from }));
  if (cp.minLen !== undefined) parts.push(vmsg('seg.minLen', { min: cp.minLen }));
  if (cp.seq !== undefined) parts.push(vmsg('seg.seq', { seq: cp.seq }));
  if (cp.ack !== undefined) parts.push(vmsg('seg.ack', { ack: cp.ack }));
  const need = cp.atLeast ?? 1;
  return { ok: n >= need, detail: vmsg('segments.seenNumbered', { n, flags, with: parts, need }) };
}

/** retransmission: a captured segment came again (optionally with these flags, from this actor). */
export function judgeRetransmission(cp: Of<'retransmission'>, view: ViewState): KindVerdict {
  if (!view.segments.some((g) => g.source === 'captured'))
    return { ok: false, detail: vmsg('retrans.noCapture') };
  const n = retransmissions(view).filter(
    (g) => (cp.flags ?? []).every((f) => g.flags.includes(f)) && sentBy(view, g, cp.from),
  ).length;
  const flags = cp.flags?.join('+');
  const from = cp.from;
  const detail =
    flags !== undefined && from !== undefined
      ? vmsg('retrans.seenFlagsFrom', { n, flags, from })
      : flags !== undefined
        ? vmsg('retrans.seenFlags', { n, flags })
        : from !== undefined
          ? vmsg('retrans.seenFrom', { n, from })
          : vmsg('retrans.seen', { n });
  return { ok: n >= 1, detail };
}
