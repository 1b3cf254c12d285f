/**
 * Electron main entry: one TCP Lab per machine user (a second launch brings the first
 * window forward), guards on every webContents, then the app itself once Electron is ready.
 */
import { app, BrowserWindow } from 'electron';
import { startApp } from './app';
import { ensureSingleInstance, focusWindow } from './single-instance';
import { setupWebContentsGuards } from './window';

if (ensureSingleInstance(app, () => focusWindow(BrowserWindow.getAllWindows()[0]))) {
  setupWebContentsGuards(app);
  app
    .whenReady()
    .then(() => startApp())
    .catch((err: unknown) => {
      console.error('TCP Lab could not start:', err);
      app.exit(1);
    });
}
