/**
 * The lesson runner in the window: progress persistence (a damaged value set aside, never a
 * crash), the lesson catalog (a malformed file listed with its line), the runner judging
 * every event (a state that holds only in the middle of a batch still counts), the question
 * before the action, and the sidebar in both languages.
 *
 * The lab here is the lab store fed with hand-made events through a minimal LabApi that
 * answers reset with the events a reset emits; the real lab is exercised in
 * test/node/lessons/reachability.test.ts and test/e2e/lessons.test.ts.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import {
  EventSchema,
  type Command,
  type CommandResult,
  type LabApi,
  type LabEvent,
  type LabEventInput,
} from '@contract';
import { bundledLessonFiles, parseLessonFiles } from '@/lessons/catalog';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { DAMAGED_KEY, PROGRESS_KEY, saveProgress } from '@/lessons/progress';
import { loadProgress } from '@/lessons/progress-read';
import { describeAction } from '@/lessons/strings';
import { sidebarEn } from '@/i18n/sidebar-en';
import { sidebarZh } from '@/i18n/sidebar-zh';

/** Both dictionaries of the lesson sidebar's words. */
const lessonStrings = { en: sidebarEn, 'zh-CN': sidebarZh };
import { useLessonStore } from '@/stores/lessons';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';

/** An in-memory Storage. */
function memoryStorage(init: Record<string, string> = {}) {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe('progress', () => {
  it('round-trips, written whole', () => {
    const s = memoryStorage();
    const records = {
      'server-setup': { '0': { answer: 1, correct: false, ms: 4200, passedAt: 1_700_000_000_000 } },
    };
    expect(saveProgress({ 'server-setup': [0, 1] }, records, s)).toBe(true);
    expect(JSON.parse(s.data.get(PROGRESS_KEY)!)).toEqual({
      version: 2,
      lessons: { 'server-setup': [0, 1] },
      steps: records,
    });
    expect(loadProgress(s)).toEqual({ progress: { 'server-setup': [0, 1] }, records, damaged: null });
  });

  it('reads the progress of version 1 (the steps done only)', () => {
    const s = memoryStorage({ [PROGRESS_KEY]: '{"version":1,"lessons":{"handshake":[0,2]}}' });
    expect(loadProgress(s)).toEqual({ progress: { handshake: [0, 2] }, records: {}, damaged: null });
  });

  it.each([
    ['{"version":1,"lessons":{"a":[0,'],
    ['{"version":3,"lessons":{}}'],
    ['{"version":2,"lessons":{}}'],
    ['{"version":2,"lessons":{},"steps":{"a":{"0":{"answer":"x"}}}}'],
    ['[1,2,3]'],
    ['{"version":1,"lessons":{"a":["x"]}}'],
  ])('sets a damaged value aside with a message: %s', (raw) => {
    const s = memoryStorage({ [PROGRESS_KEY]: raw });
    const r = loadProgress(s);
    expect(r.progress).toEqual({});
    expect(r.damaged).toMatch(/damaged/);
    expect(s.data.get(DAMAGED_KEY)).toBe(raw);
    expect(JSON.parse(s.data.get(PROGRESS_KEY)!)).toEqual({ version: 2, lessons: {}, steps: {} });
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadProgress(broken)).toEqual({ progress: {}, records: {}, damaged: null });
    expect(saveProgress({}, {}, broken)).toBe(false);
  });
});

