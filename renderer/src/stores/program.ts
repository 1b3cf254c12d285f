/**
 * What the window keeps of each actor's program beside the lab's view: the student's edits
 * not applied yet (they survive the panes being re-rendered), the breakpoints, the program as
 * the lesson or the lab loaded it last (what "Restore" brings back), and the problems the lab
 * found in a program it refused.
 *
 * The lab's own loads are told from the student's by the program.loaded events: one whose
 * source is the one this window just sent with loadProgram is the student's; any other (a
 * reset, a lesson, a shipped file) becomes the actor's original.
 */
import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import type { ActorId, CommandResult, LabEvent, Program, ProgramProblem } from '@contract';
import { MAX_PROGRAM_CHARS } from '@contract/constants';
import { own } from '@contract/own';
import { useLabStore } from './lab';
import { normalizeLines, toggleLine } from '@/components/program/breakpoints';

/** The problems of a refused program, and the text they are about. */
export interface RefusedProgram {
  source: string;
  problems: ProgramProblem[];
}

/** A program name for a file name (`echo-server.c` → `echo-server`), within the schema's limits. */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.c$/i, '');
  return base.slice(0, 64) || 'program';
}

/** The file name a program is saved as: its shipped file when unchanged, else its name with .c. */
export function saveName(name: string, file: string | undefined): string {
  if (file) return file;
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${safe || 'program'}.c`;
}

export const useProgramStore = defineStore('programs', () => {
  const lab = useLabStore();
  /** Edited text not applied yet, per actor (absent: the editor shows the loaded program). */
  const drafts = reactive<Record<ActorId, string>>({});
  /** The name an opened file gives its draft. */
  const draftNames = reactive<Record<ActorId, string>>({});
  /** Breakpoint lines (1-based, ascending) per actor. */
  const breakpoints = reactive<Record<ActorId, number[]>>({});
  /** The program the lesson or the lab loaded last, per actor. */
  const origins = reactive<Record<ActorId, Program>>({});
  /** A program the lab refused, with its problems, per actor (cleared when the text changes). */
  const refused = reactive<Record<ActorId, RefusedProgram>>({});
  /** Actors whose loadProgram is under way. */
  const applying = reactive<Record<ActorId, boolean>>({});
  /** Sources this window sent with loadProgram and has not seen loaded yet. */
  const sent: Record<ActorId, string> = {};

  // Follow the live log for program.loaded (never a replayed trace's).
  let scanned: { list: readonly LabEvent[]; n: number } | null = null;
  function scan(): void {
    if (lab.replay) return;
    const list = lab.events;
    if (!scanned || scanned.list !== list || scanned.n > list.length) scanned = { list, n: 0 };
    for (let i = scanned.n; i < list.length; i++) {
      const e = list[i]!;
      if (e.type !== 'program.loaded') continue;
      const mine = own(sent, e.actor) === e.program.source;
      if (mine) delete sent[e.actor];
      if (!mine || e.program.file) origins[e.actor] = e.program;
      if (own(drafts, e.actor) === e.program.source) discard(e.actor);
    }
    scanned.n = list.length;
  }
  watch(() => [lab.updates, lab.events, lab.replay], scan, { immediate: true });

  /** The text the editor shows for an actor: its draft, else the loaded program's source. */
  function textOf(actor: ActorId, loaded: Program | null): string {
    return own(drafts, actor) ?? loaded?.source ?? '';
  }
  /** Record an edit: a text equal to the loaded program is no draft. */
  function edit(actor: ActorId, text: string, loaded: Program | null): void {
    if (text === (loaded?.source ?? '')) discard(actor);
    else drafts[actor] = text;
    const r = own(refused, actor);
    if (r && r.source !== text) delete refused[actor];
  }
  /** Forget an actor's draft. */
  function discard(actor: ActorId): void {
    delete drafts[actor];
    delete draftNames[actor];
  }
  /** Put the original program back in the editor (Apply then runs it). */
  function restore(actor: ActorId, loaded: Program | null): void {
    const o = own(origins, actor);
    if (!o) return discard(actor);
    edit(actor, o.source, loaded);
  }
  /** An opened file's text as the actor's draft; false when it is too long or empty. */
  function open(actor: ActorId, fileName: string, text: string, loaded: Program | null): boolean {
    if (!text || text.length > MAX_PROGRAM_CHARS) return false;
    edit(actor, text, loaded);
    if (own(drafts, actor) !== undefined) draftNames[actor] = nameFromFile(fileName);
    return true;
  }

  /**
   * The program to apply: the editor's text under the draft's (or the loaded program's)
   * name, with the original's file when it is the original text.
   */
  function programFor(actor: ActorId, loaded: Program | null): Program {
    const source = textOf(actor, loaded);
    const name = own(draftNames, actor) ?? loaded?.name ?? own(origins, actor)?.name ?? actor;
    const o = own(origins, actor);
    const file = o && o.source === source ? o.file : undefined;
    return file ? { name, source, file } : { name, source };
  }

  /** Send the editor's text as the actor's program (restarting it); keeps it if refused. */
  async function apply(actor: ActorId, loaded: Program | null): Promise<CommandResult> {
    const program = programFor(actor, loaded);
    sent[actor] = program.source;
    applying[actor] = true;
    try {
      const r = await lab.command({ type: 'loadProgram', actor, program });
      if (!r.ok) {
        delete sent[actor];
        if (r.problems?.length) {
          // Shown at their lines under the editor, in the reader's language: not in the bar.
          refused[actor] = { source: program.source, problems: r.problems };
          lab.dismissError();
        }
        return r;
      }
      delete refused[actor];
      // The draft goes once the editor can show the loaded text (its program.loaded).
      if (own(lab.liveView.actors, actor)?.program?.source === program.source) discard(actor);
      return r;
    } finally {
      delete applying[actor];
    }
  }

  /** The breakpoints of an actor. */
  function breakpointsOf(actor: ActorId): number[] {
    return own(breakpoints, actor) ?? [];
  }
  /** Set an actor's breakpoints. */
  function setBreakpoints(actor: ActorId, lines: readonly number[]): void {
    const next = normalizeLines(lines);
    if (next.length) breakpoints[actor] = next;
    else delete breakpoints[actor];
  }
  /** Add or remove the breakpoint of a line. */
  function toggleBreakpoint(actor: ActorId, line: number): void {
    setBreakpoints(actor, toggleLine(breakpointsOf(actor), line));
  }

  /** Run an actor until a call blocks, the program ends, or a breakpoint's line is next. */
  function run(actor: ActorId): Promise<CommandResult> {
    return lab.run(actor, breakpointsOf(actor));
  }

  return {
    drafts,
    draftNames,
    breakpoints,
    origins,
    refused,
    applying,
    textOf,
    edit,
    discard,
    restore,
    open,
    programFor,
    apply,
    breakpointsOf,
    setBreakpoints,
    toggleBreakpoint,
    run,
  };
});
