/**
 * A step that needs a socket in TIME_WAIT (`needsTimeWait`): the kernel's timer cannot be
 * held, so the window counts down the time the kernel's table gives, warns when 20 s or less
 * are left, says when the socket is gone and offers Reset step, which replays the steps
 * before it and begins the step only once the kernel lists a TIME_WAIT socket again. The
 * countdown runs on fake timers; the view is fed from fixture events.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { LabEvent, LabEventInput, ViewState } from '@contract';
import { LessonStepSchema, type Lesson } from '@contract/lesson';
import { replayTo, timeWaitLeft, type LabDriver } from '@contract/lesson-replay';
import { reduceAll } from '@contract/reducer';
import LessonSidebar from '@/components/lessons/LessonSidebar.vue';
import { useLessonStore } from '@/stores/lessons';
import { useUiStore } from '@/stores/ui';
import { lessonLab } from './lesson-lab';
import { shown } from '../helpers/lazy-parts';

const T0 = Date.UTC(2026, 10, 24, 9, 30, 0);
const text = (en: string) => ({ en, 'zh-CN': en });

/** Close the client's connection (step 1), then restart the server while it waits (step 2). */
const LESSON = {
  id: 'tw-restart',
  title: text('TIME_WAIT and restarting'),
  summary: text('The closed connection waits.'),
  programs: { server: 'echo-server.c', client: 'echo-client.c' },
  steps: [
    {
      text: text('Close the client.'),
      action: { kind: 'step', actor: 'client' },
      checkpoint: { kind: 'actorReturned', actor: 'client', call: 'close', ret: 0 },
    },
    {
      text: text('Restart the server while the old connection waits.'),
      needsTimeWait: { actor: 'client' },
      action: { kind: 'step', actor: 'server' },
      checkpoint: { kind: 'actorReturned', actor: 'server', call: 'bind', ret: -1, errno: 'EADDRINUSE' },
    },
  ],
};

/** What closing the client gives: close() returns 0, the kernel's table lists TIME_WAIT, 30 s left. */
function closeClient(id: string): LabEventInput[] {
  return [
    {
      type: 'call.started',
      actor: 'client',
      callId: `c-${id}`,
      call: { call: 'close', args: { fd: 3 } },
      line: 1,
    },
    { type: 'socket.created', socket: id, actor: 'client', family: 'inet' },
    { type: 'socket.kernel', socket: id, state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 30_000 },
    { type: 'call.returned', actor: 'client', callId: `c-${id}`, call: 'close', ret: 0 },
  ];
}

describe('a step that needs TIME_WAIT', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => vi.useRealTimers());

  it('counts the kernel’s timer down, warns before it runs out, and Reset step sets it up again', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    let n = 0;
    const { sent, push } = lessonLab((cmd, push) => {
      if (cmd.type === 'step' && cmd.actor === 'client') push(closeClient(`s${++n}`));
    });
    const lessons = useLessonStore();
    await lessons.setFiles({ '01-tw-restart.json': JSON.stringify(LESSON) });
    expect(await lessons.start('tw-restart')).toBe(true);
    expect(lessons.timeWait).toBeNull(); // step 1 needs none
    const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
    await shown(w, '[data-test="lesson-counter"]');
    const box = () => w.find('[data-test="lesson-time-wait"]');
    expect(box().exists()).toBe(false);

    await lessons.act();
    await nextTick();
    expect(lessons.status).toBe('passed');
    lessons.next();
    await nextTick();
    expect(lessons.timeWait).toEqual({ actor: 'client', state: 'ok', leftS: 30 });
    expect(box().attributes('data-state')).toBe('ok');
    expect(box().text()).toBe('This step needs client’s TIME_WAIT socket: 30 s left on the kernel’s timer.');

    vi.advanceTimersByTime(9_000);
    await nextTick();
    expect(box().text()).toContain('21 s left');
    vi.advanceTimersByTime(1_000);
    await nextTick();
    expect(box().attributes('data-state')).toBe('low');
    expect(box().get('[role="alert"]').text()).toBe(
      'Only 20 s left on the kernel’s timer of client’s TIME_WAIT socket, which this step needs. If it runs out, press "Reset step" to set it up again.',
    );

    // A newer reading of the kernel's table replaces the count down.
    push([{ type: 'socket.kernel', socket: 's1', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 18_000 }]);
    await nextTick();
    expect(lessons.timeWait?.leftS).toBe(18);

    // The kernel drops the socket: the step's setup is gone.
    vi.advanceTimersByTime(18_000);
    push([{ type: 'socket.kernel', socket: 's1', state: null, sendQ: 0, recvQ: 0, timerMs: null }]);
    await nextTick();
    expect(lessons.timeWait).toEqual({ actor: 'client', state: 'gone', leftS: 0 });
    expect(box().text()).toContain('lists no TIME_WAIT socket of client any more');

    // Reset step: the lab is reset, step 1 replayed, and the step begins with a fresh TIME_WAIT.
    const before = sent.length;
    await box().get('[data-test="lesson-time-wait-reset"]').trigger('click');
    await vi.waitFor(() => expect(lessons.status).toBe('working'));
    expect(sent.slice(before).map((c) => c.type)).toEqual(['reset', 'step']);
    expect(lessons.stepIndex).toBe(1);
    await nextTick();
    expect(lessons.timeWait).toEqual({ actor: 'client', state: 'ok', leftS: 30 });
    expect(box().attributes('data-state')).toBe('ok');

    // Once the step passes, the timer no longer matters.
    lessons.status = 'passed';
    await nextTick();
    expect(lessons.timeWait).toBeNull();
    w.unmount();
  });

  it('says so in Chinese', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('zh-CN');
    lessonLab((cmd, push) => {
      if (cmd.type === 'step' && cmd.actor === 'client') push(closeClient('s1'));
    });
    const lessons = useLessonStore();
    await lessons.setFiles({ '01-tw-restart.json': JSON.stringify(LESSON) });
    await lessons.start('tw-restart');
    await lessons.act();
    lessons.next();
    vi.advanceTimersByTime(15_000);
    const w = mount(LessonSidebar, { global: { plugins: [pinia] } });
    await shown(w, '[data-test="lesson-time-wait"]');
    expect(w.get('[data-test="lesson-time-wait"]').text()).toBe(
      '再过 15 秒，内核就会删掉这一步需要的客户端 TIME_WAIT 套接字。到时请点“重置本步”重新准备。',
    );
    w.unmount();
  });
});

