/**
 * CodeMirror's styles under the window's CSP. CodeMirror mounts its themes with style-mod,
 * which writes a <style> element into a document (adopted stylesheets only into shadow
 * roots); the CSP (style-src 'self', app/host/csp.ts) refuses the element's text. Here a
 * document gets a constructed stylesheet instead, adopted by the document: filled through
 * the CSSOM, which the CSP does not govern, with the same modules in the same order as
 * style-mod keeps them. Where constructed stylesheets are missing, style-mod does as before.
 *
 * Imported once by codemirror-setup.ts, before any editor exists.
 */
import { StyleModule } from 'style-mod';

interface SheetSet {
  sheet: CSSStyleSheet;
  modules: StyleModule[];
}
const sets = new WeakMap<Document, SheetSet>();

function isDocument(root: unknown): root is Document {
  return (root as { nodeType?: number }).nodeType === 9;
}

/** Mount `modules` on `doc` through an adopted sheet; false when the browser cannot. */
function mountAdopted(doc: Document, modules: readonly StyleModule[]): boolean {
  const win = doc.defaultView;
  if (
    !win ||
    !Array.isArray(doc.adoptedStyleSheets) ||
    typeof win.CSSStyleSheet?.prototype.replaceSync !== 'function'
  )
    return false;
  let set = sets.get(doc);
  if (!set) {
    set = { sheet: new win.CSSStyleSheet(), modules: [] };
    sets.set(doc, set);
  }
  // style-mod's order: each module after the one before it in the list; a module found
  // before its place moves.
  let j = 0;
  let changed = false;
  for (const mod of modules) {
    let index = set.modules.indexOf(mod);
    if (index > -1 && index < j) {
      set.modules.splice(index, 1);
      j--;
      index = -1;
    }
    if (index === -1) {
      set.modules.splice(j++, 0, mod);
      changed = true;
    } else j = index + 1;
  }
  if (changed) set.sheet.replaceSync(set.modules.map((m) => m.getRules()).join('\n'));
  if (!doc.adoptedStyleSheets.includes(set.sheet))
    doc.adoptedStyleSheets = [set.sheet, ...doc.adoptedStyleSheets];
  return true;
}

const mountWithStyleTag = StyleModule.mount.bind(StyleModule);
StyleModule.mount = (root, modules, options) => {
  const list: readonly StyleModule[] = Array.isArray(modules) ? modules : [modules as StyleModule];
  if (isDocument(root) && mountAdopted(root, list)) return;
  mountWithStyleTag(root, modules, options);
};
