/** The window's lookups by outside text: "constructor" and friends are no sentence of ours. */
import { describe, expect, it } from 'vitest';
import { say } from '@/i18n/say';

describe('prototype names in the window', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '%s is translated as nothing',
    (name) => {
      expect(say(name, 'zh-CN')).toBe(name);
    },
  );
});
