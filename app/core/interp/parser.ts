/**
 * The C grammar: tree-sitter-c's WebAssembly build through web-tree-sitter (no native build),
 * loaded once per process. The same grammar parses in the window.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { plainTree, type SNode } from './ast';
import { markTypedefCasts } from './casts';

let loading: Promise<Parser> | null = null;

/** The wasm files: found through Node's resolution, so they work from the repository and from a packaged app. */
function wasmPaths(): { runtime: string; grammar: string } {
  const require = createRequire(import.meta.url);
  return {
    runtime: require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    grammar: require.resolve('tree-sitter-c/tree-sitter-c.wasm'),
  };
}

/** The parser, loaded on first use. */
export function cParser(): Promise<Parser> {
  loading ??= (async () => {
    const { runtime, grammar } = wasmPaths();
    await Parser.init({ locateFile: () => runtime });
    const lang = await Language.load(grammar);
    const p = new Parser();
    p.setLanguage(lang);
    return p;
  })();
  return loading;
}

/** Parse a C source. */
export async function parseC(source: string): Promise<Tree> {
  const p = await cParser();
  const t = p.parse(source);
  if (!t) throw new Error('tree-sitter gave no tree');
  return t;
}

/** A #define's value as an expression: parsed on its own, inside a function. */
export async function macroParser(): Promise<(text: string) => SNode | null> {
  const p = await cParser();
  return (text: string) => {
    const src = `void __m(void) { (${text}); }`;
    const t = p.parse(src);
    if (!t) return null;
    try {
      const root = markTypedefCasts(plainTree(t, src));
      const stmt = root.namedChild(0)?.childForFieldName('body')?.namedChild(0);
      const e = stmt?.type === 'expression_statement' ? stmt.namedChild(0) : null;
      if (!e || e.hasError) return null;
      return e.type === 'parenthesized_expression' ? e.namedChild(0) : e;
    } finally {
      t.delete();
    }
  };
}
