/**
 * Parts of the window that are chunks of their own (defineAsyncComponent: the lesson runner,
 * the sandbox, the keyboard help) render once their module is in. `shown` waits for that:
 * it imports those modules (vitest transforms them on first import, which takes real time),
 * then lets the loader's promise and the re-render run (flushPromises uses the real
 * setImmediate, captured before any fake timers), a bounded number of times, until
 * `selector` is there.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';

/** Wait until `selector` is in `w` (its lazy part loaded and drawn); fails if it never comes. */
export async function shown(w: VueWrapper, selector: string): Promise<void> {
  await Promise.all([
    import('@/components/lessons/LessonRunner.vue'),
    import('@/components/sandbox/SandboxPalette.vue'),
    import('@/components/header/HelpDialog.vue'),
  ]);
  for (let i = 0; i < 200; i++) {
    if (w.find(selector).exists()) return;
    await flushPromises();
  }
  throw new Error(`${selector} was not drawn: its part did not load`);
}
