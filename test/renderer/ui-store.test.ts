import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { useUiStore } from '@/stores/ui';

describe('useUiStore', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts in the system language and remembers a choice', async () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'zh-CN' });
    const ui = useUiStore();
    expect(ui.lang).toBe('zh-CN');
    expect(ui.t('column.server')).toBe('服务器');
    await nextTick();
    expect(document.documentElement.lang).toBe('zh-CN');
    ui.setLang('en');
    expect(localStorage.getItem('tcplab.lang')).toBe('en');
    expect(ui.t('column.server')).toBe('Server');
    // A new window starts from what was chosen, not from the system.
    setActivePinia(createPinia());
    expect(useUiStore().lang).toBe('en');
  });

  it('starts in the system theme and remembers a choice until told to follow the system again', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({
      matches: q === '(prefers-color-scheme: dark)',
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    const ui = useUiStore();
    expect(ui.theme).toBe('dark');
    ui.setTheme('light');
    await nextTick();
    expect(document.documentElement.dataset.theme).toBe('light');
    setActivePinia(createPinia());
    const again = useUiStore();
    expect(again.theme).toBe('light');
    again.followSystemTheme();
    expect(again.theme).toBe('dark');
    expect(localStorage.getItem('tcplab.theme')).toBeNull();
  });

  it('reads a stored value it did not write as the default, and keeps the window usable', () => {
    vi.stubGlobal('navigator', { ...navigator, language: 'en-GB' });
    localStorage.setItem('tcplab.lang', 'klingon');
    localStorage.setItem('tcplab.theme', '{"not":"a theme"}');
    localStorage.setItem('tcplab.textScale', 'huge');
    localStorage.setItem('tcplab.presentation', 'maybe');
    const ui = useUiStore();
    expect(ui.lang).toBe('en');
    expect(['light', 'dark']).toContain(ui.theme);
    expect(ui.themeChoice).toBe('system');
    expect(ui.textScale).toBe(1.5);
    expect(ui.presentation).toBe(false);
    // The next choice replaces what was there.
    ui.stepTextScale(1);
    expect(localStorage.getItem('tcplab.textScale')).toBe('1.75');
    ui.setTheme('dark');
    expect(ui.themeChoice).toBe('dark');
    expect(localStorage.getItem('tcplab.theme')).toBe('dark');
  });

  it('still works where storage refuses access', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    try {
      const ui = useUiStore();
      ui.setLang('zh-CN');
      expect(ui.lang).toBe('zh-CN');
      ui.setPresentation(true);
      expect(ui.presentation).toBe(true);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
