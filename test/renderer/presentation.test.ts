/**
 * Presentation mode and the classroom layouts in happy-dom: the state (remembered, the text
 * size in 100–200 % steps, the document's data-presentation), its key (F5), the menu's
 * action and the header's button, + − Esc while presenting, p and [ ] for the replay; the
 * window presenting (zoomed by the text size, one socket card per side, no event log); the
 * first-run hint; extra clients in tabs; the one socket a side shows.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { reduceAll } from '@contract';
import App from '@/App.vue';
import ActorTabs from '@/components/lab/ActorTabs.vue';
import { mainSocket } from '@/components/presentation/main-socket';
import { useMenuActions, useShortcuts } from '@/composables/useShortcuts';
import { useLabStore } from '@/stores/lab';
import { usePlaybackStore } from '@/stores/playback';
import { DEFAULT_TEXT_SCALE, TEXT_SCALES, useUiStore } from '@/stores/ui';
import './helpers/c-parser';
import { shown } from './helpers/lazy-parts';
import { classicEvents } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';

function key(k: string, target: EventTarget = window): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
  target.dispatchEvent(e);
  return e;
}

describe('presentation mode: the state', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('is off at first, remembered when turned on, and marks the document', async () => {
    const ui = useUiStore();
    expect(ui.presentation).toBe(false);
    expect(ui.textScale).toBe(DEFAULT_TEXT_SCALE);
    ui.setPresentation();
    await nextTick();
    expect(ui.presentation).toBe(true);
    expect(document.documentElement.dataset.presentation).toBe('on');
    expect(localStorage.getItem('tcplab.presentation')).toBe('on');
    setActivePinia(createPinia());
    const again = useUiStore();
    expect(again.presentation).toBe(true);
    again.setPresentation(false);
    await nextTick();
    expect(document.documentElement.dataset.presentation).toBeUndefined();
    setActivePinia(createPinia());
    expect(useUiStore().presentation).toBe(false);
  });

  it('moves the text size in steps from 100 % to 200 %, remembered; a damaged value falls back', () => {
    const ui = useUiStore();
    expect([...TEXT_SCALES]).toEqual([1, 1.25, 1.5, 1.75, 2]);
    for (let i = 0; i < 6; i++) ui.stepTextScale(1);
    expect(ui.textScale).toBe(2);
    setActivePinia(createPinia());
    expect(useUiStore().textScale).toBe(2);
    for (let i = 0; i < 6; i++) useUiStore().stepTextScale(-1);
    expect(useUiStore().textScale).toBe(1);
    localStorage.setItem('tcplab.textScale', 'huge');
    setActivePinia(createPinia());
    expect(useUiStore().textScale).toBe(DEFAULT_TEXT_SCALE);
    localStorage.setItem('tcplab.textScale', '1.8');
    setActivePinia(createPinia());
    expect(useUiStore().textScale).toBe(1.75); // the nearest step
  });

  it('F5 and the menu action switch it; + − and Esc act only while presenting; p and [ ] replay', () => {
    const ui = useUiStore();
    const lab = useLabStore();
    lab.append(classicEvents);
    const stop = useShortcuts(window, false);
    expect(key('F5').defaultPrevented).toBe(true); // not the browser's reload
    expect(ui.presentation).toBe(true);
    key('+');
    expect(ui.textScale).toBe(1.75);
    key('-');
    key('-');
    expect(ui.textScale).toBe(1.25);
    key('Escape');
    expect(ui.presentation).toBe(false);
    expect(key('+').defaultPrevented).toBe(false); // not presenting: + is not the window's
    expect(ui.textScale).toBe(1.25);
    const act = useMenuActions();
    expect(act({ type: 'presentation' })).toBe(true);
    expect(ui.presentation).toBe(true);
    act({ type: 'presentation' });
    expect(ui.presentation).toBe(false);

    const play = usePlaybackStore();
    key('p');
    expect(play.playing).toBe(true);
    expect(lab.position).toBe(0);
    act({ type: 'play' });
    expect(play.playing).toBe(false);
    key(']');
    expect(play.speed).toBe(2);
    key('[');
    key('[');
    expect(play.speed).toBe(0.5);
    // Typing in a field is typing.
    const input = document.createElement('input');
    document.body.appendChild(input);
    key('p', input);
    expect(play.playing).toBe(false);
    input.remove();
    stop();
  });
});

describe('presentation mode: the window', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('zooms by the text size and shows the code, the ladder and one socket card per side', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const ui = useUiStore();
    ui.setLang('en');
    ui.dismissHint();
    const api = fakeApi(classicEvents);
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    await vi.waitFor(() => expect(useLabStore().total).toBe(classicEvents.length));
    // Before the client's close: it holds its connection; the server its listener and its connection.
    const lab = useLabStore();
    lab.seek(classicEvents.findIndex((e) => e.type === 'call.started' && e.call.call === 'close'));
    await flushPromises();
    expect(w.findAll('[data-actor="server"] article.socket').length).toBe(2);
    expect(w.find('[data-test="event-log"]').exists()).toBe(true);

    await w.get('[data-test="presentation"]').trigger('click'); // the header's button
    expect(ui.presentation).toBe(true);
    await nextTick();
    const app = w.get('.app');
    expect(app.classes()).toContain('presenting');
    expect(app.attributes('style')).toContain('zoom: 1.5');
    const server = w.findAll('[data-actor="server"] article.socket');
    expect(server.length).toBe(1);
    expect(server[0]!.attributes('data-state')).toBe('ESTABLISHED'); // the connection, not the listener
    expect(w.get('[data-actor="server"] [data-test="more-sockets"]').text()).toBe(
      'Other sockets: 1 (shown outside presentation mode)',
    );
    expect(w.findAll('[data-actor="client"] article.socket').length).toBe(1);
    expect(w.find('[data-actor="server"] .fds').exists()).toBe(false);
    expect(w.find('.ladder').exists()).toBe(true);
    expect(w.find('[data-test="event-log"]').exists()).toBe(false);
    expect(w.find('.lessons').exists()).toBe(false);

    await w.get('[data-test="text-larger"]').trigger('click');
    await w.get('[data-test="text-larger"]').trigger('click');
    expect(w.get('[data-test="text-scale"]').text()).toContain('200 %');
    expect(w.get('[data-test="text-larger"]').attributes('disabled')).toBeDefined();
    expect(w.get('.app').attributes('style')).toContain('zoom: 2');
    await w.get('[data-test="presentation"]').trigger('click');
    expect(w.get('.app').attributes('style') ?? '').not.toContain('zoom');
    expect(w.find('[data-test="event-log"]').exists()).toBe(true);
    w.unmount();
  });

  it('shows the first-run hint until it is dismissed or a lesson is opened', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const w = mount(App, { props: { api: fakeApi(classicEvents) }, global: { plugins: [pinia] } });
    await flushPromises();
    const hint = w.get('[data-test="first-run-hint"]');
    expect(hint.text()).toContain('Where to start:');
    expect(hint.text()).toContain('press d');
    await w.get('[data-test="hint-dismiss"]').trigger('click');
    expect(w.find('[data-test="first-run-hint"]').exists()).toBe(false);
    expect(localStorage.getItem('tcplab.hintSeen')).toBe('yes');
    w.unmount();
    setActivePinia(createPinia());
    expect(useUiStore().hintSeen).toBe(true);
  });

  it('opens the sandbox under the header with the focus on its first field', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().dismissHint();
    const w = mount(App, {
      props: { api: fakeApi(classicEvents) },
      global: { plugins: [pinia] },
      attachTo: document.body,
    });
    await flushPromises();
    await w.get('[data-test="toggle-sandbox"]').trigger('click');
    await shown(w, '[data-test="sandbox-actor"]');
    await flushPromises();
    // Under the header, above the lab's box (where the columns scroll).
    const order = w.get('.app').element.children;
    const names = Array.from(order).map((e) => (e as HTMLElement).className || e.tagName);
    expect(names.indexOf('sandbox panel')).toBeGreaterThan(0);
    expect(names.indexOf('sandbox panel')).toBeLessThan(names.indexOf('screen'));
    expect(w.get('.screen').element.firstElementChild?.className).toBe('columns');
    expect((document.activeElement as HTMLElement | null)?.dataset.test).toBe('sandbox-actor');
    w.unmount();
  });
});

describe('extra clients and the one socket of a side', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    useUiStore().setLang('en');
  });

  it('puts several clients in tabs, the newest chosen; the keys move between tabs, not the timeline', async () => {
    const view = reduceAll(classicEvents);
    const client = view.actors['client']!;
    const second = { ...client, id: 'client2' };
    const w = mount(ActorTabs, {
      props: { actors: [client], view, now: Date.now(), label: 'Clients' },
      attachTo: document.body,
    });
    expect(w.find('[role="tablist"]').exists()).toBe(false);
    await w.setProps({ actors: [client, second] });
    const tabs = w.findAll('[role="tab"]');
    expect(tabs.map((t) => t.text())).toEqual([
      expect.stringContaining('client'),
      expect.stringContaining('client 2'),
    ]);
    expect(tabs[1]!.attributes('aria-selected')).toBe('true');
    expect(w.get('#tabpanel-client').isVisible()).toBe(false);
    expect(w.get('#tabpanel-client2').isVisible()).toBe(true);
    const lab = useLabStore();
    lab.append(classicEvents);
    lab.seek(5);
    const stop = useShortcuts(window, false);
    const e = new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true });
    tabs[1]!.element.dispatchEvent(e);
    await nextTick();
    stop();
    expect(lab.position).toBe(5); // the timeline did not move
    expect(w.findAll('[role="tab"]')[0]!.attributes('aria-selected')).toBe('true');
    expect(w.get('#tabpanel-client').isVisible()).toBe(true);
    expect(e.defaultPrevented).toBe(true);
    w.unmount();
  });

  it('shows the newest connection of a side, else its listener', () => {
    const end = reduceAll(classicEvents);
    const at = (n: number) => reduceAll(classicEvents, n);
    const listening = classicEvents.findIndex((e) => e.type === 'socket.state' && e.to === 'LISTEN') + 1;
    const v = at(listening);
    const sockets = Object.values(v.sockets);
    expect(mainSocket(v, sockets)?.state).toBe('LISTEN');
    const all = Object.values(end.sockets);
    const shown = mainSocket(end, all);
    expect(shown?.state).not.toBe('LISTEN');
    expect(end.socketOrder.indexOf(shown!.id)).toBe(
      Math.max(...all.filter((s) => s.state !== 'LISTEN').map((s) => end.socketOrder.indexOf(s.id))),
    );
    expect(mainSocket(end, [])).toBeNull();
  });
});
