/**
 * The window's one vue-i18n catalog: every message of both languages compiles with vue-i18n's
 * message compiler and renders, as written, every parameter it declares (a code's parameters
 * from the contract, a window or sidebar text's from its English), its literal special
 * characters (`{'|'}`, `{'{'}`, `$`, `@`) included; the catalogs hold the same keys; and the
 * ui store's language drives the instance's locale.
 */
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { MESSAGE_OPTIONAL, MESSAGE_PARAMS, type MessageCode } from '@contract';
import { VERDICT_PARAMS } from '@contract/lesson';
import { catalogs, i18n, LANGS, message } from '@/i18n';
import { useUiStore } from '@/stores/ui';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** The parameters a key declares: its code's in the contract, else its English text's. */
function declared(key: string): string[] {
  if (key.startsWith('msg.')) {
    const code = key.slice(4);
    if (code.endsWith('.brief')) {
      const full = code.slice(0, -6) as keyof typeof MESSAGE_OPTIONAL;
      return MESSAGE_PARAMS[full].filter((p) => p !== MESSAGE_OPTIONAL[full]);
    }
    return [...MESSAGE_PARAMS[code as MessageCode]];
  }
  if (key.startsWith('verdict.join.')) return key === 'verdict.join.not' ? ['part'] : [];
  if (key.startsWith('verdict.')) return [...VERDICT_PARAMS[key.slice(8) as keyof typeof VERDICT_PARAMS]];
  return placeholders(catalogs.en[key]!);
}

/** What a text must render to: each parameter its value, each literal `{'x'}` its x. */
const expected = (text: string, values: Record<string, string>) =>
  text.replace(
    /\{'([^']*)'\}|\{(\w+)\}/g,
    (_, lit: string | undefined, name: string) => lit ?? values[name]!,
  );

describe('the one i18n catalog', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(catalogs['zh-CN']).sort()).toEqual(Object.keys(catalogs.en).sort());
    expect(Object.keys(catalogs.en).length).toBeGreaterThan(500);
  });

  it('compiles every message of both languages and renders every parameter it declares', () => {
    let checked = 0;
    for (const lang of LANGS)
      for (const [key, text] of Object.entries(catalogs[lang])) {
        const names = declared(key);
        expect(placeholders(text).sort(), `${lang} ${key}: its parameters`).toEqual(
          [...new Set(names)].sort(),
        );
        const values = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
        // vue-i18n throws a SyntaxError on a message it cannot compile (outside production).
        const out = message(lang, key, values);
        for (const n of names) expect(out, `${lang} ${key}`).toContain(`«${n}»`);
        expect(out, `${lang} ${key}`).toBe(expected(text, values));
        checked++;
      }
    expect(checked).toBe(Object.keys(catalogs.en).length * 2);
  });

  it('keeps literal special characters as they are written', () => {
    expect(message('en', 'msg.c.statementExpression')).toBe(
      'statement expressions ({ … }) are not supported here',
    );
    expect(message('en', 'verdict.join.any')).toBe(' | ');
    expect(message('en', 'capture.how.linux')).toContain('"$(command -v tcpdump)"');
  });

  it('the check above fails on a message whose special characters are not escaped', () => {
    // The same comparison, on an instance holding the unescaped forms: it must not pass.
    const raw = createI18n({
      legacy: false,
      locale: 'en',
      messages: { en: { any: 'one | other', braces: 'statement expressions ({ … })' } },
      missingWarn: false,
    });
    expect(raw.global.t('any')).not.toBe(expected('one | other', {}));
    expect(() => raw.global.t('braces')).toThrow(SyntaxError);
  });

  it('speaks the language the ui store chose', () => {
    setActivePinia(createPinia());
    const ui = useUiStore();
    ui.setLang('zh-CN');
    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(i18n.global.t('controls.step')).toBe('单步');
    ui.setLang('en');
    expect(i18n.global.locale.value).toBe('en');
  });
});
