/**
 * What is kept of each step: the answer first chosen and whether it was right, the time the
 * step took and when it passed, saved with the progress and read back by the next start; and
 * the export a student hands in (JSON and CSV, through the window's download).
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { LabEventInput } from '@contract';
import { CSV_COLUMNS, progressCsv, progressJson, progressRows } from '@/lessons/export';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { PROGRESS_KEY } from '@/lessons/progress';
import { useLessonStore } from '@/stores/lessons';
import { useUiStore } from '@/stores/ui';
import { lessonLab } from './lesson-lab';

/** socket() = 3 on the server: step 1 of the first lesson holds. */
const SOCKET_RETURNS: LabEventInput[] = [
  {
    type: 'call.started',
    actor: 'server',
    callId: 'c1',
    call: { call: 'socket', args: { family: 'inet' } },
    line: 1,
  },
  { type: 'socket.created', socket: 's1', actor: 'server', family: 'inet' },
  { type: 'fd.opened', actor: 'server', fd: 3, socket: 's1' },
  { type: 'call.returned', actor: 'server', callId: 'c1', call: 'socket', ret: 3 },
];

const T0 = Date.UTC(2026, 10, 24, 9, 30, 0);

describe('answers and times', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the first answer, whether it was right, the step’s time and when it passed; a new start reads them', async () => {
    const { push } = lessonLab();
    const lessons = useLessonStore();
    await lessons.ready();
    await lessons.start('server-setup');
    vi.advanceTimersByTime(5_000);
    const q = lessons.step!.question!;
    const wrong = q.answer === 0 ? 1 : 0;
    lessons.choose(wrong);
    expect(lessons.records['server-setup']).toEqual({ '0': { answer: wrong, correct: false } });
    // Saved at once: the answer outlives a reload even before the step passes.
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!).steps['server-setup']['0']).toEqual({
      answer: wrong,
      correct: false,
    });
    // A reset of the step asks again, but the prediction kept is the first one.
    await lessons.resetStep();
    expect(lessons.answer).toBeNull();
    lessons.choose(q.answer);
    expect(lessons.records['server-setup']!['0']!.answer).toBe(wrong);
    vi.advanceTimersByTime(7_500);
    push(SOCKET_RETURNS);
    await nextTick();
    expect(lessons.status).toBe('passed');
    // Timed from the step's first opening, through its reset.
    expect(lessons.records['server-setup']!['0']).toEqual({
      answer: wrong,
      correct: false,
      ms: 12_500,
      passedAt: T0 + 12_500,
    });

    setActivePinia(createPinia());
    const again = useLessonStore();
    await again.ready();
    expect(again.progress).toEqual({ 'server-setup': [0] });
    expect(again.records['server-setup']!['0']).toEqual({
      answer: wrong,
      correct: false,
      ms: 12_500,
      passedAt: T0 + 12_500,
    });
  });

  it('reads old progress (steps done only) and keeps it when the first record is added', async () => {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, lessons: { handshake: [0, 1] } }));
    lessonLab();
    const lessons = useLessonStore();
    await lessons.ready();
    expect(lessons.progress).toEqual({ handshake: [0, 1] });
    expect(lessons.records).toEqual({});
    await lessons.start('server-setup');
    lessons.choose(0);
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!)).toEqual({
      version: 2,
      lessons: { handshake: [0, 1] },
      steps: { 'server-setup': { '0': { answer: 0, correct: lessons.step!.question!.answer === 0 } } },
    });
  });
});

