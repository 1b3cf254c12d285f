/**
 * The program editor's CodeMirror 6 configuration: C highlighting (@codemirror/lang-cpp),
 * line numbers, a breakpoint gutter, the program's current line, parse problems as lint
 * diagnostics, read-only while the actor is in a call.
 *
 * Keyboard: CodeMirror's own keymap; Tab is not bound (it moves focus on, no keyboard trap;
 * Ctrl+] and Ctrl+[ indent), Escape leaves the editor (so the lab's letter shortcuts work
 * again), F9 toggles a breakpoint on the cursor's line, Ctrl/Cmd+Enter applies the program.
 */
import { cpp } from '@codemirror/lang-cpp';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import {
  Compartment,
  EditorState,
  RangeSet,
  StateEffect,
  StateField,
  type Extension,
  type Text,
} from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  gutter,
  GutterMarker,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { normalizeLines } from './breakpoints';
import './csp-styles';

/** What the editor tells its component. */
export interface EditorHooks {
  /** The text changed (typed, pasted, undone). */
  onDocChange(text: string): void;
  /** The breakpoint lines changed (a gutter click, F9, or lines moved by an edit). */
  onBreakpoints(lines: number[]): void;
  /** Ctrl/Cmd+Enter. */
  onApply(): void;
  /** Escape: the component moves focus out of the editor. */
  onEscape(): void;
}

// ---------------------------------------------------------------------------------------
// Breakpoints: markers at line starts, mapped through edits.

class BreakpointMarker extends GutterMarker {
  override eq(other: GutterMarker): boolean {
    return other instanceof BreakpointMarker;
  }
  override toDOM(): globalThis.Node {
    const el = document.createElement('span');
    el.className = 'cm-bp-dot';
    el.textContent = '●';
    return el;
  }
}
const breakpointMarker = new BreakpointMarker();

/** Set the breakpoints to these lines (1-based). */
const setBreakpointsEffect = StateEffect.define<number[]>();
/** Add or remove the breakpoint of the line starting at this position. */
const toggleBreakpointEffect = StateEffect.define<number>({ map: (pos, m) => m.mapPos(pos) });

function markersAt(doc: Text, lines: readonly number[]): RangeSet<GutterMarker> {
  return RangeSet.of(
    normalizeLines(lines)
      .filter((n) => n <= doc.lines)
      .map((n) => breakpointMarker.range(doc.line(n).from)),
  );
}

const breakpointField = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(set, tr) {
    set = set.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setBreakpointsEffect)) set = markersAt(tr.newDoc, e.value);
      else if (e.is(toggleBreakpointEffect)) {
        const pos = e.value;
        let had = false;
        set.between(pos, pos, () => {
          had = true;
        });
        set = had
          ? set.update({ filter: (from) => from !== pos })
          : set.update({ add: [breakpointMarker.range(pos)] });
      }
    }
    return set;
  },
});

/** The breakpoint lines of a state (1-based, ascending, no duplicates). */
export function breakpointLines(state: EditorState): number[] {
  const out: number[] = [];
  const iter = state.field(breakpointField).iter();
  for (; iter.value; iter.next()) out.push(state.doc.lineAt(iter.from).number);
  return normalizeLines(out);
}

/** Toggle the breakpoint of a line (1-based). */
export function toggleBreakpoint(view: EditorView, line: number): void {
  if (line < 1 || line > view.state.doc.lines) return;
  view.dispatch({ effects: toggleBreakpointEffect.of(view.state.doc.line(line).from) });
}

/** Show exactly these breakpoint lines. */
export function setBreakpointLines(view: EditorView, lines: readonly number[]): void {
  view.dispatch({ effects: setBreakpointsEffect.of([...lines]) });
}

const breakpointLineDeco = Decoration.line({ class: 'cm-bp-line' });

const breakpointGutter: Extension = [
  breakpointField,
  gutter({
    class: 'cm-bp-gutter',
    markers: (v) => v.state.field(breakpointField),
    initialSpacer: () => breakpointMarker,
    domEventHandlers: {
      mousedown(view, line) {
        view.dispatch({ effects: toggleBreakpointEffect.of(line.from) });
        return true;
      },
    },
  }),
  EditorView.decorations.compute([breakpointField], (state) => {
    const ranges = [];
    const iter = state.field(breakpointField).iter();
    for (; iter.value; iter.next()) ranges.push(breakpointLineDeco.range(iter.from));
    return Decoration.set(ranges, true);
  }),
];

