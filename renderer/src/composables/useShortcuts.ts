/**
 * The window's keyboard shortcuts (listed in HelpDialog.vue and in the buttons' titles).
 * They act only when no text field has focus and no modifier other than Shift is held.
 */
import { getCurrentScope, onScopeDispose } from 'vue';
import { useLabStore } from '../stores/lab';
import { useUiStore } from '../stores/ui';

/** Whether a key event comes from a place that takes typed text. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Install the shortcuts on `target` (the window); removed when the calling scope ends. */
export function useShortcuts(target: EventTarget = globalThis): () => void {
  const lab = useLabStore();
  const ui = useUiStore();

  /** The actor an interrupt goes to: the most recently blocked one. */
  function blockedActor(): string | null {
    const v = lab.liveView;
    let best: { id: string; seq: number } | null = null;
    for (const id of v.actorOrder) {
      const c = v.actors[id]?.current;
      if (c?.blocked && (!best || c.startedSeq > best.seq)) best = { id, seq: c.startedSeq };
    }
    return best?.id ?? null;
  }

  function onKey(ev: Event): void {
    const e = ev as KeyboardEvent;
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || ui.panels.help) return;
    const live = lab.live;
    let done = true;
    switch (e.key) {
      case 'c':
        if (live) void lab.step('client');
        break;
      case 'C':
        if (live) void lab.run('client');
        break;
      case 's':
        if (live) void lab.step('server');
        break;
      case 'S':
        if (live) void lab.run('server');
        break;
      case 'i': {
        const a = blockedActor();
        if (live && a) void lab.interrupt(a);
        break;
      }
      case 'r':
        void lab.reset();
        break;
      case 'a':
        if (live) void lab.addClient();
        break;
      case 'ArrowLeft':
        lab.stepBack();
        break;
      case 'ArrowRight':
        lab.stepForward();
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

  target.addEventListener('keydown', onKey);
  const stop = () => target.removeEventListener('keydown', onKey);
  if (getCurrentScope()) onScopeDispose(stop);
  return stop;
}
