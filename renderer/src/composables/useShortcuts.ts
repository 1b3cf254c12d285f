/**
 * The window's keyboard shortcuts and the application menu's actions. The lab keys (c, s,
 * v, d, Shift+C, Shift+S, i, r, p, F1, F5) come from the shared table in
 * app/contract/shortcuts.ts, which the Electron menu shows too; the window adds its own (a,
 * ←, →, l, ?, [ and ] for the replay speed, + and − for the text size and Esc to leave in
 * presentation mode). Plain keys act only when no text field has focus.
 */
import { useEventListener } from '@vueuse/core';
import type { MenuAction } from '@contract/menu';
import { matchShortcut } from '@contract/shortcuts';
import { useProgramStore } from '@/stores/program';
import { useLessonHold } from '@/lessons/hold';
import { useLabStore } from '@/stores/lab';
import { usePlaybackStore } from '@/stores/playback';
import { useUiStore } from '@/stores/ui';
import { useFileStore } from '@/stores/files';
import { own } from '@contract/own';

/** Whether a key event comes from a place that takes typed text. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Carry out a menu action (from a shortcut or the Electron menu); false if not the window's to do. */
export function useMenuActions(): (a: MenuAction) => boolean {
  const lab = useLabStore();
  const ui = useUiStore();
  const files = useFileStore();
  const programs = useProgramStore();
  const playback = usePlaybackStore();
  // While a lesson's question is unanswered, its actors' Step, Run and Interrupt wait for it.
  const hold = useLessonHold();

  /** The actor an interrupt goes to: the most recently blocked one. */
  function blockedActor(): string | null {
    const v = lab.liveView;
    let best: { id: string; seq: number } | null = null;
    for (const id of v.actorOrder) {
      const c = own(v.actors, id)?.current;
      if (c?.blocked && (!best || c.startedSeq > best.seq)) best = { id, seq: c.startedSeq };
    }
    return best?.id ?? null;
  }

  return (a: MenuAction): boolean => {
    switch (a.type) {
      case 'step':
        if (lab.live && !hold.refuse(a.actor)) void lab.step(a.actor, a.unit);
        return true;
      case 'run':
        if (lab.live && !hold.refuse(a.actor)) void programs.run(a.actor);
        return true;
      case 'interrupt': {
        const who = blockedActor();
        if (lab.live && who && !hold.refuse(who)) void lab.interrupt(who);
        return true;
      }
      case 'reset':
        void lab.reset();
        return true;
      case 'lessons':
        ui.toggle('lessons');
        return true;
      case 'language':
        ui.setLang(a.language);
        return true;
      case 'theme':
        if (a.theme === 'system') ui.followSystemTheme();
        else ui.setTheme(a.theme);
        return true;
      case 'about':
        ui.toggle('help', true);
        return true;
      case 'openTrace':
        files.requestOpen();
        return true;
      case 'saveTrace':
        files.save();
        return true;
      case 'export':
        files.exportOpen = true;
        return true;
      case 'presentation':
        ui.setPresentation();
        return true;
      case 'play':
        playback.toggle();
        return true;
      default:
        return false;
    }
  };
}

/** Install the shortcuts on `target` (the window); removed when the calling scope ends. */
export function useShortcuts(
  target: EventTarget = globalThis,
  isMac = /Mac/.test(globalThis.navigator?.platform ?? ''),
): () => void {
  const ui = useUiStore();
  const playback = usePlaybackStore();
  const act = useMenuActions();
  const lab = useLabStore();
  const hold = useLessonHold();

  function onKey(ev: Event): void {
    const e = ev as KeyboardEvent;
    if (ui.panels.help) return; // the dialog has the keyboard; Esc closes it
    const s = matchShortcut(e, isMac);
    if (s) {
      if (s.plain && typing(e.target)) return;
      if (act(s.action)) e.preventDefault();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    let done = true;
    switch (e.key) {
      case 'a':
        if (lab.live && !hold.refuseLab()) void lab.addClient();
        break;
      case 'ArrowLeft':
        if (e.shiftKey) {
          playback.pause();
          lab.milestoneBack();
        } else playback.stepOneBack();
        break;
      case 'ArrowRight':
        if (e.shiftKey) {
          playback.pause();
          lab.milestoneForward();
        } else playback.stepOne();
        break;
      case '[':
        playback.stepSpeed(-1);
        break;
      case ']':
        playback.stepSpeed(1);
        break;
      case '+':
      case '=':
        if (ui.presentation) ui.stepTextScale(1);
        else done = false;
        break;
      case '-':
        if (ui.presentation) ui.stepTextScale(-1);
        else done = false;
        break;
      case 'Escape':
        if (ui.presentation) ui.setPresentation(false);
        else done = false;
        break;
      case 'l':
        lab.goLive();
        break;
      case '?':
        ui.toggle('help', true);
        break;
      default:
        done = false;
    }
    if (done) e.preventDefault();
  }

  // VueUse removes the listener when the calling scope ends; `stop` removes it sooner.
  return useEventListener(target, 'keydown', onKey);
}