describe('the TIME_WAIT a step needs, in the contract', () => {
  const view = (events: LabEventInput[], t = T0): ViewState =>
    reduceAll(events.map((e, i) => ({ ...e, seq: i + 1, t }) as LabEvent));

  it('is the last of the actor’s sockets in the kernel’s TIME_WAIT, accepted ones included', () => {
    const v = view([
      { type: 'actor.added', actor: 'server', kind: 'server' },
      { type: 'socket.created', socket: 'l', actor: 'server', family: 'inet' },
      { type: 'socket.created', socket: 'a', actor: null, family: 'inet', listener: 'l' },
      { type: 'socket.created', socket: 'b', actor: 'server', family: 'inet' },
      { type: 'socket.created', socket: 'c', actor: 'client', family: 'inet' },
      { type: 'socket.kernel', socket: 'a', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 40_000 },
      { type: 'socket.kernel', socket: 'b', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 10_000 },
      { type: 'socket.kernel', socket: 'c', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: 59_000 },
    ]);
    expect(timeWaitLeft(v, 'server', T0 + 5_000)).toEqual({ count: 2, leftMs: 35_000 });
    expect(timeWaitLeft(v, 'server', T0 + 50_000)).toEqual({ count: 2, leftMs: 0 });
    expect(timeWaitLeft(v, 'client2', T0)).toEqual({ count: 0, leftMs: null });
    const noTimer = view([
      { type: 'socket.created', socket: 'c', actor: 'client', family: 'inet' },
      { type: 'socket.kernel', socket: 'c', state: 'TIME_WAIT', sendQ: 0, recvQ: 0, timerMs: null },
    ]);
    expect(timeWaitLeft(noTimer, 'client', T0)).toEqual({ count: 1, leftMs: null });
  });

  it('a reset does not begin the step when the steps before it leave no TIME_WAIT', async () => {
    const lesson = {
      ...LESSON,
      steps: LESSON.steps.map((s) => LessonStepSchema.parse(s)),
    } as unknown as Lesson;
    let v = view([]);
    const driver: LabDriver = {
      async command(cmd) {
        if (cmd.type === 'reset') {
          v = view([
            { type: 'lab.reset', platform: 'linux', kernelSource: 'sockdiag' },
            { type: 'actor.added', actor: 'server', kind: 'server' },
            { type: 'actor.added', actor: 'client', kind: 'client' },
            { type: 'program.pc', actor: 'server', line: 1, frames: [], steps: 0 },
            { type: 'program.pc', actor: 'client', line: 1, frames: [], steps: 0 },
            // close() returned, but the kernel lists nothing in TIME_WAIT.
            {
              type: 'call.started',
              actor: 'client',
              callId: 'x',
              call: { call: 'close', args: { fd: 3 } },
              line: 1,
            },
            { type: 'call.returned', actor: 'client', callId: 'x', call: 'close', ret: 0 },
          ]);
          v = { ...v, seq: v.seq + 100 };
        }
        return { ok: true };
      },
      view: () => v,
      waitFor: async (pred) => pred(v),
    };
    const r = await replayTo(lesson, 1, driver);
    expect(r).toEqual({
      ok: false,
      reached: 1,
      error:
        "step 2 needs a socket of client in TIME_WAIT (needsTimeWait): the steps before it left none in the kernel's table",
      // The same as a code the window says in its language.
      says: [{ code: 'replay.noTimeWait', params: { step: 2, actor: 'client' } }],
    });
  });
});
