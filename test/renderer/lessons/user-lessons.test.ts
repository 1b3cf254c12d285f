/**
 * A teacher's own lesson loaded at run time: the file goes through the very check
 * `npm run lessons:check` runs (parseLessonFile), a refused file leaves the list as it was and
 * names the file and the line, a good one is listed as the teacher's own with its progress,
 * kept in localStorage (written whole; a damaged value set aside, never a crash), restored on
 * the next start, and removable. A lesson whose id is a bundled lesson's is refused.
 *
 * The real lab judging a loaded lesson is exercised in test/e2e/user-lesson.test.ts.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { Command, CommandResult, LabApi } from '@contract';
import { parseLessonFile } from '@contract/lesson-file';
import { bundledLessonFiles, bundledProgramFiles, parseLessonFiles } from '@/lessons/catalog';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { PROGRESS_KEY } from '@/lessons/progress';
import { sidebarEn } from '@/i18n/sidebar-en';
import { sidebarZh } from '@/i18n/sidebar-zh';

/** Both dictionaries of the lesson sidebar's words. */
const lessonStrings = { en: sidebarEn, 'zh-CN': sidebarZh };
import { useLessonStore } from '@/stores/lessons';
import {
  addUserLesson,
  loadUserLessons,
  MAX_USER_LESSON_CHARS,
  saveUserLessons,
  USER_LESSONS_DAMAGED_KEY,
  USER_LESSONS_KEY,
  userLessonEntries,
} from '@/lessons/user-lessons';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { EXAMPLE, fileOf, memoryStorage, other } from '../fixtures/teacher';

/** The example with a missing comma on its line 4 (after "title"). */
const MISSING_COMMA = EXAMPLE.replace('"zh-CN": "监听" },', '"zh-CN": "监听" }');
/** The example with a checkpoint naming an actor the lesson does not have. */
const NO_ACTOR = EXAMPLE.replace(
  '"checkpoint": { "kind": "socketState", "actor": "server"',
  '"checkpoint": { "kind": "socketState", "actor": "client2"',
);

const bundled = parseLessonFiles(bundledLessonFiles());

describe('user-lessons: the check and the list', () => {
  it('the example of docs/teachers.md loads, marked as the teacher’s own', () => {
    const r = addUserLesson([], bundled, 'my-listen.json', EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.id).toBe('my-listen');
    expect(r.files).toEqual([{ file: 'my-listen.json', text: EXAMPLE }]);
    const entries = userLessonEntries(r.files, bundled);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ file: 'my-listen.json', user: true, lesson: { id: 'my-listen' } });
  });

  it.each([
    ['bad JSON', MISSING_COMMA, 4, /bad JSON/],
    [
      'a checkpoint naming no actor',
      NO_ACTOR,
      EXAMPLE.split('\n').findIndex((l) => l.includes('"checkpoint"')) + 1,
      /no actor "client2"/,
    ],
  ])(
    'refuses %s with the same errors as lessons:check, naming the file and line',
    (_, text, line, message) => {
      const files = [{ file: 'a.json', text: other('a') }];
      const r = addUserLesson(files, bundled, 'mine.json', text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      // lessons:check (app/core/lessons/load.ts) reports exactly parseLessonFile's errors, its
      // programs being resources/programs/*.c: the files the window bundles.
      const check = parseLessonFile('mine.json', text, bundledProgramFiles());
      expect(check.ok).toBe(false);
      expect(r.errors).toEqual(check.ok ? [] : check.errors);
      expect(r.errors[0]).toMatchObject({ file: 'mine.json', line });
      expect(r.errors[0]!.message).toMatch(message);
      expect(files).toEqual([{ file: 'a.json', text: other('a') }]);
    },
  );

  it('refuses an id a bundled lesson has, at the line of its "id"', () => {
    const text = EXAMPLE.replace('"id": "my-listen"', '"id": "handshake"');
    const r = addUserLesson([], bundled, 'hs.json', text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        file: 'hs.json',
        line: 2,
        message:
          'lesson id "handshake" is already used by the bundled lesson 02-handshake.json: give your lesson another "id"',
      },
    ]);
  });

  it('refuses a file that is not .json or too large, without checking it', () => {
    const notJson = addUserLesson([], bundled, 'notes.txt', EXAMPLE);
    expect(notJson).toMatchObject({
      ok: false,
      errors: [{ file: 'notes.txt', line: 1, message: 'a lesson is a .json file' }],
    });
    const big = addUserLesson([], bundled, 'C:\\lessons\\big.json', '', MAX_USER_LESSON_CHARS + 1);
    expect(big).toMatchObject({ ok: false, file: 'big.json', errors: [{ message: /larger than 512 KB/ }] });
  });

  it('a file with the id or the name of a loaded one replaces it, in its place', () => {
    let files = [
      { file: 'a.json', text: other('a') },
      { file: 'b.json', text: other('b') },
    ];
    const byId = addUserLesson(files, bundled, 'a-v2.json', other('a', 'A again'));
    expect(byId.ok && byId.files.map((f) => f.file)).toEqual(['a-v2.json', 'b.json']);
    expect(byId.ok && byId.replaced?.file).toBe('a.json');
    files = byId.ok ? byId.files : files;
    const byName = addUserLesson(files, bundled, 'b.json', other('c'));
    expect(byName.ok && byName.files.map((f) => f.file)).toEqual(['a-v2.json', 'b.json']);
    expect(byName.ok && userLessonEntries(byName.files, bundled).map((e) => e.lesson?.id)).toEqual([
      'a',
      'c',
    ]);
  });

  it('a stored lesson that no longer passes (a bundled id now) is listed as not loaded, still the teacher’s', () => {
    const entries = userLessonEntries(
      [
        { file: 'x.json', text: EXAMPLE.replace('"id": "my-listen"', '"id": "resets"') },
        { file: 'y.json', text: '{' },
      ],
      bundled,
    );
    expect(entries.map((e) => [e.file, e.user, e.lesson?.id, e.errors?.[0]?.line])).toEqual([
      ['x.json', true, undefined, 2],
      ['y.json', true, undefined, 1],
    ]);
  });
});

