/**
 * What the engine explains reaches the window as message codes, said in the window's
 * language: the engine's source holds no sentence (scanned), and the event log, the state
 * diagram, the program pane and the capture status say the codes in English and Chinese.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { msg, reduceAll, type LabEvent } from '@contract';
import CaptureStatus from '@/components/lab/CaptureStatus.vue';
import ProgramView from '@/components/program/ProgramView.vue';
import TcpStateDiagram from '@/components/lab/TcpStateDiagram.vue';
import { describeEvent } from '@/format/describe';
import { translate, type Lang, type MessageKey, type MessageParams } from '@/i18n';
import { useUiStore } from '@/stores/ui';
import './helpers/c-parser';
import { classicEvents, countUntil } from './fixtures/classic';

// The engine's own source as text (Vite's ?raw): what it really writes, not a copy.
const SOURCES = import.meta.glob(
  [
    '../../app/core/*.ts',
    '../../app/core/calls/*.ts',
    '../../app/core/kernel/facts.ts',
    '../../app/core/kernel/traced.ts',
    '../../app/core/blocking/park.ts',
    '../../app/core/capture/capture.ts',
    '../../app/contract/trace.ts',
  ],
  {
    eager: true,
    query: '?raw',
    import: 'default',
  },
) as Record<string, string>;
/** The source of `p` (a path from the repository root). */
function read(p: string): string {
  const text = SOURCES[`../../${p}`];
  if (text === undefined) throw new Error(`source not found: ${p}`);
  return text;
}

/** A string literal of the source: plain text, or a template with its `${…}` expressions. */
interface Literal {
  /** Text between the quotes; a template keeps `${expr}` as written. */
  text: string;
  /** The 1-based line it starts on. */
  line: number;
}

/**
 * Every string literal in a TypeScript source, skipping comments and regular expressions.
 * Adjacent literals joined with `+` across lines are one literal (the capture help texts).
 */
function literals(source: string): Literal[] {
  const src = source.replace(/(['"])\s*\+\s*\n\s*(['"])/g, (m, a: string, b: string) => (a === b ? '' : m));
  const out: Literal[] = [];
  const lineAt = (i: number) => src.slice(0, i).split('\n').length;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          text += src[j + 1];
          j += 2;
        } else text += src[j++];
      }
      out.push({ text, line: lineAt(i) });
      i = j + 1;
    } else if (c === '`') {
      const start = i;
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '`') {
        if (src[j] === '\\') {
          text += src[j + 1];
          j += 2;
        } else if (src[j] === '$' && src[j + 1] === '{') {
          // The expression, nested templates and braces included.
          let depth = 1;
          let k = j + 2;
          let inner = 0;
          while (k < src.length && depth > 0) {
            const ch = src[k]!;
            if (ch === '`') inner = inner ? 0 : 1;
            if (!inner && ch === '{') depth++;
            if (!inner && ch === '}') depth--;
            if (inner && ch === '$' && src[k + 1] === '{') depth++;
            if (inner && ch === '}') depth--;
            k++;
          }
          text += '${' + src.slice(j + 2, k - 1) + '}';
          j = k;
        } else text += src[j++];
      }
      out.push({ text, line: lineAt(start) });
      i = j + 1;
    } else if (c === '/' && /(?:[=(,:!&|?]|return)\s*$/.test(src.slice(Math.max(0, i - 8), i))) {
      // A regular expression literal.
      let j = i + 1;
      let cls = false;
      while (j < src.length && (src[j] !== '/' || cls)) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        j++;
      }
      i = j + 1;
    } else i++;
  }
  return out;
}

/** Literals that are not text for a person: module names, a filter, a path, a thrown error. */
const NOT_SHOWN = new Set([
  'tcp and (net 127.0.0.0/8 or host ::1)',
  'C:\\Program Files\\Wireshark',
  'no free port on ${host}: ${r.detail}',
]);

/** Sentence-like: two words at least (short causes are collected from their call sites). */
const sentenceLike = (t: string) =>
  !t.startsWith('node:') && /[a-z]{2,}[ ,:]+[a-z(]{2,}/i.test(t.replace(/\$\{[^}]*\}/g, ''));

/** The engine's files whose explanations are message codes (app/contract/messages.ts). */
const CODED = [
  'app/core/engine.ts',
  'app/core/calls/setup.ts',
  'app/core/calls/data.ts',
  'app/core/calls/close.ts',
  'app/core/calls/options.ts',
  'app/core/calls/poll.ts',
  'app/core/calls/result.ts',
  'app/core/kernel/facts.ts',
  'app/core/kernel/traced.ts',
  'app/core/buffers.ts',
  'app/core/segments.ts',
  'app/core/blocking/park.ts',
  'app/core/net-util.ts',
  'app/core/event-log.ts',
  'app/core/tcp-state.ts',
  'app/core/capture/capture.ts',
];

/** Sentence-like literals of `files`, with where they are. */
function sentencesIn(files: string[]): { file: string; line: number; text: string }[] {
  const found: { file: string; line: number; text: string }[] = [];
  for (const file of files) {
    for (const l of literals(read(file))) {
      if (sentenceLike(l.text) && !NOT_SHOWN.has(l.text)) found.push({ file, ...l });
    }
  }
  return found;
}

