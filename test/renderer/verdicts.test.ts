/**
 * Lesson verdicts in both languages: every verdict code has an entry in each catalog (the
 * compiler checks that), each entry uses exactly the code's parameters, the Chinese entry is
 * Chinese; every verdict the bundled lessons' checkpoints and every branch of `evaluate` give
 * along the classic flow is said in Chinese with its numbers and states kept; and the sidebar
 * says the verdict in the window's language.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import {
  initialViewState,
  reduce,
  type Command,
  type CommandResult,
  type LabEvent,
  type LabEventInput,
} from '@contract';
import {
  evaluate,
  verdictText,
  vmsg,
  VERDICT_CODES,
  VERDICT_EN,
  VERDICT_PARAM_KINDS,
  VERDICT_PARAMS,
  type Checkpoint,
  type VerdictCode,
  type VerdictPart,
} from '@contract/lesson';
import { verdictsEn } from '@/i18n/verdicts-en';
import { verdictsZh } from '@/i18n/verdicts-zh';
import { bundledLessonFiles, parseLessonFiles } from '@/lessons/catalog';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { describeVerdict } from '@/lessons/strings';
import { useLessonStore } from '@/stores/lessons';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { classicEvents } from './fixtures/classic';
import { shown } from './helpers/lazy-parts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const CJK = /[\u4e00-\u9fff]/;

describe('verdict catalogs', () => {
  it('use exactly each code’s parameters, in both languages', () => {
    for (const code of VERDICT_CODES) {
      const want = [...VERDICT_PARAMS[code]].sort();
      expect(placeholders(verdictsEn[code]), `en ${code}`).toEqual(want);
      expect(placeholders(verdictsZh[code]), `zh-CN ${code}`).toEqual(want);
      expect(CJK.test(verdictsZh[code]), `zh-CN ${code}`).toBe(true);
    }
    // The window's English is the contract's (what the lesson check and the logs print).
    expect(verdictsEn).toBe(VERDICT_EN);
    // Every parameter kind names a parameter some code has.
    const names = new Set<string>(VERDICT_CODES.flatMap((c) => [...VERDICT_PARAMS[c]]));
    for (const name of Object.keys(VERDICT_PARAM_KINDS)) expect(names.has(name), name).toBe(true);
  });

  it('a verdict is said with its parts, actors and block reasons in the reader’s language', () => {
    const d = vmsg('blocked.wrongReason', {
      actor: 'client2',
      reason: 'recv-empty',
      wantReason: 'send-full',
    });
    expect(verdictText(d)).toBe('client2 is blocked because recv-empty, not because send-full');
    // The window names the actor as its tab does: "client 2".
    expect(describeVerdict(d, 'en')).toBe(
      'client 2 is blocked because the receive buffer is empty, not because the send buffer is full',
    );
    expect(describeVerdict(d, 'zh-CN')).toBe(
      '客户端 2阻塞的原因是“接收缓冲区是空的”，而不是“发送缓冲区已满”',
    );
    const where = vmsg('where.listening', { actor: 'server' });
    const now = [
      vmsg('now.gone', { socket: 's1', state: 'LISTEN' }),
      vmsg('now.kernel', { socket: 's3', state: 'ESTABLISHED', kernel: 'CLOSE_WAIT' }),
    ];
    const notConfirmed = vmsg('socket.notConfirmed', { where, state: 'LISTEN', now });
    expect(verdictText(notConfirmed)).toBe(
      "server's listening socket not in LISTEN confirmed by the kernel: s1 LISTEN (kernel: no longer listed), s3 ESTABLISHED (kernel CLOSE_WAIT)",
    );
    expect(describeVerdict(notConfirmed, 'zh-CN')).toBe(
      '服务器的监听套接字尚未经内核确认处于 LISTEN：目前 s1 处于 LISTEN（内核中已无此连接），s3 处于 ESTABLISHED（内核：CLOSE_WAIT）',
    );
    const fds = vmsg('count.fds', {
      actor: 'server',
      n: 3,
      bounds: vmsg('bounds.between', { min: 1, max: 2 }),
    });
    const queue = vmsg('queue.length', { n: 0, actor: 'server', need: 1 });
    const combined: VerdictPart = { any: [{ not: fds }, { all: [queue, fds] }] };
    expect(verdictText(combined)).toBe(
      "not (server holds 3 descriptor(s), need ≥ 1 and ≤ 2) | 0 connection(s) waiting in server's accept queue (need 1); server holds 3 descriptor(s), need ≥ 1 and ≤ 2",
    );
    // vue-i18n's special '|' (written {'|'} in the window's catalog) joins the alternatives as it is.
    expect(describeVerdict(combined, 'en')).toBe(verdictText(combined));
    expect(describeVerdict(combined, 'zh-CN')).toBe(
      '不应出现：服务器持有 3 个描述符，需要1 到 2 个；或：服务器的全连接队列中有 0 个连接在等待，需要 1 个；服务器持有 3 个描述符，需要1 到 2 个',
    );
    // A list of parts (what a segment must carry, what bytes must hold) joins in each language.
    const numbered = vmsg('segments.seenNumbered', {
      n: 0,
      flags: 'FIN',
      with: [vmsg('seg.from', { from: 'client2' }), vmsg('seg.seq', { seq: 6 }), vmsg('seg.ack', { ack: 1 })],
      need: 1,
    });
    expect(verdictText(numbered)).toBe(
      '0 captured segment(s) FIN with from client2, relative seq 6, relative ack 1 seen (need 1)',
    );
    expect(describeVerdict(numbered, 'zh-CN')).toBe(
      '已捕获 0 个 FIN 报文段（由客户端 2发出，相对序号 6，相对确认号 1），需要 1 个',
    );
    const bytes = vmsg('bytes.received', {
      socket: 's3',
      n: 5,
      got: '"hello"',
      wants: [vmsg('want.bytes', { min: 6 }), vmsg('want.text', { text: '"hello"' })],
    });
    expect(describeVerdict(bytes, 'en')).toBe(
      's3: the program read 5 byte(s) "hello", need ≥ 6 bytes, the text "hello"',
    );
    expect(describeVerdict(bytes, 'zh-CN')).toBe(
      's3：程序读到 5 字节 "hello"，需要至少 6 字节，含有文本 "hello"',
    );
    // A parameter named like an object's own property is still only a parameter.
    expect(verdictText({ code: 'program.ended', params: { constructor: 1 } } as never)).toBe(
      "{actor}'s program has ended",
    );
  });
});

describe('every verdict of evaluate in both languages', () => {
  /** Every verdict the bundled lessons' checkpoints give along the classic flow, plus every branch of evaluate. */
  function verdicts(): VerdictPart[] {
    const out = new Map<string, VerdictPart>();
    const lessons = parseLessonFiles(bundledLessonFiles()).flatMap((e) => (e.lesson ? [e.lesson] : []));
    const checkpoints: Checkpoint[] = lessons.flatMap((l) => l.steps.map((s) => s.checkpoint));
    expect(checkpoints.length).toBeGreaterThan(20);
    // Every branch of evaluate, so codes no bundled lesson reaches are covered too.
    const extra: Checkpoint[] = [
      { kind: 'actorBlocked', actor: 'nobody' },
      { kind: 'actorBlocked', actor: 'server', call: 'read' },
      { kind: 'actorBlocked', actor: 'server', reason: 'send-full' },
      { kind: 'actorBlocked', actor: 'client' },
      { kind: 'actorReturned', actor: 'nobody', call: 'read' },
      { kind: 'actorReturned', actor: 'server', call: 'close' },
      { kind: 'actorReturned', actor: 'server', call: 'bind', ret: -1 },
      { kind: 'actorReturned', actor: 'server', call: 'bind', retAtLeast: 7 },
      { kind: 'actorReturned', actor: 'server', call: 'bind', errno: 'EADDRINUSE' },
      { kind: 'socketState', actor: 'client2', state: 'LISTEN' },
      { kind: 'socketState', actor: 'server', fd: 9, state: 'LISTEN' },
      { kind: 'socketState', actor: 'server', role: 'connection', state: 'TIME_WAIT' },
      { kind: 'socketState', actor: 'server', role: 'listening', state: 'CLOSED', kernelConfirmed: true },
      { kind: 'socketState', actor: 'server', state: 'SYN_RECEIVED', ever: true },
      { kind: 'socketState', actor: 'server', state: 'LISTEN', ever: true },
      { kind: 'socketState', actor: 'server', state: 'LISTEN', kernelConfirmed: true },
      { kind: 'socketState', actor: 'server', state: 'LISTEN' },
      { kind: 'buffer', actor: 'client', side: 'send', atLeast: 1 << 20 },
      { kind: 'buffer', actor: 'server', role: 'connection', side: 'recv', atLeast: 1 },
      { kind: 'buffer', actor: 'client2', side: 'recv', atLeast: 1 },
      { kind: 'segmentSeen', flags: ['SYN'] },
      { kind: 'segmentSeen', flags: ['SYN'], not: ['ACK', 'RST'] },
      { kind: 'segmentSeen', flags: ['SYN'], from: 'client' },
      { kind: 'segmentSeen', flags: ['SYN'], not: ['ACK', 'RST'], from: 'client', atLeast: 2 },
      { kind: 'segmentSeen', flags: ['FIN', 'ACK'] },
      { kind: 'queueLength', actor: 'server', atLeast: 3 },
      { kind: 'countSockets', state: 'CLOSE_WAIT', atLeast: 3 },
      { kind: 'countSockets', state: 'ESTABLISHED', atMost: 0, kernelConfirmed: true },
      { kind: 'countSockets', actor: 'server', state: 'CLOSE_WAIT', atLeast: 1 },
      {
        kind: 'countSockets',
        actor: 'server',
        state: 'ESTABLISHED',
        atLeast: 1,
        atMost: 2,
        kernelConfirmed: true,
      },
      { kind: 'fdCount', actor: 'server', atMost: 1 },
      { kind: 'fdCount', actor: 'nobody', atLeast: 1 },
      // Not a valid lesson checkpoint (the schema wants a bound), but evaluate still says something.
      { kind: 'fdCount', actor: 'server' },
      { kind: 'programEnded', actor: 'server' },
      { kind: 'programEnded', actor: 'nobody' },
      {
        kind: 'all',
        of: [
          { kind: 'programEnded', actor: 'server' },
          { kind: 'fdCount', actor: 'server', atLeast: 0 },
        ],
      },
      {
        kind: 'any',
        of: [
          { kind: 'programEnded', actor: 'server' },
          { kind: 'queueLength', actor: 'server', atLeast: 3 },
        ],
      },
      { kind: 'not', of: { kind: 'fdCount', actor: 'server', atLeast: 0 } },
      // The newer kinds, over the events after the flow (an option, bytes, output, captured segments, a fault).
      { kind: 'queueLength', actor: 'server', atLeast: 1, atMost: 1 },
      { kind: 'bytes', actor: 'server', fd: 3, side: 'received', contains: 'ping' },
      { kind: 'bytes', actor: 'server', fd: 3, side: 'sent', atLeast: 1 },
      { kind: 'bytes', actor: 'server', fd: 3, side: 'sent', atLeast: 2, contains: 'pong' },
      { kind: 'bytes', actor: 'client2', side: 'sent', atLeast: 1 },
      { kind: 'output', actor: 'server', contains: 'listening' },
      { kind: 'output', actor: 'server', contains: 'listening', stream: 'stdout' },
      { kind: 'output', actor: 'server', contains: 'oops', stream: 'stderr' },
      { kind: 'output', actor: 'server', contains: 'never' },
      { kind: 'output', actor: 'server', contains: 'never', stream: 'stdout' },
      { kind: 'output', actor: 'nobody', contains: 'x' },
      { kind: 'programAt', actor: 'server', line: 13 },
      { kind: 'programAt', actor: 'server', text: 'accept(' },
      { kind: 'programAt', actor: 'server', text: 'select(' },
      { kind: 'programAt', actor: 'server', line: 1, text: 'accept(' },
      { kind: 'programAt', actor: 'client', line: 1 },
      { kind: 'programAt', actor: 'nobody', line: 1 },
      { kind: 'programEnded', actor: 'client', status: 0 },
      { kind: 'programEnded', actor: 'client', status: 2 },
      { kind: 'programEnded', actor: 'server', status: 0 },
      { kind: 'programEnded', actor: 'nobody', status: 0 },
      { kind: 'sockopt', actor: 'server', fd: 3, opt: 'SO_REUSEADDR' },
      { kind: 'sockopt', actor: 'server', fd: 3, opt: 'SO_REUSEADDR', value: 0 },
      { kind: 'sockopt', actor: 'server', fd: 9, opt: 'SO_REUSEADDR' },
      { kind: 'segmentSeen', flags: ['SYN', 'ACK'], ack: 1 },
      { kind: 'segmentSeen', flags: ['SYN'], not: ['ACK'], from: 'client', minLen: 0, seq: 0, ack: 0 },
      { kind: 'retransmission' },
      { kind: 'retransmission', flags: ['SYN'] },
      { kind: 'retransmission', from: 'client' },
      { kind: 'retransmission', flags: ['SYN'], from: 'client' },
    ];
    checkpoints.push(...extra);
    let view = initialViewState();
    const views = [view];
    // After the flow: a bind that fails, and the kernel no longer listing the listening socket.
    const after: LabEvent[] = [
      { type: 'call.started', actor: 'server', callId: 'x1', call: { call: 'bind', args: { fd: 3 } } },
      { type: 'call.returned', actor: 'server', callId: 'x1', call: 'bind', ret: -1, errno: 'EADDRINUSE' },
      { type: 'socket.kernel', socket: 's1', state: null, sendQ: 0, recvQ: 0, timerMs: null },
      // An option turned off, then on; bytes each way with their text; output on both streams.
      {
        type: 'call.started',
        actor: 'server',
        callId: 'x2',
        call: { call: 'setsockopt', args: { fd: 3, opt: 'SO_REUSEADDR', value: 0 } },
      },
      { type: 'call.returned', actor: 'server', callId: 'x2', call: 'setsockopt', ret: 0 },
      {
        type: 'call.started',
        actor: 'server',
        callId: 'x3',
        call: { call: 'setsockopt', args: { fd: 3, opt: 'SO_REUSEADDR', value: 1 } },
      },
      { type: 'call.returned', actor: 'server', callId: 'x3', call: 'setsockopt', ret: 0 },
      {
        type: 'call.started',
        actor: 'server',
        callId: 'x4',
        call: { call: 'read', args: { fd: 3, max: 9 } },
      },
      { type: 'call.returned', actor: 'server', callId: 'x4', call: 'read', ret: 4, out: { data: 'ping' } },
      {
        type: 'call.started',
        actor: 'server',
        callId: 'x5',
        call: { call: 'write', args: { fd: 3, data: 'pong', bytes: 4 } },
      },
      { type: 'call.returned', actor: 'server', callId: 'x5', call: 'write', ret: 4, out: { data: 'pong' } },
      { type: 'program.output', actor: 'server', stream: 'stdout', text: 'listening on 5000\n' },
      { type: 'program.output', actor: 'server', stream: 'stderr', text: 'oops\n' },
      // Captured segments: a SYN, sent again, and the SYN-ACK.
      ...[['SYN'], ['SYN'], ['SYN', 'ACK']].map((flags, i) => ({
        type: 'segment',
        source: 'captured',
        src: { host: '127.0.0.1', port: i < 2 ? 40001 : 5000 },
        dst: { host: '127.0.0.1', port: i < 2 ? 5000 : 40001 },
        from: i < 2 ? 's2' : 's3',
        to: null,
        flags,
        seqNo: i < 2 ? 100 : 900,
        ackNo: i < 2 ? null : 101,
        len: 0,
        win: 1000,
        options: [],
        tsUs: i,
      })),
      { type: 'program.ended', actor: 'server', end: { how: 'fault', line: 13, text: 'fault' } },
    ].map((e, i) => ({ ...e, seq: classicEvents.length + i + 1, t: 2e12 + i }) as LabEvent);
    for (const e of [...classicEvents, ...after]) views.push((view = reduce(view, e)));
    for (const v of views)
      for (const cp of checkpoints) {
        const d = evaluate(cp, v).detail;
        out.set(JSON.stringify(d), d);
      }
    return [...out.values()];
  }

  /** The codes a verdict uses, its nested parts included. */
  function codesOf(p: VerdictPart, into: Set<VerdictCode>): Set<VerdictCode> {
    if ('all' in p) p.all.forEach((x) => codesOf(x, into));
    else if ('any' in p) p.any.forEach((x) => codesOf(x, into));
    else if ('not' in p) codesOf(p.not, into);
    else {
      into.add(p.code);
      for (const v of Object.values((p.params ?? {}) as Record<string, unknown>))
        for (const x of Array.isArray(v) ? v : [v])
          if (typeof x === 'object' && x !== null) codesOf(x as VerdictPart, into);
    }
    return into;
  }

  it('reach every code, and each says its numbers and states in Chinese', () => {
    const all = verdicts();
    expect(all.length).toBeGreaterThan(60);
    const seen = new Set<VerdictCode>();
    for (const d of all) codesOf(d, seen);
    expect(VERDICT_CODES.filter((c) => !seen.has(c))).toEqual([]);
    const wrong: string[] = [];
    for (const d of all) {
      const en = verdictText(d);
      const zh = describeVerdict(d, 'zh-CN');
      const window = describeVerdict(d, 'en');
      if (!CJK.test(zh) || /[{}]/.test(zh) || /[{}]/.test(en) || /[{}]/.test(window))
        wrong.push(`${en} → ${zh} / ${window}`);
      for (const fact of [
        ...(en.match(/\b\d+\b/g) ?? []),
        ...(en.match(/\b[A-Z]{2,}(?:_[A-Z0-9]+)*\b/g) ?? []),
      ])
        if (!zh.includes(fact)) wrong.push(`${en}: "${fact}" lost in ${zh}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the sidebar says the verdict', () => {
  it('in the window language while the step waits', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const pinia = createPinia();
      setActivePinia(pinia);
      useUiStore().setLang(lang);
      const lab = useLabStore();
      // A lab that answers reset with the events a reset emits (the lesson starts from a reset).
      let seq = 0;
      lab.attach({
        async command(cmd: Command): Promise<CommandResult> {
          if (cmd.type === 'reset') {
            const evs: LabEventInput[] = [{ type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' }];
            for (const actor of ['server', 'client'] as const) {
              evs.push({ type: 'actor.added', actor, kind: actor });
              const program = cmd.programs?.[actor];
              if (program) evs.push({ type: 'program.loaded', actor, program });
            }
            lab.append(evs.map((e) => ({ ...e, seq: ++seq, t: seq }) as LabEvent));
          }
          return { ok: true };
        },
        ready: async () => [],
        onEvents: () => () => {},
      });
      const lessons = useLessonStore();
      expect(await lessons.start('server-setup')).toBe(true);
      expect(lessons.status).toBe('working');
      const detail = lessons.verdict!.detail;
      const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
      await shown(w, '[data-test="lesson-verdict"]');
      const text = w.get('[data-test="lesson-verdict"]').text();
      if (lang === 'en') expect(text).toBe(`Now: ${describeVerdict(detail, 'en')}`);
      else expect(text).toBe(`当前：${describeVerdict(detail, 'zh-CN')}`);
      expect(text).toMatch(lang === 'en' ? /^Now: / : CJK);
      w.unmount();
    }
  });
});
