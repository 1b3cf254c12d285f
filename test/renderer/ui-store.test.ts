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
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q === '(prefers-color-scheme: dark)' }));
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
});
