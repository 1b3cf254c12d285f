/**
 * The window's entry: one Pinia, the App, and the lab api of wherever the window runs
 * (Electron's preload or the browser-mode WebSocket bridge).
 */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { getLabApi } from './api';
import App from './App.vue';
import './styles.css';

createApp(App, { api: getLabApi() }).use(createPinia()).mount('#app');
