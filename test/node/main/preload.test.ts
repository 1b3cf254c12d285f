/**
 * The preload with a mocked electron module: it exposes exactly the LabApi (and the menu
 * bridge), never ipcRenderer; calls go to the contract's channels; callbacks get the payload
 * without the IPC event; unsubscribing removes the listener.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, type LabApi, type LabEvent } from '../../../app/contract';
import { MENU_CHANNEL, PREFS_CHANNEL } from '../../../app/contract/shortcuts';
import { contextBridge, exposed, ipcRenderer, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

let mod: typeof import('../../../app/preload/index');
beforeAll(async () => {
  resetElectronMock();
  mod = await import('../../../app/preload/index');
});

describe('preload', () => {
  it('spells the contract channels', () => {
    expect(mod.CHANNELS).toEqual({ ...IPC, menu: MENU_CHANNEL, prefs: PREFS_CHANNEL });
  });

  it('exposes exactly tcpLab (command, ready, onEvents) and tcpLabMenu (onAction, setPrefs)', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(2);
    expect(Object.keys(exposed).sort()).toEqual(['tcpLab', 'tcpLabMenu']);
    expect(Object.keys(exposed.tcpLab as object).sort()).toEqual(['command', 'onEvents', 'ready']);
    expect(Object.keys(exposed.tcpLabMenu as object)).toEqual(['onAction', 'setPrefs']);
    for (const v of [
      ...Object.values(exposed.tcpLab as object),
      ...Object.values(exposed.tcpLabMenu as object),
    ]) {
      expect(typeof v).toBe('function');
      expect(v).not.toBe(ipcRenderer.invoke);
      expect(v).not.toBe(ipcRenderer.on);
    }
  });

  it('sends commands on lab:command and never rejects', async () => {
    const api = exposed.tcpLab as LabApi;
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true });
    const cmd = { type: 'step', actor: 'server' } as const;
    expect(await api.command(cmd)).toEqual({ ok: true });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC.command, cmd);
    ipcRenderer.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    expect(await api.command(cmd)).toEqual({ ok: false, error: 'An object could not be cloned.' });
  });

  it('asks for the history on lab:ready, then its next parts on lab:history', async () => {
    const api = exposed.tcpLab as LabApi;
    const e = (seq: number) => ({ seq }) as unknown as LabEvent;
    ipcRenderer.invoke
      .mockResolvedValueOnce({ events: [e(1), e(2)], more: true })
      .mockResolvedValueOnce({ events: [e(3)], more: false });
    expect(await api.ready()).toEqual([e(1), e(2), e(3)]);
    expect(ipcRenderer.invoke.mock.calls.slice(-2)).toEqual([[IPC.ready], [IPC.history]]);
  });

  it('turns a failed ready (or an answer of the wrong shape) into a plain Error', async () => {
    const api = exposed.tcpLab as LabApi;
    ipcRenderer.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'lab:ready': boom"));
    await expect(api.ready()).rejects.toThrow(/^the lab did not send its history: .*boom/);
    ipcRenderer.invoke.mockResolvedValueOnce([]);
    await expect(api.ready()).rejects.toThrow(/not a part of the history/);
  });

  it('hands event batches to the callback without the IPC event, until unsubscribed', () => {
    const api = exposed.tcpLab as LabApi;
    const got: unknown[][] = [];
    const off = api.onEvents((...args) => got.push(args));
    const batch = [{ seq: 1 }] as unknown as LabEvent[];
    ipcRenderer.emit(IPC.events, { sender: 'the IPC event' }, batch);
    expect(got).toEqual([[batch]]);
    off();
    expect(ipcRenderer.listenerCount(IPC.events)).toBe(0);
    ipcRenderer.emit(IPC.events, {}, batch);
    expect(got).toHaveLength(1);
  });

  it('forwards menu actions the same way', () => {
    const menu = exposed.tcpLabMenu as { onAction(cb: (a: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = menu.onAction((a) => got.push(a));
    ipcRenderer.emit(MENU_CHANNEL, {}, { type: 'reset' });
    off();
    ipcRenderer.emit(MENU_CHANNEL, {}, { type: 'reset' });
    expect(got).toEqual([{ type: 'reset' }]);
  });
});
