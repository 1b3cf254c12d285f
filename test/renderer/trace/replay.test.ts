/**
 * Replay of a saved trace in the window: the lab store's replay mode (load, step, back to
 * live, live events kept aside meanwhile and applied on return), bad files leaving the store
 * exactly as it was, and the window's File actions (save, open through the picker, the
 * banner, the menu's actions, a dropped file, the capture status).
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reduceAll, type LabEvent } from '@contract';
import { makeTrace, serializeTrace } from '@contract/trace';
import App from '@/App.vue';
import CaptureStatus from '@/components/lab/CaptureStatus.vue';
import { useMenuActions } from '@/composables/useShortcuts';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { traceFile } from '@/trace/trace-files';
import { useFileStore } from '@/stores/files';
import { classicEvents } from '../fixtures/classic';
import { fakeApi } from '../fixtures/fake-api';

/** A File-like object holding `text`. */
const file = (name: string, text: string) => ({ name, text: async () => text });

/** The first `n` classic events as a saved trace's text. */
const traceText = (n = classicEvents.length) => serializeTrace(makeTrace(classicEvents.slice(0, n), '0.1.0'));

/** A live lab of the first `n` classic events, then the rest arriving later. */
function liveLab(n: number) {
  const lab = useLabStore();
  lab.append(classicEvents.slice(0, n));
  return lab;
}

describe('lab store replay mode', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    useUiStore().setLang('en');
  });

  it('leaves the replay before a reset, which acts on the live lab', async () => {
    const lab = liveLab(10);
    const api = fakeApi();
    lab.attach(api);
    expect(await useFileStore().open(file('echo.tcplab.json', traceText()))).toBe(true);
    expect(lab.replay).not.toBeNull();
    await lab.reset();
    expect(lab.replay).toBeNull();
    expect(lab.live).toBe(true);
    expect(lab.total).toBe(10);
    expect(api.commands).toEqual([{ type: 'reset' }]);
  });

  it('loads a trace, steps through it, keeps live events aside and applies them on return', async () => {
    const lab = liveLab(10);
    const files = useFileStore();
    expect(await files.open(file('echo.tcplab.json', traceText()))).toBe(true);
    expect(files.error).toBeNull();

    // The store shows the trace: its events, at its end; commands are not live.
    expect(lab.replay?.name).toBe('echo.tcplab.json');
    expect(lab.total).toBe(classicEvents.length);
    expect(lab.live).toBe(false);
    expect(lab.view).toEqual(reduceAll(classicEvents));

    // The timeline steps through the trace, every position equal to the reducer's.
    lab.seek(0);
    expect(lab.view).toEqual(reduceAll(classicEvents, 0));
    for (let n = 1; n <= classicEvents.length; n++) {
      lab.stepForward();
      expect(lab.position).toBe(n);
      expect(lab.view, `n=${n}`).toEqual(reduceAll(classicEvents, n));
    }
    lab.milestoneBack();
    expect(lab.position).toBeLessThan(classicEvents.length);
    lab.milestoneForward();
    expect(lab.replay).not.toBeNull(); // reaching the trace's end stays in the replay

    // Live events arrive meanwhile: kept aside, not shown.
    lab.append(classicEvents.slice(10, 20));
    expect(lab.total).toBe(classicEvents.length);
    expect(lab.view).toEqual(reduceAll(classicEvents));

    // Back to live: the live log with what arrived meanwhile.
    lab.goLive();
    expect(lab.replay).toBeNull();
    expect(lab.live).toBe(true);
    expect(lab.total).toBe(20);
    expect(lab.events.map((e) => e.seq)).toEqual(classicEvents.slice(0, 20).map((e) => e.seq));
    expect(lab.view).toEqual(reduceAll(classicEvents, 20));
    lab.append(classicEvents.slice(20));
    expect(lab.view).toEqual(reduceAll(classicEvents));
  });

  it('a bad file gets a clear error and leaves the store unchanged', async () => {
    const lab = liveLab(30);
    lab.seek(12);
    const files = useFileStore();
    const before = { events: lab.events, view: lab.view, position: lab.position, total: lab.total };
    const bad = JSON.parse(traceText()) as { events: LabEvent[]; version: number };
    const cases: [string, string, RegExp][] = [
      ['notes.txt', 'just some notes', /not JSON/],
      ['other.json', '{"format":"har","log":{}}', /not a TCP Lab trace/],
      ['future.tcplab.json', JSON.stringify({ ...bad, version: 3 }), /version 3, newer/],
      [
        'shuffled.tcplab.json',
        JSON.stringify({ ...bad, events: [bad.events[1], bad.events[0], ...bad.events.slice(2)] }),
        /expected 1/,
      ],
    ];
    for (const [name, text, want] of cases) {
      expect(await files.open(file(name, text)), name).toBe(false);
      expect(files.error, name).toMatch(want);
      expect(files.error, name).toContain(`Could not open ${name}`);
      expect(lab.replay).toBeNull();
      expect(lab.events).toBe(before.events);
      expect(lab.total).toBe(before.total);
      expect(lab.position).toBe(before.position);
      expect(lab.view).toEqual(before.view);
    }
    // A bad file while replaying leaves the replay as it was too.
    expect(await files.open(file('good.tcplab.json', traceText(40)))).toBe(true);
    expect(await files.open(file('bad.json', '{'))).toBe(false);
    expect(lab.replay?.name).toBe('good.tcplab.json');
    expect(lab.total).toBe(40);
    lab.goLive();
    expect(lab.total).toBe(30);
  });

  it('a saved trace opens to the same view at every step', async () => {
    const lab = liveLab(classicEvents.length);
    const { name, text } = traceFile(lab.events, new Date('2026-01-02T03:04:05Z'));
    expect(name).toMatch(/^tcp-lab-2026-01-0\d-\d{6}\.tcplab\.json$/);
    expect(await useFileStore().open(file(name, text))).toBe(true);
    for (let n = 0; n <= classicEvents.length; n++)
      expect(lab.viewAt(n), `n=${n}`).toEqual(reduceAll(classicEvents, n));
  });

  it('the menu actions reach the file actions', async () => {
    liveLab(5);
    const files = useFileStore();
    const act = useMenuActions();
    const opened = vi.fn();
    files.registerPicker(opened);
    expect(act({ type: 'openTrace' })).toBe(true);
    expect(opened).toHaveBeenCalledOnce();
    expect(act({ type: 'export' })).toBe(true);
    expect(files.exportOpen).toBe(true);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const blobs: Blob[] = [];
    const url = vi
      .spyOn(URL, 'createObjectURL')
      .mockImplementation((b) => (blobs.push(b as Blob), 'blob:trace'));
    expect(act({ type: 'saveTrace' })).toBe(true);
    expect(click).toHaveBeenCalledOnce();
    expect(files.lastSaved).toMatch(/\.tcplab\.json$/);
    // What was downloaded is a trace of the store's events.
    const saved = JSON.parse(await blobs[0]!.text()) as { format: string; events: LabEvent[] };
    expect(saved.format).toBe('tcp-lab-trace');
    expect(saved.events).toEqual(classicEvents.slice(0, 5));
    click.mockRestore();
    url.mockRestore();
  });
});

