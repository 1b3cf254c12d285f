/**
 * No English in the Chinese window: the whole window, mounted in zh-CN over the classic run
 * (handshake, data, close, TIME_WAIT), with the sandbox, the state diagram, the lessons and a
 * refused command showing, says nothing in English beyond an allowlist of notation (C
 * identifiers and calls, TCP states and flags, errno names, units, addresses) — its visible
 * text, and its titles, labels and placeholders.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { msg, refuse } from '@contract';
import App from '@/App.vue';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import './helpers/c-parser';
import { classicEvents } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';

/** Latin words the Chinese window may show: notation, not English prose. */
const ALLOWED = new Set(
  [
    // The product, units, notation.
    'TCP',
    'Lab',
    'IPv4',
    'IPv6',
    'ms',
    'KiB',
    'MiB',
    'B',
    's',
    'fd',
    'fds',
    'errno',
    'seq',
    'ack',
    'ISN',
    'pcap',
    'JSON',
    'CSV',
    'root',
    'tcpdump',
    'dumpcap',
    'Wireshark',
    'Ctrl',
    'Shift',
    'Enter',
    'Esc',
    'Tab',
    'F5',
    'PID',
    'localhost',
    'nobody',
    'lo',
    'netlink',
    'SIOCINQ',
    'SIOCOUTQ',
    'TCP_INFO',
    'backlog',
    'ss',
    'Recv',
    'Send',
    'Q',
    'RTT',
    // Proper names: systems, tools, and a language's own name in the language menu.
    'Linux',
    'macOS',
    'Windows',
    'Npcap',
    'ChmodBPF',
    'English',
    // The calls' argument names, as the contract (and a refusal's path, args.fd) names them.
    'family',
    'inet',
    'host',
    'data',
    'fill',
    'how',
    'opt',
    'value',
    'cmd',
    'flags',
    'readfds',
    'writefds',
    'timeout',
    // TCP states, flags, segments.
    'CLOSED',
    'LISTEN',
    'SYN_SENT',
    'SYN_RECV',
    'SYN_RECEIVED',
    'ESTABLISHED',
    'FIN_WAIT1',
    'FIN_WAIT2',
    'FIN_WAIT_1',
    'FIN_WAIT_2',
    'CLOSE_WAIT',
    'CLOSING',
    'LAST_ACK',
    'TIME_WAIT',
    'SYN',
    'ACK',
    'FIN',
    'RST',
    'PSH',
    'URG',
    'SYN-ACK',
    'win',
    'len',
  ].map((w) => w.toLowerCase()),
);

/** A word that is C (an identifier with _ or digits, a call, a constant), a path or a number. */
const notation = (w: string) =>
  /^[A-Z0-9_]+$/.test(w) || // SO_REUSEADDR, EAGAIN, AF_INET, POLLIN
  /_/.test(w) || // sockaddr_in, htons_x
  /\d/.test(w) || // client2, 127, ipv4
  // The calls and the C types the panels show (a variable's type, a call's name).
  /^(socket|bind|listen|accept|connect|read|write|recv|send|close|shutdown|poll|select|fcntl|setsockopt|getsockopt|getsockname|getpeername|htons|ntohs|inet_pton|printf|perror|strerror|main|exit|int|char|void|struct|unsigned|long|short|sizeof)$/i.test(
    w,
  );

/**
 * Spans that are notation as a whole: shell commands to type, file names, a key in brackets,
 * the label of Npcap's installer option quoted as it reads.
 */
const SPANS = [
  /sudo [^（）。，；]*/g,
  /"\$\([^)]*\)"/g,
  /[\w.-]*\.(?:c|json|csv|pcap|com)\b/g,
  /\((?:Ctrl\+)?[A-Za-z]\)/g,
  /“Support loopback traffic”/g,
  // An actor's id in brackets after its name (服务器 (server)), text a program read or wrote.
  /\((?:server|client)\d*\)/g,
  /"[^"]*"/g,
  // A call as the program wrote it: read(4, buf, 1024).
  /\b[a-z_]+\([^()]*\)/g,
  // The programs' names (their files' names, given below).
  /\b(?:server|client)-program\b/g,
];

