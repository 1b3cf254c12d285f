/**
 * C 程序的运行错误和解释器的说明（中文）：app/contract/c/faults.ts 的每个代码一条（编译器检查不缺）。
 */
import type { C_FAULT_PARAMS } from '@contract/c/faults';

export const cFaultsZh: Readonly<Record<keyof typeof C_FAULT_PARAMS, string>> = {
  'fault.outOfBounds': '{what}：下标 {index} 越界（对象只有 {size} 个元素）',
  'fault.uninit': '{what} 在赋值之前就被读取了',
  'fault.divZero': '除以零',
  'fault.nullPointer': '{what} 是空指针',
  'fault.dangling': '{what} 指向一个已经不存在的变量（它所在的函数已经返回）',
  'fault.readOnly': '{what} 是字符串字面量，不能修改',
  'fault.notPointer': '{what} 不是指针',
  'fault.format': '{fn}：转换说明 {detail} 与对应的参数类型不符',
  'fault.formatArgs': '{fn}：格式串需要 {want} 个参数，实际给了 {got} 个',
  'fault.noString': "{fn}：{what} 里在文本应结束的地方没有 '\\0'",
  'fault.args': '{fn}() 需要 {want} 个参数，实际给了 {got} 个',
  'fault.argType': '{fn}()：第 {n} 个参数应当是 {want}',
  'fault.stack': '调用栈已深达 {depth} 层：是不是无限递归？',
  'fault.noReturn': '{fn}() 结束时没有返回值',
  'fault.unsupported': '这里不支持 {construct}',
  'fault.undeclared': '{name} 没有声明',
  'fault.notFunction': '{name}() 不是实验室认识的函数',
  'fault.tooBig': '{fn}()：{n} 超过了实验室的上限（{max}）',
  'fault.fdSet': '描述符 {fd} 放不进 fd_set（范围 0 … 1023）',
  'fault.family': '{fn}()：地址族 {family} 既不是 AF_INET 也不是 AF_INET6',
  'fault.sockopt': 'setsockopt/getsockopt：选项 {level}, {name} 不是实验室提供的',
  'fault.sigpipe':
    '进程被 SIGPIPE 杀死：在对方已关闭的连接上调用 {fn}()（内核在返回 EPIPE 的同时发出这个信号；用 send(…, MSG_NOSIGNAL) 则只得到 -1 EPIPE）',
  'fault.memory': '程序的变量将占用 {n} 字节，超过实验室给每个程序的上限（{max}）',
  'fault.budget': '运行了 {n} 条语句都没有系统调用，已暂停：再按“运行”继续',
  'note.exitCloses': '程序结束了：内核关闭了它的 {n} 个描述符，任何进程退出时都是这样',
  'note.loopbackOnly': 'bind() 到 {host}：实验室只在回环接口上绑定，所以套接字绑定到了回环地址',
};
