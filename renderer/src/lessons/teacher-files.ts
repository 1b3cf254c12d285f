/**
 * The teacher's own files in the lesson store: the lessons (`.json`) and the C programs they
 * name (`.c`) loaded at run time, kept in localStorage (./user-lessons.ts does the checks and
 * the storage), with the last load's outcome for the list to show. Used inside the lesson
 * store's setup (stores/lessons.ts), which gives it what it needs of the lesson being taken.
 *
 * Several files picked or dropped at once are loaded programs first, so a lesson finds the
 * `.c` files it names among them; the first file refused stops the rest (its reasons shown).
 */
import { computed, ref, shallowRef, type Ref } from 'vue';
import type { LessonError } from '@contract/lesson-file';
import { MAX_PROGRAM_CHARS } from '@contract/constants';
import type { LessonEntry } from './catalog';
import { MAX_USER_LESSON_CHARS, saveUserLessons, type UserLessonFile } from './user-storage';
import type { LoadedUserLessons } from './user-storage-read';

/** The checks of a teacher's files (./user-lessons.ts), loaded with the bundled lessons (./bundled.ts). */
export type TeacherChecks = Pick<
  typeof import('./bundled'),
  'addUserLesson' | 'addUserProgram' | 'userLessonEntries'
>;

/** A picked or dropped file, as far as loading reads it (a DOM File has these). */
export interface PickedFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

/** What the last load gave: a lesson (by id) or a program (by file), and whether storage kept it. */
export type LoadSuccess = { id: string; kept: boolean } | { program: string; kept: boolean };

/** A C program file the teacher loaded, with the loaded lessons that name it. */
export interface UserProgramEntry {
  file: string;
  /** The ids of the teacher's lessons that run it. */
  usedBy: string[];
}

/** Whether a file's name makes it a program (`.c`) rather than a lesson. */
export const isProgramFile = (name: string): boolean => name.toLowerCase().endsWith('.c');

/** What the teacher's files need of the lesson store. */
export interface TeacherFilesDeps {
  /** The bundled lessons (their ids are not the teacher's to take). */
  bundled: Readonly<Ref<LessonEntry[]>>;
  /** The checks, once the bundled lessons are loaded (after the first paint); null until then. */
  checks: Readonly<Ref<TeacherChecks | null>>;
  /** Resolves once the bundled lessons and the checks are loaded. */
  ready(): Promise<unknown>;
  /** The lesson being taken, by id, or null. */
  currentId: Readonly<Ref<string | null>>;
  /** Leave the lesson being taken. */
  leave(): void;
  /** Forget a lesson's progress. */
  forgetProgress(id: string): void;
}

