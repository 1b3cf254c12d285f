/**
 * Parsing C in the window: web-tree-sitter and the tree-sitter-c grammar (both WebAssembly),
 * loaded once on first use, parse the editor's text as the student types. What is wrong with
 * it comes back as problems at a line and column (both from 1, columns in UTF-16 code units
 * as the editor counts them): the lab's subset check (app/contract/c/subset.ts, the same rules
 * the engine and lessons:check apply, syntax errors included).
 *
 * The wasm files are Vite `?url` assets: the window's CSP allows compiling them
 * ('wasm-unsafe-eval' in script-src, app/host/csp.ts).
 */
import type { Parser as TsParser } from 'web-tree-sitter';
import { checkProgram } from '@contract/c/subset';
import type { ProgramProblem, Sayable } from '@contract';
import { translate, type Lang, type MessageKey, type MessageParams } from '@/i18n';
import { say } from '@/i18n/say';
import runtimeWasm from 'web-tree-sitter/web-tree-sitter.wasm?url';
import grammarWasm from 'tree-sitter-c/tree-sitter-c.wasm?url';

/** A text of the window's own catalog (en.ts, zh-CN.ts): the syntax problems found here. */
export interface WindowText {
  key: MessageKey;
  params?: MessageParams;
}

/** A problem of a source, as the editor shows it: the engine's words, or the window's. */
export type EditorProblem = Omit<ProgramProblem, 'text'> & { text: Sayable | WindowText };

/** A problem's text in `lang`. */
export function problemText(p: EditorProblem, lang: Lang): string {
  const t = p.text;
  if (typeof t === 'object' && 'key' in t) return translate(lang, t.key, t.params);
  return say(t, lang);
}

/** Where the wasm files come from: URLs (the window), or their bytes (tests in Node). */
export interface WasmSources {
  runtime: string | Uint8Array;
  grammar: string | Uint8Array;
}

let sources: WasmSources = { runtime: runtimeWasm, grammar: grammarWasm };
let loading: Promise<TsParser> | null = null;

/** Use other wasm files (tests read them from node_modules); forgets a parser already loaded. */
export function setWasmSources(s: WasmSources): void {
  sources = s;
  loading = null;
}

/** The parser, loaded once (the runtime, then the C grammar). */
export function loadParser(): Promise<TsParser> {
  loading ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    const { runtime, grammar } = sources;
    await Parser.init(
      typeof runtime === 'string' ? { locateFile: () => runtime } : { wasmBinary: runtime.slice().buffer },
    );
    const language = await Language.load(typeof grammar === 'string' ? await bytesOf(grammar) : grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  // A failed load (a missing file, a CSP refusal) is tried again on the next parse.
  loading.catch(() => (loading = null));
  return loading;
}

/**
 * A file's bytes: fetched, or read with XMLHttpRequest from a file:// page (Electron loads
 * the window from a file, where fetch refuses the file: scheme).
 */
async function bytesOf(url: string): Promise<Uint8Array> {
  const abs = new URL(url, globalThis.location?.href);
  if (abs.protocol !== 'file:') {
    const r = await fetch(abs);
    if (!r.ok) throw new Error(`${abs.pathname}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', abs.href);
    xhr.responseType = 'arraybuffer';
    xhr.onload = () => resolve(new Uint8Array(xhr.response as ArrayBuffer));
    xhr.onerror = () => reject(new Error(`${abs.pathname}: cannot be read`));
    xhr.send();
  });
}

/** Most problems reported for one source (a broken file yields an ERROR node per token). */
const MAX_PROBLEMS = 50;

/** What is wrong with `source`: [] when it parses (and stays inside the subset). */
export async function checkSource(source: string): Promise<EditorProblem[]> {
  const parser = await loadParser();
  const tree = parser.parse(source);
  if (!tree) return [];
  try {
    return checkProgram(tree.rootNode).slice(0, MAX_PROBLEMS);
  } finally {
    tree.delete();
  }
}
