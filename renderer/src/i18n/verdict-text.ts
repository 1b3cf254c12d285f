/**
 * Chinese for the live "why not yet" detail of a lesson step: the `detail` that
 * app/contract/lesson.ts `evaluate` writes in English (the lesson check and saved results keep
 * that English). Each sentence of `evaluate` has a pattern here; combined verdicts (any's
 * " | ", all's "; ", "not (…)") are translated part by part. Unknown text gives null, and the
 * window then shows the English as it is. test/renderer/engine-text.test.ts judges real
 * checkpoints on real views and checks every detail has Chinese.
 */
import { zhCN } from './zh-CN';

/** 服务器 / 客户端 / 客户端 2 for an actor id; an unknown id as it is. */
function actorZh(id: string): string {
  if (id === 'server') return '服务器';
  const m = /^client([0-9]*)$/.exec(id);
  return m ? `客户端${m[1] ? ' ' + m[1] : ''}` : id;
}

/** A block reason ('no-connection', …) in the window's words. */
function blockZh(reason: string): string {
  const words = (zhCN as Readonly<Record<string, string>>)[`block.${reason}`];
  return words ?? reason;
}

/** "server fd 3", "server's listening socket", "a socket of client" → Chinese. */
function whereZh(where: string): string | null {
  let m = /^(\S+) fd (\d+)$/.exec(where);
  if (m) return `${actorZh(m[1]!)}的 fd ${m[2]}`;
  m = /^(\S+)'s (listening|connection) socket$/.exec(where);
  if (m) return `${actorZh(m[1]!)}的${m[2] === 'listening' ? '监听套接字' : '连接套接字'}`;
  m = /^a socket of (\S+)$/.exec(where);
  if (m) return `${actorZh(m[1]!)}的套接字`;
  return null;
}

/** "≥ 2 and ≤ 5" → "≥ 2 且 ≤ 5". */
const boundsZh = (b: string) => b.replace(/ and /g, ' 且 ');

/** "s3 ESTABLISHED (kernel CLOSE_WAIT)" → "s3 ESTABLISHED（内核：CLOSE_WAIT）". */
function nowZh(now: string): string {
  return now
    .split(', ')
    .map((p) =>
      p.replace(/ \(kernel (\w+)\)$/, (_, k: string) => `（内核：${k === 'none' ? '已无此连接' : k}）`),
    )
    .join('，');
}

/** "accept() returned -1 EADDRINUSE" → "accept() 返回 -1 EADDRINUSE". */
const gotZh = (got: string) => got.replace(/^(\w+\(\)) returned /, '$1 返回 ');

const EP = String.raw`(\S+)`;

