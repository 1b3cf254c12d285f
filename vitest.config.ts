/**
 * Tests in separate projects: the engine and adapters in Node with real loopback sockets,
 * stores and components in happy-dom, and end-to-end tests driving Debian's Chromium
 * against browser mode (run after a build; see scripts/test.sh).
 */
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { VUE_I18N_FLAGS } from './build/vue-i18n-flags';
import { windowAliases } from './build/aliases';

export default defineConfig({
  test: {
    projects: [
      {
        // test/node/web/server.test.ts loads the window's WebSocket client, which uses them.
        resolve: { alias: windowAliases },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [vue()],
        resolve: { alias: windowAliases },
        define: VUE_I18N_FLAGS,
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts'],
          // The Chinese messages in before each file, as in a window speaking Chinese.
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