// ---------------------------------------------------------------------------------------
// The current line: the statement the program runs next, or the call it is in.

/** How the current line is marked: the next statement, a call that is blocked, or where the program faulted. */
export type PcKind = 'next' | 'blocked' | 'fault';

const setPcEffect = StateEffect.define<{ line: number; kind: PcKind } | null>();
const pcDeco: Record<PcKind, Decoration> = {
  next: Decoration.line({ class: 'cm-pc-line', attributes: { 'data-pc': 'next', 'aria-current': 'step' } }),
  blocked: Decoration.line({
    class: 'cm-pc-line cm-pc-blocked',
    attributes: { 'data-pc': 'blocked', 'aria-current': 'step' },
  }),
  fault: Decoration.line({ class: 'cm-pc-line cm-pc-fault', attributes: { 'data-pc': 'fault' } }),
};

const pcField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setPcEffect)) continue;
      const v = e.value;
      deco =
        v && v.line >= 1 && v.line <= tr.newDoc.lines
          ? Decoration.set([pcDeco[v.kind].range(tr.newDoc.line(v.line).from)])
          : Decoration.none;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Mark the current line (or none), and scroll the editor (only the editor) to it. */
export function setPcLine(view: EditorView, line: number | null, kind: PcKind): void {
  view.dispatch({ effects: setPcEffect.of(line === null ? null : { line, kind }) });
  scrollToLine(view, line);
}

/**
 * Where the actor is, in one transaction: the current line and its kind, and whether the text
 * is read-only (the actor is in a call). Scrolls to the line only when `moved`: while a
 * transfer's calls come and go on one line, the editor changes a mark, nothing else.
 */
export function markRun(
  view: EditorView,
  at: { line: number | null; kind: PcKind; readOnly: boolean },
  moved: boolean,
): void {
  const { line, kind, readOnly } = at;
  view.dispatch({
    effects: [setPcEffect.of(line === null ? null : { line, kind }), setReadOnlyEffect.of(readOnly)],
  });
  if (moved) scrollToLine(view, line);
}

/** Scroll the editor's own scroller so `line` is in view (from the next measure). */
function scrollToLine(view: EditorView, line: number | null): void {
  if (line === null || line > view.state.doc.lines) return;
  const pos = view.state.doc.line(line).from;
  // Scrolling the editor's own scroller, not the page: two actors step side by side, and a
  // step of one must not move the window away from the other.
  view.requestMeasure({
    read: (v) => {
      const block = v.lineBlockAt(pos);
      const el = v.scrollDOM;
      const top = block.top + v.documentPadding.top;
      if (top < el.scrollTop || top + block.height > el.scrollTop + el.clientHeight)
        return Math.max(0, top - el.clientHeight / 3);
      return null;
    },
    write: (to, v) => {
      if (to !== null) v.scrollDOM.scrollTop = to;
    },
  });
}

// ---------------------------------------------------------------------------------------
// Problems (lint diagnostics) and the document.

/** A problem at lines and columns from 1, already said in the window's language. */
export interface EditorDiagnostic {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  message: string;
}

/** A line and column (from 1) as a document position, clamped into the document. */
function posOf(state: EditorState, line: number, col: number): number {
  const l = state.doc.line(Math.max(1, Math.min(line, state.doc.lines)));
  return Math.min(l.to, l.from + Math.max(0, col - 1));
}

/** Show these problems inline (underlined, with the message on hover and in the lint panel). */
export function showProblems(view: EditorView, problems: readonly EditorDiagnostic[]): void {
  const st = view.state;
  const diags: Diagnostic[] = problems.map((p) => {
    const from = posOf(st, p.line, p.col);
    const to = Math.max(from, posOf(st, p.endLine, p.endCol));
    return { from, to, severity: 'error', message: p.message };
  });
  view.dispatch(setDiagnostics(st, diags));
}

/** Replace the whole text (a program loaded from outside), keeping breakpoints by line. */
export function replaceDoc(view: EditorView, text: string): void {
  if (view.state.doc.toString() === text) return;
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    effects: setBreakpointsEffect.of(breakpointLines(view.state)),
  });
}

// ---------------------------------------------------------------------------------------
// Read-only, the label, highlighting.

