/**
 * A lesson's programs: C files named by file, resolved to their sources (the caller reads the
 * files; this is pure), and what the lesson check can tell from a source's text.
 */
import type { LessonFile } from './lesson';
import { ProgramSchema, type Program } from './schema';

/** A problem at a path in the lesson (the lesson check turns the path into a line). */
export interface ProgramProblemAt {
  path: (string | number)[];
  message: string;
}

/** The C sources a lesson may name, by file name (`echo-server.c` → its text). */
export type ProgramFiles = Readonly<Record<string, string>>;

/** A program file named in a lesson, as a Program: its name is the file's without ".c". */
export function programFromFile(file: string, source: string): Program {
  return { name: file.replace(/\.c$/, ''), source, file };
}

/** Resolve the lesson's programs: a file name to its source in programFiles; an inline one as written. */
export function resolvePrograms(
  lesson: LessonFile,
  programFiles: ProgramFiles,
): { programs: Record<string, Program>; problems: ProgramProblemAt[] } {
  const programs: Record<string, Program> = {};
  const problems: ProgramProblemAt[] = [];
  for (const [key, ref] of Object.entries(lesson.programs)) {
    const path = ['programs', key];
    if (typeof ref !== 'string') {
      programs[key] = { name: ref.name, source: ref.source };
      continue;
    }
    // Object.hasOwn: a file named like an Object.prototype member is looked up as a name.
    if (!Object.hasOwn(programFiles, ref)) {
      const known = Object.keys(programFiles).sort();
      problems.push({
        path,
        message: `no program file "${ref}" (the known ones: ${known.length ? known.join(', ') : 'none'})`,
      });
      continue;
    }
    const p = ProgramSchema.safeParse(programFromFile(ref, programFiles[ref]!));
    if (!p.success) {
      problems.push({
        path,
        message: `program file "${ref}": ${p.error.issues[0]?.message ?? 'not a program'}`,
      });
      continue;
    }
    programs[key] = p.data;
  }
  return { programs, problems };
}

/** Programs written the old way (a list of lines) get a message saying what to write instead. */
export function oldStylePrograms(value: unknown): ProgramProblemAt[] {
  const programs = (value as { programs?: unknown } | null)?.programs;
  if (typeof programs !== 'object' || programs === null) return [];
  return Object.entries(programs)
    .filter(([, p]) => typeof p === 'object' && p !== null && 'lines' in p)
    .map(([k]) => ({
      path: ['programs', k],
      message:
        'programs are C now: name a C file ("echo-server.c") or write { "name": "...", "source": "..." }; a list of "lines" is not read any more',
    }));
}

/** The names a C function is never defined with (a keyword before a parenthesis and a brace). */
const NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'do', 'return', 'sizeof', 'else']);

/**
 * Most descriptors a program can open, from its source text, conservatively: the socket()
 * and accept() calls written in it, or 1024 (the usual limit) when one of them may run more
 * than once — the program has a loop, or a function besides main (called who knows how
 * often). Comments, strings and preprocessor lines are left out first.
 */
export function programFds(p: Program): number {
  // One pass, so that a "//" inside a string or a quote inside a comment is read as C reads it.
  const code = p.source
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) =>
      m.startsWith('/') ? ' ' : '""',
    )
    .replace(/^[ \t]*#[^\n]*/gm, ' ');
  const opens = (code.match(/\b(?:socket|accept)\s*\(/g) ?? []).length;
  if (opens === 0) return 0;
  const loops = /\b(?:for|while|do)\b/.test(code);
  const functions = [...code.matchAll(/\b([A-Za-z_]\w*)\s*\([^;{}()]*\)\s*\{/g)]
    .map((m) => m[1]!)
    .filter((n) => !NOT_FUNCTIONS.has(n));
  return loops || functions.some((n) => n !== 'main') ? 1024 : opens;
}
