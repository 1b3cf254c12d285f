/**
 * Electron main entry: one TCP Lab per machine user (a second launch brings the first
 * window forward), guards on every webContents, then the app itself once Electron is ready.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { startApp } from './app';
import { ensureSingleInstance, focusWindow } from './single-instance';
import { setupWebContentsGuards } from './window';

if (ensureSingleInstance(app, () => focusWindow(BrowserWindow.getAllWindows()[0]))) {
  setupWebContentsGuards(app);
  app
    .whenReady()
    .then(() => startApp())
    .catch((err: unknown) => {
      // Without the C library's calls there is no lab (no emulation stands in): say why.
      const why = err instanceof Error ? err.message : String(err);
      console.error(`TCP Lab could not start: ${why}`);
      dialog.showErrorBox('TCP Lab could not start', why);
      app.exit(1);
    });
}
