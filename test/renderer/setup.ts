/**
 * Before every window test: the Chinese messages are in, as they are in a window that speaks
 * Chinese (the window loads them as a chunk of their own before it first does, i18n/index.ts),
 * so a test may say anything in either language at once. test/renderer/i18n-lazy.test.ts
 * tests the loading itself, from a fresh module.
 */
import { loadLang } from '@/i18n';

await loadLang('zh-CN');
