/**
 * The program pane: variables frame by frame, the console with stdout and stderr and how the
 * program ended, breakpoints (pure logic, the editor's gutter and F9, the run command), the
 * window's C parser, and the store that keeps edits, originals and refused programs.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { type ActorView, type FrameView, type LabEvent } from '@contract';
import ConsolePane from '@/components/program/ConsolePane.vue';
import ProgramEditor from '@/components/program/ProgramEditor.vue';
import VariablesPane from '@/components/program/VariablesPane.vue';
import { normalizeLines, toggleLine } from '@/components/program/breakpoints';
import { checkSource, problemText } from '@/components/program/c-parser';
import { saveName, useProgramStore } from '@/stores/program';
import { useLabStore } from '@/stores/lab';
import { useUiStore } from '@/stores/ui';
import { classicEvents, countUntil, serverProgram } from './fixtures/classic';
import { fakeApi } from './fixtures/fake-api';
import './helpers/c-parser';

let seq = 0;
const ev = (e: Record<string, unknown>): LabEvent => ({ seq: ++seq, t: 1000 + seq, ...e }) as LabEvent;

beforeEach(() => {
  setActivePinia(createPinia());
  useUiStore().setLang('en');
});

describe('breakpoints', () => {
  it('toggle a line on and off, sorted, each once, within the run command’s limits', () => {
    expect(toggleLine([], 5)).toEqual([5]);
    expect(toggleLine([9, 5], 7)).toEqual([5, 7, 9]);
    expect(toggleLine([5, 7, 9], 7)).toEqual([5, 9]);
    expect(normalizeLines([3, 3, 1, 0, -2, 2.5, 100_001])).toEqual([1, 3]);
    expect(normalizeLines(Array.from({ length: 600 }, (_, i) => i + 1))).toHaveLength(500);
  });
});

describe('VariablesPane', () => {
  const frames: FrameView[] = [
    {
      fn: 'handle',
      line: 21,
      vars: [
        { name: 'buf', type: 'char [16]', value: '"hi\\r\\n"', bytes: '68 69 0d 0a 00' },
        { name: 'n', type: 'ssize_t', value: '?' },
      ],
    },
    { fn: 'main', line: 40, vars: [{ name: 'addr', type: 'struct sockaddr_in', value: '127.0.0.1:5000' }] },
  ];

  it('shows each frame, innermost first, with names, types, values and bytes', () => {
    const w = mount(VariablesPane, { props: { frames } });
    const shown = w.findAll('[data-test="frame"]');
    expect(shown).toHaveLength(2);
    expect(shown[0]!.get('caption').text()).toBe('handle() at line 21');
    expect(shown[1]!.get('caption').text()).toBe('main() at line 40');
    const rows = shown[0]!.findAll('[data-test="var"]');
    expect(rows[0]!.findAll('th, td').map((c) => c.text())).toEqual([
      'buf',
      'char [16]',
      '"hi\\r\\n"bytes: 68 69 0d 0a 00',
    ]);
    expect(rows[0]!.get('[data-test="var-bytes"]').text()).toContain('68 69 0d 0a 00');
    expect(rows[1]!.get('.unset').text()).toBe('?');
    expect(shown[1]!.text()).toContain('127.0.0.1:5000');
  });

  it('says so when there is no call stack, in Chinese too', async () => {
    const w = mount(VariablesPane, { props: { frames: [] } });
    expect(w.text()).toContain('the program has not started');
    useUiStore().setLang('zh-CN');
    await nextTick();
    expect(w.text()).toContain('程序尚未开始');
  });
});

describe('ConsolePane', () => {
  it('shows stdout and stderr apart, and the exit status', () => {
    const w = mount(ConsolePane, {
      props: {
        output: [
          { stream: 'stdout', text: 'listening on 5000\n' },
          { stream: 'stderr', text: 'accept: Interrupted system call\n' },
        ],
        end: { how: 'exit', status: 1 },
      },
    });
    const out = w.get('[data-test="console-output"]');
    expect(out.element.tagName).toBe('PRE');
    expect(out.text()).toContain('listening on 5000');
    expect(out.get('[data-test="stderr"]').text()).toBe('stderr: accept: Interrupted system call');
    expect(w.get('[data-test="program-end"]').text()).toBe('exited with status 1');
  });

  it('shows a fault at its line, in the reader’s language', async () => {
    const w = mount(ConsolePane, {
      props: { output: [], end: { how: 'fault', line: 12, text: 'buf[1024] is out of bounds' } },
    });
    expect(w.get('[data-test="console-output"]').text()).toBe('Nothing printed yet.');
    expect(w.get('[data-test="program-end"]').text()).toBe('stopped at line 12: buf[1024] is out of bounds');
    expect(w.get('[data-test="program-end"]').classes()).toContain('fault');
    useUiStore().setLang('zh-CN');
    await nextTick();
    expect(w.get('[data-test="program-end"]').text()).toBe('在第 12 行停止：buf[1024] is out of bounds');
  });
});

describe('the window’s C parser', () => {
  it('finds nothing wrong in a shipped program, and a missing semicolon at its line', async () => {
    expect(await checkSource(serverProgram.source)).toEqual([]);
    const problems = await checkSource('int main(void) {\n    int x = 3\n    return x;\n}\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ line: 2 });
    expect(problemText(problems[0]!, 'en')).toMatch(/;/);
  });
});

describe('the program store', () => {
  function setup() {
    const api = fakeApi();
    const lab = useLabStore();
    lab.attach(api);
    const programs = useProgramStore();
    return { api, lab, programs };
  }

  it('keeps the lab’s program as the original, the student’s edit as a draft, and restores', async () => {
    const { lab, programs } = setup();
    lab.append([
      ev({ type: 'actor.added', actor: 'server', kind: 'server' }),
      ev({ type: 'program.loaded', actor: 'server', program: serverProgram }),
    ]);
    await nextTick();
    expect(programs.origins.server).toEqual(serverProgram);
    const loaded = lab.liveView.actors.server!.program;
    programs.edit('server', serverProgram.source + '// mine\n', loaded);
    expect(programs.drafts.server).toContain('// mine');
    programs.edit('server', serverProgram.source, loaded);
    expect(programs.drafts.server).toBeUndefined();
    programs.edit('server', 'int main(void) { return 1; }\n', loaded);
    programs.restore('server', loaded);
    expect(programs.drafts.server).toBeUndefined();
    expect(saveName('echo server', undefined)).toBe('echo-server.c');
    expect(saveName('echo server', 'echo-server.c')).toBe('echo-server.c');
  });

  it('applies with loadProgram; a refused program keeps its text and its problems', async () => {
    const { api, lab, programs } = setup();
    lab.append([
      ev({ type: 'actor.added', actor: 'server', kind: 'server' }),
      ev({ type: 'program.loaded', actor: 'server', program: serverProgram }),
    ]);
    const loaded = lab.liveView.actors.server!.program;
    const mine = 'int main(void) {\n    goto out;\n}\n';
    programs.edit('server', mine, loaded);
    const problem = { line: 2, col: 5, endLine: 2, endCol: 14, text: 'goto is not supported here' };
    api.answer = () => ({ ok: false, error: 'the program has problems', problems: [problem] });
    const r = await programs.apply('server', loaded);
    expect(r.ok).toBe(false);
    expect(api.commands.at(-1)).toEqual({
      type: 'loadProgram',
      actor: 'server',
      program: { name: 'echo server', source: mine },
    });
    expect(programs.drafts.server).toBe(mine);
    expect(programs.refused.server).toEqual({ source: mine, problems: [problem] });
    expect(lab.lastError).toBeNull(); // said at their lines, not in the window's error bar

    // Accepted: the lab's program.loaded of the student's text is no original, and the draft goes.
    api.answer = () => ({ ok: true });
    const fixed = 'int main(void) {\n    return 0;\n}\n';
    programs.edit('server', fixed, loaded);
    expect(programs.refused.server).toBeUndefined();
    await programs.apply('server', loaded);
    lab.append([
      ev({ type: 'program.loaded', actor: 'server', program: { name: 'echo server', source: fixed } }),
    ]);
    await nextTick();
    expect(programs.drafts.server).toBeUndefined();
    expect(programs.origins.server).toEqual(serverProgram);
    // The original, unchanged, goes back with its file.
    programs.restore('server', lab.liveView.actors.server!.program);
    await programs.apply('server', lab.liveView.actors.server!.program);
    expect(api.commands.at(-1)).toEqual({ type: 'loadProgram', actor: 'server', program: serverProgram });
  });

  it('runs with the actor’s breakpoints, and without when there are none', async () => {
    const { api, programs } = setup();
    programs.toggleBreakpoint('server', 17);
    programs.toggleBreakpoint('server', 13);
    await programs.run('server');
    expect(api.commands.at(-1)).toEqual({ type: 'run', actor: 'server', breakpoints: [13, 17] });
    programs.setBreakpoints('server', []);
    await programs.run('server');
    expect(api.commands.at(-1)).toEqual({ type: 'run', actor: 'server' });
  });
});

/** Breakpoint dots shown (not the gutter's invisible spacer, which sizes it). */
const dots = (w: { findAll(sel: string): { element: Element }[] }) =>
  w.findAll('.cm-bp-dot').filter((d) => !(d.element.parentElement as HTMLElement).style.visibility);

