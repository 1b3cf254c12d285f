/**
 * The engine's message codes in both languages: every code has an entry in each catalog
 * (the compiler checks that), each entry uses exactly the code's parameters, the Chinese
 * entry is Chinese, and `say` fills the parameters and shows an older trace's English as it is.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGE_CODES, MESSAGE_PARAMS, msg } from '@contract';
import { messagesEn } from '@/i18n/messages-en';
import { messagesZh } from '@/i18n/messages-zh';
import { say } from '@/i18n/say';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const CJK = /[\u4e00-\u9fff]/;

describe('message catalogs', () => {
  it('use exactly each code’s parameters, in both languages', () => {
    for (const code of MESSAGE_CODES) {
      const want = [...MESSAGE_PARAMS[code]].sort();
      expect(placeholders(messagesEn[code]), `en ${code}`).toEqual(want);
      expect(placeholders(messagesZh[code]), `zh-CN ${code}`).toEqual(want);
      // A code that only carries data ({text}) needs no Chinese words.
      if (code !== 'note.read') expect(CJK.test(messagesZh[code]), `zh-CN ${code}`).toBe(true);
    }
  });

  it('say fills the parameters in the reader’s language', () => {
    const m = msg('note.unreadRst', { n: 22 });
    expect(say(m, 'en')).toBe('22 bytes were unread: the kernel sent RST instead of FIN');
    expect(say(m, 'zh-CN')).toBe('还有 22 字节没读，所以内核发出的是 RST 而不是 FIN');
    expect(say(msg('cause.shutdown', { how: 'SHUT_WR' }), 'zh-CN')).toBe('shutdown(SHUT_WR) 发出 FIN');
    // An empty optional part leaves no empty brackets behind.
    expect(say(msg('capture.noPermission', { iface: 'lo', detail: '' }), 'en')).toBe(
      'no permission to capture on lo',
    );
    expect(say(msg('capture.noPermission', { iface: 'lo', detail: '' }), 'zh-CN')).toBe(
      '没有在 lo 上抓包的权限',
    );
    // A parameter named like an object's own property is still only a parameter.
    expect(say({ code: 'note.notOpen', params: { constructor: 1 } } as never, 'en')).toBe(
      '{fd} is not an open descriptor of this actor',
    );
  });

  it('an older trace’s English string is shown as it was written', () => {
    expect(say('FIN received (kernel table)', 'en')).toBe('FIN received (kernel table)');
    expect(say('something only an old engine said', 'zh-CN')).toBe('something only an old engine said');
  });
});
