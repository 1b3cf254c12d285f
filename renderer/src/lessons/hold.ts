/**
 * The lesson's hold on the lab's own controls, for the actor panels and the keys (and the
 * Electron menu, which goes through the same actions): while the current step's question is
 * unanswered, Step, Next call, Run and Interrupt for the lesson's actors wait, with a message
 * saying to answer first, and so do their program editors' Apply and Restart (either would
 * run the program again) and Add client (a new actor in the lesson's lab). A held key or
 * menu press opens the Lessons sidebar, where the question is, and the runner says why
 * nothing moved (components/lessons/LessonRunner.vue).
 */
import { computed } from 'vue';
import { useUiStore } from '@/stores/ui';
import { ls } from './strings';
import { useLessonStore } from '@/stores/lessons';

/** Whether an actor's controls are held, why in the window's language, and what a held press does. */
export function useLessonHold() {
  const lessons = useLessonStore();
  const ui = useUiStore();
  return {
    /** Whether the lab's own Step, Next call, Run and Interrupt for `actor` wait for the answer. */
    held: (actor: string): boolean => lessons.holds(actor),
    /** What the held controls say. */
    message: computed(() => ls(ui.lang, 'heldAnswerFirst')),
    /**
     * Hold a press for `actor` if the lesson holds it: the question is shown and the press
     * counted. True when the press was held (the caller then does nothing).
     */
    refuse(actor: string): boolean {
      if (!lessons.holds(actor)) return false;
      lessons.heldPress();
      ui.toggle('lessons', true);
      return true;
    },
    /** Whether the lab as a whole waits for the answer (Add client): any question unanswered. */
    labHeld: computed(() => lessons.holding),
    /** Hold a press that acts on the whole lab (the `a` key); true when held. */
    refuseLab(): boolean {
      if (!lessons.holding) return false;
      lessons.heldPress();
      ui.toggle('lessons', true);
      return true;
    },
  };
}
