/**
 * The window's LabApi, wherever it runs: Electron's preload puts it on `window.tcpLab`; in
 * browser mode there is none, and the page talks to the server that served it over the
 * WebSocket bridge, with the token from its own address (`?token=…`).
 */
import type { LabApi } from '@contract';
import { createWsApi, type WsStatus } from './ws-api';
import './window';

export type { WsStatus } from './ws-api';

let api: LabApi | null = null;
let status: WsStatus = { state: 'open' };
const statusListeners = new Set<(s: WsStatus) => void>();

function setStatus(s: WsStatus): void {
  status = s;
  for (const cb of statusListeners) cb(s);
}

/** The lab api of this window (the same object on every call). */
export function getLabApi(): LabApi {
  if (api) return api;
  if (window.tcpLab) {
    api = window.tcpLab;
    return api;
  }
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  api = createWsApi(url.href, token, setStatus);
  return api;
}

/**
 * Follow the connection's status (browser mode; under Electron it stays 'open'). The
 * callback is called at once with the current status; returns the unsubscribe function.
 */
export function onConnectionStatus(cb: (s: WsStatus) => void): () => void {
  statusListeners.add(cb);
  cb(status);
  return () => {
    statusListeners.delete(cb);
  };
}
