/**
 * electron-vite configuration. Our entries live under app/ and renderer/, so each process
 * names its input, and every script passes `-c electron.config.ts`.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { windowAliases } from './build/aliases';
import { VUE_I18N_FLAGS } from './build/vue-i18n-flags';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'app/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'app/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias: windowAliases },
    plugins: [vue()],
    // vue-i18n's bundler flags: the Composition API only, no devtools hooks in production.
    // v11 compiles messages to an AST walked at runtime (JIT, no `new Function`), so the
    // window's CSP without 'unsafe-eval' holds; it needs no flag of its own any more.
    define: VUE_I18N_FLAGS,
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified by default; minified it is about half
      // the bytes (npm run bench -- bundle prints the sizes).
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
