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

/**
 * The lab api of this window (the same object on every call). `onStatus` hears the
 * browser-mode connection's status (the first call's is kept; under Electron there is no
 * connection to lose). The window keeps that status in one place: the lab store.
 */
export function getLabApi(onStatus: (s: WsStatus) => void = () => {}): LabApi {
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
  api = createWsApi(url.href, token, onStatus);
  return api;
}
