/**
 * The window's lookups by outside text (issue 12): "constructor" and friends are names like
 * any other — no sentence of ours, a lesson id with no progress yet, no actor's draft or
 * breakpoints — never a member of Object.prototype (a lesson "constructor" had
 * Object.prototype.constructor as its progress: starting it threw, the list counted 1 step done).
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { say } from '@/i18n/say';
import { progressRows } from '@/lessons/export';
import { useLessonStore } from '@/stores/lessons';
import { useProgramStore } from '@/stores/program';
import { other } from './fixtures/teacher';
import { lessonLab } from './lessons/lesson-lab';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;

describe('prototype names in the window', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it.each(NAMES)('%s is translated as nothing', (name) => {
    expect(say(name, 'zh-CN')).toBe(name);
  });

  it('a teacher’s lesson with the id "constructor" starts, with no progress and no records', async () => {
    lessonLab();
    const lessons = useLessonStore();
    await lessons.ready();
    expect(lessons.loadLessonFile('constructor.json', other('constructor'))).toBe(true);
    expect(await lessons.start('constructor')).toBe(true);
    expect(lessons.lesson?.id).toBe('constructor');
    expect(lessons.stepIndex).toBe(0);
    expect(Object.hasOwn(lessons.progress, 'constructor')).toBe(false);
    const lesson = lessons.entries.find((e) => e.lesson?.id === 'constructor')!.lesson!;
    expect(progressRows(lessons.progress, lessons.records, [lesson])).toEqual([]);
    // Removing it forgets nothing that was never there.
    lessons.removeUserLesson('constructor.json');
    expect(lessons.entries.some((e) => e.lesson?.id === 'constructor')).toBe(false);
    expect(Object.keys(lessons.progress)).toEqual([]);
  });

  it.each(NAMES)('%s as a lesson id in the progress export is a lesson with no steps done', (name) => {
    expect(progressRows({}, {}, [])).toEqual([]);
    // Progress read back from storage (JSON.parse: "__proto__" is an own key there).
    const progress = JSON.parse(`{${JSON.stringify(name)}: [0]}`) as Record<string, number[]>;
    const rows = progressRows(progress, {}, []);
    expect(rows.map((r) => [r.lesson, r.step])).toEqual([[name, 1]]);
  });

  it.each(NAMES)('%s is no actor with a draft, a loaded program or breakpoints', (name) => {
    const programs = useProgramStore();
    expect(programs.textOf(name, null)).toBe('');
    expect(programs.breakpointsOf(name)).toEqual([]);
    expect(programs.programFor(name, null).source).toBe('');
  });
});
