/**
 * Chinese for the free text the engine writes: the `cause` of `socket.state`, the `detail` of
 * `call.returned`, `lab.notice` texts and the `reason` of `capture.status`.
 *
 * The engine writes English and keeps it that way (the log and saved traces stay English, the
 * contract is unchanged); the window translates what it recognises and shows anything else as
 * it is. Each sentence is either an exact string or a pattern whose captured numbers,
 * addresses and names are carried into the Chinese. test/renderer/engine-text.test.ts reads
 * the engine's source and fails when a sentence there has no rendering here.
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
    // Causes of state transitions (app/core/tcp-state.ts INPUT_CAUSE and engine.ts).
    'listen()': '调用 listen()',
    'connect(): SYN sent': 'connect() 发出 SYN',
    'SYN received, SYN-ACK sent': '收到 SYN，回复 SYN-ACK',
    'SYN-ACK received, ACK sent': '收到 SYN-ACK，回复 ACK',
    'ACK received': '收到 ACK',
    'close(): FIN sent': 'close() 发出 FIN',
    'FIN received, ACK sent': '收到 FIN，回复 ACK',
    'ACK of FIN received': '对方确认了 FIN',
    RST: 'RST 复位',
    'TIME_WAIT timer expired': 'TIME_WAIT 计时结束',
    'TIME_WAIT timer expired (2MSL)': '2MSL 的 TIME_WAIT 计时结束',
    'close()': '调用 close()',
    'close() during the handshake': '握手尚未完成时调用了 close()',
    'listener closed: RST sent': '监听套接字已关闭，发出 RST',
    'FIN received': '收到 FIN',
    'FIN received (kernel table)': '内核套接字表显示已收到 FIN',
    'ACK of FIN received (kernel table)': '内核套接字表显示 FIN 已被确认',
    'RST received': '收到 RST',
    'RST received (kernel table)': '内核套接字表显示已收到 RST',
    'RST received: connection refused': '收到 RST：连接被拒绝',
    'the kernel dropped the connection': '内核已丢弃这个连接',

    // Details of returned calls.
    'interrupted: the blocked call returned -1 EINTR': '被中断：阻塞中的调用返回 -1，errno 为 EINTR',
    'the socket is already bound': '这个套接字已经绑定过地址',
    'the lab was reset': '实验环境已重置',
    'already listening; backlog updated': '已经在监听，只更新了 backlog',
    'a connected socket cannot listen': '已连接的套接字不能再调用 listen()',
    'the socket was closed meanwhile': '套接字在此期间已被关闭',
    'accept() needs a listening socket: call listen() first':
      'accept() 需要一个监听套接字：请先调用 listen()',
    'the listening socket was closed': '监听套接字已被关闭',
    'new connection': '新连接',
    'a listening socket cannot connect': '监听套接字不能发起 connect()',
    'a connect() is already in progress': '已有一个 connect() 正在进行',
    'the socket is already connected': '这个套接字已经连接',
    'the socket is not connected': '这个套接字尚未连接',
    'shutdown(SHUT_RD) was called: read returns 0': '已调用 shutdown(SHUT_RD)，所以 read 返回 0',
    'end of stream: the peer sent FIN': '数据流结束：对方发来了 FIN',
    'the peer reset the connection (RST)': '对方用 RST 重置了连接',
    'the connection is gone': '连接已经不存在',
    'this side already sent FIN (shutdown or close): writing is EPIPE':
      '本端已经用 shutdown 或 close 发出 FIN，再写入只会得到 EPIPE',
    'the connection was reset: writing is EPIPE': '连接已被重置，再写入只会得到 EPIPE',
    'the connection broke while writing': '写入时连接断开了',
    'the socket was closed while writing': '写入时套接字被关闭了',
    'the connection was reset by the peer': '连接已被对方重置',
    'other descriptors still refer to the socket': '还有其他描述符指向这个套接字，连接不受影响',

    // How to enable capture (app/core/capture/capture.ts captureHelp), appended to reasons.
    'To enable it on Linux: install tcpdump (sudo apt-get install tcpdump) and allow it to capture (sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v tcpdump)"), or install Wireshark\'s dumpcap and join the wireshark group (sudo usermod -aG wireshark "$USER", then log in again).': `在 Linux 上开启抓包：${zhCN['capture.how.linux']}`,
    'To enable it on macOS: install Wireshark with its ChmodBPF package (it lets the access_bpf group capture) and log in again; tcpdump ships with macOS.': `在 macOS 上开启抓包：${zhCN['capture.how.macos']}`,
    'To enable it on Windows: install Npcap (npcap.com) with "Support loopback traffic" checked, and Wireshark, which provides dumpcap.': `在 Windows 上开启抓包：${zhCN['capture.how.windows']}`,
    "Install tcpdump or Wireshark's dumpcap and allow your user to capture on the loopback interface.":
      '请安装 tcpdump 或 Wireshark 的 dumpcap，并允许当前用户在环回接口上抓包。',
  }),
);

/** An endpoint as the engine writes it: 127.0.0.1:5000 or [::1]:5000. */
const EP = String.raw`(\S+:\d+)`;

