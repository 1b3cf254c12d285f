/**
 * The Chinese messages are a chunk of their own (renderer/src/i18n/zh.ts): a fresh window has
 * English only, loadLang brings Chinese once, and the ui store switches the window (and
 * `<html lang>`, which the end-to-end tests wait on) only once Chinese is in, so no frame says
 * Chinese lesson texts among English words. Fresh modules: the setup file loaded Chinese into
 * the shared ones.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

async function fresh() {
  vi.resetModules();
  const i18n = await import('@/i18n');
  const { useUiStore } = await import('@/stores/ui');
  setActivePinia(createPinia());
  return { ...i18n, ui: useUiStore() };
}

describe('the Chinese messages, loaded when first spoken', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
  });

  it('are not in a fresh window; loadLang brings them once', async () => {
    const { hasLang, loadLang, message, catalogs } = await fresh();
    expect(hasLang('en')).toBe(true);
    expect(hasLang('zh-CN')).toBe(false);
    expect(Object.keys(catalogs['zh-CN'])).toHaveLength(0);
    // Until then a Chinese message falls back to English.
    expect(message('zh-CN', 'actor.server')).toBe('server');
    const a = loadLang('zh-CN');
    expect(loadLang('zh-CN')).toBe(a);
    await a;
    expect(hasLang('zh-CN')).toBe(true);
    expect(message('zh-CN', 'actor.server')).toBe('服务器');
    expect(Object.keys(catalogs['zh-CN']).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it('the window switches to Chinese once its messages are in, and a later choice wins', async () => {
    const { ui, hasLang } = await fresh();
    ui.setLang('en');
    expect(ui.lang).toBe('en');
    ui.setLang('zh-CN');
    // Not yet: the window still speaks English, <html lang> says so.
    expect(ui.lang).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    await vi.waitFor(() => expect(ui.lang).toBe('zh-CN'), { timeout: 10_000 });
    expect(hasLang('zh-CN')).toBe(true);
    expect(ui.t('actor.server')).toBe('服务器');
    await vi.waitFor(() => expect(document.documentElement.lang).toBe('zh-CN'));
    // Loaded, the switch is at once both ways.
    ui.setLang('en');
    expect(ui.lang).toBe('en');
    ui.setLang('zh-CN');
    expect(ui.lang).toBe('zh-CN');
  });

  it('a choice made while Chinese loads is not undone when it arrives', async () => {
    const { ui, loadLang } = await fresh();
    ui.setLang('en');
    ui.setLang('zh-CN');
    ui.setLang('en');
    await loadLang('zh-CN');
    await Promise.resolve();
    expect(ui.lang).toBe('en');
  });
});
