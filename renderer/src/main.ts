/**
 * The window's entry: one Pinia, the App, and the lab api of wherever the window runs
 * (Electron's preload or the browser-mode WebSocket bridge). The connection's status and the
 * Electron menu's actions are wired here, so App itself only needs a LabApi (and tests can
 * mount it with any).
 */
import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { getLabApi } from './api';
import { preloadValidators, validators } from './api/validate';
import App from './App.vue';
import { useMenuActions } from './composables/useShortcuts';
import { i18n, loadLang } from './i18n';
import { useLabStore } from './stores/lab';
import { useUiStore } from './stores/ui';
import './styles.css';

const pinia = createPinia();
// A closed or refused connection is the lab store's to keep and show (App's banner).
const api = getLabApi((s) => {
  if (s.state === 'closed' || s.state === 'error') useLabStore(pinia).connection('error', s.reason);
});
const app = createApp(App, { api }).use(pinia).use(i18n);

const act = useMenuActions();
window.tcpLabMenu?.onAction((a) => {
  // The preload already validated it; checking again costs little and keeps the window honest.
  void validators().then(
    ({ MenuActionSchema }) => {
      const parsed = MenuActionSchema.safeParse(a);
      if (parsed.success) act(parsed.data);
    },
    (err: unknown) => console.error('a menu action could not be checked:', err),
  );
});

// The Electron menu shows the window's language and theme (its check marks and labels):
// the theme as chosen, 'system' while following the system's.
const ui = useUiStore(pinia);
watch(
  () => [ui.lang, ui.themeChoice] as const,
  ([language, theme]) => void window.tcpLabMenu?.setPrefs({ language, theme }),
  { immediate: true },
);

// A window that starts in Chinese draws its first frame in Chinese: its messages (a chunk of
// their own) come first. One in English mounts at once.
void loadLang(ui.lang)
  .catch((err: unknown) => console.error(`the window's ${ui.lang} messages could not be loaded:`, err))
  .finally(() => {
    app.mount('#app');
    // When the window itself (not index.html's frame) is in the page: `npm run bench -- paint`.
    performance.mark('tcplab.mounted');
    preloadValidators();
  });