/** English words in `text` that are not notation. */
function english(text: string): string[] {
  for (const span of SPANS) text = text.replace(span, ' ');
  return (text.match(/[A-Za-z][A-Za-z0-9_'’-]*/g) ?? []).filter(
    // A single letter is a key to press (<kbd>s</kbd>) or a C variable.
    (w) => w.length > 1 && !ALLOWED.has(w.toLowerCase()) && !notation(w),
  );
}

/** The English words of the window under `root` (outside the program's own text), each with where it was. */
function englishIn(root: HTMLElement): Record<string, string> {
  // Program text is the student's C (its comments included), and its variables' names, types
  // and values: they are the program, not the window's words.
  const hidden = new Set(
    Array.from(
      root.querySelectorAll(
        '.cm-editor, .cm-content, pre, code, [data-test="console"], [data-test="frame"] .mono',
      ),
    ),
  );
  const found = new Map<string, string>();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    let inside = false;
    for (let p: Node | null = n; p && p !== root; p = p.parentNode)
      if (hidden.has(p as Element)) inside = true;
    if (inside) continue;
    const texts =
      n.nodeType === Node.TEXT_NODE
        ? [n.textContent ?? '']
        : ['title', 'aria-label', 'placeholder', 'alt'].map((a) => (n as Element).getAttribute(a) ?? '');
    for (const t of texts)
      for (const word of english(t)) if (!found.has(word)) found.set(word, t.trim().slice(0, 120));
  }
  return Object.fromEntries(found);
}

describe('the Chinese window', () => {
  it('says nothing in English outside notation', async () => {
    localStorage.clear();
    const pinia = createPinia();
    setActivePinia(pinia);
    const ui = useUiStore();
    ui.setLang('zh-CN');
    ui.dismissHint();
    ui.toggle('sandbox', true);
    ui.toggle('diagram', true);
    ui.toggle('help', true);
    // The fixture is an older trace in two places: its capture reason is English (the engine
    // sends a code now), its programs have prose names (the shipped ones are named by file).
    const events = classicEvents.map((e) =>
      e.type === 'capture.status'
        ? { ...e, reason: msg('capture.noPermission', { iface: 'lo', detail: '' }) }
        : e.type === 'program.loaded'
          ? { ...e, program: { ...e.program, name: `${e.actor}-program` } }
          : e,
    );
    const api = fakeApi(events);
    // The engine refuses the next command as it would: blocked in accept().
    api.answer = () => refuse('refusal.blocked', { actor: 'server', call: 'accept', block: 'no-connection' });
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    await vi.waitFor(() => expect(useLabStore().total).toBe(events.length));
    await useLabStore().command({ type: 'step', actor: 'server' });
    await flushPromises();
    expect(w.get('[data-test="command-error"]').text()).toContain('全连接队列里没有等待的连接');
    // The bundled lessons come after the first paint: the list says when they are in.
    await vi.waitFor(
      () => expect(w.get('[data-test="lesson-list"]').attributes('data-catalog')).toBe('ready'),
      { timeout: 10_000 },
    );

    expect(englishIn(w.element as HTMLElement)).toEqual({});

    // A lesson whose reset the lab refuses says why in Chinese too (the replay's codes).
    await w.get('[data-test="lesson-item-server-setup"]').trigger('click');
    await vi.waitFor(() => expect(w.find('[data-test="lesson-error"]').exists()).toBe(true));
    expect(w.get('[data-test="lesson-error"]').text()).toContain('重置被拒绝了');
    expect(englishIn(w.element as HTMLElement)).toEqual({});
    w.unmount();
  });
});
