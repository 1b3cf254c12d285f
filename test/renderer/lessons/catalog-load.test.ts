/**
 * The bundled lessons load after the window's first paint (renderer/src/lessons/load-bundled.ts,
 * a chunk of their own): the store starts with none and says it is loading, the list says so
 * in either language (busy for screen readers), the lessons come once a frame was drawn, and a
 * lesson asked for meanwhile (the first-run hint's Start, a click) starts once they are in.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { bundledLessonFiles } from '@/lessons/catalog';
import { afterFirstPaint } from '@/composables/afterFirstPaint';
import { useLessonStore } from '@/stores/lessons';
import { useUiStore } from '@/stores/ui';
import { lessonLab } from './lesson-lab';

const LOAD = { timeout: 10_000 };

describe('the bundled lessons, loaded after the first paint', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('waits for a drawn frame: its callback runs after the frame’s own', async () => {
    const order: string[] = [];
    afterFirstPaint(() => order.push('after'));
    requestAnimationFrame(() => order.push('frame'));
    await vi.waitFor(() => expect(order).toEqual(['frame', 'after']));
  });

  for (const [lang, loading, lessonTitle] of [
    ['en', 'Loading the lessons…', '1. Server setup'],
    ['zh-CN', '正在加载课程…', '1. 服务器初始化'],
  ] as const) {
    it(`says the list is loading (${lang}), then lists the lessons by itself`, async () => {
      const pinia = createPinia();
      setActivePinia(pinia);
      useUiStore().setLang(lang);
      const lessons = useLessonStore();
      expect(lessons.catalog).toBe('loading');
      expect(lessons.entries).toEqual([]);
      const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
      const list = w.get('[data-test="lesson-list"]');
      expect(w.get('[data-test="lessons-loading"]').text()).toBe(loading);
      expect(w.get('[data-test="lessons-loading"]').attributes('role')).toBe('status');
      expect(list.attributes('aria-busy')).toBe('true');
      expect(w.find('.lesson-item:not(.sandbox)').exists()).toBe(false);
      // Nobody calls ready(): the store's own after-paint load brings them.
      await vi.waitFor(() => expect(list.attributes('data-catalog')).toBe('ready'), LOAD);
      expect(list.attributes('aria-busy')).toBe('false');
      expect(w.find('[data-test="lessons-loading"]').exists()).toBe(false);
      expect(w.findAll('.lesson-item:not(.sandbox)')).toHaveLength(Object.keys(bundledLessonFiles()).length);
      expect(w.get('[data-test="lesson-item-server-setup"]').text()).toContain(lessonTitle);
      w.unmount();
    });
  }

  it('starts a lesson asked for before the lessons are in, once they are', async () => {
    const { sent } = lessonLab();
    const lessons = useLessonStore();
    expect(lessons.catalog).toBe('loading');
    const started = lessons.start('handshake');
    expect(lessons.currentId).toBeNull();
    expect(await started).toBe(true);
    expect(lessons.catalog).toBe('ready');
    expect(lessons.lesson?.id).toBe('handshake');
    expect(lessons.status).toBe('working');
    expect(sent.filter((c) => c.type === 'reset')).toHaveLength(1);
    await flushPromises();
  });

  it('keeps a teacher’s stored lesson out of the list until the programs it names are in', async () => {
    localStorage.setItem(
      'tcplab.lessons.user',
      JSON.stringify({
        version: 1,
        files: [
          {
            file: 'mine.json',
            text: bundledLessonFiles()['01-server-setup.json']!.replace(
              '"id": "server-setup"',
              '"id": "mine"',
            ),
          },
        ],
      }),
    );
    const lessons = useLessonStore();
    // Checked against no programs it would be "could not be loaded": it waits instead.
    expect(lessons.entries).toEqual([]);
    await lessons.ready();
    expect(lessons.entries.find((e) => e.file === 'mine.json')).toMatchObject({
      user: true,
      lesson: { id: 'mine' },
    });
  });
});