/** Sentences with numbers, addresses or names in them: a pattern and its Chinese. */
const PATTERNS: ReadonlyArray<readonly [RegExp, (...g: string[]) => string]> = [
  // Causes.
  [/^close\(\) with (\d+) unread bytes: RST sent$/, (n) => `close() 时还有 ${n} 字节没读，发出 RST`],
  [/^shutdown\((SHUT_\w+)\): FIN sent$/, (how) => `shutdown(${how}) 发出 FIN`],
  [
    /^(.+) after (\d+) bytes left the lab's queue$/,
    (cause, n) => `${sub(cause ?? '')}，排在前面的 ${n} 字节已离开实验环境的队列`,
  ],
  // Details.
  [/^(\S+) is not an open descriptor of this actor$/, (fd) => `${fd} 不是这个程序打开着的描述符`],
  [
    /^(\S+) has (\d+) descriptors open, the lab's limit per actor$/,
    (actor, n) => `${actor} 已打开 ${n} 个描述符，达到实验环境给每个程序的上限`,
  ],
  [
    new RegExp(String.raw`^${EP} is already in use by lab socket (\S+)$`),
    (ep, s) => `${ep} 已被实验中的套接字 ${s} 占用`,
  ],
  [
    new RegExp(String.raw`^another socket already listens on ${EP} \(the kernel said EADDRINUSE\)$`),
    (ep) => `已有另一个套接字在 ${ep} 上监听，内核返回 EADDRINUSE`,
  ],
  [new RegExp(String.raw`^new connection from ${EP}$`), (ep) => `来自 ${ep} 的新连接`],
  [new RegExp(String.raw`^connected to ${EP}$`), (ep) => `已连接到 ${ep}`],
  [
    new RegExp(String.raw`^nothing listens on ${EP}: the kernel answered RST$`),
    (ep) => `${ep} 上没有套接字在监听，内核回复了 RST`,
  ],
  [
    /^(\d+) bytes already wait in the lab's send buffer; (\d+) more would pass the limit of (\d+)$/,
    (a, b, c) => `实验环境的发送缓冲区里已有 ${a} 字节在等待，再加 ${b} 字节就会超过 ${c} 字节的上限`,
  ],
  [
    /^(\d+) bytes were unread: the kernel sent RST instead of FIN$/,
    (n) => `还有 ${n} 字节没读，所以内核发出的是 RST 而不是 FIN`,
  ],
  [
    /^FIN pending behind (\d+) bytes the lab still holds: it is sent once they are handed to the kernel$/,
    (n) => `FIN 排在实验环境仍持有的 ${n} 字节之后：这些字节交给内核后才会发出`,
  ],
  [/^unexpected: ([\s\S]*)$/, (e) => `意外错误：${e}`],
  // Addresses refused by the lab (app/core/net-util.ts).
  [
    /^(\S+) is an IPv4 address; this socket is AF_INET6$/,
    (h) => `${h} 是 IPv4 地址，而这个套接字是 AF_INET6`,
  ],
  [/^(\S+) is an IPv6 address; this socket is AF_INET$/, (h) => `${h} 是 IPv6 地址，而这个套接字是 AF_INET`],
  [
    /^(\S+) is not a loopback address: the lab uses only 127\.0\.0\.0\/8 and ::1$/,
    (h) => `${h} 不是环回地址：实验只使用 127.0.0.0/8 和 ::1`,
  ],
  [
    /^(\S+) is not an IP address; the lab uses only 127\.0\.0\.0\/8, ::1 or localhost$/,
    (h) => `${h} 不是 IP 地址：实验只使用 127.0.0.0/8、::1 或 localhost`,
  ],
  // Notices.
  [
    /^Reading the kernel's socket table failed \(kernel states will be missing\): ([\s\S]*)$/,
    (e) => `读取内核套接字表失败（将看不到内核状态）：${e}`,
  ],
  [/^listening socket (\S+): ([\s\S]*)$/, (s, e) => `监听套接字 ${s}：${e}`],
  [
    /^The kernel's state-change tracepoint is not used: ([\s\S]*)$/,
    (why) => `未使用内核的状态变化跟踪点：${why}`,
  ],
  [/^The state-change tracepoint failed: ([\s\S]*)$/, (e) => `状态变化跟踪点出错：${e}`],
  [
    /^The event log reached its limit of (\d+) events: the oldest (\d+) were dropped from memory \((\d+) in all\)\. The live view is unaffected; a saved trace starts later\.$/,
    (max, n, all) =>
      `事件日志达到 ${max} 条的上限：最早的 ${n} 条已从内存中丢弃（累计 ${all} 条）。实时视图不受影响，但保存的轨迹会从较晚的时刻开始。`,
  ],
  [
    /^The event log reached its limit of (\d+) MiB: the oldest (\d+) events were dropped from memory \((\d+) in all\)\. The live view is unaffected; a saved trace starts later\.$/,
    (max, n, all) =>
      `事件日志达到 ${max} MiB 的上限：最早的 ${n} 条事件已从内存中丢弃（累计 ${all} 条）。实时视图不受影响，但保存的轨迹会从较晚的时刻开始。`,
  ],
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
