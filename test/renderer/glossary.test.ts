/**
 * docs/glossary.md is the one list of terms: no Chinese text of the window's catalogs or of
 * the bundled lessons uses a form the glossary rules out, and wherever an English text says a
 * bold term (the accept queue, the SYN queue, the handshake…), its Chinese says the
 * glossary's Chinese term.
 */
import { describe, expect, it } from 'vitest';
import { catalogs } from '@/i18n';
import { bundledLessonFiles } from '@/lessons/catalog';

interface Term {
  en: string;
  zh: string;
  checked: boolean;
  not: string[];
}

/** The glossary's table rows. */
function glossary(): Term[] {
  // The file as text (Vite's ?raw), as it is in the repository.
  const md = Object.values(
    import.meta.glob('../../docs/glossary.md', { eager: true, query: '?raw', import: 'default' }) as Record<
      string,
      string
    >,
  )[0]!;
  return md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| English') && !l.startsWith('| ---'))
    .map((l) => {
      const [en, zh, , not] = l.slice(2, -2).split(' | ');
      const bold = /^\*\*(.*)\*\*$/.exec(en!.trim());
      return {
        en: (bold ? bold[1]! : en!).replace(/\s*\(.*\)$/, '').trim(),
        zh: zh!.replace(/（.*）$/, '').trim(),
        checked: !!bold,
        not: (not ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

/** Every text in both languages: catalog entries by key, lesson texts ({en, zh-CN} objects). */
function pairs(): { where: string; en: string; zh: string }[] {
  const out: { where: string; en: string; zh: string }[] = [];
  for (const [key, en] of Object.entries(catalogs.en))
    out.push({ where: key, en, zh: catalogs['zh-CN'][key]! });
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.en === 'string' && typeof o['zh-CN'] === 'string')
        out.push({ where, en: o.en, zh: o['zh-CN'] });
      else for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
    }
  };
  for (const [file, text] of Object.entries(bundledLessonFiles())) walk(JSON.parse(text), file);
  return out;
}

describe('the glossary', () => {
  const terms = glossary();
  const texts = pairs();

  it('lists the terms, the accept queue as 全连接队列', () => {
    expect(terms.length).toBeGreaterThan(20);
    expect(terms.find((t) => t.en === 'accept queue')).toMatchObject({ zh: '全连接队列', checked: true });
    expect(terms.find((t) => t.en === 'SYN queue')).toMatchObject({ zh: '半连接队列', checked: true });
    expect(
      texts.filter((p) => p.where.endsWith('.json') || p.where.includes('.json')).length,
    ).toBeGreaterThan(100);
  });

  it('no Chinese text uses a form it rules out', () => {
    for (const t of terms)
      for (const bad of t.not)
        for (const p of texts) expect(p.zh.includes(bad), `${p.where}: "${bad}" (say ${t.zh})`).toBe(false);
  });

  it('where the English says a term, the Chinese says the glossary’s', () => {
    let seen = 0;
    for (const t of terms.filter((x) => x.checked))
      for (const p of texts)
        if (p.en.toLowerCase().includes(t.en.toLowerCase())) {
          seen++;
          expect(p.zh, `${p.where}: "${t.en}" is ${t.zh}`).toContain(t.zh);
        }
    // The accept queue alone is named in the window, the verdicts and lessons 1, 2 and 9.
    expect(seen).toBeGreaterThan(10);
  });
});