describe('the engine writes no sentence', () => {
  it('its explanations are message codes (app/contract/messages.ts), said by the window', () => {
    // The scan finds sentences where there are some: the contract's own docs have plenty.
    expect(sentencesIn(['app/contract/trace.ts']).length).toBeGreaterThan(0);
    expect(sentencesIn(CODED).map((s) => `${s.file}:${s.line} ${s.text}`)).toEqual([]);
  });
});

describe('the event log speaks the window language', () => {
  const t = (lang: Lang) => (key: MessageKey, params?: MessageParams) => translate(lang, key, params);
  const base = { seq: 1, t: 0 };
  const calls = new Map();
  const events: LabEvent[] = [
    {
      ...base,
      type: 'socket.state',
      socket: 's2',
      from: 'ESTABLISHED',
      to: 'CLOSE_WAIT',
      cause: msg('cause.finReceived'),
      source: 'kernel',
    },
    {
      ...base,
      type: 'socket.state',
      socket: 's2',
      from: 'CLOSE_WAIT',
      to: 'LAST_ACK',
      cause: msg('cause.close'),
      source: 'inferred',
    },
    {
      ...base,
      type: 'call.returned',
      actor: 'server',
      callId: 'c1',
      call: 'bind',
      ret: -1,
      errno: 'EADDRINUSE',
      detail: msg('note.inUse', { at: '127.0.0.1:38633', socket: 's30' }),
    },
    { ...base, type: 'lab.notice', level: 'warning', text: msg('notice.tableFailed', { error: 'EMFILE' }) },
    {
      ...base,
      type: 'capture.status',
      status: 'unavailable',
      tool: 'tcpdump',
      reason: msg('capture.noPermission', { iface: 'lo', detail: '' }),
    },
  ] as LabEvent[];

  it('in Chinese', () => {
    const lines = events.map((e) => describeEvent(e, t('zh-CN'), calls));
    expect(lines[0]).toBe('套接字 s2：ESTABLISHED → CLOSE_WAIT（收到 FIN，回复 ACK）');
    expect(lines[1]).toBe(
      '套接字 s2：CLOSE_WAIT → LAST_ACK（close() 发出 FIN）—— 推断所得，没有内核来源看到',
    );
    expect(lines[2]).toContain('127.0.0.1:38633 已被实验中的套接字 s30 占用');
    expect(lines[3]).toContain('读取内核套接字表失败（将看不到已关闭套接字的状态）：EMFILE');
    expect(lines[4]).toContain('没有在 lo 上抓包的权限');
  });

  it('in English, word for word as the engine wrote it', () => {
    const lines = events.map((e) => describeEvent(e, t('en'), calls));
    expect(lines[0]).toBe('socket s2: ESTABLISHED → CLOSE_WAIT (FIN received, ACK sent)');
    expect(lines[1]).toBe(
      'socket s2: CLOSE_WAIT → LAST_ACK (close(): FIN sent) — inferred, no kernel source saw it',
    );
    expect(lines[2]).toContain('(127.0.0.1:38633 is already in use by lab socket s30)');
    expect(lines[3]).toContain("Reading the kernel's socket table failed");
    expect(lines[4]).toContain('no permission to capture on lo');
  });
});

describe('components show the engine text in the window language', () => {
  beforeEach(() => setActivePinia(createPinia()));
  const mountOpts = () => ({ global: { plugins: [createPinia()] } });

  it('the state diagram and the last call, from the classic flow', () => {
    const view = reduceAll(
      classicEvents,
      countUntil((e) => e.type === 'call.returned' && e.call === 'listen'),
    );
    for (const lang of ['en', 'zh-CN'] as const) {
      const opts = mountOpts();
      setActivePinia(opts.global.plugins[0]!);
      useUiStore().setLang(lang);
      const diagram = mount(TcpStateDiagram, { props: { view }, ...opts })
        .get('[data-test="last-transition"]')
        .text();
      expect(diagram).toContain(lang === 'en' ? '(server s1: listen())' : '服务器 s1：调用 listen()');
    }
  });

  it('ProgramView: the last call detail in Chinese', () => {
    const view = reduceAll(classicEvents, classicEvents.length);
    const actor = {
      ...view.actors.client!,
      last: {
        callId: 'x',
        call: { call: 'close', args: { fd: 3 } },
        ret: 0,
        errno: null,
        detail: msg('note.unreadRst', { n: 12 }),
        line: null,
      },
    } as never;
    useUiStore().setLang('zh-CN');
    const w = mount(ProgramView, { props: { actor } });
    expect(w.get('[data-test="last-return"]').text()).toContain(
      '还有 12 字节没读，所以内核发出的是 RST 而不是 FIN',
    );
  });

  it('CaptureStatus: the reason in Chinese, the engine words in English', () => {
    const capture = {
      status: 'unavailable' as const,
      tool: 'tcpdump',
      reason: msg('capture.noPermission', {
        iface: 'lo',
        detail: "tcpdump: lo: You don't have permission to perform this capture on that device",
      }),
    };
    useUiStore().setLang('zh-CN');
    const zh = mount(CaptureStatus, { props: { capture } }).get('[data-test="capture-text"]').text();
    expect(zh).toBe(
      "推断所得——无法抓包：没有在 lo 上抓包的权限（tcpdump: lo: You don't have permission to perform this capture on that device）",
    );
    useUiStore().setLang('en');
    const en = mount(CaptureStatus, { props: { capture } }).get('[data-test="capture-text"]').text();
    expect(en).toBe(
      "inferred — capture unavailable: no permission to capture on lo (tcpdump: lo: You don't have permission to perform this capture on that device)",
    );
  });
});
