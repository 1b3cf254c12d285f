import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { reduceAll, type LabEvent } from '@contract';
import LadderDiagram from '@/components/LadderDiagram.vue';
import ProgramView from '@/components/program/ProgramView.vue';
import SocketCard from '@/components/lab/SocketCard.vue';
import TcpStateDiagram from '@/components/lab/TcpStateDiagram.vue';
import { buildLadder } from '@/format/ladder';
import { useUiStore } from '@/stores/ui';
import { classicEvents, countUntil } from './fixtures/classic';
import './helpers/c-parser';

let pinia: Pinia;
const at = (pred: (e: LabEvent) => boolean) => reduceAll(classicEvents, countUntil(pred));
const opts = () => ({ global: { plugins: [pinia] } });

describe('components render what the events say', () => {
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
  });

  it('ProgramView: the server blocked in accept, why, and what releases it', async () => {
    const view = at((e) => e.type === 'call.blocked' && e.reason === 'no-connection');
    const w = mount(ProgramView, { props: { actor: view.actors.server! }, ...opts() });
    const blocked = w.get('[data-test="blocked"]').text();
    expect(blocked).toContain('Blocked in accept(3)');
    expect(blocked).toContain('no connection waiting in the accept queue');
    expect(blocked).toContain('a client completes the three-way handshake');
    // The editor marks the accept() line (13) as blocked (once its lazy chunk is in).
    const current = await vi.waitFor(() => w.get('[aria-current="step"]'));
    expect(current.text()).toContain('accept(listenfd');
    expect(current.attributes('data-pc')).toBe('blocked');
    const vars = w.get('[data-test="var"]');
    expect(vars.text()).toContain('listenfd');
    expect(vars.text()).toContain('3');
  });

  it('ProgramView: a returned read shows its value and the bytes, in Chinese too', async () => {
    const view = at((e) => e.type === 'call.returned' && e.call === 'read');
    const w = mount(ProgramView, { props: { actor: view.actors.server! }, ...opts() });
    expect(w.get('[data-test="last-return"]').text()).toContain('read(4, buf, 1024) returned 5 — "hello"');
    expect(w.find('[data-test="blocked"]').exists()).toBe(false);
    useUiStore().setLang('zh-CN');
    await nextTick();
    expect(w.get('[data-test="last-return"]').text()).toContain('read(4, buf, 1024) 返回 5');
  });

  it('SocketCard: LISTEN confirmed by the kernel, with its accept queue', () => {
    const view = at((e) => e.type === 'socket.queue' && e.length === 1);
    const w = mount(SocketCard, { props: { socket: view.sockets.s1!, fd: 3, now: view.t }, ...opts() });
    expect(w.get('[data-test="model-state"]').text()).toBe('LISTEN');
    expect(w.get('[data-test="kernel-state"]').text()).toBe('LISTEN');
    expect(w.get('[data-test="confirmed"]').text()).toBe('✓ kernel confirms');
    expect(w.get('[data-test="queue"]').text()).toContain('Accept queue (kernel): 1 of 5');
  });

  it('SocketCard: bytes waiting in the receive buffer, with a preview', () => {
    const view = at((e) => e.type === 'socket.buffers' && e.buffers.recvKernel === 5);
    const w = mount(SocketCard, { props: { socket: view.sockets.s3!, fd: 4, now: view.t }, ...opts() });
    expect(w.get('[data-test="recv-bytes"]').text()).toBe('5 B');
    expect(w.get('[data-test="send-bytes"]').text()).toBe('0 B');
    expect(w.get('[data-test="recv-buffer"]').text()).toContain('"hello"');
  });

  it('SocketCard: a model state the kernel has not confirmed yet has no ✓', () => {
    const view = at((e) => e.type === 'socket.state' && e.to === 'FIN_WAIT_2');
    const w = mount(SocketCard, { props: { socket: view.sockets.s2!, fd: 3, now: view.t }, ...opts() });
    expect(w.get('[data-test="model-state"]').text()).toBe('FIN_WAIT_2');
    expect(w.get('[data-test="kernel-state"]').text()).toBe('ESTABLISHED');
    expect(w.find('[data-test="confirmed"]').exists()).toBe(false);
    expect(w.text()).toContain('kernel differs');
  });

  it('SocketCard: TIME_WAIT counts down from the kernel timer', async () => {
    const view = reduceAll(classicEvents);
    const s2 = view.sockets.s2!;
    const w = mount(SocketCard, { props: { socket: s2, fd: null, now: s2.kernel!.t }, ...opts() });
    expect(w.find('[data-test="confirmed"]').exists()).toBe(true);
    expect(w.get('[data-test="time-wait"]').text()).toBe('TIME_WAIT: 59 s left (kernel timer)');
    await w.setProps({ now: s2.kernel!.t + 20_500 });
    expect(w.get('[data-test="time-wait"]').text()).toBe('TIME_WAIT: 39 s left (kernel timer)');
  });

  it('ladder: the handshake with relative numbers and both ISNs', () => {
    const view = reduceAll(classicEvents);
    const ladder = buildLadder(view)!;
    expect(ladder.isnClient).toBe(3_000_000_000);
    expect(ladder.isnServer).toBe(123_456);
    const segs = ladder.rows.filter((r) => r.kind === 'segment');
    expect(segs.map((r) => [r.dir, r.flags, r.relSeq, r.relAck, r.len])).toEqual([
      ['c2s', 'SYN', 0, null, 0],
      ['s2c', 'SYN,ACK', 0, 1, 0],
      ['c2s', 'ACK', 1, 1, 0],
      ['c2s', 'PSH,ACK', 1, 1, 5],
      ['c2s', 'FIN,ACK', 6, 1, 0],
      ['s2c', 'ACK', 1, 7, 0],
      ['s2c', 'FIN,ACK', 1, 7, 0],
      ['c2s', 'ACK', 7, 2, 0],
    ]);
    const states = ladder.rows
      .filter((r) => r.kind === 'state')
      .map((r) => (r.kind === 'state' ? `${r.side}:${r.to}` : ''));
    expect(states).toEqual([
      'client:SYN_SENT',
      'server:SYN_RECEIVED',
      'client:ESTABLISHED',
      'server:ESTABLISHED',
      'client:FIN_WAIT_1',
      'server:CLOSE_WAIT',
      'client:FIN_WAIT_2',
      'server:LAST_ACK',
      'client:TIME_WAIT',
      'server:CLOSED',
    ]);
  });

  it('ladder rows go in time order: a captured segment logged late still precedes what it caused', () => {
    // Move the SYN to the end of the log, keeping its capture time: as a capture tool reports it.
    const synAt = classicEvents.findIndex((e) => e.type === 'segment');
    const syn = {
      ...(classicEvents[synAt] as Extract<LabEvent, { type: 'segment' }>),
      source: 'captured' as const,
    };
    const rest = classicEvents
      .filter((_, i) => i !== synAt)
      .map((e) => (e.type === 'segment' ? { ...e, source: 'captured' as const } : e));
    const events = [...rest, syn].map((e, i) => ({ ...e, seq: i + 1 }));
    const rows = buildLadder(reduceAll(events))!.rows;
    const names = rows.map((r) => (r.kind === 'segment' ? r.flags : `${r.side}:${r.to}`));
    expect(names.slice(0, 4)).toEqual(['client:SYN_SENT', 'SYN', 'server:SYN_RECEIVED', 'SYN,ACK']);
  });

  it('ladder: states sit at the segment that moved them, even when the lab saw them much later', () => {
    // On loopback the lab notices every change after the packets have passed: push all times
    // of non-segment events 10 s later than the capture timestamps.
    const events = classicEvents.map((e) =>
      e.type === 'segment' ? { ...e, source: 'captured' as const } : { ...e, t: e.t + 10_000 },
    );
    const rows = buildLadder(reduceAll(events))!.rows;
    const names = rows.map((r) => (r.kind === 'segment' ? r.flags : `${r.side}:${r.to}`));
    expect(names).toEqual([
      'client:SYN_SENT',
      'SYN',
      'server:SYN_RECEIVED',
      'SYN,ACK',
      'client:ESTABLISHED',
      'ACK',
      'server:ESTABLISHED',
      'PSH,ACK',
      'client:FIN_WAIT_1',
      'FIN,ACK',
      'server:CLOSE_WAIT',
      'ACK',
      'client:FIN_WAIT_2',
      'server:LAST_ACK',
      'FIN,ACK',
      'client:TIME_WAIT',
      'ACK',
      'server:CLOSED',
    ]);
  });

  it('LadderDiagram draws inferred arrows dashed, labelled, with the legend', () => {
    const view = at((e) => e.type === 'socket.state' && e.to === 'ESTABLISHED' && e.socket === 's3');
    const w = mount(LadderDiagram, { props: { view }, ...opts() });
    const labels = w.findAll('text.label').map((x) => x.text());
    expect(labels).toEqual(['SYN seq=0 len=0', 'SYN,ACK seq=0 ack=1 len=0', 'ACK seq=1 ack=1 len=0']);
    expect(w.findAll('line.arrow.inferred').length).toBeGreaterThanOrEqual(3);
    expect(w.text()).toContain('Initial sequence numbers are random and known only from a capture');
    // Capture status is said once, above the ladder (CaptureStatus, test/renderer/trace).
    expect(w.text()).not.toContain('capture unavailable');
  });

  it('LadderDiagram shows captured segments solid, with both real ISNs', () => {
    const captured = classicEvents.map((e) =>
      e.type === 'segment' ? { ...e, source: 'captured' as const } : e,
    );
    const w = mount(LadderDiagram, { props: { view: reduceAll(captured) }, ...opts() });
    expect(w.get('[data-test="isn-client"]').text()).toBe('ISN client = 3000000000');
    expect(w.get('[data-test="isn-server"]').text()).toBe('ISN server = 123456');
    expect(w.findAll('line.arrow.captured').length).toBe(8 + 1); // 8 arrows + the legend's sample
    expect(w.findAll('line.arrow.inferred').length).toBe(1); // the legend's sample only
  });

  it('LadderDiagram replays new rows one after another when animated', async () => {
    const early = at((e) => e.type === 'segment');
    const w = mount(LadderDiagram, { props: { view: early, animate: true }, ...opts() });
    expect(w.findAll('text.label')).toHaveLength(1);
    await w.setProps({
      view: reduceAll(
        classicEvents,
        countUntil((e) => e.type === 'socket.state' && e.socket === 's3' && e.to === 'ESTABLISHED'),
      ),
    });
    // The new rows are not all drawn at once…
    expect(w.findAll('text.label')).toHaveLength(1);
    // …they appear over the next steps (400 ms each).
    await vi.waitFor(() => expect(w.findAll('text.label')).toHaveLength(3), { timeout: 5000, interval: 50 });
    expect(w.findAll('text.label').map((x) => x.text())[2]).toBe('ACK seq=1 ack=1 len=0');
  });

  it('TcpStateDiagram marks each socket’s state and draws the last transition', () => {
    const view = at((e) => e.type === 'socket.kernel' && e.state === 'CLOSE_WAIT');
    const w = mount(TcpStateDiagram, { props: { view }, ...opts() });
    expect(w.findAll('[data-state-box]')).toHaveLength(11);
    const on = w.findAll('g.on').map((g) => g.attributes('data-state-box'));
    expect(on.sort()).toEqual(['CLOSE_WAIT', 'FIN_WAIT_2', 'LISTEN']);
    expect(w.get('[data-test="last-transition"]').text()).toContain('FIN_WAIT_1 → FIN_WAIT_2');
    expect(w.find('[data-test="last-edge"]').exists()).toBe(true);
  });
});