describe('user-lessons: storage', () => {
  it('round-trips, written whole', () => {
    const s = memoryStorage();
    expect(saveUserLessons([{ file: 'a.json', text: EXAMPLE }], s)).toBe(true);
    expect(JSON.parse(s.data.get(USER_LESSONS_KEY)!)).toEqual({
      version: 1,
      files: [{ file: 'a.json', text: EXAMPLE }],
    });
    expect(loadUserLessons(s)).toEqual({ files: [{ file: 'a.json', text: EXAMPLE }], damaged: null });
  });

  it.each([
    ['{"version":1,"files":[{"file":"a.json","te'],
    ['{"version":2,"files":[]}'],
    ['{"version":1,"files":[{"file":"a.json"}]}'],
    ['null'],
  ])('sets a damaged value aside with a message: %s', (raw) => {
    const s = memoryStorage({ [USER_LESSONS_KEY]: raw });
    const r = loadUserLessons(s);
    expect(r.files).toEqual([]);
    expect(r.damaged).toMatch(/damaged .*set aside under "tcplab.lessons.user.damaged"/);
    expect(s.data.get(USER_LESSONS_DAMAGED_KEY)).toBe(raw);
    expect(JSON.parse(s.data.get(USER_LESSONS_KEY)!)).toEqual({ version: 1, files: [] });
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
    expect(loadUserLessons(broken)).toEqual({ files: [], damaged: null });
    expect(saveUserLessons([], broken)).toBe(false);
  });
});

/** A LabApi that answers every command with ok and records them. */
function recordingApi() {
  const sent: Command[] = [];
  const api: LabApi = {
    async command(cmd: Command): Promise<CommandResult> {
      sent.push(cmd);
      return { ok: true };
    },
    ready: async () => [],
    onEvents: () => () => {},
  };
  return { api, sent };
}

