/**
 * The event log while the lab runs: live it refreshes at most every THROTTLE_MS (batches in
 * between leave it as it is); on the timeline it follows the cursor at once.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import EventLog from '@/components/lab/EventLog.vue';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { classicEvents, countUntil } from './fixtures/classic';

describe('EventLog', () => {
  it('live, shows new events at its next refresh, not on every batch; the past at once', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const lab = useLabStore();
    const blocked = countUntil((e) => e.type === 'call.blocked' && e.actor === 'server');
    lab.append(classicEvents.slice(0, blocked - 1));
    const w = mount(EventLog, { global: { plugins: [pinia] } });
    const log = () => w.get('[data-test="event-log"]').text();
    const newest = () => w.findAll('li .seq')[0]?.text();
    expect(newest()).toBe(`#${blocked - 1}`);

    // A live batch: the log keeps what it showed until its refresh…
    lab.append(classicEvents.slice(blocked - 1, blocked + 5));
    await nextTick();
    expect(newest()).toBe(`#${blocked - 1}`);
    expect(log()).not.toContain('server: accept() blocked');
    // …then shows it.
    await vi.waitFor(() => expect(Number(newest()?.slice(1))).toBeGreaterThan(blocked), {
      timeout: 2000,
      interval: 20,
    });
    expect(log()).toContain('server: accept() blocked');

    // On the timeline: at once.
    lab.seek(3);
    await nextTick();
    expect(newest()).toBe('#3');
    expect(w.findAll('li').length).toBeLessThanOrEqual(3);
    w.unmount();
  });

  it('in a flood (a refresh would replace every line) refreshes at most every second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const pinia = createPinia();
      setActivePinia(pinia);
      useUiStore().setLang('en');
      const lab = useLabStore();
      lab.append(classicEvents.slice(0, 10));
      const w = mount(EventLog, { props: { limit: 3 }, global: { plugins: [pinia] } });
      const newest = () => Number(w.findAll('li .seq')[0]?.text().slice(1));
      // A step of two events: at the next refresh (250 ms).
      lab.append(classicEvents.slice(10, 12));
      await vi.advanceTimersByTimeAsync(260);
      expect(newest()).toBe(12);
      // A flood: more events than the log shows, again and again.
      lab.append(classicEvents.slice(12, 40));
      await vi.advanceTimersByTimeAsync(260);
      expect(newest()).toBe(12);
      lab.append(classicEvents.slice(40, 60));
      await vi.advanceTimersByTimeAsync(500);
      expect(newest()).toBe(12);
      // A second after the last refresh, the newest lines.
      await vi.advanceTimersByTimeAsync(260);
      expect(newest()).toBeGreaterThan(50);
      w.unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});
