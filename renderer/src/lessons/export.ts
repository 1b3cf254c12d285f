/**
 * A student's progress as files for the teacher to collect: one row per step done or
 * answered, with the lesson's id, the step's number (1, 2, … as the window counts them),
 * whether it passed, the answer first chosen (its index in the lesson file's `choices`, and
 * its English text), whether it was right, the seconds the step took and when it passed
 * (ISO 8601, UTC). The same rows as JSON and as CSV (RFC 4180: quoted where needed, CRLF),
 * saved through the window's download (../export/download.ts).
 */
import type { Lesson } from '@contract/lesson';
import { downloadBlob, fileStamp } from '@/export/download';
import type { Progress, StepRecords } from './progress';
import { own } from '@contract/own';

/** One step of the export. */
export interface ProgressRow {
  lesson: string;
  /** 1-based, as the window says "Step 2 of 5". */
  step: number;
  passed: boolean;
  /** The index of the choice first chosen (as the lesson file's `answer`); null: no question answered. */
  answer: number | null;
  /** That choice's English text, when the lesson is known. */
  answerText: string | null;
  correct: boolean | null;
  /** From the step's opening to its checkpoint holding, in seconds (0.1 s); null when not timed. */
  seconds: number | null;
  /** When the checkpoint first held, ISO 8601 in UTC; null when not kept. */
  passedAt: string | null;
}

/** The JSON file's content. */
export interface ProgressExport {
  format: 'tcplab-lesson-progress';
  version: 1;
  exportedAt: string;
  rows: ProgressRow[];
}

/**
 * The rows of every lesson with progress: the known lessons in their order (`lessons`), then
 * ids with progress whose lesson is no longer loaded; in each, its steps in order.
 */
export function progressRows(
  progress: Progress,
  records: StepRecords,
  lessons: readonly Lesson[] = [],
): ProgressRow[] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const ids = [...lessons.map((l) => l.id)];
  for (const id of [...Object.keys(progress), ...Object.keys(records)]) if (!ids.includes(id)) ids.push(id);
  const rows: ProgressRow[] = [];
  for (const id of ids) {
    const done = new Set(own(progress, id) ?? []);
    const recs = own(records, id) ?? {};
    const indices = new Set([...done, ...Object.keys(recs).map(Number)]);
    for (const i of [...indices].sort((a, b) => a - b)) {
      const r = own(recs, String(i)) ?? {};
      const choice = r.answer === undefined ? null : byId.get(id)?.steps[i]?.question?.choices[r.answer];
      rows.push({
        lesson: id,
        step: i + 1,
        passed: done.has(i),
        answer: r.answer ?? null,
        answerText: choice?.en ?? null,
        correct: r.correct ?? null,
        seconds: r.ms === undefined ? null : Math.round(r.ms / 100) / 10,
        passedAt: r.passedAt === undefined ? null : new Date(r.passedAt).toISOString(),
      });
    }
  }
  return rows;
}

/** The JSON file's text. */
export function progressJson(rows: ProgressRow[], now: Date = new Date()): string {
  const out: ProgressExport = {
    format: 'tcplab-lesson-progress',
    version: 1,
    exportedAt: now.toISOString(),
    rows,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** The CSV file's columns, in order. */
export const CSV_COLUMNS = [
  'lesson',
  'step',
  'passed',
  'answer',
  'answer_text',
  'correct',
  'seconds',
  'passed_at',
] as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV file's text: a header, then one line per row. */
export function progressCsv(rows: ProgressRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows)
    lines.push(
      [r.lesson, r.step, r.passed, r.answer, r.answerText, r.correct, r.seconds, r.passedAt]
        .map(field)
        .join(','),
    );
  return lines.join('\r\n') + '\r\n';
}

/** Save the progress as `tcplab-progress-<stamp>.json` and `.csv`; returns the two names. */
export function exportProgress(
  progress: Progress,
  records: StepRecords,
  lessons: readonly Lesson[],
  now: Date = new Date(),
): [string, string] {
  const rows = progressRows(progress, records, lessons);
  const base = `tcplab-progress-${fileStamp(now)}`;
  const names: [string, string] = [`${base}.json`, `${base}.csv`];
  downloadBlob(names[0], new Blob([progressJson(rows, now)], { type: 'application/json' }));
  downloadBlob(names[1], new Blob([progressCsv(rows)], { type: 'text/csv;charset=utf-8' }));
  return names;
}