describe('catalog and strings', () => {
  it('bundles the bundled lessons, all valid', () => {
    const entries = parseLessonFiles(bundledLessonFiles());
    expect(entries.map((e) => e.lesson?.id)).toEqual([
      'server-setup',
      'handshake',
      'data-transfer',
      'closing',
      'why-close',
      'resets',
      'half-close',
      'two-clients',
      'accept-queue',
      'restart',
      'nonblocking',
      'poll-server',
      'write-client',
    ]);
  });

  it('lists a malformed file with its line, and keeps the others', () => {
    const files = bundledLessonFiles();
    files['99-broken.json'] = '{\n  "id": "broken",\n  "title": { "en": "x" \n}';
    const entries = parseLessonFiles(files);
    expect(entries.filter((e) => e.lesson)).toHaveLength(Object.keys(bundledLessonFiles()).length);
    const bad = entries.find((e) => e.file === '99-broken.json')!;
    expect(bad.errors?.[0]).toMatchObject({ file: '99-broken.json', line: 4 });
  });

  it('the sidebar words exist in both languages', () => {
    expect(Object.keys(lessonStrings['zh-CN']).sort()).toEqual(Object.keys(lessonStrings.en).sort());
    for (const v of Object.values(lessonStrings['zh-CN'])) expect(v.trim()).not.toBe('');
    expect(describeAction({ kind: 'step', actor: 'server', times: 3 }, 'zh-CN')).toBe(
      '服务器：到下一个调用（3 次）',
    );
    expect(
      describeAction(
        {
          kind: 'together',
          of: [
            { kind: 'step', actor: 'server' },
            { kind: 'step', actor: 'client' },
          ],
        },
        'en',
      ),
    ).toBe('Together: Next call: server + Next call: client');
  });
});

/**
 * A LabApi that answers reset with the events a reset emits, and every other command with ok.
 * Each event it gives the lab is checked against the contract's EventSchema, so the stand-in
 * keeps the engine's shape.
 */
function resettingApi(lab: ReturnType<typeof useLabStore>) {
  const sent: Command[] = [];
  let seq = 0;
  const push = (inputs: LabEventInput[]) => {
    const events = inputs.map((e) => ({ ...e, seq: ++seq, t: seq }) as LabEvent);
    for (const e of events) {
      const r = EventSchema.safeParse(e);
      if (!r.success) throw new Error(`not an event of the contract: ${e.type}: ${r.error.message}`);
    }
    lab.append(events);
  };
  const api: LabApi = {
    async command(cmd: Command): Promise<CommandResult> {
      sent.push(cmd);
      if (cmd.type === 'reset') {
        const evs: LabEventInput[] = [{ type: 'lab.reset', platform: 'linux', kernelSource: 'procfs' }];
        for (const actor of ['server', 'client'] as const) {
          evs.push({ type: 'actor.added', actor, kind: actor });
          const program = cmd.programs?.[actor];
          if (program) evs.push({ type: 'program.loaded', actor, program });
          // As the engine does: stopped at main's first statement (line 21 of both), none run yet.
          evs.push({
            type: 'program.pc',
            actor,
            line: 21,
            frames: [{ fn: 'main', line: 21, vars: [] }],
            steps: 0,
          });
        }
        push(evs);
      }
      return { ok: true };
    },
    ready: async () => [],
    onEvents: () => () => {},
  };
  return { api, sent, push };
}

