/**
 * The state diagram's view is kept while what it shows is the same: a batch that changes
 * only queues (a transfer) leaves it; a state change, a socket more, gives the new view.
 */
import { describe, expect, it } from 'vitest';
import { shallowRef } from 'vue';
import { reduceAll, type ViewState } from '@contract';
import { diagramKey, useDiagramView } from '@/components/lab/diagram-view';
import { classicEvents } from './fixtures/classic';

describe('the state diagram’s view', () => {
  it('is the last one shown until a socket’s state, owner or last transition changes', () => {
    const at = (n: number) => reduceAll(classicEvents, n);
    const source = shallowRef<ViewState>(at(0));
    const shown = useDiagramView(() => source.value);
    let changes = 0;
    let was = shown.value;
    for (let n = 1; n <= classicEvents.length; n++) {
      const prevKey = diagramKey(source.value);
      source.value = at(n);
      const same = diagramKey(source.value) === prevKey;
      // Kept exactly when nothing the diagram shows changed.
      expect(shown.value === was, `event ${n} (${classicEvents[n - 1]!.type})`).toBe(same);
      if (same) expect(shown.value).not.toBe(source.value);
      else {
        expect(shown.value).toBe(source.value);
        changes++;
      }
      was = shown.value;
    }
    // The buffers' and queues' events leave it; the sockets' states and calls do not.
    const kept = classicEvents.filter((e) => e.type === 'socket.buffers' || e.type === 'socket.queue').length;
    expect(kept).toBeGreaterThan(0);
    expect(changes).toBeLessThan(classicEvents.length - kept + 1);
    expect(changes).toBeGreaterThan(5);
  });
});
