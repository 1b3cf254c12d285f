/**
 * Reading a lesson file: plain JSON, parsed by a small parser that remembers the line of
 * every value, so that any error — bad JSON, a schema violation, a checkpoint naming an
 * actor the lesson does not have — names the file and the line a teacher must fix.
 *
 * Pure (no Node, no DOM): the lesson check, the engine's loader and the window all use it.
 */
import type { ZodError } from 'zod';
import { LessonSchema, type Checkpoint, type Lesson, type LessonAction, type ProgramRef } from './lesson';
import type { Program } from './schema';

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

function zodErrors(file: string, err: ZodError, lines: Map<string, number>): LessonError[] {
  return err.issues.slice(0, 20).map((iss) => {
    // A union's issue is vague ("Invalid input"); its first branch's issues say what is wrong.
    let path = iss.path;
    let message = iss.message;
    if (iss.code === 'invalid_union' && 'errors' in iss && Array.isArray(iss.errors)) {
      const inner = (iss.errors as { path: PropertyKey[]; message: string }[][]).flat()[0];
      if (inner) {
        path = [...iss.path, ...inner.path];
        message = inner.message;
      }
    }
    const where = path.length ? `${path.map(String).join('.')}: ` : '';
    return { file, line: lineOf(lines, path), message: `${where}${message}` };
  });
}

/** Read one lesson file's text: JSON, schema, then the cross-references (see checkLesson). */
export function parseLessonFile(file: string, text: string): LessonFileResult {
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
  const r = LessonSchema.safeParse(parsed.value);
  if (!r.success) return { ok: false, file, errors: zodErrors(file, r.error, parsed.lines) };
  const problems = checkLesson(r.data);
  if (problems.length) {
    return {
      ok: false,
      file,
      errors: problems.map((p) => ({
        file,
        line: lineOf(parsed.lines, p.path),
        message: `${p.path.join('.')}: ${p.message}`,
      })),
    };
  }
  return { ok: true, file, lesson: r.data };
}

/** A cross-reference problem, at a path in the lesson. */
export interface LessonProblem {
  path: (string | number)[];
  message: string;
}

const FD_CALLS = new Set(['socket', 'accept']);

/** What the engine's default programs open (kept in step with app/core/programs.ts). */
const DEFAULT_FDS: Record<'default-server' | 'default-client', number> = {
  'default-server': 2,
  'default-client': 1,
};

/** Most descriptors a program can open: unbounded (1024, the usual limit) when it loops over a socket() or accept(). */
function programFds(p: ProgramRef): number {
  if (typeof p === 'string') return DEFAULT_FDS[p];
  const opens = p.lines
    .map((l, i) => (l.call !== undefined && FD_CALLS.has(l.call) ? i : -1))
    .filter((i) => i >= 0);
  const loops = p.lines.some(
    (l, i) => l.jump !== undefined && l.jump <= i && opens.some((o) => o >= l.jump! && o < i),
  );
  return loops ? 1024 : opens.length;
}

function programProblems(p: Program, at: (string | number)[]): LessonProblem[] {
  const out: LessonProblem[] = [];
  // PORT is set by the lab at every reset: a free loopback port for the lesson's server.
  const defined = new Set<string>(['PORT']);
  for (const l of p.lines) {
    if (l.assign) defined.add(l.assign);
    if (l.store) defined.add(l.store);
  }
  p.lines.forEach((l, i) => {
    for (const [k, v] of Object.entries(l.args ?? {})) {
      if (typeof v === 'object' && !defined.has(v.var))
        out.push({ path: [...at, 'lines', i, 'args', k], message: `variable "${v.var}" is never assigned` });
    }
    if (l.when && !defined.has(l.when.var))
      out.push({
        path: [...at, 'lines', i, 'when', 'var'],
        message: `variable "${l.when.var}" is never assigned`,
      });
    if (l.call === undefined && l.jump === undefined && (l.args || l.assign || l.store)) {
      out.push({ path: [...at, 'lines', i], message: 'args/assign/store without a call' });
    }
  });
  return out;
}

/**
 * Check what the schema cannot: every actor a step names exists (server, client, or a client
 * the lesson adds before that step), every descriptor number can exist for that actor, every
 * program a step loads is in `programs`, program variables are assigned before use.
 */
export function checkLesson(lesson: Lesson): LessonProblem[] {
  const out: LessonProblem[] = [];
  // A Map: a program named "constructor" or "toString" is looked up as a name, never found
  // on Object.prototype.
  const programs = new Map(Object.entries(lesson.programs));
  for (const [k, p] of Object.entries(lesson.programs)) {
    if (typeof p !== 'string') out.push(...programProblems(p, ['programs', k]));
  }
  // The most descriptors an actor could hold: fds are numbered from 3, lowest free first,
  // so an fd ≥ 3 + (calls that open one) can never exist.
  const fdLimit = new Map<string, number>();
  const addFds = (actor: string, n: number) => fdLimit.set(actor, (fdLimit.get(actor) ?? 3) + n);
  const actors = new Set<string>(['server', 'client']);
  for (const a of actors) {
    const p = programs.get(a);
    addFds(a, p ? programFds(p) : 0);
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
