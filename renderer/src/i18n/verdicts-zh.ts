/**
 * 课程检查点判定的简体中文：app/contract/verdicts.ts 中每个代码一条（缺一条编译就不通过），
 * `{name}` 是参数占位。{actor} 由窗口换成“服务器”“客户端 2”，{reason} 换成阻塞原因的说明；
 * TCP 状态名、系统调用名、errno、标志位保留英文原样。
 */
import type { VerdictCode, VerdictJoins } from '../../../app/contract/lesson';

export const verdictsZh: Readonly<Record<VerdictCode, string>> = {
  'actor.missing': '没有名为 {id} 的程序',
  'blocked.not': '{actor}没有阻塞',
  'blocked.wrongCall': '{actor}阻塞在 {call}() 中，而不是 {wantCall}()',
  'blocked.wrongReason': '{actor}阻塞的原因是“{reason}”，而不是“{wantReason}”',
  'blocked.ok': '{actor}阻塞在 {call}() 中（{reason}）',
  'returned.none': '{actor}还没有返回过调用，要等 {wantCall}() 返回',
  'returned.wrongCall': '{actor}最近返回的调用是 {call}()，而不是 {wantCall}()',
  'returned.want': '{actor}：{got}，期望 {want}',
  'returned.wantAtLeast': '{actor}：{got}，期望 ≥ {want}',
  'returned.ok': '{actor}的调用结果：{got}',
  'got.ret': '{call}() 返回 {ret}',
  'got.errno': '{call}() 返回 {ret} {errno}',
  'socket.none': '还没有{where}',
  'socket.in': '{socket} 处于 {state}',
  'socket.inConfirmed': '{socket} 处于 {state}（内核已确认）',
  'socket.passed': '{socket} 经历过 {state}',
  'socket.notIn': '{where}不处于 {state}：目前 {now}',
  'socket.notConfirmed': '{where}尚未经内核确认处于 {state}：目前 {now}',
  'socket.notYetThrough': '{where}还没有经历 {state}：目前 {now}',
  'where.fd': '{actor} fd {fd} 上的套接字',
  'where.listening': '{actor}的监听套接字',
  'where.connection': '{actor}的连接套接字',
  'where.any': '{actor}的套接字',
  'now.socket': '{socket} 处于 {state}',
  'now.kernel': '{socket} 处于 {state}（内核：{kernel}）',
  'now.gone': '{socket} 处于 {state}（内核中已无此连接）',
  'buffer.recv': '{socket} 的接收缓冲区有 {n} 字节（{cmp} {need}）',
  'buffer.send': '{socket} 的发送缓冲区有 {n} 字节（{cmp} {need}）',
  'segments.seen': '已看到 {n} 个 {flags} 报文段，需要 {need} 个',
  'segments.seenWithout': '已看到 {n} 个 {flags} 报文段（不带 {not}），需要 {need} 个',
  'segments.seenFrom': '已看到 {n} 个{from}发出的 {flags} 报文段，需要 {need} 个',
  'segments.seenWithoutFrom': '已看到 {n} 个{from}发出的 {flags} 报文段（不带 {not}），需要 {need} 个',
  'queue.length': '{actor}的 accept 队列中有 {n} 个连接在等待，需要 {need} 个',
  'count.sockets': '处于 {state} 的套接字有 {n} 个，需要{bounds}',
  'count.socketsConfirmed': '处于 {state} 的套接字（经内核确认）有 {n} 个，需要{bounds}',
  'count.socketsOf': '{actor}处于 {state} 的套接字有 {n} 个，需要{bounds}',
  'count.socketsOfConfirmed': '{actor}处于 {state} 的套接字（经内核确认）有 {n} 个，需要{bounds}',
  'count.fds': '{actor}持有 {n} 个描述符，需要{bounds}',
  'bounds.atLeast': '至少 {min} 个',
  'bounds.atMost': '至多 {max} 个',
  'bounds.between': '{min} 到 {max} 个',
  'bounds.any': '任意个数',
  'program.ended': '{actor}的程序已结束',
  'program.running': '{actor}的程序仍在运行',
};

/** 各部分之间用“；”，都不成立的几个备选之间用“；或：”，不应成立的部分前加“不应出现：”。 */
export const verdictJoinsZh: VerdictJoins = { all: '；', any: '；或：', list: '，', not: '不应出现：{part}' };
