import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '@/App.vue';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import './helpers/c-parser';
import { classicEvents } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';

function key(k: string, target: EventTarget = window, shift = false): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey: shift, bubbles: true }));
}

describe('App', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('shows the lab from the api: clients left, wire in the middle, server right', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const api = fakeApi(classicEvents);
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    await vi.waitFor(() => expect(useLabStore().total).toBe(classicEvents.length));
    await flushPromises();
    const cols = w.findAll('.columns > .col');
    expect(cols.map((c) => c.classes()[1])).toEqual(['clients', 'wire', 'servers']);
    expect(cols[0]!.find('[data-actor="client"]').exists()).toBe(true);
    expect(cols[2]!.find('[data-actor="server"]').exists()).toBe(true);
    expect(cols[1]!.find('.ladder').exists()).toBe(true);
    // The client's socket, closed by the program, still shows: TIME_WAIT confirmed.
    const tw = w.get('[data-actor="client"] article[data-state="TIME_WAIT"]');
    expect(tw.get('[data-test="confirmed"]').text()).toContain('kernel confirms');
    expect(w.get('[data-test="event-log"]').text()).toContain(
      'server: read() blocked — the receive buffer is empty',
    );
    w.unmount();
  });

  it('obeys the shortcuts, but not while typing, and the timeline keys move the view', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const api = fakeApi(classicEvents);
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    const lab = useLabStore();
    await vi.waitFor(() => expect(lab.total).toBe(classicEvents.length));
    key('c');
    key('S', window, true);
    key('a');
    await flushPromises();
    expect(api.commands).toEqual([
      { type: 'step', actor: 'client' },
      { type: 'run', actor: 'server' },
      { type: 'addClient' },
    ]);

    const input = document.createElement('input');
    document.body.appendChild(input);
    key('s', input);
    await flushPromises();
    expect(api.commands).toHaveLength(3);

    key('ArrowLeft');
    key('ArrowLeft');
    expect(lab.position).toBe(classicEvents.length - 2);
    key('c'); // stepping acts on the live lab only
    await flushPromises();
    expect(api.commands).toHaveLength(3);
    key('l');
    expect(lab.live).toBe(true);

    key('?');
    expect(useUiStore().panels.help).toBe(true);
    input.remove();
    w.unmount();
  });

  it('shows a refused command and lets it be dismissed', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const api = fakeApi(classicEvents);
    api.answer = () => ({ ok: false, error: 'actor server is blocked in accept()' });
    const w = mount(App, { props: { api }, global: { plugins: [pinia] } });
    await vi.waitFor(() => expect(useLabStore().total).toBe(classicEvents.length));
    await w.get('[data-test="reset"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-test="command-error"]').text()).toContain(
      'The lab refused: actor server is blocked in accept()',
    );
    await w.get('[data-test="command-error"] button').trigger('click');
    expect(w.find('[data-test="command-error"]').exists()).toBe(false);
    w.unmount();
  });
});
