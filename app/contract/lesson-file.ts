/**
 * Reading a lesson file: plain JSON, parsed by a small parser that remembers the line of
 * every value, so that any error — bad JSON, a schema violation, a program file that is not
 * there, a checkpoint naming an actor the lesson does not have — names the file and the line
 * a teacher must fix.
 *
 * Pure (no Node, no DOM): the lesson check, the engine's loader and the window all use it.
 * It cannot read files: the caller gives the C sources by file name (programFiles).
 */
import { keysFor } from './lesson-keys';
import type { ZodError } from 'zod';
import { LessonFileSchema, type Checkpoint, type Lesson, type LessonAction } from './lesson';
import { oldStylePrograms, programFds, resolvePrograms, type ProgramFiles } from './lesson-programs';

export { programFds, programFromFile, type ProgramFiles } from './lesson-programs';

/** One problem in a lesson file, at a line (1-based). */
export interface LessonError {
  file: string;
  line: number;
  message: string;
}

/** The result of reading one lesson file. */
export type LessonFileResult =
  { ok: true; file: string; lesson: Lesson } | { ok: false; file: string; errors: LessonError[] };

/** A JSON syntax error at a line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parsed JSON with the line where each value (by path "a.0.b") starts. */
export interface JsonWithLines {
  value: unknown;
  lines: Map<string, number>;
}

/**
 * Parse JSON (RFC 8259, no extensions) and record the line of every value by its path.
 * Throws JsonSyntaxError with the line and column of the first error.
 */