describe('useLessonStore', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  async function started() {
    const lab = useLabStore();
    const fake = resettingApi(lab);
    lab.attach(fake.api);
    const lessons = useLessonStore();
    expect(await lessons.start('server-setup')).toBe(true);
    return { lab, lessons, ...fake };
  }

  it('starts a lesson by resetting the lab with its programs', async () => {
    const { lessons, sent } = await started();
    expect(sent[0]).toMatchObject({
      type: 'reset',
      programs: {
        server: { name: '01-server-setup-server', file: '01-server-setup-server.c' },
        client: { name: '01-server-setup-second-server', file: '01-server-setup-second-server.c' },
      },
    });
    expect(lessons.status).toBe('working');
    expect(lessons.stepIndex).toBe(0);
    expect(lessons.verdict?.ok).toBe(false);
  });

  it('waits for the answer before the action, then sends the step command', async () => {
    const { lessons, sent } = await started();
    expect(lessons.questionAnswered).toBe(false);
    await lessons.act();
    expect(sent).toHaveLength(1);
    lessons.choose(0);
    lessons.choose(2); // the first answer stays
    expect(lessons.answer).toBe(0);
    await lessons.act();
    // A lesson's step is one system call.
    expect(sent.at(-1)).toEqual({ type: 'step', actor: 'server', unit: 'call' });
  });

  it('judges every event: a state that holds only mid-batch passes the step, and progress is saved', async () => {
    const { lessons, push } = await started();
    lessons.next(); // refused: not passed
    expect(lessons.stepIndex).toBe(0);
    // socket() returns 3, then bind() starts and returns in the same batch: at the batch's end
    // the last call is bind(), so only per-event judging sees socket() = 3.
    push([
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
      {
        type: 'call.started',
        actor: 'server',
        callId: 'c2',
        call: { call: 'bind', args: { fd: 3, host: '127.0.0.1', port: 5000 } },
        line: 2,
      },
      { type: 'call.returned', actor: 'server', callId: 'c2', call: 'bind', ret: 0 },
    ]);
    await nextTick();
    expect(lessons.status).toBe('passed');
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!)).toMatchObject({
      version: 2,
      lessons: { 'server-setup': [0] },
    });
    lessons.next();
    expect(lessons.stepIndex).toBe(1);
    // Step 2's checkpoint (bind returned 0) already held in that batch: judged at once.
    expect(lessons.status).toBe('passed');
    lessons.next();
    expect(lessons.stepIndex).toBe(2);
    expect(lessons.status).toBe('working');
  });

  it('offers a hint after a minute, shows hints on request', async () => {
    vi.useFakeTimers();
    try {
      const { lessons } = await started();
      expect(lessons.hintOffered).toBe(false);
      vi.advanceTimersByTime(60_000);
      expect(lessons.hintOffered).toBe(true);
      lessons.hint();
      expect(lessons.hintsShown).toBe(1);
      lessons.hint(); // only one hint in this step
      expect(lessons.hintsShown).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a damaged saved progress without failing', async () => {
    localStorage.setItem(PROGRESS_KEY, 'not json');
    const lessons = useLessonStore();
    // Read back with the bundled lessons' chunk, after the first paint.
    expect(await lessons.ready()).toBe(true);
    expect(lessons.progressNotice).toMatch(/damaged/);
    expect(lessons.progress).toEqual({});
    expect(localStorage.getItem(DAMAGED_KEY)).toBe('not json');
  });
});

describe('LessonSidebar', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('lists the lessons with progress, the broken file with its reason, and the sandbox', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const ui = useUiStore();
    ui.setLang('en');
    const lessons = useLessonStore();
    const files = bundledLessonFiles();
    files['99-broken.json'] = '{\n  "id": "broken"\n  "title": {}\n}';
    await lessons.setFiles(files);
    lessons.progress = { handshake: [0, 1] };
    const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
    expect(w.findAll('.lesson-item:not(.sandbox)')).toHaveLength(Object.keys(bundledLessonFiles()).length);
    expect(w.get('[data-test="lesson-item-handshake"]').text()).toContain('2/4 steps');
    const broken = w.get('[data-test="lesson-broken"]').text();
    expect(broken).toContain('99-broken.json');
    expect(broken).toContain('could not be loaded');
    expect(broken).toContain('99-broken.json:3');
    await w.get('[data-test="lesson-sandbox"]').trigger('click');
    expect(ui.panels.sandbox).toBe(true);
    ui.setLang('zh-CN');
    await nextTick();
    expect(w.get('[data-test="lesson-item-handshake"]').text()).toContain('三次握手');
    expect(w.get('[data-test="lesson-sandbox"]').text()).toContain('沙盒');
  });
});

describe('a reset from outside the lesson', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('is noticed, and Reset step sets the step up again', async () => {
    const lab = useLabStore();
    const fake = resettingApi(lab);
    lab.attach(fake.api);
    const lessons = useLessonStore();
    await lessons.start('server-setup');
    expect(lessons.labWasReset).toBe(false);
    await lab.reset(); // the header's Reset: default programs
    await nextTick();
    expect(lessons.labWasReset).toBe(true);
    await lessons.resetStep();
    expect(lessons.labWasReset).toBe(false);
    expect(fake.sent.at(-1)).toMatchObject({
      type: 'reset',
      programs: { server: { name: '01-server-setup-server' } },
    });
  });
});
