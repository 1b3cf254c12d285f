/**
 * 引擎消息的简体中文：app/contract/messages.ts 中每个代码一条（缺一条编译就不通过），
 * `{name}` 是参数占位。TCP 状态名、系统调用名、errno 保留英文原样。
 */
import type { BriefCode, MessageCode } from '@contract';
import { cFaultsZh } from './c-faults-zh';
import { cProblemsZh } from './c-problems-zh';
import { refusalsZh } from './refusals-zh';

export const messagesZh: Readonly<Record<MessageCode | BriefCode, string>> = {
  'cause.listen': '调用 listen()',
  'cause.connect': 'connect() 发出 SYN',
  'cause.synReceived': '收到 SYN，回复 SYN-ACK',
  'cause.synAckReceived': '收到 SYN-ACK，回复 ACK',
  'cause.ackReceived': '收到 ACK',
  'cause.close': 'close() 发出 FIN',
  'cause.finReceived': '收到 FIN，回复 ACK',
  'cause.finAcked': '对方确认了 FIN',
  'cause.rst': 'RST 复位',
  'cause.timeout': 'TIME_WAIT 计时结束',
  'cause.shutdown': 'shutdown({how}) 发出 FIN',
  'cause.closeUnread': 'close() 时还有 {n} 字节没读，发出 RST',
  'cause.closeInHandshake': '握手尚未完成时调用了 close()',
  'cause.closeCall': '调用 close()',
  'cause.refused': '收到 RST：连接被拒绝',
  'cause.exitClose': '程序结束，内核关闭了这个套接字',
  'cause.exitFin': '程序结束，内核关闭了这个套接字并发出 FIN',
  'cause.exitUnread': '程序结束时还有 {n} 字节没读，内核发出 RST',
  'note.notOpen': '{fd} 不是这个程序打开着的描述符',
  'note.fdLimit': '{actor} 已打开 {n} 个描述符，达到实验环境给每个程序的上限',
  'note.fdReserve':
    '实验环境的进程只剩 {left} 个描述符，要为窗口和内核表保留 {reserve} 个：请先关闭一些套接字',
  'note.heldFull':
    '实验环境已为不读数据的对端保存了 {held} MiB 阻塞写入的数据（上限 {max} MiB），所以这次 write 不再等待：它返回内核已接收的字节数（一个字节都没有时返回 -1 ENOBUFS）',
  'note.inUse': '{at} 已被实验中的套接字 {socket} 占用',
  'note.alreadyListening': '已经在监听，只更新了 backlog',
  'note.newConnection': '来自 {from} 的新连接',
  'note.connected': '已连接到 {to}',
  'note.refused': '{to} 上没有套接字在监听，内核回复了 RST',
  'note.peerReset': '对方用 RST 重置了连接',
  'note.eof': '数据流结束：对方发来了 FIN',
  'note.read': '{text}',
  'note.finSent': '本端已经用 shutdown 或 close 发出 FIN，再写入只会得到 EPIPE',
  'note.otherRefs': '还有其他描述符指向这个套接字，连接不受影响',
  'note.unreadRst': '还有 {n} 字节没读，所以内核发出的是 RST 而不是 FIN',
  'note.interrupted': '被中断：阻塞中的调用返回 -1，errno 为 EINTR',
  'note.labReset': '实验环境已重置',
  'note.unexpected': '意外错误：{error}',
  'note.ipv4OnInet6': '{host} 是 IPv4 地址，而这个套接字是 AF_INET6',
  'note.ipv6OnInet': '{host} 是 IPv6 地址，而这个套接字是 AF_INET',
  'note.notLoopback': '{host} 不是环回地址：实验只使用 127.0.0.0/8 和 ::1',
  'note.notIp': '{host} 不是 IP 地址：实验只使用 127.0.0.0/8、::1 或 localhost',
  'capture.noTool': '找不到抓包工具（tcpdump 或 dumpcap）',
  'capture.notFound': '找不到 {tool}（{path}）',
  'capture.cannotStart': '{tool} 无法启动（{error}）',
  'capture.unreadable': '无法解析抓包输出：{error}',
  'capture.stopped': '{tool} 已停止（{how}）（{detail}）；此后的报文段为推断所得',
  'capture.stopped.brief': '{tool} 已停止（{how}）；此后的报文段为推断所得',
  'capture.noPermission': '没有在 {iface} 上抓包的权限（{detail}）',
  'capture.noPermission.brief': '没有在 {iface} 上抓包的权限',
  'capture.cannotCapture': '{tool} 无法抓包：{detail}',
  'notice.tableFailed': '读取内核套接字表失败（将看不到已关闭套接字的状态）：{error}',
  'notice.traceOff': '未使用内核的状态变化跟踪点（{reason}）：状态来自内核的读数，读数之间的步骤标为推断。',
  'notice.traceFailed': '状态变化跟踪点出错：{error}',
  'notice.logFullCount':
    '事件日志达到 {max} 条的上限：最早的 {n} 条已从内存中丢弃（累计 {all} 条）。实时视图不受影响，但保存的轨迹会从更晚的位置开始。',
  'notice.logFullBytes':
    '事件日志达到 {mib} MiB 的上限：最早的 {n} 条已从内存中丢弃（累计 {all} 条）。实时视图不受影响，但保存的轨迹会从更晚的位置开始。',
  ...cProblemsZh,
  ...cFaultsZh,
  ...refusalsZh,
};
