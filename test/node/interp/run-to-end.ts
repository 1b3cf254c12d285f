/** Running lab programs to their ends, for tests and scripts (no vitest import). */
import type { Lab } from '../../../app/core/lab';

/** Resolves when `pred` holds of the lab's view (checked after every event). */
function until(lab: Lab, pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (pred()) return resolve();
    const off = lab.subscribe(() => {
      if (pred()) {
        off();
        resolve();
      }
    });
  });
}

/** Run every actor whenever it is free, until all have ended (at most `max` rounds). */
export async function runToEnd(lab: Lab, actors: string[], max = 200): Promise<void> {
  const ended = () => actors.every((a) => lab.view().actors[a]?.end);
  const free = (a: string) => {
    const x = lab.view().actors[a];
    return !!x && !x.end && !x.current;
  };
  for (let i = 0; i < max && !ended(); i++) {
    const go = actors.filter(free);
    if (go.length) for (const a of go) await lab.execute({ type: 'run', actor: a });
    else await until(lab, () => ended() || actors.some(free));
  }
}