/** The teacher's files, their list entries and the actions that load and remove them. */
export function useTeacherFiles(deps: TeacherFilesDeps) {
  /** The files the teacher loaded at run time (lessons and programs), kept in localStorage. */
  const userFiles = shallowRef<UserLessonFile[]>([]);
  /** Set when the stored loaded lessons were damaged and set aside (dismissable). */
  const userNotice = ref<string | null>(null);

  /** The stored files, read back once the bundled lessons' chunk (with its zod) is in. */
  function restore(stored: LoadedUserLessons): void {
    userFiles.value = stored.files;
    userNotice.value = stored.damaged;
  }
  /** The last file the teacher tried to load, if it was refused: its name and the reasons. */
  const loadFailure = shallowRef<{ file: string; errors: LessonError[] } | null>(null);
  /** The last file loaded, and whether storage refused to keep it. */
  const loadSuccess = ref<LoadSuccess | null>(null);
  /** The teacher's lessons as list entries, each checked again with the programs loaded now. */
  const userEntries = computed(
    () => deps.checks.value?.userLessonEntries(userFiles.value, deps.bundled.value) ?? [],
  );
  /** The teacher's C program files, in the order loaded, with the lessons that name them. */
  const userPrograms = computed<UserProgramEntry[]>(() =>
    userFiles.value
      .filter((f) => isProgramFile(f.file))
      .map((f) => ({
        file: f.file,
        usedBy: userEntries.value
          .filter((e) => e.lesson && Object.values(e.lesson.programs).some((p) => p.file === f.file))
          .map((e) => e.lesson!.id),
      })),
  );

  /** The checks, or (still loading) null with the file refused for now. */
  function checks(file: string): TeacherChecks | null {
    const c = deps.checks.value;
    if (!c) {
      const message = 'the lessons are still loading: load the file again in a moment';
      loadFailure.value = { file, errors: [{ file, line: 1, message }] };
    }
    return c;
  }

  /** A lesson being taken that no longer loads (its program removed) is left. */
  function leaveIfGone(): void {
    const id = deps.currentId.value;
    if (id === null || deps.bundled.value.some((e) => e.lesson?.id === id)) return;
    if (!userEntries.value.some((e) => e.lesson?.id === id)) deps.leave();
  }

  /**
   * Load a teacher's lesson file (its name and text) into the list: checked as
   * `npm run lessons:check` checks it, its programs looked up among the teacher's `.c` files
   * and the bundled ones. A refused file leaves the list as it was and sets loadFailure. One
   * with the id or name of a loaded lesson replaces it (its progress starts afresh).
   * `size` (bytes) lets a file too large be refused before it is read.
   */
  function loadLessonFile(file: string, text: string, size = text.length): boolean {
    loadSuccess.value = null;
    const c = checks(file);
    if (!c) return false;
    const r = c.addUserLesson(userFiles.value, deps.bundled.value, file, text, size);
    if (!r.ok) {
      loadFailure.value = { file: r.file, errors: r.errors };
      return false;
    }
    loadFailure.value = null;
    if (r.replaced && r.replaced.text !== text) {
      const old = c
        .userLessonEntries([...userFiles.value.filter((f) => isProgramFile(f.file)), r.replaced], [])
        .map((e) => e.lesson)
        .find((l) => l);
      if (old) deps.forgetProgress(old.id);
      deps.forgetProgress(r.lesson.id);
    }
    userFiles.value = r.files;
    loadSuccess.value = { id: r.lesson.id, kept: saveUserLessons(r.files) };
    return true;
  }

  /**
   * Load a teacher's C program file (`.c`) for their lessons to name; one of the same name
   * replaces it (the lessons that name it run the new text from their next start or reset).
   * A refused file leaves the list as it was and sets loadFailure.
   */
  function loadProgramFile(file: string, text: string, size = text.length): boolean {
    loadSuccess.value = null;
    const c = checks(file);
    if (!c) return false;
    const r = c.addUserProgram(userFiles.value, file, text, size);
    if (!r.ok) {
      loadFailure.value = { file: r.file, errors: r.errors };
      return false;
    }
    loadFailure.value = null;
    userFiles.value = r.files;
    loadSuccess.value = { program: r.file, kept: saveUserLessons(r.files) };
    return true;
  }

  /**
   * Load picked or dropped files: the programs (`.c`) first, then the lessons, each in the
   * order given. The first one refused stops the rest; returns whether all loaded.
   */
  async function loadFiles(files: ArrayLike<PickedFile> | null | undefined): Promise<boolean> {
    const all = Array.from(files ?? []);
    // Picked or dropped while the bundled lessons load: checked once they are in.
    await deps.ready();
    const ordered = [
      ...all.filter((f) => isProgramFile(f.name)),
      ...all.filter((f) => !isProgramFile(f.name)),
    ];
    for (const f of ordered) {
      const program = isProgramFile(f.name);
      // A file far too large is refused by its size, without reading it.
      const text = f.size > (program ? MAX_PROGRAM_CHARS : MAX_USER_LESSON_CHARS) ? '' : await f.text();
      const ok = program ? loadProgramFile(f.name, text, f.size) : loadLessonFile(f.name, text, f.size);
      if (!ok) return false;
    }
    return true;
  }

  /** Remove a loaded lesson (by file name) and its progress; the bundled ones stay. */
  function removeUserLesson(file: string): void {
    const entry = userEntries.value.find((e) => e.file === file);
    if (!entry) return;
    if (entry.lesson) {
      if (deps.currentId.value === entry.lesson.id) deps.leave();
      deps.forgetProgress(entry.lesson.id);
    }
    userFiles.value = userFiles.value.filter((f) => f.file !== file);
    loadSuccess.value = null;
    saveUserLessons(userFiles.value);
  }

  /**
   * Remove a loaded program file. The teacher's lessons that name it are then listed as
   * "could not be loaded" (loading the file again brings them back); their progress is kept.
   */
  function removeUserProgram(file: string): void {
    if (!isProgramFile(file) || !userFiles.value.some((f) => f.file === file)) return;
    userFiles.value = userFiles.value.filter((f) => f.file !== file);
    loadSuccess.value = null;
    saveUserLessons(userFiles.value);
    leaveIfGone();
  }

  /** Forget the last load's message (failure or success) and the damaged-storage notice. */
  function dismissLoadMessage(): void {
    loadFailure.value = null;
    loadSuccess.value = null;
    userNotice.value = null;
  }

  return {
    userFiles,
    userNotice,
    loadFailure,
    loadSuccess,
    userEntries,
    userPrograms,
    restore,
    loadLessonFile,
    loadProgramFile,
    loadFiles,
    removeUserLesson,
    removeUserProgram,
    dismissLoadMessage,
  };
}
