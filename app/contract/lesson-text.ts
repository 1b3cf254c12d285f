/**
 * What the window needs of lessons before its first paint, without zod: picking a text in a
 * language, and how programs are named. The lesson schema itself is in ./lesson.ts, which
 * re-exports these. No Node or DOM import.
 */
import type { LessonText } from './lesson';

/** Pick a text in a language (English when the language is not one of the lessons'). */
export function textIn(t: LessonText, lang: string): string {
  return lang === 'zh-CN' || lang.startsWith('zh') ? t['zh-CN'] : t.en;
}

/** A program file's name: what `programs` names in a lesson (`echo-server.c`). */
export const PROGRAM_FILE_RE = /^[A-Za-z0-9_-]{1,60}\.c$/;

/** The engine's default programs, by file (resources/programs): the classic echo pair. */
export const DEFAULT_PROGRAM_FILES = { server: 'echo-server.c', client: 'echo-client.c' } as const;