describe('useLessonStore with a teacher’s lesson', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('loads it, keeps it, restores it on the next start, and removes it with its progress', async () => {
    const lessons = useLessonStore();
    await lessons.ready();
    expect(lessons.loadLessonFile('my-listen.json', EXAMPLE)).toBe(true);
    expect(lessons.loadFailure).toBeNull();
    expect(lessons.loadSuccess).toEqual({ id: 'my-listen', kept: true });
    expect(lessons.entries.map((e) => e.lesson?.id)).toEqual([
      ...bundled.map((e) => e.lesson?.id),
      'my-listen',
    ]);
    expect(lessons.entries.at(-1)?.user).toBe(true);
    expect(JSON.parse(localStorage.getItem(USER_LESSONS_KEY)!).files).toEqual([
      { file: 'my-listen.json', text: EXAMPLE },
    ]);
    lessons.progress = { ...lessons.progress, 'my-listen': [0] };

    // The next start: a fresh store reads it back.
    setActivePinia(createPinia());
    const again = useLessonStore();
    await again.ready();
    expect(again.entries.at(-1)).toMatchObject({
      file: 'my-listen.json',
      user: true,
      lesson: { id: 'my-listen' },
    });

    localStorage.setItem(
      PROGRESS_KEY,
      JSON.stringify({ version: 1, lessons: { 'my-listen': [0], handshake: [0] } }),
    );
    setActivePinia(createPinia());
    const third = useLessonStore();
    await third.ready();
    third.removeUserLesson('my-listen.json');
    expect(third.entries.map((e) => e.lesson?.id)).toEqual(bundled.map((e) => e.lesson?.id));
    expect(third.progress).toEqual({ handshake: [0] });
    expect(JSON.parse(localStorage.getItem(USER_LESSONS_KEY)!)).toEqual({ version: 1, files: [] });
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!).lessons).toEqual({ handshake: [0] });
  });

  it('a refused file leaves the list as it was and says why', async () => {
    const lessons = useLessonStore();
    await lessons.ready();
    lessons.loadLessonFile('a.json', other('a'));
    const before = lessons.entries;
    expect(lessons.loadLessonFile('bad.json', MISSING_COMMA)).toBe(false);
    expect(lessons.entries).toBe(before);
    expect(lessons.loadFailure?.file).toBe('bad.json');
    expect(lessons.loadFailure?.errors[0]).toMatchObject({ file: 'bad.json', line: 4 });
    expect(lessons.loadSuccess).toBeNull();
    expect(JSON.parse(localStorage.getItem(USER_LESSONS_KEY)!).files).toHaveLength(1);
  });

  it('an edited copy replaces the loaded one and its progress starts afresh', async () => {
    const lessons = useLessonStore();
    await lessons.ready();
    lessons.loadLessonFile('my-listen.json', EXAMPLE);
    lessons.progress = { 'my-listen': [0] };
    lessons.loadLessonFile('my-listen.json', EXAMPLE); // the same text: nothing to forget
    expect(lessons.progress).toEqual({ 'my-listen': [0] });
    lessons.loadLessonFile('my-listen.json', EXAMPLE.replace('Listening', 'Listening, edited'));
    expect(lessons.progress).toEqual({});
    expect(lessons.entries.filter((e) => e.user).map((e) => e.lesson?.title.en)).toEqual([
      'Listening, edited',
    ]);
  });

  it('starts a loaded lesson by resetting the lab with its programs', async () => {
    const lab = useLabStore();
    const fake = recordingApi();
    lab.attach(fake.api);
    const lessons = useLessonStore();
    await lessons.ready();
    lessons.loadLessonFile('my-listen.json', EXAMPLE);
    // Not awaited: this stand-in lab sends no reset events, so the replay would wait for them.
    void lessons.start('my-listen');
    await vi.waitFor(() =>
      expect(fake.sent[0]).toMatchObject({
        type: 'reset',
        programs: {
          server: {
            name: 'echo-server',
            file: 'echo-server.c',
            source: bundledProgramFiles()['echo-server.c'],
          },
        },
      }),
    );
    expect(lessons.lesson?.id).toBe('my-listen');
    expect(lessons.status).toBe('resetting');
  });

  it('a damaged stored value is set aside with a message, and the bundled lessons still load', async () => {
    localStorage.setItem(USER_LESSONS_KEY, '{"version":1,"files":[');
    const lessons = useLessonStore();
    await lessons.ready();
    expect(lessons.userNotice).toMatch(/damaged/);
    expect(lessons.entries).toHaveLength(bundled.length);
    expect(localStorage.getItem(USER_LESSONS_DAMAGED_KEY)).toBe('{"version":1,"files":[');
  });
});

