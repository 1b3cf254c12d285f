/**
 * Lessons: the file schema a teacher writes (resources/lessons/NN-slug.json) and the
 * checkpoint language, a small declarative predicate over the contract's ViewState (its
 * schema in checkpoints.ts, judged by checkpoint-eval.ts; both re-exported here).
 *
 * Everything here is pure: `evaluate(checkpoint, view)` looks only at the view, so the
 * same checkpoint is judged identically in the window, in the lesson check and in tests.
 * A checkpoint is judged on the real state of the lab (sockets, kernel rows, segments),
 * never on a button having been clicked.
 */
import { z } from 'zod';
import { CheckpointSchema } from './checkpoints';
import { ActorIdSchema, CallSchema, ProgramSchema, type ActorId, type Program } from './schema';
import { PROGRAM_FILE_RE } from './lesson-text';

export { DEFAULT_PROGRAM_FILES, PROGRAM_FILE_RE, textIn } from './lesson-text';

// ---------------------------------------------------------------------------------------
// Text in both languages.

/** A text in English and Chinese; both must be non-empty (the lesson check says which is missing). */
export const TextSchema = z
  .object({
    en: z.string({ error: 'the English text ("en") is missing' }).trim().min(1, 'the English text is empty'),
    'zh-CN': z
      .string({ error: 'the Chinese text ("zh-CN") is missing' })
      .trim()
      .min(1, 'the Chinese (zh-CN) text is empty'),
  })
  .strict();
/** A text in both languages. */
export type LessonText = z.infer<typeof TextSchema>;

// ---------------------------------------------------------------------------------------
// Actions: what a step asks the student to do. The window shows a button for it; the
// student may as well use the lab's own controls: only the checkpoint decides.

/** The action of a step. */
export type LessonAction =
  | { kind: 'step'; actor: ActorId; times?: number }
  | { kind: 'run'; actor: ActorId; times?: number }
  | { kind: 'call'; actor: ActorId; call: z.output<typeof CallSchema> }
  | { kind: 'interrupt'; actor: ActorId }
  | { kind: 'addClient'; actor: ActorId; program?: string }
  | { kind: 'loadProgram'; actor: ActorId; program: string }
  | { kind: 'together'; of: LessonAction[] }
  | { kind: 'sequence'; of: LessonAction[] }
  | { kind: 'observe' };

/**
 * The schema of an action. `together` sends its actions at once, without waiting between
 * them; `sequence` sends them one after another.
 */
export const LessonActionSchema: z.ZodType<LessonAction, unknown> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /**
     * Run the actor's program up to and including its next system call (socket, bind,
     * listen, accept, connect, read, write, recv, send, shutdown, close, setsockopt,
     * getsockopt, fcntl, poll, select, getsockname, getpeername; not printf, memset, htons…):
     * the command `{ type: 'step', unit: 'call' }`. `times` presses in a row (the student
     * presses once per call; a reset replays this many, fewer if the program ends first).
     */
    z
      .object({
        kind: z.literal('step'),
        actor: ActorIdSchema,
        times: z.number().int().min(1).max(20).optional(),
      })
      .strict(),
    /**
     * Run the actor's program until a call blocks, the program ends or faults, or Run's
     * budget of statements is spent; `times`: at most this many runs, stopping when the
     * program ends.
     */
    z
      .object({
        kind: z.literal('run'),
        actor: ActorIdSchema,
        times: z.number().int().min(1).max(20).optional(),
      })
      .strict(),
    /** A sandbox call, outside the actor's program. */
    z.object({ kind: z.literal('call'), actor: ActorIdSchema, call: CallSchema }).strict(),
    /** Interrupt the actor's blocked call (EINTR). */
    z.object({ kind: z.literal('interrupt'), actor: ActorIdSchema }).strict(),
    /** Add a client; the engine names it client2, client3, … in order: `actor` says which one this is. */
    z
      .object({ kind: z.literal('addClient'), actor: ActorIdSchema, program: z.string().min(1).optional() })
      .strict(),
    /** Give an actor one of the lesson's programs (by its key in `programs`), restarting it. */
    z.object({ kind: z.literal('loadProgram'), actor: ActorIdSchema, program: z.string().min(1) }).strict(),
    /** Several actions sent at the same moment (a simultaneous close). */
    z.object({ kind: z.literal('together'), of: z.array(LessonActionSchema).min(2).max(8) }).strict(),
    /**
     * Several actions one after the other: each waits until its actor exists and is not
     * blocked (a client that connects, then the server that accepted it goes on).
     */
    z.object({ kind: z.literal('sequence'), of: z.array(LessonActionSchema).min(2).max(12) }).strict(),
    /** Nothing to do but look: the lab moves by itself (a timer, the kernel). */
    z.object({ kind: z.literal('observe') }).strict(),
  ]),
);

// ---------------------------------------------------------------------------------------
// Lesson files.