describe('ProgramEditor', () => {
  function mountAt(n: number, patch: Partial<ActorView> = {}) {
    const api = fakeApi();
    const lab = useLabStore();
    lab.attach(api);
    lab.append(classicEvents.slice(0, n));
    const actor = { ...lab.liveView.actors.server!, ...patch };
    const w = mount(ProgramEditor, { props: { actor }, attachTo: document.body });
    return { w, api, lab, programs: useProgramStore() };
  }

  it('shows the C source, editable while stopped, read-only while blocked', async () => {
    const stopped = mountAt(
      countUntil((e) => e.type === 'program.pc' && e.actor === 'server' && e.line === 13),
    );
    const content = stopped.w.get('.cm-content');
    expect(content.text()).toContain('int listenfd = socket(AF_INET, SOCK_STREAM, 0);');
    expect(content.attributes('aria-label')).toBe('C program of the server');
    expect(content.attributes('aria-readonly')).toBeUndefined();
    expect(stopped.w.get('[aria-current="step"]').attributes('data-pc')).toBe('next');
    stopped.w.unmount();

    const blocked = mountAt(countUntil((e) => e.type === 'call.blocked'));
    expect(blocked.w.get('.cm-content').attributes('aria-readonly')).toBe('true');
    expect(blocked.w.get('[data-test="apply"]').attributes('disabled')).toBeDefined();
    expect(blocked.w.text()).toContain('Read-only while a call is in progress.');
    blocked.w.unmount();

    // The same editor follows the actor into a call and out of it again.
    const live = mountAt(countUntil((e) => e.type === 'call.blocked'));
    const inCall = live.lab.liveView.actors.server!;
    await live.w.setProps({ actor: { ...inCall, current: null } });
    expect(live.w.get('.cm-content').attributes('aria-readonly')).toBeUndefined();
    expect(live.w.get('[aria-current="step"]').attributes('data-pc')).toBe('next');
    // Back into the call on the same line at once: the mark follows within MARK_EVERY_MS.
    await live.w.setProps({ actor: inCall });
    await vi.waitFor(() => expect(live.w.get('.cm-content').attributes('aria-readonly')).toBe('true'));
    expect(live.w.get('[aria-current="step"]').attributes('data-pc')).toBe('blocked');
    live.w.unmount();

    // A fault: its line is marked as such.
    const faulted = mountAt(
      countUntil((e) => e.type === 'call.blocked'),
      {
        current: null,
        pc: null,
        end: { how: 'fault', line: 16, text: 'buf: index 1024 is outside the object (1024 elements)' },
      },
    );
    expect(faulted.w.get('[data-pc="fault"]').text()).toContain('while ((n = read(connfd');
    faulted.w.unmount();
  });

  it('toggles a breakpoint by the gutter and by F9, kept per actor', async () => {
    const { w, programs } = mountAt(countUntil((e) => e.type === 'program.loaded' && e.actor === 'client'));
    // A click in the gutter (happy-dom has no layout: it lands on the first line).
    const gutter = w.get('.cm-bp-gutter');
    gutter.element.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientY: 1 }));
    await nextTick();
    expect(programs.breakpointsOf('server')).toEqual([1]);
    gutter.element.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientY: 1 }));
    await nextTick();
    expect(programs.breakpointsOf('server')).toEqual([]);
    // F9 on the cursor's line (line 1 at the start).
    w.get('.cm-content').element.dispatchEvent(new KeyboardEvent('keydown', { key: 'F9', bubbles: true }));
    await nextTick();
    expect(programs.breakpointsOf('server')).toEqual([1]);
    expect(w.get('[data-test="breakpoints"]').text()).toBe('Breakpoints at lines 1');
    expect(dots(w)).toHaveLength(1);
    w.get('.cm-content').element.dispatchEvent(new KeyboardEvent('keydown', { key: 'F9', bubbles: true }));
    await nextTick();
    expect(programs.breakpointsOf('server')).toEqual([]);
    // The store's breakpoints show in the gutter (another pane, or a re-render, set them).
    programs.setBreakpoints('server', [6, 13]);
    await nextTick();
    expect(dots(w)).toHaveLength(2);
    w.unmount();
  });

  it('Escape leaves the editor; a syntax error is listed with its line; the edit outlives the pane', async () => {
    const { w, programs, lab } = mountAt(
      countUntil((e) => e.type === 'program.loaded' && e.actor === 'client'),
    );
    const content = w.get('.cm-content').element as HTMLElement;
    content.focus();
    content.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.activeElement).toBe(w.get('.editor-wrap').element);
    programs.edit(
      'server',
      'int main(void) {\n    int x = 3\n    return x;\n}\n',
      lab.liveView.actors.server!.program,
    );
    await vi.waitFor(() => expect(w.find('[data-test="problem"]').exists()).toBe(true), { timeout: 3000 });
    expect(w.get('[data-test="problem"]').text()).toMatch(/^line 2, column \d+: /);
    expect(w.find('[data-test="edited"]').exists()).toBe(true);
    expect(w.get('[data-test="apply"]').attributes('disabled')).toBeUndefined();
    w.unmount();
    // Mounted again (the window re-rendered): the edit is still there.
    const again = mount(ProgramEditor, { props: { actor: lab.liveView.actors.server! } });
    expect(again.get('.cm-content').text()).toContain('int x = 3');
    expect(again.find('[data-test="edited"]').exists()).toBe(true);
    again.unmount();
  });
});
