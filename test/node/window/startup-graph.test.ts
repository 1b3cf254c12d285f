/**
 * The window's start-up modules (build/startup-graph.ts: the static imports of
 * renderer/src/main.ts) import no zod: its checks load after the first paint
 * (renderer/src/api/validate.ts, the bundled lessons' chunk), which keeps zod, a quarter of
 * the window's script, out of what runs before it (issue 13; `npm run bench -- bundle`).
 */
import { describe, expect, it } from 'vitest';
import { startupGraph, valueImports } from '../../../build/startup-graph';

describe("the window's start-up graph", () => {
  const graph = startupGraph();

  it('holds the window that draws the first frame', () => {
    for (const f of [
      'renderer/src/main.ts',
      'renderer/src/App.vue',
      'renderer/src/stores/lab.ts',
      'renderer/src/components/LadderDiagram.vue',
      'app/contract/reducer.ts',
    ])
      expect(graph.has(f), f).toBe(true);
    expect([...graph.values()].flat()).toContain('vue');
  });

  it('imports no zod', () => {
    const withZod = [...graph].filter(([, pkgs]) => pkgs.some((p) => p === 'zod' || p.startsWith('zod/')));
    expect(withZod.map(([f]) => f)).toEqual([]);
  });

  it('follows value imports only: not `import type`, not `import()`', () => {
    const code = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { d, type E } from './d';",
      "import f from './f';",
      "import './g.css';",
      "export { h } from './h';",
      "export type { I } from './i';",
      "const j = () => import('./j');",
    ].join('\n');
    expect(valueImports(code)).toEqual(['./d', './f', './g.css', './h']);
  });

  it('would see zod if a start-up module imported it', () => {
    // The check above is only as good as the walk: a module that imports zod is listed with it.
    const g = startupGraph(new URL('../../../app/contract/basics.ts', import.meta.url).pathname);
    expect(g.get('app/contract/basics.ts')).toContain('zod');
  });
});