/** One sentence of `evaluate`: a pattern and its Chinese. */
const PATTERNS: ReadonlyArray<readonly [RegExp, (...g: string[]) => string | null]> = [
  [new RegExp(`^no actor ${EP}$`), (a) => `没有名为 ${a} 的程序`],
  [new RegExp(`^${EP} is not blocked$`), (a) => `${actorZh(a)}没有阻塞`],
  [
    new RegExp(String.raw`^${EP} is blocked in (\w+\(\)), not (\w+\(\))$`),
    (a, got, want) => `${actorZh(a)}阻塞在 ${got} 中，而不是 ${want}`,
  ],
  [
    new RegExp(String.raw`^${EP} is blocked for ([\w-]+), not ([\w-]+)$`),
    (a, got, want) => `${actorZh(a)}阻塞的原因是“${blockZh(got)}”，而不是“${blockZh(want)}”`,
  ],
  [
    new RegExp(String.raw`^${EP} is blocked in (\w+\(\)) \(([\w-]+)\)$`),
    (a, call, why) => `${actorZh(a)}阻塞在 ${call} 中（${blockZh(why)}）`,
  ],
  [
    new RegExp(String.raw`^(\S+)'s last returned call is none, not (\w+\(\))$`),
    (a, want) => `${actorZh(a)}还没有返回过调用，要等 ${want} 返回`,
  ],
  [
    new RegExp(String.raw`^(\S+)'s last returned call is (\w+\(\)), not (\w+\(\))$`),
    (a, got, want) => `${actorZh(a)}最近返回的调用是 ${got}，而不是 ${want}`,
  ],
  [
    new RegExp(String.raw`^${EP}: (\w+\(\) returned -?\d+(?: \w+)?), expected (.+)$`),
    (a, got, want) => `${actorZh(a)}：${gotZh(got)}，期望 ${want}`,
  ],
  [
    new RegExp(String.raw`^${EP}: (\w+\(\) returned -?\d+(?: \w+)?)$`),
    (a, got) => `${actorZh(a)}：${gotZh(got)}`,
  ],
  [/^no (.+)$/, (where) => (whereZh(where) ? `还没有${whereZh(where)}` : null)],
  [
    /^(\S+) (passed through|is in) (\w+)( \(kernel confirms\))?$/,
    (s, how, state, k) => `${s} ${how === 'is in' ? '处于' : '经历过'} ${state}${k ? '（内核已确认）' : ''}`,
  ],
  [
    /^(.+?) not (yet through|in) (\w+)( confirmed by the kernel)?: (.+)$/,
    (where, how, state, k, now) => {
      const w = whereZh(where);
      if (!w) return null;
      const verb =
        how === 'in'
          ? k
            ? `尚未经内核确认处于 ${state}`
            : `不处于 ${state}`
          : `还没有经历 ${state}${k ? '（需内核确认）' : ''}`;
      // "服务器的 fd 3 不处于 …": a space between the fd number and the Chinese.
      return `${w}${/\w$/.test(w) ? ' ' : ''}${verb}：目前 ${nowZh(now)}`;
    },
  ],
  [
    /^(\S+) (recv|send) buffer holds (\d+) bytes \(([≥<]) (\d+)\)$/,
    (s, side, n, cmp, want) =>
      `${s} 的${side === 'recv' ? '接收' : '发送'}缓冲区有 ${n} 字节（${cmp} ${want}）`,
  ],
  [
    /^(\d+) segment\(s\) ([A-Z+]+)(?: without ([A-Z/]+))?(?: from (\S+))? seen \(need (\d+)\)$/,
    (n, flags, not, from, need) =>
      `已看到 ${n} 个${from ? `${actorZh(from)}发出的` : ''} ${flags} 报文段${not ? `（不带 ${not}）` : ''}，需要 ${need} 个`,
  ],
  [
    /^(\d+) connection\(s\) waiting in (\S+)'s accept queue \(need (\d+)\)$/,
    (n, a, need) => `${actorZh(a)}的 accept 队列中有 ${n} 个连接在等待，需要 ${need} 个`,
  ],
  [
    /^(\d+) socket\(s\)(?: of (\S+))? in (\w+)( \(kernel confirmed\))?, need (.+)$/,
    (n, a, state, k, b) =>
      `${a ? actorZh(a) : ''}处于 ${state} 的套接字${k ? '（经内核确认）' : ''}有 ${n} 个，需要 ${boundsZh(b)} 个`,
  ],
  [
    /^(\S+) holds (\d+) descriptor\(s\), need (.+)$/,
    (a, n, b) => `${actorZh(a)}持有 ${n} 个描述符，需要 ${boundsZh(b)} 个`,
  ],
  [/^(\S+)'s program has ended$/, (a) => `${actorZh(a)}的程序已结束`],
  [/^(\S+)'s program is still running$/, (a) => `${actorZh(a)}的程序仍在运行`],
];

/** One sentence, without combinators. */
function sentenceZh(text: string): string | null {
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const out = zh(...m.slice(1).map((g) => g ?? ''));
      if (out !== null) return out;
    }
  }
  return null;
}

/**
 * The Chinese for a verdict detail, or null when some part of it is not a sentence the window
 * knows (the caller then shows the English).
 */
export function verdictDetailZh(detail: string): string | null {
  const not = /^not \((.*)\)$/.exec(detail);
  if (not) {
    const inner = verdictDetailZh(not[1]!);
    return inner === null ? null : `不应出现：${inner}`;
  }
  for (const [sep, zhSep] of [
    [' | ', '；'],
    ['; ', '；'],
  ] as const) {
    if (detail.includes(sep)) {
      const parts = detail.split(sep).map(verdictDetailZh);
      return parts.every((p) => p !== null) ? parts.join(zhSep) : null;
    }
  }
  return sentenceZh(detail);
}