describe('the window with a trace', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('opens a picked file, shows the banner and returns to live', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const api = fakeApi(classicEvents.slice(0, 10));
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    const lab = useLabStore();
    await vi.waitFor(() => expect(lab.total).toBe(10));
    const input = w.get('[data-test="open-trace-input"]');
    const f = new File([traceText()], 'class-demo.tcplab.json', { type: 'application/json' });
    Object.defineProperty(input.element, 'files', { value: [f], configurable: true });
    await input.trigger('change');
    await vi.waitFor(() => expect(lab.replay).not.toBeNull());
    await flushPromises();
    const banner = w.get('[data-test="replay-banner"]');
    expect(banner.text()).toContain('Replaying class-demo.tcplab.json');
    // Stepping is not offered on a replay; the ladder shows the trace.
    expect(w.get('[data-test="step-client"]').attributes('disabled')).toBeDefined();
    expect(w.findAll('.ladder text.label').length).toBeGreaterThan(0);
    // Live events kept aside while replaying.
    api.emit(classicEvents.slice(10, 15));
    await flushPromises();
    expect(lab.total).toBe(classicEvents.length);
    await w.get('[data-test="replay-back"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-test="replay-banner"]').exists()).toBe(false);
    await vi.waitFor(() => expect(lab.total).toBe(15));
    expect(lab.live).toBe(true);
    w.unmount();
  });

  it('a bad dropped file shows the error and changes nothing', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('zh-CN');
    const api = fakeApi(classicEvents);
    const w = mount(App, { props: { api }, global: { plugins: [pinia] }, attachTo: document.body });
    const lab = useLabStore();
    await vi.waitFor(() => expect(lab.total).toBe(classicEvents.length));
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', {
      value: { types: ['Files'], files: [file('x.json', '[]')] },
    });
    window.dispatchEvent(drop);
    await vi.waitFor(() => expect(w.find('[data-test="file-error"]').exists()).toBe(true));
    expect(w.get('[data-test="file-error"]').text()).toContain('无法打开 x.json');
    expect(lab.replay).toBeNull();
    expect(lab.total).toBe(classicEvents.length);
    w.unmount();
  });
});

describe('CaptureStatus', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useUiStore().setLang('en');
  });

  it('says capture is on, with the tool', () => {
    const w = mount(CaptureStatus, { props: { capture: { status: 'on', tool: 'tcpdump', reason: null } } });
    expect(w.get('[data-test="capture-text"]').text()).toBe('capture: on (tcpdump)');
    expect(w.find('[data-test="capture-how"]').exists()).toBe(false);
  });

  it('says why capture is unavailable and how to enable it on each system', () => {
    const reason =
      'No permission to capture on lo (tcpdump: lo: You don’t have permission to capture on that device). To enable it on Linux: install tcpdump (sudo apt-get install tcpdump) and allow it.';
    const w = mount(CaptureStatus, {
      props: { capture: { status: 'unavailable', tool: 'tcpdump', reason } },
    });
    const text = w.get('[data-test="capture-text"]').text();
    expect(text).toMatch(/^inferred — capture unavailable: No permission to capture on lo/);
    expect(text).not.toContain('To enable it'); // the advice is in the disclosure, per system
    const how = w.get('[data-test="capture-how"]');
    expect(how.get('summary').text()).toBe('How to enable capture');
    expect(
      how
        .findAll('dt')
        .map((d) => d.text())
        .sort(),
    ).toEqual(['Linux', 'Windows', 'macOS']);
    expect(how.text()).toContain('setcap cap_net_raw,cap_net_admin=eip');
    expect(how.text()).toContain('ChmodBPF');
    expect(how.text()).toContain('Npcap');
  });
});
