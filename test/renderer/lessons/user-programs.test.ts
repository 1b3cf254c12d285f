/**
 * A teacher's own C programs in the window, beside their lessons: a `.c` file picked (with the
 * lessons that name it, several at once, in any order) is loaded before the lessons; a lesson
 * naming a file that is neither loaded nor bundled is refused with the very error
 * `npm run lessons:check` gives (file, line, the known files); the loaded programs are listed
 * under the lessons with the lessons that run them, kept across a restart, and removable (a
 * lesson that names a removed one is then listed as "could not be loaded"). Both languages.
 *
 * The real lab running a teacher's program is exercised in test/e2e/user-lesson.test.ts.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandResult, LabApi } from '@contract';
import { parseLessonFile } from '@contract/lesson-file';
import { bundledLessonFiles, bundledProgramFiles, parseLessonFiles } from '@/lessons/catalog';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { sidebarEn } from '@/i18n/sidebar-en';
import { sidebarZh } from '@/i18n/sidebar-zh';

/** Both dictionaries of the lesson sidebar's words. */
const lessonStrings = { en: sidebarEn, 'zh-CN': sidebarZh };
import { useLessonStore } from '@/stores/lessons';
import { addUserLesson, addUserProgram, USER_LESSONS_KEY, userLessonEntries } from '@/lessons/user-lessons';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { fileOf, MY_SERVER, MY_SERVER_FILE, naming, SERVER_LINE } from '../fixtures/teacher';

const bundled = parseLessonFiles(bundledLessonFiles());
/** What lessons:check reads for a folder holding the lesson and my-server.c: the shipped programs and the folder's. */
const checkPrograms = { ...bundledProgramFiles(), [MY_SERVER_FILE]: MY_SERVER };

