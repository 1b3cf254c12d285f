/**
 * The window's C parser in Node: the wasm files read from node_modules (the window fetches
 * them as Vite assets). Import this module before mounting a program pane.
 */
import { setWasmSources } from '@/components/program/c-parser';

// The renderer's tsconfig has no Node types: Node's fs, reached through the process object
// (tests run from the repository's root).
const proc = (globalThis as unknown as { process: { cwd(): string; getBuiltinModule(id: string): unknown } })
  .process;
const fs = proc.getBuiltinModule('node:fs') as { readFileSync(path: string): Uint8Array };
const read = (path: string) => new Uint8Array(fs.readFileSync(`${proc.cwd()}/node_modules/${path}`));

setWasmSources({
  runtime: read('web-tree-sitter/web-tree-sitter.wasm'),
  grammar: read('tree-sitter-c/tree-sitter-c.wasm'),
});