export function parseJsonWithLines(text: string): JsonWithLines {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, line, i - lineStart + 1);
  };
  const ws = () => {
    for (;;) {
      const c = text[i];
      if (c === '\n') {
        line++;
        i++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r') i++;
      else return;
    }
  };
  const str = (): string => {
    // text[i] is the opening quote; JSON.parse decodes the escapes once the end is found.
    const start = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === '\\') i += 2;
      else if (c === '"') break;
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad escape in string');
    }
  };
  const value = (path: string, depth: number): unknown => {
    if (depth > 200) fail('nested too deeply');
    ws();
    lines.set(path, line);
    const c = text[i];
    const sub = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"')
          fail(text[i] === '}' ? 'trailing comma before }' : 'expected a "key" in double quotes');
        const keyLine = line;
        const k = str();
        ws();
        if (text[i] !== ':') fail(`expected ":" after "${k}"`);
        i++;
        // Assigned to an object, "__proto__" would set its prototype rather than add a key.
        if (k === '__proto__') fail('the key "__proto__" is not accepted');
        if (Object.hasOwn(obj, k)) fail(`duplicate key "${k}"`);
        obj[k] = value(sub(k), depth + 1);
        // A key's error is best reported where the key is written.
        if (lines.get(sub(k)) !== keyLine) lines.set(sub(k), keyLine);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}" (a missing comma?)');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(sub(arr.length), depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('trailing comma before ]');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]" (a missing comma?)');
      }
    }
    if (c === '"') return str();
    const m = /^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)/.exec(
      text.slice(i, i + 400),
    );
    if (!m)
      return fail(c === undefined ? 'unexpected end of file' : `unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark some editors write
  const v = value('', 0);
  ws();
  if (i < text.length) fail('unexpected text after the end of the JSON value');
  return { value: v, lines };
}

/** The line of the value at `path`, or of its nearest parent that has one. */
function lineOf(lines: Map<string, number>, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const l = lines.get(path.slice(0, n).map(String).join('.'));
    if (l !== undefined) return l;
  }
  return 1;
}

function zodErrors(file: string, err: ZodError, lines: Map<string, number>, root: unknown): LessonError[] {
  return err.issues.slice(0, 20).map((iss) => {
    // A union's issue is vague ("Invalid input"); its first branch's issues say what is wrong.
    let path = iss.path;
    let message = iss.message;
    if (iss.code === 'invalid_union' && 'errors' in iss && Array.isArray(iss.errors)) {
      // The branch whose type the value has says more than one that wants another type.
      const branches = iss.errors as { path: PropertyKey[]; message: string; code?: string }[][];
      const typed = branches.find(
        (b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0),
      );
      const inner = (typed ?? branches.flat())[0];
      if (inner) {
        path = [...iss.path, ...inner.path];
        message = inner.message;
      }
    }
    if (iss.code === 'unrecognized_keys') {
      // Name what may be written instead: the keys of this kind of checkpoint or action.
      const k = keysFor(root, path);
      const unknown = iss.keys.map((x) => JSON.stringify(x)).join(', ');
      message = `unknown key${iss.keys.length > 1 ? 's' : ''} ${unknown}${k ? `; ${k.what} takes: ${k.keys.join(', ')}` : ''}`;
    }
    const where = path.length ? `${path.map(String).join('.')}: ` : '';
    return { file, line: lineOf(lines, path), message: `${where}${message}` };
  });
}

/**
 * Read one lesson file's text: JSON, schema, its programs (each file name looked up in
 * `programFiles`, the C sources by file name), then the cross-references (see checkLesson).
 */
export function parseLessonFile(file: string, text: string, programFiles: ProgramFiles): LessonFileResult {
  let parsed: JsonWithLines;
  try {
    parsed = parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return {
        ok: false,
        file,
        errors: [{ file, line: e.line, message: `bad JSON at column ${e.column}: ${e.message}` }],
      };
    }
    throw e;
  }
  const located = (problems: LessonProblem[]): LessonFileResult => ({
    ok: false,
    file,
    errors: problems.map((p) => ({
      file,
      line: lineOf(parsed.lines, p.path),
      message: `${p.path.join('.')}: ${p.message}`,
    })),
  });
  const old = oldStylePrograms(parsed.value);
  if (old.length) return located(old);
  const r = LessonFileSchema.safeParse(parsed.value);
  if (!r.success) return { ok: false, file, errors: zodErrors(file, r.error, parsed.lines, parsed.value) };
  const { programs, problems } = resolvePrograms(r.data, programFiles);
  if (problems.length) return located(problems);
  const lesson: Lesson = { ...r.data, programs };
  const crossProblems = checkLesson(lesson);
  if (crossProblems.length) return located(crossProblems);
  return { ok: true, file, lesson };
}

/** A cross-reference problem, at a path in the lesson. */
export interface LessonProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Check what the schema cannot: every actor a step names exists (server, client, or a client
 * the lesson adds before that step), every descriptor number can exist for that actor (see
 * programFds), every program a step loads is in `programs`.
 */
export function checkLesson(lesson: Lesson): LessonProblem[] {
  const out: LessonProblem[] = [];
  // A Map: a program named "constructor" or "toString" is looked up as a name, never found
  // on Object.prototype.
  const programs = new Map(Object.entries(lesson.programs));
  // The most descriptors an actor could hold: fds are numbered from 3, lowest free first,
  // so an fd ≥ 3 + (calls that open one) can never exist.
  const fdLimit = new Map<string, number>();
  const addFds = (actor: string, n: number) => fdLimit.set(actor, (fdLimit.get(actor) ?? 3) + n);
  const actors = new Set<string>(['server', 'client']);
  for (const a of actors) {
    const p = programs.get(a);
    // Without a program of its own, the actor runs the engine's default (echo-server.c: 2, echo-client.c: 1).
    addFds(a, p ? programFds(p) : a === 'server' ? 2 : 1);
  }
  const checkActor = (a: string, path: (string | number)[]) => {
    if (!actors.has(a))
      out.push({ path, message: `no actor "${a}" at this step (the lesson has ${[...actors].join(', ')})` });
  };
  const checkFd = (a: string, fd: number | undefined, path: (string | number)[]) => {
    if (fd === undefined || !actors.has(a)) return;
    const lim = fdLimit.get(a) ?? 3;
    if (fd < 3 || fd >= lim)
      out.push({
        path,
        message: `${a} can never hold fd ${fd} (its descriptors here are ${lim > 3 ? `3…${lim - 1}` : 'none'})`,
      });
  };
  const walkAction = (a: LessonAction, path: (string | number)[]) => {
    switch (a.kind) {
      case 'observe':
        return;
      case 'together':
      case 'sequence':
        a.of.forEach((x, i) => walkAction(x, [...path, 'of', i]));
        return;
      case 'addClient': {
        const key = a.program ?? a.actor;
        if (!/^client[0-9]+$/.test(a.actor) || a.actor === 'client' || a.actor === 'client1') {
          out.push({
            path: [...path, 'actor'],
            message: `added clients are named client2, client3, …, not "${a.actor}"`,
          });
        }
        const p = programs.get(key);
        if (a.program !== undefined && !p)
          out.push({ path: [...path, 'program'], message: `no program "${key}" in programs` });
        actors.add(a.actor);
        addFds(a.actor, p ? programFds(p) : 1);
        return;
      }
      case 'loadProgram': {
        checkActor(a.actor, [...path, 'actor']);
        const p = programs.get(a.program);
        if (!p) out.push({ path: [...path, 'program'], message: `no program "${a.program}" in programs` });
        else addFds(a.actor, programFds(p));
        return;
      }
      case 'call':
        checkActor(a.actor, [...path, 'actor']);
        if (a.call.call === 'socket') addFds(a.actor, 1);
        if ('fd' in a.call.args) checkFd(a.actor, a.call.args.fd, [...path, 'call', 'args', 'fd']);
        return;
      default:
        checkActor(a.actor, [...path, 'actor']);
    }
  };
  const walkCp = (c: Checkpoint, path: (string | number)[]) => {
    switch (c.kind) {
      case 'all':
      case 'any':
        c.of.forEach((x, i) => walkCp(x, [...path, 'of', i]));
        return;
      case 'not':
        walkCp(c.of, [...path, 'of']);
        return;
      case 'segmentSeen':
      case 'retransmission':
        if (c.from !== undefined) checkActor(c.from, [...path, 'from']);
        return;
      case 'countSockets':
        if (c.actor !== undefined) checkActor(c.actor, [...path, 'actor']);
        return;
      default:
        checkActor(c.actor, [...path, 'actor']);
        if ('fd' in c) checkFd(c.actor, c.fd, [...path, 'fd']);
        if ('fd' in c && 'role' in c && c.fd !== undefined && c.role !== undefined) {
          out.push({ path: [...path, 'role'], message: 'give fd or role, not both' });
        }
    }
  };
  lesson.steps.forEach((s, i) => {
    walkAction(s.action, ['steps', i, 'action']);
    walkCp(s.checkpoint, ['steps', i, 'checkpoint']);
  });
  return out;
}