describe('LessonSidebar: loading a lesson file', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  async function mounted(lang: 'en' | 'zh-CN' = 'en') {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang(lang);
    const lessons = useLessonStore();
    await lessons.ready();
    const w = mount(LessonSidebar, { global: { plugins: [pinia] }, attachTo: document.body });
    return { w, lessons };
  }

  async function pick(w: Awaited<ReturnType<typeof mounted>>['w'], file: File) {
    const input = w.get('[data-test="lesson-load-input"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
  }

  it('a picked file appears as “your lesson” with its progress, and can be removed', async () => {
    const { w, lessons } = await mounted();
    const input = w.get('[data-test="lesson-load-input"]');
    expect(input.attributes('type')).toBe('file');
    expect(input.attributes('accept')).toContain('.json');
    expect(w.get('label.load-button').text()).toBe('Load a lesson file…');
    await pick(w, fileOf('my-listen.json', EXAMPLE));
    await vi.waitFor(() => expect(w.find('[data-test="lesson-item-my-listen"]').exists()).toBe(true));
    const item = w.get('[data-test="lesson-item-my-listen"]');
    expect(item.text()).toContain('Listening');
    expect(item.text()).toContain('your lesson');
    expect(item.text()).toContain('0/1 steps');
    expect(w.get('[data-test="lesson-load-ok"]').text()).toContain('Loaded “Listening”.');
    expect((input.element as HTMLInputElement).value).toBe('');
    lessons.progress = { 'my-listen': [0] };
    await nextTick();
    expect(w.get('[data-test="lesson-item-my-listen"]').text()).toContain('complete');
    // Only the teacher's own lessons have a Remove button.
    expect(w.findAll('button.remove')).toHaveLength(1);
    const remove = w.get('[data-test="lesson-remove-my-listen.json"]');
    expect(remove.attributes('aria-label')).toBe('Remove your lesson Listening');
    await remove.trigger('click');
    expect(w.find('[data-test="lesson-item-my-listen"]').exists()).toBe(false);
    expect(w.findAll('.lesson-item:not(.sandbox)')).toHaveLength(bundled.length);
    w.unmount();
  });

  it('a bad file shows “could not be loaded” with its name, line and reason; the list stays', async () => {
    const { w } = await mounted();
    const before = w.findAll('.lesson-item').map((b) => b.text());
    await pick(w, fileOf('broken.json', MISSING_COMMA));
    await vi.waitFor(() => expect(w.find('[data-test="lesson-load-error"]').exists()).toBe(true));
    const err = w.get('[data-test="lesson-load-error"]');
    expect(err.attributes('role')).toBe('alert');
    expect(err.text()).toContain('broken.json — could not be loaded');
    expect(err.text()).toContain('broken.json:4');
    expect(err.text()).toContain('bad JSON');
    expect(w.findAll('.lesson-item').map((b) => b.text())).toEqual(before);
    await err.get('button').trigger('click');
    expect(w.find('[data-test="lesson-load-error"]').exists()).toBe(false);
    w.unmount();
  });

  it('a file dropped on the list loads, and the window’s own drop handler does not see it', async () => {
    const { w } = await mounted('zh-CN');
    const onWindow = vi.fn();
    window.addEventListener('drop', onWindow);
    try {
      const nav = w.get('[data-test="lesson-list"]');
      const dataTransfer = {
        types: ['Files'],
        files: [fileOf('mine.json', other('mine', 'Mine'))],
        dropEffect: 'none',
      };
      await nav.trigger('dragover', { dataTransfer });
      expect(nav.classes()).toContain('dragging');
      expect(w.text()).toContain('松开即可载入这个课程文件');
      await nav.trigger('drop', { dataTransfer });
      await vi.waitFor(() => expect(w.find('[data-test="lesson-item-mine"]').exists()).toBe(true));
      expect(w.get('[data-test="lesson-item-mine"]').text()).toContain('自定义课程');
      expect(nav.classes()).not.toContain('dragging');
      expect(onWindow).not.toHaveBeenCalled();
    } finally {
      window.removeEventListener('drop', onWindow);
      w.unmount();
    }
  });

  it('a bundled id is refused with a clear message', async () => {
    const { w } = await mounted();
    await pick(w, fileOf('hs.json', EXAMPLE.replace('"id": "my-listen"', '"id": "handshake"')));
    await vi.waitFor(() => expect(w.find('[data-test="lesson-load-error"]').exists()).toBe(true));
    expect(w.get('[data-test="lesson-load-error"]').text()).toContain(
      'hs.json:2 lesson id "handshake" is already used by the bundled lesson 02-handshake.json',
    );
    expect(w.findAll('[data-test="lesson-item-handshake"]')).toHaveLength(1);
    w.unmount();
  });

  it('the new words exist in both languages', () => {
    expect(Object.keys(lessonStrings['zh-CN']).sort()).toEqual(Object.keys(lessonStrings.en).sort());
    expect(lessonStrings['zh-CN'].yours).toBe('自定义课程');
    expect(lessonStrings.en.yours).toBe('your lesson');
  });
});
