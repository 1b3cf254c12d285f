/**
 * A prediction cannot be skipped by pressing Step in the lab: while the lesson's question is
 * unanswered, the actor panel's Step, Next call, Run and Interrupt for the lesson's actors are
 * held with a message, and so are the keys and the menu's actions; a held press opens the
 * Lessons sidebar, which says to answer first. Once answered, the same key moves the lab.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import ActorPanel from '@/components/lab/ActorPanel.vue';
import SandboxPalette from '@/components/sandbox/SandboxPalette.vue';
import { useMenuActions, useShortcuts } from '@/composables/useShortcuts';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { lessonActors } from '@/lessons/step-guards';
import { useLessonStore } from '@/stores/lessons';
import { useUiStore } from '@/stores/ui';
import '../helpers/c-parser';
import { shown } from '../helpers/lazy-parts';
import { lessonLab, moves } from './lesson-lab';

function key(k: string, shift = false): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey: shift, bubbles: true }));
}

describe('a question holds the lab', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  async function setUp() {
    const pinia = createPinia();
    setActivePinia(pinia);
    const ui = useUiStore();
    ui.setLang('en');
    const { lab, sent } = lessonLab();
    const lessons = useLessonStore();
    expect(await lessons.start('server-setup')).toBe(true);
    const scope = effectScope();
    scope.run(() => useShortcuts(window, false));
    const panel = () =>
      mount(ActorPanel, {
        props: { actor: lab.liveView.actors.server!, view: lab.liveView, now: Date.now() },
        global: { plugins: [pinia] },
      });
    const sidebar = mount(LessonSidebar, { global: { plugins: [pinia] } });
    return { ui, lab, sent, lessons, scope, panel, sidebar };
  }

  it('holds the panel buttons and the keys until the answer, then lets them go', async () => {
    const { ui, sent, lessons, scope, panel, sidebar } = await setUp();
    expect(lessons.step?.question).toBeDefined();
    expect(lessons.holding).toBe(true);

    const w = panel();
    for (const b of ['step', 'next', 'run', 'interrupt'])
      expect(w.get(`[data-test="${b}-server"]`).attributes('disabled')).toBeDefined();
    expect(w.get('[data-test="held-server"]').text()).toBe(
      'Answer the lesson’s question first: the lab waits for your prediction.',
    );

    // The keys: one statement, the next call, Run. Nothing reaches the lab.
    ui.toggle('lessons', false);
    key('s');
    key('d');
    key('S', true);
    await flushPromises();
    expect(moves(sent)).toEqual([]);
    expect(lessons.heldPresses).toBe(3);
    // A held press brings the question into view, and the sidebar says why nothing moved.
    expect(ui.panels.lessons).toBe(true);
    await shown(sidebar, '[data-test="lesson-held"]');
    expect(sidebar.get('[data-test="lesson-held"]').text()).toContain('answer the question above first');

    // Answer: the hold goes, the same key steps the server.
    await sidebar.get('[data-test="lesson-choice-0"]').trigger('click');
    expect(lessons.holding).toBe(false);
    expect(sidebar.find('[data-test="lesson-held"]').exists()).toBe(false);
    const after = panel();
    expect(after.get('[data-test="next-server"]').attributes('disabled')).toBeUndefined();
    expect(after.find('[data-test="held-server"]').exists()).toBe(false);
    key('d');
    await flushPromises();
    expect(moves(sent)).toEqual([{ type: 'step', actor: 'server', unit: 'call' }]);
    scope.stop();
    sidebar.unmount();
  });

  it('holds the menu’s actions too, for the lesson’s actors only', async () => {
    const { sent, lessons, scope } = await setUp();
    const act = scope.run(() => useMenuActions())!;
    act({ type: 'step', actor: 'server' });
    act({ type: 'run', actor: 'client' });
    await flushPromises();
    expect(moves(sent)).toEqual([]);
    expect(lessons.heldPresses).toBe(2);
    // An actor the lesson never names is not the lesson's.
    expect(lessons.holds('client7')).toBe(false);
    expect([...lessonActors(lessons.lesson!)].sort()).toEqual(['client', 'server']);
    // Outside the lesson nothing is held.
    lessons.leave();
    act({ type: 'step', actor: 'server' });
    await flushPromises();
    expect(moves(sent)).toEqual([{ type: 'step', actor: 'server' }]);
    scope.stop();
  });

  it('holds nothing in a step without a question', async () => {
    const { lessons, sent, scope } = await setUp();
    lessons.choose(0);
    await lessons.act();
    // Step 2 of the first lesson has no question.
    expect(lessons.lesson!.steps[1]!.question).toBeUndefined();
    lessons.status = 'passed';
    lessons.next();
    expect(lessons.stepIndex).toBe(1);
    expect(lessons.holding).toBe(false);
    key('d');
    await flushPromises();
    expect(moves(sent).at(-1)).toEqual({ type: 'step', actor: 'server', unit: 'call' });
    scope.stop();
  });
});

describe('the sandbox under a question', () => {
  it('is held too: its Make button waits, and Enter makes no call', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const { sent } = lessonLab();
    const lessons = useLessonStore();
    expect(await lessons.start('server-setup')).toBe(true);
    expect(lessons.holding).toBe(true);
    const w = mount(SandboxPalette, { global: { plugins: [pinia] } });
    await nextTick();
    expect(w.get('[data-test="sandbox-make"]').attributes('disabled')).toBeDefined();
    expect(w.get('[data-test="sandbox-held"]').text()).toContain('Answer the lesson’s question first');
    const before = sent.length;
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(sent.length).toBe(before);
    w.unmount();
  });
});
