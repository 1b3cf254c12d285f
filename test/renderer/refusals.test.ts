/**
 * A refused command says why as a code (CommandResult.refusal) the window says in its language,
 * its English kept in `error`; a command that fails validation says its first issue as a code.
 */
import { describe, expect, it } from 'vitest';
import { msg, parseCommand, refuse, MESSAGE_PARAMS } from '@contract';
import { REFUSAL_EN, REFUSAL_PARAMS, type RefusalCode } from '@contract/refusals';
import { parseTrace } from '@contract/trace';
import { say } from '@/i18n/say';

const CJK = /[\u4e00-\u9fff]/;

describe('refusals', () => {
  it('are message codes, their English the contract’s, said in Chinese', () => {
    for (const code of Object.keys(REFUSAL_PARAMS) as RefusalCode[]) {
      expect(MESSAGE_PARAMS[code], code).toEqual(REFUSAL_PARAMS[code]);
      const params = Object.fromEntries(REFUSAL_PARAMS[code].map((p) => [p, 7]));
      const m = { code, params } as never;
      expect(say(m, 'en'), code).toBe(REFUSAL_EN[code].replace(/\{(\w+)\}/g, '7'));
      expect(CJK.test(say(m, 'zh-CN')), code).toBe(true);
    }
  });

  it('name the actor, the call and the block reason in the window’s words', () => {
    const r = refuse('refusal.blocked', { actor: 'server', call: 'accept', block: 'no-connection' });
    expect(r.error).toBe(
      'server is blocked in accept() (no-connection): wait for it to return, or interrupt it',
    );
    expect(say(r.refusal, 'zh-CN')).toBe(
      '服务器正阻塞在 accept() 中（全连接队列里没有等待的连接）：请等它返回，或者中断它',
    );
    expect(say(r.refusal, 'en')).toBe(
      'server is blocked in accept() (no connection waiting in the accept queue): wait for it to return, or interrupt it',
    );
    expect(say(msg('refusal.ended', { actor: 'client2' }), 'zh-CN')).toBe(
      '客户端 2的程序已经结束（重新载入程序或重置后才能再运行）',
    );
  });

  it('a command that is not valid says its first issue as a code', () => {
    const bad = parseCommand({ type: 'call', actor: 'server', call: { call: 'close', args: { fd: 'x' } } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error).toMatch(/^invalid command: /);
    expect(bad.refusal.code).toMatch(/^invalid\./);
    expect(bad.refusal).toEqual({
      code: 'invalid.type',
      params: { path: 'call.args.fd', expected: 'number' },
    });
    expect(say(bad.refusal, 'zh-CN')).toBe('call.args.fd 应为数字');
    expect(say(bad.refusal, 'en')).toBe('call.args.fd: expected a number');
    const tooBig = parseCommand({
      type: 'call',
      actor: 'server',
      call: { call: 'close', args: { fd: 1e9 } },
    });
    expect(!tooBig.ok && say(tooBig.refusal, 'zh-CN')).toBe('call.args.fd 至多为 65535');
  });

  it('a file that is not a trace says why as a code too', () => {
    const notJson = parseTrace('{ nope');
    expect(!notJson.ok && notJson.error).toMatch(/^the file is not a TCP Lab trace: it is not JSON \(/);
    expect(!notJson.ok && say(notJson.problem, 'zh-CN')).toBe('这不是 TCP 实验室的轨迹文件：它不是 JSON');
    const newer = parseTrace(JSON.stringify({ format: 'tcp-lab-trace', version: 99 }));
    expect(!newer.ok && say(newer.problem, 'zh-CN')).toMatch(/^这个轨迹是第 99 版/);
  });
});
