/**
 * The window's Content-Security-Policy, one definition for both carriers: the Electron main
 * process adds it to every response (app/main/window.ts) and browser mode sends it with every
 * file (app/web/server.ts). renderer/index.html carries the same policy in a meta tag, for
 * file:// pages where response headers do not apply.
 *
 * Only the app's own scripts, styles, images and fonts; no eval (WebAssembly may compile:
 * 'wasm-unsafe-eval', for the C parser), no inline script, no
 * plugins, no frames, no forms, no base-URI tricks. Vue applies bindings through the CSSOM
 * (element.style), which style-src does not govern, so no 'unsafe-inline' is needed.
 */

/** Options for contentSecurityPolicy. */
export interface CspOptions {
  /**
   * Extra sources for connect-src, e.g. the WebSocket address of browser mode
   * (`ws://127.0.0.1:PORT`): 'self' covers ws: only in newer browsers, so it is named.
   */
  connect?: string[];
  /** Allow <style> elements: only the Vite dev server needs it (it injects styles). */
  inlineStyles?: boolean;
}

/** The policy as one header value. */
export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    // 'wasm-unsafe-eval' lets WebAssembly compile (the window's C parser, web-tree-sitter);
    // it allows no eval of JavaScript.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': opts.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(opts.connect ?? [])],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}
