/**
 * Chinese for the one free text the engine still writes in English: the `reason` of
 * `capture.status` (app/core/capture/capture.ts). Everything else the engine explains is a
 * message code (app/contract/messages.ts, said by i18n/say.ts); a string from an older trace
 * is shown as it was written.
 *
 * Each sentence is an exact string or a pattern whose captured numbers, addresses and names
 * are carried into the Chinese. test/renderer/engine-text.test.ts reads capture.ts and fails
 * when a sentence there has no rendering here.
 */
import type { Lang, MessageKey, MessageParams } from './index';
import { zhCN } from './zh-CN';

/** Free text the engine may embed in a sentence (a cause inside a cause, a help text). */
function sub(text: string): string {
  return engineTextZh(text) ?? text;
}

/** "exit 1" → "退出码 1"; a signal name stays as it is. */
function exitZh(s: string): string {
  const m = /^exit (.+)$/.exec(s);
  return m ? `退出码 ${m[1]}` : s;
}

/** Sentences the engine writes word for word. */
const EXACT: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // How to enable capture (app/core/capture/capture.ts captureHelp), appended to reasons.
    'To enable it on Linux: install tcpdump (sudo apt-get install tcpdump) and allow it to capture (sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v tcpdump)"), or install Wireshark\'s dumpcap and join the wireshark group (sudo usermod -aG wireshark "$USER", then log in again).': `在 Linux 上开启抓包：${zhCN['capture.how.linux']}`,
    'To enable it on macOS: install Wireshark with its ChmodBPF package (it lets the access_bpf group capture) and log in again; tcpdump ships with macOS.': `在 macOS 上开启抓包：${zhCN['capture.how.macos']}`,
    'To enable it on Windows: install Npcap (npcap.com) with "Support loopback traffic" checked, and Wireshark, which provides dumpcap.': `在 Windows 上开启抓包：${zhCN['capture.how.windows']}`,
    "Install tcpdump or Wireshark's dumpcap and allow your user to capture on the loopback interface.":
      '请安装 tcpdump 或 Wireshark 的 dumpcap，并允许当前用户在环回接口上抓包。',
  }),
);

/** Sentences with numbers, addresses or names in them: a pattern and its Chinese. */
const PATTERNS: ReadonlyArray<readonly [RegExp, (...g: string[]) => string]> = [
  // Capture reasons (app/core/capture/capture.ts); the help after them is optional because the
  // window shows that advice separately.
  [
    /^No capture tool found \(tcpdump or dumpcap\)\.(?: ([\s\S]*))?$/,
    (help) => `找不到抓包工具（tcpdump 或 dumpcap）。${help ? sub(help) : ''}`,
  ],
  [
    /^(tcpdump|dumpcap) was not found \((.*?)\)(?:\.(?: ([\s\S]*))?)?$/,
    (tool, path, help) => `找不到 ${tool}（${path}）。${help ? sub(help) : ''}`,
  ],
  [
    /^(tcpdump|dumpcap) could not start \((.*?)\)(?:\.(?: ([\s\S]*))?)?$/,
    (tool, err, help) => `${tool} 无法启动（${err}）。${help ? sub(help) : ''}`,
  ],
  [/^Unreadable capture output: ([\s\S]*)$/, (e) => `无法解析抓包输出：${e}`],
  [
    /^(tcpdump|dumpcap) stopped \((.*?)\)(?:: ([\s\S]*?))?\. Segments are inferred from now on\.$/,
    (tool, how, d) => `${tool} 已停止（${exitZh(how ?? '')}）${d ? `：${d}` : ''}。此后的报文段为推断所得。`,
  ],
  [
    /^No permission to capture on (\S+)(?: \(([\s\S]*?)\))?\.(?: ([\s\S]*))?$/,
    (iface, d, help) => `没有在 ${iface} 上抓包的权限${d ? `（${d}）` : ''}。${help ? sub(help) : ''}`,
  ],
  [
    /^(tcpdump|dumpcap) could not capture(?:: ([\s\S]*?)| \((exit [^)]*|\w+)\))?\.(?: ([\s\S]*))?$/,
    (tool, d, code, help) =>
      `${tool} 无法抓包${d ? `：${d}` : code ? `（${exitZh(code)}）` : ''}。${help ? sub(help) : ''}`,
  ],
];

/**
 * The Chinese for a sentence the engine wrote, or null when it is not one the window knows
 * (Node's own error messages, bytes read, a sentence added to the engine later).
 */
export function engineTextZh(text: string): string | null {
  // A Map: a text such as "constructor" is not one of these sentences.
  const exact = EXACT.get(text);
  if (exact !== undefined) return exact;
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(text);
    // Groups that did not take part come back as undefined: the renderers treat them as ''.
    if (m) return zh(...m.slice(1).map((g) => g ?? '')).trim();
  }
  return null;
}

/** An engine sentence in `lang`: the Chinese where known, otherwise the engine's own words. */
export function localizeEngineText(text: string, lang: Lang): string {
  return lang === 'zh-CN' ? (engineTextZh(text) ?? text) : text;
}

/**
 * The same, for code that holds only a translate function (the event log's describeEvent):
 * the dictionary's own 'lang.code' entry says which language `t` speaks.
 */
export function localizeEngineTextWith(
  text: string,
  t: (key: MessageKey, params?: MessageParams) => string,
): string {
  return t('lang.code') === 'zh-CN' ? (engineTextZh(text) ?? text) : text;
}
