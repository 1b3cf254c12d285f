/**
 * electron-vite configuration. Our entries live under app/ and renderer/, so each process
 * names its input, and every script passes `-c electron.config.ts`.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { windowAliases } from './build/aliases';
import { startupModules } from './build/startup-graph';
import { VUE_I18N_FLAGS } from './build/vue-i18n-flags';

/** The window's start-up modules (the static imports of renderer/src/main.ts). */
const START = startupModules();

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
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
        // What runs before the first paint (build/startup-graph.ts) is one chunk, the entry's: rolldown would
        // otherwise split off every module the lazy chunks share with it, into small initial
        // chunks that compress worse and cost a request each.
        output: {
          codeSplitting: {
            groups: [{ name: 'index', test: (id: string) => START.has(id.split('?')[0]!) }],
          },
        },
      },
    },
  },
});
