/**
 * 实验环境拒绝命令的原因（app/contract/refusals.ts 中每个代码一条，缺一条编译就不通过），
 * 在窗口唯一的 vue-i18n 目录中 `msg.` 下。{actor} 由窗口换成“服务器”“客户端 2”，{block}
 * 换成阻塞原因的说明，{expected} 换成类型的名称；调用名、路径（args.fd）保留原样。
 */
import type { RefusalCode } from '@contract/refusals';

export const refusalsZh: Readonly<Record<RefusalCode, string>> = {
  'refusal.closed': '实验环境已关闭',
  'refusal.noActor': '没有名为 {actor} 的角色（现有：{actors}）',
  'refusal.noSuchActor': '没有名为 {actor} 的角色',
  'refusal.blocked': '{actor}正阻塞在 {call}() 中（{block}）：请等它返回，或者中断它',
  'refusal.busy': '{actor}正在执行 {call}()',
  'refusal.writeLimit': '这次 write 有 {n} 字节，超过了实验环境每次 write {max} 字节的上限',
  'refusal.ended': '{actor}的程序已经结束（重新载入程序或重置后才能再运行）',
  'refusal.notBlocked': '{actor}没有阻塞在任何调用中',
  'refusal.notInterruptible': '{actor}的调用无法中断',
  'refusal.actorLimit': '实验环境已有 {n} 个角色，达到上限',
  'refusal.tooManyActors': '角色太多：上限是 {max} 个',
  'refusal.defaultClient': '默认的客户端程序无法编译',
  'refusal.cannotRun': '程序无法运行：第 {line} 行第 {col} 列（共 {n} 处问题，已在编辑器中标出）',
  'refusal.cannotRunOf': '{actor}的程序无法运行：第 {line} 行第 {col} 列（共 {n} 处问题，已在编辑器中标出）',
  'refusal.nothingCaptured': '没有抓到任何报文段：抓包没有开启，或者还没有看到实验中的报文段',
  'refusal.nothingCapturedThere': '这个连接（或从那一刻起）没有抓到任何报文段',
  'refusal.internal': '内部错误：{error}',
  'refusal.pageBusy': '已拒绝：这个页面已有 {n} 条命令在等待实验环境',
  'refusal.notConnected': '没有连接到实验环境',
  'invalid.type': '{path} 应为{expected}',
  'invalid.tooBig': '{path} 至多为 {max}',
  'invalid.tooSmall': '{path} 至少为 {min}',
  'invalid.keys': '{path} 中有未知的键 {keys}',
  'invalid.value': '{path} 的值在这里不合法',
  'replay.notFree': '{actor}一直没有空下来（还阻塞着？）',
  'replay.noSolutionProgram': '课程里没有程序“{program}”（solution）',
  'replay.solutionRefused': '参考程序被拒绝了',
  'replay.resetRefused': '重置被拒绝了',
  'replay.notBack': '重置之后实验环境没有恢复',
  'replay.notReached': '第 {step} 步：没有达到检查点',
  'trace.tooLarge': '这个文件太大，不是轨迹文件（{n} 个字符，最多 {max} 个）',
  'trace.notJson': '这不是 TCP 实验室的轨迹文件：它不是 JSON',
  'trace.notTrace': '这不是 TCP 实验室的轨迹文件（没有 "format": "{format}"）',
  'trace.newer': '这个轨迹是第 {version} 版，比本程序能读的第 {max} 版新：请更新 TCP 实验室后再打开',
  'trace.version1':
    '这个轨迹是第 1 版，保存于程序改用 C 之前：本程序读第 2 版（请重新做一遍课程，再保存新的轨迹）',
  'trace.damaged': '轨迹文件已损坏：{path} 处有误',
  'trace.eventInvalid': '轨迹文件已损坏：第 {n} 个事件无效（{path} 处）',
  'trace.eventSeq': '轨迹文件已损坏：第 {n} 个事件的序号是 {seq}，应为 {want}',
  'trace.eventEarlier': '轨迹文件已损坏：第 {n} 个事件（序号 {seq}）比前一个事件早',
  'refusal.noCapture': '实验环境的回答里没有抓包数据',
  'replay.noTimeWait':
    '第 {step} 步需要{actor}的一个 TIME_WAIT 套接字（needsTimeWait）：前面的步骤没有在内核的表里留下它',
};