describe('export', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  // Step 3 of the handshake lesson has a question; step 1 has none (done before records were kept).
  const progress = { handshake: [0, 2], gone: [2] };
  const records = {
    'server-setup': { '0': { answer: 1, correct: false } },
    handshake: { '2': { answer: 0, correct: true, ms: 12_345, passedAt: T0 } },
  };

  it('has one row per step done or answered, known lessons first, with the choice’s text', async () => {
    const lessons = useLessonStore();
    await lessons.ready();
    const known = lessons.entries.flatMap((e) => (e.lesson ? [e.lesson] : []));
    const rows = progressRows(progress, records, known);
    const choice = (id: string, step: number, i: number) =>
      known.find((l) => l.id === id)!.steps[step]!.question!.choices[i]!.en;
    expect(rows).toEqual([
      {
        lesson: 'server-setup',
        step: 1,
        passed: false,
        answer: 1,
        answerText: choice('server-setup', 0, 1),
        correct: false,
        seconds: null,
        passedAt: null,
      },
      {
        lesson: 'handshake',
        step: 1,
        passed: true,
        answer: null,
        answerText: null,
        correct: null,
        seconds: null,
        passedAt: null,
      },
      {
        lesson: 'handshake',
        step: 3,
        passed: true,
        answer: 0,
        answerText: choice('handshake', 2, 0),
        correct: true,
        seconds: 12.3,
        passedAt: '2026-11-24T09:30:00.000Z',
      },
      // A lesson no longer loaded is still exported, by its id.
      {
        lesson: 'gone',
        step: 3,
        passed: true,
        answer: null,
        answerText: null,
        correct: null,
        seconds: null,
        passedAt: null,
      },
    ]);
    const json = JSON.parse(progressJson(rows, new Date(T0)));
    expect(json).toEqual({
      format: 'tcplab-lesson-progress',
      version: 1,
      exportedAt: '2026-11-24T09:30:00.000Z',
      rows,
    });
  });

  it('writes CSV by RFC 4180: a header, quoted fields where needed, CRLF', () => {
    const csv = progressCsv([
      {
        lesson: 'my-lesson',
        step: 2,
        passed: true,
        answer: 1,
        answerText: 'bind() fails, "EADDRINUSE", then\nretry',
        correct: true,
        seconds: 61.5,
        passedAt: '2026-11-24T09:30:00.000Z',
      },
      {
        lesson: 'my-lesson',
        step: 3,
        passed: false,
        answer: null,
        answerText: null,
        correct: null,
        seconds: null,
        passedAt: null,
      },
    ]);
    expect(CSV_COLUMNS.join(',')).toBe('lesson,step,passed,answer,answer_text,correct,seconds,passed_at');
    expect(csv).toBe(
      'lesson,step,passed,answer,answer_text,correct,seconds,passed_at\r\n' +
        'my-lesson,2,true,1,"bind() fails, ""EADDRINUSE"", then\nretry",true,61.5,2026-11-24T09:30:00.000Z\r\n' +
        'my-lesson,3,false,,,,,\r\n',
    );
  });

  it('the list’s Export progress button saves the JSON and the CSV', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    const lessons = useLessonStore();
    await lessons.ready();
    const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
    const button = w.get('[data-test="lesson-export-progress"]');
    expect(button.attributes('disabled')).toBeDefined(); // nothing to export yet
    lessons.progress = progress;
    lessons.records = records;
    await nextTick();
    expect(button.attributes('disabled')).toBeUndefined();

    const saved: { name: string; blob: Blob }[] = [];
    const urls = new Map<string, Blob>();
    let n = 0;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:${++n}`;
      urls.set(url, b as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ name: this.download, blob: urls.get(this.href)! });
    });
    try {
      await button.trigger('click');
      // The export's code is a chunk loaded at the first export: wait for both files.
      await vi.waitFor(() => expect(saved).toHaveLength(2));
      expect(saved.map((s) => s.name)).toEqual([
        expect.stringMatching(/^tcplab-progress-\d{4}-\d{2}-\d{2}-\d{6}\.json$/),
        expect.stringMatching(/^tcplab-progress-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/),
      ]);
      const json = JSON.parse(await saved[0]!.blob.text());
      expect(json.rows.map((r: { lesson: string; step: number }) => `${r.lesson}:${r.step}`)).toEqual([
        'server-setup:1',
        'handshake:1',
        'handshake:3',
        'gone:3',
      ]);
      const csv = (await saved[1]!.blob.text()).split('\r\n');
      expect(csv[0]).toBe('lesson,step,passed,answer,answer_text,correct,seconds,passed_at');
      expect(csv[2]).toBe('handshake,1,true,,,,,');
      expect(csv[3]).toMatch(/^handshake,3,true,0,.*,true,12\.3,2026-11-24T09:30:00\.000Z$/);
      expect(saved[1]!.blob.type).toBe('text/csv;charset=utf-8');
    } finally {
      click.mockRestore();
      vi.restoreAllMocks();
    }
  });
});
