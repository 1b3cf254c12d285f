/** Vite's `?url` imports (the wasm files of the C parser): the asset's URL. */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