describe('user-lessons: a teacher’s C program', () => {
  it('a lesson names a loaded .c file: its server runs the teacher’s source, named by the file', () => {
    const p = addUserProgram([], MY_SERVER_FILE, MY_SERVER);
    expect(p).toMatchObject({ ok: true, file: MY_SERVER_FILE, replaced: null });
    if (!p.ok) return;
    const r = addUserLesson(p.files, bundled, 'my-own.json', naming());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.programs.server).toEqual({ name: 'my-server', source: MY_SERVER, file: MY_SERVER_FILE });
    // The client still runs the bundled file the lesson names.
    expect(r.lesson.programs.client).toMatchObject({ name: 'echo-client', file: 'echo-client.c' });
    expect(r.files.map((f) => f.file)).toEqual([MY_SERVER_FILE, 'my-own.json']);
  });

  it('a lesson naming a .c file neither loaded nor bundled is refused as lessons:check refuses it', () => {
    const r = addUserLesson([], bundled, 'my-own.json', naming('missing.c'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const check = parseLessonFile('my-own.json', naming('missing.c'), bundledProgramFiles());
    expect(r.errors).toEqual(check.ok ? [] : check.errors);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'my-own.json', line: SERVER_LINE });
    // The message names the file and lists the files the lesson could have named.
    expect(r.errors[0]!.message).toMatch(
      /^programs\.server: no program file "missing\.c" \(the known ones: /,
    );
    for (const f of Object.keys(bundledProgramFiles())) expect(r.errors[0]!.message).toContain(f);
    // With the teacher's file loaded, it is among the known ones.
    const p = addUserProgram([], MY_SERVER_FILE, MY_SERVER);
    const again = addUserLesson(p.ok ? p.files : [], bundled, 'my-own.json', naming('missing.c'));
    const checkAgain = parseLessonFile('my-own.json', naming('missing.c'), checkPrograms);
    expect(again.ok ? [] : again.errors).toEqual(checkAgain.ok ? [] : checkAgain.errors);
    expect(again.ok ? '' : again.errors[0]!.message).toContain(MY_SERVER_FILE);
  });

  it('refuses a program file with a name a lesson cannot write, or empty; one of the same name replaces it', () => {
    expect(addUserProgram([], 'My Server.c', MY_SERVER)).toMatchObject({
      ok: false,
      errors: [{ file: 'My Server.c', line: 1, message: /letters, digits, "_" and "-", then "\.c"/ }],
    });
    expect(addUserProgram([], 'empty.c', '  \n')).toMatchObject({
      ok: false,
      errors: [{ message: 'the file is empty' }],
    });
    const first = addUserProgram([], MY_SERVER_FILE, MY_SERVER);
    const edited = addUserProgram(first.ok ? first.files : [], MY_SERVER_FILE, `${MY_SERVER}\n`);
    expect(edited.ok && edited.files).toEqual([{ file: MY_SERVER_FILE, text: `${MY_SERVER}\n` }]);
    expect(edited.ok && edited.replaced?.text).toBe(MY_SERVER);
  });

  it('a stored lesson whose program file is gone is listed as not loaded, with the same error', () => {
    const entries = userLessonEntries([{ file: 'my-own.json', text: naming() }], bundled);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ file: 'my-own.json', user: true, errors: [{ line: SERVER_LINE }] });
    expect(entries[0]!.errors?.[0]?.message).toContain(`no program file "${MY_SERVER_FILE}"`);
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

describe('useLessonStore with a teacher’s C program', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('loads the files picked together programs first, keeps them, and starts the lesson with the teacher’s C', async () => {
    const lab = useLabStore();
    const fake = recordingApi();
    lab.attach(fake.api);
    const lessons = useLessonStore();
    await lessons.ready();
    // The lesson comes first in the pick: it is still loaded after the program it names.
    expect(
      await lessons.loadFiles([fileOf('my-own.json', naming()), fileOf(MY_SERVER_FILE, MY_SERVER)]),
    ).toBe(true);
    expect(lessons.loadFailure).toBeNull();
    expect(lessons.loadSuccess).toEqual({ id: 'my-own', kept: true });
    expect(lessons.userPrograms).toEqual([{ file: MY_SERVER_FILE, usedBy: ['my-own'] }]);
    expect(JSON.parse(localStorage.getItem(USER_LESSONS_KEY)!).files).toEqual([
      { file: MY_SERVER_FILE, text: MY_SERVER },
      { file: 'my-own.json', text: naming() },
    ]);
    // Not awaited: this stand-in lab sends no reset events, so the replay would wait for them.
    void lessons.start('my-own');
    await vi.waitFor(() =>
      expect(fake.sent[0]).toMatchObject({
        type: 'reset',
        programs: { server: { name: 'my-server', source: MY_SERVER, file: MY_SERVER_FILE } },
      }),
    );

    // The next start: a fresh store reads both back.
    setActivePinia(createPinia());
    const again = useLessonStore();
    await again.ready();
    expect(again.userPrograms).toEqual([{ file: MY_SERVER_FILE, usedBy: ['my-own'] }]);
    expect(again.entries.at(-1)).toMatchObject({ file: 'my-own.json', user: true, lesson: { id: 'my-own' } });
  });

  it('the first file refused stops the rest, and says why', async () => {
    const lessons = useLessonStore();
    await lessons.ready();
    expect(await lessons.loadFiles([fileOf('bad name.c', MY_SERVER), fileOf('my-own.json', naming())])).toBe(
      false,
    );
    expect(lessons.loadFailure).toMatchObject({
      file: 'bad name.c',
      errors: [{ file: 'bad name.c', line: 1 }],
    });
    expect(lessons.userFiles).toEqual([]);
  });

  it('removing a program leaves the lesson taken with it; loading it again brings the lesson back', async () => {
    const lab = useLabStore();
    lab.attach(recordingApi().api);
    const lessons = useLessonStore();
    await lessons.ready();
    await lessons.loadFiles([fileOf(MY_SERVER_FILE, MY_SERVER), fileOf('my-own.json', naming())]);
    lessons.progress = { 'my-own': [0] };
    void lessons.start('my-own');
    expect(lessons.currentId).toBe('my-own');
    lessons.removeUserProgram(MY_SERVER_FILE);
    expect(lessons.currentId).toBeNull();
    expect(lessons.userPrograms).toEqual([]);
    const entry = lessons.entries.find((e) => e.file === 'my-own.json');
    expect(entry?.errors?.[0]?.message).toContain(`no program file "${MY_SERVER_FILE}"`);
    expect(lessons.progress).toEqual({ 'my-own': [0] });
    expect(JSON.parse(localStorage.getItem(USER_LESSONS_KEY)!).files).toEqual([
      { file: 'my-own.json', text: naming() },
    ]);
    expect(lessons.loadProgramFile(MY_SERVER_FILE, MY_SERVER)).toBe(true);
    expect(lessons.loadSuccess).toEqual({ program: MY_SERVER_FILE, kept: true });
    expect(lessons.entries.find((e) => e.file === 'my-own.json')?.lesson?.id).toBe('my-own');
  });
});

describe('LessonSidebar: a teacher’s C programs', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  async function mounted(lang: 'en' | 'zh-CN' = 'en') {
    const pinia = createPinia();
    setActivePinia(pinia);
    const ui = useUiStore();
    ui.setLang(lang);
    const lessons = useLessonStore();
    await lessons.ready();
    const w = mount(LessonSidebar, { global: { plugins: [pinia] }, attachTo: document.body });
    return { w, lessons, ui };
  }

  async function pick(w: Awaited<ReturnType<typeof mounted>>['w'], files: File[]) {
    const input = w.get('[data-test="lesson-load-input"]');
    Object.defineProperty(input.element, 'files', { value: files, configurable: true });
    await input.trigger('change');
  }

  it('the picker takes lessons and programs, several at once; the program is listed with its lesson, and removable', async () => {
    const { w, ui } = await mounted();
    const input = w.get('[data-test="lesson-load-input"]');
    expect(input.attributes('accept')?.split(',')).toEqual(expect.arrayContaining(['.json', '.c']));
    expect(input.attributes('multiple')).toBeDefined();
    expect(w.find('[data-test="lesson-programs"]').exists()).toBe(false);
    await pick(w, [fileOf('my-own.json', naming()), fileOf(MY_SERVER_FILE, MY_SERVER)]);
    await vi.waitFor(() => expect(w.find('[data-test="lesson-item-my-own"]').exists()).toBe(true));
    expect(w.get('[data-test="lesson-item-my-own"]').text()).toContain('your lesson');
    expect(w.get('[data-test="lesson-load-ok"]').text()).toContain('Loaded “My own server”.');
    const programs = w.get('[data-test="lesson-programs"]');
    expect(programs.attributes('aria-label')).toBe('Your C programs');
    expect(programs.text()).toContain('Your C programs');
    const row = w.get(`[data-test="lesson-program-${MY_SERVER_FILE}"]`);
    expect(row.text()).toContain(MY_SERVER_FILE);
    expect(row.text()).toContain('run by My own server');
    // The program list is not the lesson list.
    expect(
      w
        .findAll('.lesson-list > li')
        .map((l) => l.text())
        .join(),
    ).not.toContain(MY_SERVER_FILE);

    ui.setLang('zh-CN');
    await vi.waitFor(() => expect(w.get('[data-test="lesson-programs"]').text()).toContain('自定义 C 程序'));
    expect(w.get(`[data-test="lesson-program-${MY_SERVER_FILE}"]`).text()).toContain('用于：');
    ui.setLang('en');

    const remove = w.get(`[data-test="lesson-program-remove-${MY_SERVER_FILE}"]`);
    await vi.waitFor(() =>
      expect(remove.attributes('aria-label')).toBe(`Remove your program ${MY_SERVER_FILE}`),
    );
    await remove.trigger('click');
    expect(w.find('[data-test="lesson-programs"]').exists()).toBe(false);
    // The lesson that ran it cannot be loaded now, and says why.
    expect(w.find('[data-test="lesson-item-my-own"]').exists()).toBe(false);
    const broken = w.get('[data-test="lesson-broken"]').text();
    expect(broken).toContain('my-own.json — could not be loaded');
    expect(broken).toContain(`my-own.json:${SERVER_LINE}`);
    expect(broken).toContain(`no program file "${MY_SERVER_FILE}"`);
    w.unmount();
  });

  it('a lesson naming a .c file that is not there shows the file, the line and the known files', async () => {
    const { w } = await mounted();
    const before = w.findAll('.lesson-item').map((b) => b.text());
    await pick(w, [fileOf('my-own.json', naming())]);
    await vi.waitFor(() => expect(w.find('[data-test="lesson-load-error"]').exists()).toBe(true));
    const err = w.get('[data-test="lesson-load-error"]').text();
    expect(err).toContain('my-own.json — could not be loaded');
    expect(err).toContain(`my-own.json:${SERVER_LINE} programs.server: no program file "${MY_SERVER_FILE}"`);
    expect(err).toContain('the known ones: ');
    expect(err).toContain('echo-server.c');
    expect(w.findAll('.lesson-item').map((b) => b.text())).toEqual(before);
    w.unmount();
  });

  it('a program dropped alone is listed as not yet run by a lesson, in Chinese', async () => {
    const { w } = await mounted('zh-CN');
    const nav = w.get('[data-test="lesson-list"]');
    const dataTransfer = { types: ['Files'], files: [fileOf(MY_SERVER_FILE, MY_SERVER)], dropEffect: 'none' };
    await nav.trigger('dragover', { dataTransfer });
    await nav.trigger('drop', { dataTransfer });
    await vi.waitFor(() => expect(w.find('[data-test="lesson-programs"]').exists()).toBe(true));
    expect(w.get('[data-test="lesson-load-ok"]').text()).toBe(`已载入程序 ${MY_SERVER_FILE}。`);
    expect(w.get(`[data-test="lesson-program-${MY_SERVER_FILE}"]`).text()).toContain(
      '还没有已载入的课程用到它',
    );
    expect(w.text()).toContain('.c 程序');
    w.unmount();
  });

  it('the words for programs exist in both languages', () => {
    for (const k of [
      'programs',
      'programUsedBy',
      'programUnused',
      'removeProgramLabel',
      'loadedProgram',
    ] as const) {
      expect(lessonStrings.en[k].trim()).not.toBe('');
      expect(lessonStrings['zh-CN'][k].trim()).not.toBe('');
    }
    expect(lessonStrings.en.dropHint).toContain('.c');
    expect(lessonStrings['zh-CN'].dropHint).toContain('.c');
  });
});
