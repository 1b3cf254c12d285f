/**
 * What the Electron preload (app/preload/index.ts) adds to `window`. Absent in browser mode.
 */
import type { LabApi } from '@contract';
import type { MenuAction, Prefs } from '@contract/menu';

declare global {
  interface Window {
    /** The lab, over IPC (Electron only). */
    tcpLab?: LabApi;
    /** Application-menu actions (Electron only). */
    tcpLabMenu?: {
      onAction(cb: (action: MenuAction) => void): () => void;
      setPrefs(prefs: Prefs): Promise<void>;
    };
  }
}

export {};
