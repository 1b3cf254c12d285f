/**
 * vue-i18n's bundler feature flags, shared by the window's build (electron.config.ts) and its
 * tests (vitest.config.ts) so both run the same vue-i18n: the Composition API only (no
 * legacy `$t` options API), its full install (the global `t` in templates), no devtools hooks
 * in production. Messages are compiled at runtime to an AST and walked (JIT, the only mode
 * since vue-i18n 10), never through `new Function`, so the window's CSP forbids eval and
 * still holds.
 */
export const VUE_I18N_FLAGS = {
  __VUE_I18N_FULL_INSTALL__: 'true',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  // Keep the message compiler: the catalogs are plain strings compiled in the window.
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
} as const;
