import { describe, expect, it } from 'vitest';
import { en } from '@/i18n/en';
import { zhCN } from '@/i18n/zh-CN';
import { detectLang, translate } from '@/i18n';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same {parameters} for every key', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(params(zhCN[key]), key).toEqual(params(en[key]));
    }
  });

  it('have no empty strings, and the Chinese ones are Chinese', () => {
    for (const [k, v] of Object.entries(zhCN)) expect(v.trim(), k).not.toBe('');
    // Keys that are pure notation (fd, socket ids) may stay Latin; most text must not.
    const chinese = Object.values(zhCN).filter((v) => /[\u4e00-\u9fff]/.test(v)).length;
    expect(chinese / Object.keys(zhCN).length).toBeGreaterThan(0.9);
  });

  it('fills parameters and starts from the system language', () => {
    expect(translate('en', 'program.blockedIn', { call: 'accept(3)' })).toBe('Blocked in accept(3)');
    expect(translate('zh-CN', 'program.blockedIn', { call: 'accept(3)' })).toBe('阻塞在 accept(3)');
    expect(detectLang('zh-TW')).toBe('zh-CN');
    expect(detectLang('en-GB')).toBe('en');
    expect(detectLang(undefined)).toBe('en');
  });
});
