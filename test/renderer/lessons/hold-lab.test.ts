/**
 * The question's hold reaches past Step and Run: Add client (the header's button and the `a`
 * key) and the program editor's Apply and Restart (its button and Ctrl+Enter) would move the
 * lesson's lab too, so they wait for the answer as well, saying why; a held key opens the
 * Lessons sidebar and counts the press. Once answered, each does what it did.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import AppHeader from '@/components/header/AppHeader.vue';
import ProgramEditor from '@/components/program/ProgramEditor.vue';
import { useShortcuts } from '@/composables/useShortcuts';
import { useLessonStore } from '@/stores/lessons';
import { useProgramStore } from '@/stores/program';
import { useUiStore } from '@/stores/ui';
import '../helpers/c-parser';
import { lessonLab, moves } from './lesson-lab';

const HELD = 'Answer the lesson’s question first: the lab waits for your prediction.';

async function setUp() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const ui = useUiStore();
  ui.setLang('en');
  const { lab, sent } = lessonLab();
  const lessons = useLessonStore();
  expect(await lessons.start('server-setup')).toBe(true);
  expect(lessons.holding).toBe(true);
  const scope = effectScope();
  scope.run(() => useShortcuts(window, false));
  return { pinia, ui, lab, sent, lessons, scope };
}

describe('a question holds Add client and the editor’s Apply', () => {
  it('holds Add client, its button and its key, until the answer', async () => {
    const { pinia, ui, sent, lessons, scope } = await setUp();
    const header = mount(AppHeader, { global: { plugins: [pinia] } });
    const add = () => header.get('[data-test="add-client"]');
    expect(add().attributes('disabled')).toBeDefined();
    expect(add().attributes('title')).toBe(HELD);

    ui.toggle('lessons', false);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    await flushPromises();
    expect(moves(sent)).toEqual([]);
    expect(lessons.heldPresses).toBe(1);
    expect(ui.panels.lessons).toBe(true);

    lessons.choose(lessons.step!.question!.answer);
    await nextTick();
    expect(lessons.holding).toBe(false);
    expect(add().attributes('disabled')).toBeUndefined();
    expect(add().attributes('title')).toBe('Add another client running the default client program (a)');
    await add().trigger('click');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    await flushPromises();
    expect(moves(sent)).toEqual([{ type: 'addClient' }, { type: 'addClient' }]);
    header.unmount();
    scope.stop();
  });

  it('holds the editor’s Apply (button and Ctrl+Enter) for the lesson’s actor, then applies', async () => {
    const { lab, sent, lessons, scope } = await setUp();
    const programs = useProgramStore();
    const loaded = lab.liveView.actors.server!.program;
    programs.edit('server', `${loaded!.source}\n`, loaded);
    const w = mount(ProgramEditor, { props: { actor: lab.liveView.actors.server! } });
    await nextTick();
    const apply = () => w.get('[data-test="apply"]');
    expect(w.find('[data-test="edited"]').exists()).toBe(true);
    expect(apply().attributes('disabled')).toBeDefined();
    expect(apply().attributes('title')).toBe(HELD);

    const content = w.get('.cm-content').element as HTMLElement;
    content.focus();
    content.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await flushPromises();
    expect(moves(sent)).toEqual([]);
    expect(lessons.heldPresses).toBe(1);

    lessons.choose(lessons.step!.question!.answer);
    await nextTick();
    expect(apply().attributes('disabled')).toBeUndefined();
    await apply().trigger('click');
    await flushPromises();
    expect(moves(sent).map((c) => [c.type, 'actor' in c ? c.actor : null])).toEqual([
      ['loadProgram', 'server'],
    ]);
    w.unmount();
    scope.stop();
  });
});