/** A program of a lesson named by its C file: one of resources/programs, or of the teacher's folder. */
export const ProgramFileSchema = z
  .string()
  .regex(
    PROGRAM_FILE_RE,
    'a program is the name of a C file (letters, digits, "_" and "-", then ".c"), like "echo-server.c", or { "name", "source" }',
  );

/** A program written out in the lesson itself (a teacher's lesson carried as one JSON file). */
export const InlineProgramSchema = z
  .object({ name: ProgramSchema.shape.name, source: ProgramSchema.shape.source })
  .strict();

/** A lesson's program as the file writes it: a C file's name, or `{ "name", "source" }`. */
export const ProgramRefSchema = z.union([ProgramFileSchema, InlineProgramSchema]);
/** A C file's name, or a program written out. */
export type ProgramRef = z.infer<typeof ProgramRefSchema>;

/** A predict-before-you-see question, asked before the step's action. */
export const QuestionSchema = z
  .object({
    prompt: TextSchema,
    choices: z.array(TextSchema).min(2).max(6),
    /** Index of the right choice in `choices`. */
    answer: z.number().int().min(0),
    explanation: TextSchema,
  })
  .strict()
  .refine((q) => q.answer < q.choices.length, {
    message: 'answer is not the index of a choice',
    path: ['answer'],
  });
/** A multiple-choice question with its answer and explanation. */
export type LessonQuestion = z.infer<typeof QuestionSchema>;

/** What a replay runs for a step the student does by writing C: a program of the lesson, in an actor. */
export const SolutionSchema = z
  .object({
    actor: ActorIdSchema,
    /** A key of the lesson's `programs`. */
    program: z.string().min(1),
    /** Other actors the step's text asks to Run whenever they stop (the server a new client talks to). */
    alsoRun: z.array(ActorIdSchema).min(1).max(7).optional(),
  })
  .strict();
/** A step's solution (see SolutionSchema). */
export type LessonSolution = z.infer<typeof SolutionSchema>;

/** One step: what to read, what to do, what must hold on the lab to go on. */
export const LessonStepSchema = z
  .object({
    /** Short, exact, naming what to look at on screen. */
    text: TextSchema,
    action: LessonActionSchema,
    checkpoint: CheckpointSchema,
    /** Shown one at a time, on request or after a while. */
    hints: z.array(TextSchema).max(5).default([]),
    question: QuestionSchema.optional(),
    /** Said when the checkpoint holds (what the student just saw, in a sentence). */
    done: TextSchema.optional(),
    /**
     * The step needs a socket of `actor` in TIME_WAIT in the kernel's table (bind() failing
     * with EADDRINUSE while the old connection waits). The kernel's timer cannot be held: the
     * window shows the time it has left, warns before it runs out, and Reset step sets it up
     * again (a reset waits for the socket before the step begins).
     */
    needsTimeWait: z.object({ actor: ActorIdSchema }).strict().optional(),
    /**
     * The step asks the student to write or fix C (edit, Apply, Run): what a replay (Reset
     * step, lessons:check --run) does instead. It loads `program` (a key of `programs`) into
     * `actor`, then presses Run on `actor` and on each of `alsoRun` whenever one stops, until
     * the checkpoint holds. The lesson's button never loads it (see lesson-replay.ts).
     */
    solution: SolutionSchema.optional(),
  })
  .strict();
/** One step of a lesson. */
export type LessonStep = z.infer<typeof LessonStepSchema>;

/** A whole lesson file, as written: programs are C files by name (or written out). */
export const LessonFileSchema = z
  .object({
    /** Stable id; progress is saved under it. Lowercase, digits and dashes. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id is lowercase letters, digits and dashes'),
    title: TextSchema,
    summary: TextSchema,
    /**
     * Programs by key. The keys 'server' and 'client' are the programs those two actors get
     * when the lesson (re)starts; other keys are used by addClient / loadProgram actions.
     * Each is a C file's name (`"echo-server.c"`, from resources/programs or the teacher's
     * folder) or a program written out (`{ "name": "...", "source": "..." }`).
     */
    programs: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), ProgramRefSchema),
    steps: z.array(LessonStepSchema).min(1).max(60),
  })
  .strict()
  .superRefine((f, ctx) => {
    // A step's solution names one of the lesson's programs (Object.hasOwn: never a prototype key).
    f.steps.forEach((s, i) => {
      if (s.solution && !Object.hasOwn(f.programs, s.solution.program))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'solution', 'program'],
          message: `no program "${s.solution.program}" in programs (the lesson has ${Object.keys(f.programs).join(', ')})`,
        });
    });
  });
/** A lesson file as written, before its programs are read (see parseLessonFile). */
export type LessonFile = z.infer<typeof LessonFileSchema>;

/**
 * A lesson, as read from its file: every program resolved to its C source (`file` set for a
 * program named by file).
 */
export type Lesson = Omit<LessonFile, 'programs'> & { programs: Record<string, Program> };

export * from './checkpoints';
export * from './checkpoint-eval';