// Read-only is a field an effect sets, not a compartment: reconfiguring one rebuilds the
// editor's whole configuration, and an actor goes in and out of calls every frame of a transfer.
const setReadOnlyEffect = StateEffect.define<boolean>();
const readOnlyField = StateField.define<boolean>({
  create: () => false,
  update(ro, tr) {
    for (const e of tr.effects) if (e.is(setReadOnlyEffect)) ro = e.value;
    return ro;
  },
  provide: (f) => EditorState.readOnly.from(f),
});
const labelCompartment = new Compartment();

/** The editor's accessible name. */
export function setLabel(view: EditorView, label: string): void {
  view.dispatch({
    effects: labelCompartment.reconfigure(EditorView.contentAttributes.of({ 'aria-label': label })),
  });
}

/** Colours from CSS variables (ProgramEditor.vue defines them for both themes). */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.modifier], color: 'var(--cm-keyword)' },
  { tag: [tags.typeName, tags.standard(tags.typeName)], color: 'var(--cm-type)' },
  { tag: [tags.string, tags.character, tags.special(tags.string)], color: 'var(--cm-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--cm-number)' },
  {
    tag: [tags.comment, tags.lineComment, tags.blockComment],
    color: 'var(--cm-comment)',
    fontStyle: 'italic',
  },
  { tag: [tags.processingInstruction, tags.macroName], color: 'var(--cm-macro)' },
  { tag: [tags.function(tags.variableName)], color: 'var(--cm-function)' },
  { tag: tags.invalid, color: 'var(--err)' },
]);

const baseTheme = EditorView.theme({
  '&': { fontSize: '12.5px', backgroundColor: 'var(--panel-2)', color: 'var(--text)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-gutters': {
    backgroundColor: 'var(--panel-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-bp-gutter': { width: '1.3em', cursor: 'pointer' },
  '.cm-bp-gutter .cm-gutterElement': { textAlign: 'center' },
  '.cm-bp-dot': { color: 'var(--err)', fontSize: '11px' },
  '.cm-bp-line': { boxShadow: 'inset 3px 0 0 var(--err)' },
  '.cm-pc-line': { backgroundColor: 'var(--current-bg)', boxShadow: 'inset 3px 0 0 var(--ok)' },
  '.cm-pc-line.cm-pc-blocked': {
    backgroundColor: 'var(--blocked-bg)',
    boxShadow: 'inset 3px 0 0 var(--warn)',
  },
  '.cm-pc-line.cm-pc-fault': { backgroundColor: 'var(--err-bg)', boxShadow: 'inset 3px 0 0 var(--err)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--cm-selection)',
  },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
});

/** Options of a new editor. */
export interface EditorOptions {
  doc: string;
  readOnly: boolean;
  label: string;
  breakpoints: readonly number[];
  /** The id of the element that describes the editor's keys. */
  describedBy?: string;
  hooks: EditorHooks;
}

/** A new editor in `parent`. The caller destroys it (`view.destroy()`). */
export function createEditor(parent: HTMLElement, opts: EditorOptions): EditorView {
  const { hooks } = opts;
  const keys = keymap.of([
    { key: 'Mod-Enter', run: () => (hooks.onApply(), true) },
    {
      key: 'F9',
      run: (v) => (toggleBreakpoint(v, v.state.doc.lineAt(v.state.selection.main.head).number), true),
    },
    {
      key: 'Escape',
      // With several cursors, Escape first goes back to one (CodeMirror's own binding).
      run: (v) => (v.state.selection.ranges.length > 1 ? false : (hooks.onEscape(), true)),
    },
    ...defaultKeymap.filter((b) => b !== indentWithTab),
    ...historyKeymap,
  ]);
  const state = EditorState.create({
    doc: opts.doc,
    extensions: [
      breakpointGutter,
      lineNumbers(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      cpp(),
      syntaxHighlighting(highlight),
      pcField,
      baseTheme,
      keys,
      readOnlyField.init(() => opts.readOnly),
      labelCompartment.of(EditorView.contentAttributes.of({ 'aria-label': opts.label })),
      // In the tab order by name too: axe counts a scroller focusable through it.
      EditorView.contentAttributes.of({
        tabindex: '0',
        ...(opts.describedBy ? { 'aria-describedby': opts.describedBy } : {}),
      }),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) hooks.onDocChange(u.state.doc.toString());
        const before = breakpointLines(u.startState);
        const after = breakpointLines(u.state);
        if (before.length !== after.length || before.some((n, i) => n !== after[i]))
          hooks.onBreakpoints(after);
      }),
    ],
  });
  const view = new EditorView({ state, parent });
  if (opts.breakpoints.length) setBreakpointLines(view, opts.breakpoints);
  return view;
}
