/**
 * The lessons the window offers: the files under resources/lessons, bundled at build time
 * as text with the C programs they name (resources/programs/*.c), and validated here at run
 * time with the same code as `npm run lessons:check`. The window imports this module only
 * through ./bundled.ts, a chunk loaded after its first paint (./load-bundled.ts).
 * A file that fails is listed as "could not be loaded", with its file, line and reason;
 * the others load. A teacher's own files are loaded at run time in the window, with the same
 * check: ./user-lessons.ts.
 */
/// <reference types="vite/client" />
import { parseLessonFile, type LessonError, type ProgramFiles } from '@contract/lesson-file';
import type { Lesson } from '@contract/lesson';
import { own } from '@contract/own';

/**
 * A lesson file as the list shows it: loaded, or not with the reasons. `user` marks a file the
 * teacher loaded at run time (./user-lessons.ts), not one bundled with the app.
 */
export type LessonEntry =
  | { file: string; lesson: Lesson; errors?: undefined; user?: boolean }
  | { file: string; lesson?: undefined; errors: LessonError[]; user?: boolean };

/**
 * Parse lesson files (name → text), in file-name order, their programs looked up in
 * `programs` (file name → C source; default: the bundled ones); a duplicate id is refused.
 */
export function parseLessonFiles(
  files: Record<string, string>,
  programs: ProgramFiles = bundledProgramFiles(),
): LessonEntry[] {
  const ids = new Set<string>();
  return Object.keys(files)
    .sort()
    .map((file): LessonEntry => {
      const r = parseLessonFile(file, own(files, file)!, programs);
      if (!r.ok) return { file, errors: r.errors };
      if (ids.has(r.lesson.id))
        return { file, errors: [{ file, line: 1, message: `lesson id "${r.lesson.id}" is used twice` }] };
      ids.add(r.lesson.id);
      return { file, lesson: r.lesson };
    });
}

/** The bundled lesson files as text, by file name (without folders). */
export function bundledLessonFiles(): Record<string, string> {
  // Imported as raw text, not as JSON modules: a malformed file must not break the build,
  // it must be shown as a lesson that could not be loaded.
  const raw = import.meta.glob('../../../resources/lessons/*.json', {
    eager: true,
    query: '?raw',
    import: 'default',
  }) as Record<string, string>;
  return byName(raw);
}

/** File name (without folders) → text, from what import.meta.glob gives. */
function byName(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(raw)) out[path.slice(path.lastIndexOf('/') + 1)] = text;
  return out;
}

/** The bundled C programs (resources/programs/*.c) as text, by file name: what lessons name. */
export function bundledProgramFiles(): Record<string, string> {
  return byName(
    import.meta.glob('../../../resources/programs/*.c', {
      eager: true,
      query: '?raw',
      import: 'default',
    }) as Record<string, string>,
  );
}
