/**
 * Programs are C: what a program is, what the interpreter reports of it (the line it will run
 * next, its frames and their variables, its output, how it stopped) and what is wrong with a
 * source that cannot run (problems at a line and column, said from message codes). Part of the
 * contract (schema.ts re-exports it). No Node or DOM import.
 */
import { z } from 'zod';
import { SayableSchema } from './message-schema';
import { MAX_PROGRAM_CHARS, MAX_VARS } from './constants';

export {
  MAX_FRAMES,
  MAX_OUTPUT_CHUNK,
  MAX_PROGRAM_CHARS,
  MAX_VARS,
  STOP_REASONS,
  type StopReason,
} from './constants';

/** A program: a C source file an actor runs, walked one statement at a time. */
export const ProgramSchema = z
  .object({
    /** What the window calls it (the file's name without .c, or the student's). */
    name: z.string().min(1).max(64),
    /** The C source. */
    source: z.string().min(1).max(MAX_PROGRAM_CHARS),
    /** The shipped file it came from (`echo-server.c`), so the window can restore it. */
    file: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,60}\.c$/)
      .optional(),
  })
  .strict();
export type Program = z.infer<typeof ProgramSchema>;

/** One variable as C would show it. */
export const VarViewSchema = z
  .object({
    name: z.string().max(64),
    /** Its C type as written: `int`, `char [1024]`, `struct sockaddr_in`, `char *`. */
    type: z.string().max(80),
    /**
     * Its value as C would print it: `4`, `-1`, `"hello"` (a char array up to its NUL),
     * `127.0.0.1:5000` (a sockaddr_in), `{3, 5}` (an fd_set's members), `&buf[2]`, or `?` when
     * it has no value yet (uninitialised).
     */
    value: z.string().max(512),
    /** A char array's first bytes in hexadecimal, when they are not all printable text. */
    bytes: z.string().max(512).optional(),
  })
  .strict();
export type VarView = z.infer<typeof VarViewSchema>;

/** One frame of the call stack: the function, the line it is at, its locals. */
export const FrameViewSchema = z
  .object({
    fn: z.string().max(64),
    line: z.number().int().min(1),
    vars: z.array(VarViewSchema).max(MAX_VARS),
  })
  .strict();
export type FrameView = z.infer<typeof FrameViewSchema>;

/** What is wrong with a source, at a place (lines and columns from 1), in the reader's words. */
export const ProgramProblemSchema = z
  .object({
    line: z.number().int().min(1),
    col: z.number().int().min(1),
    endLine: z.number().int().min(1),
    endCol: z.number().int().min(1),
    text: SayableSchema(500),
  })
  .strict();
export type ProgramProblem = z.infer<typeof ProgramProblemSchema>;

/** How a program stopped: exit()/return from main with a status, or a fault at a line. */
export const ProgramEndSchema = z.discriminatedUnion('how', [
  z.object({ how: z.literal('exit'), status: z.number().int() }).strict(),
  z.object({ how: z.literal('fault'), line: z.number().int().min(1), text: SayableSchema(500) }).strict(),
]);
export type ProgramEnd = z.infer<typeof ProgramEndSchema>;
