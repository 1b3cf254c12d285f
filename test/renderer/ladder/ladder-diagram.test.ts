/**
 * The ladder as the window draws it (happy-dom): the fold of a bulk transfer with its counts
 * and its button, SYN and FIN rows around it, the lessons' names (x, y) beside the numbers,
 * the relative/absolute switch, the window and the time on the sender's side, only a band
 * of rows drawn for a long ladder, and what the view's cap dropped (how many, and where).
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { MAX_VIEW_SEGMENTS, reduceAll } from '@contract';
import LadderDiagram from '@/components/LadderDiagram.vue';
import { MAX_W, MIN_W, SIDE } from '@/components/ladder/geometry';
import { useUiStore } from '@/stores/ui';
import { bulkEvents } from './fixture';

let pinia: Pinia;
const opts = () => ({ global: { plugins: [pinia] } });
const texts = (w: ReturnType<typeof mount>, sel: string) => w.findAll(sel).map((x) => x.text());

describe('LadderDiagram', () => {
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
  });

  it('folds a 1 MB transfer into one row with its counts; the handshake and both FINs stay', async () => {
    const w = mount(LadderDiagram, { props: { view: reduceAll(bulkEvents({ n: 16 })) }, ...opts() });
    expect(w.get('[data-test="fold-count"]').text()).toBe('25 segments folded');
    expect(w.get('[data-test="fold-c2s"]').text()).toBe('client → server: 1\u202f048\u202f581 B in 17');
    expect(w.get('[data-test="fold-s2c"]').text()).toBe('server → client: 0 B in 8');
    const labels = texts(w, 'text.label');
    expect(labels.slice(0, 3)).toEqual([
      'SYN seq=0 len=0',
      'SYN,ACK seq=0 ack=1 len=0',
      'ACK seq=1 ack=1 len=0',
    ]);
    expect(labels.filter((l) => l.startsWith('FIN'))).toHaveLength(2);
    expect(labels).toHaveLength(8 - 1); // the classic rows but the echo's data, folded with the transfer

    // Expanded, every segment is there under the fold's header; folded again, one row.
    const button = w.get('[data-test="fold-toggle"]');
    expect(button.text()).toBe('Show all 25');
    expect(button.attributes('aria-expanded')).toBe('false');
    const height = () => Number(w.get('svg.svg').attributes('height'));
    const folded = height();
    await button.trigger('click');
    expect(w.get('[data-test="fold-open"]').text()).toBe('25 segments, one by one');
    // 25 arrows (46 px) and a header (30 px) instead of the fold (58 px).
    expect(height() - folded).toBe(25 * 46 + 30 - 58);
    expect(texts(w, 'text.label').length).toBeGreaterThan(7 + 10);
    expect(w.get('[data-test="fold-toggle"]').attributes('aria-expanded')).toBe('true');
    await w.get('[data-test="fold-toggle"]').trigger('click');
    expect(texts(w, 'text.label')).toHaveLength(7);
  });

  it('says what the transfer sent again on a line of its own, each byte counted once, in Chinese too', async () => {
    const height = (w: ReturnType<typeof mount>) => Number(w.get('svg.svg').attributes('height'));
    const plain = mount(LadderDiagram, { props: { view: reduceAll(bulkEvents({ n: 16 })) }, ...opts() });
    const w = mount(LadderDiagram, {
      props: { view: reduceAll(bulkEvents({ n: 16, resend: [3] })) },
      ...opts(),
    });
    expect(w.get('[data-test="fold-count"]').text()).toBe('26 segments folded');
    expect(w.get('[data-test="fold-c2s"]').text()).toBe('client → server: 1\u202f048\u202f581 B in 18');
    expect(w.get('[data-test="fold-resent-c2s"]').text()).toBe('sent again, client → server: 65\u202f536 B');
    expect(w.find('[data-test="fold-resent-s2c"]').exists()).toBe(false);
    expect(plain.find('[data-test="fold-resent-c2s"]').exists()).toBe(false);
    // The fold is a line taller; nothing else moved.
    expect(height(w) - height(plain)).toBe(14);
    useUiStore().setLang('zh-CN');
    await nextTick();
    expect(w.get('[data-test="fold-resent-c2s"]').text()).toBe('重传 客户端 → 服务器：65\u202f536 B');
  });

  it('draws again only the rows that changed: a growing fold, a new language; the others stay', async () => {
    const events = bulkEvents({ n: 16 });
    const at = (n: number) => reduceAll(events, n);
    // Part way into the transfer (its tenth data segment): the fold holds fewer than at the end.
    const data = events.filter((e) => e.type === 'segment' && e.len === 65_536);
    const w = mount(LadderDiagram, { props: { view: at(data[9]!.seq) }, ...opts() });
    const before = w.get('[data-test="fold-count"]').text();
    const syn = w.get('text.label').element;
    await w.setProps({ view: at(events.length) });
    // Each view is built anew; the fold's counts follow it, the SYN's row is the same element.
    expect(before).not.toBe(w.get('[data-test="fold-count"]').text());
    expect(w.get('[data-test="fold-count"]').text()).toBe('25 segments folded');
    expect(w.get('text.label').element).toBe(syn);
    expect(w.get('text.label').text()).toBe('SYN seq=0 len=0');
    await w.get('[data-test="numbers-absolute"]').setValue(true);
    expect(w.get('text.label').text()).toMatch(/^SYN seq=\d{4,} len=0$/);
    useUiStore().setLang('zh-CN');
    await expect.poll(() => w.get('[data-test="fold-count"]').text()).not.toBe('25 segments folded');
    expect(w.get('[data-test="fold-count"]').text()).toContain('25');
  });

  it('writes x and y beside the numbers, switches to absolute numbers, shows the window and ms', async () => {
    const w = mount(LadderDiagram, { props: { view: reduceAll(bulkEvents()) }, ...opts() });
    expect(texts(w, 'text.course').slice(0, 4)).toEqual([
      'seq=x',
      'seq=y ack=x+1',
      'ack=y+1',
      'seq=x+1 ack=y+1',
    ]);
    expect(w.get('[data-test="isn-names"]').text()).toContain('x = the client’s ISN, y = the server’s ISN');
    expect(texts(w, 'text.win').slice(0, 2)).toEqual(['win=65483', 'win=65536']);
    expect(texts(w, 'text.time').slice(0, 3)).toEqual(['0.000 ms', '3.000 ms', '5.000 ms']);
    expect(w.text()).not.toMatch(/µs/);

    await w.get('[data-test="numbers-absolute"]').setValue(true);
    expect(texts(w, 'text.label').slice(0, 2)).toEqual([
      'SYN seq=3000000000 len=0',
      'SYN,ACK seq=123456 ack=3000000001 len=0',
    ]);
    // The names do not change: they are what links the two.
    expect(texts(w, 'text.course')[1]).toBe('seq=y ack=x+1');
    await w.get('[data-test="numbers-relative"]').setValue(true);
    expect(texts(w, 'text.label')[1]).toBe('SYN,ACK seq=0 ack=1 len=0');
  });

  it('draws only a band of a long ladder’s rows, the newest at the bottom', async () => {
    const w = mount(LadderDiagram, {
      props: { view: reduceAll(bulkEvents({ n: 1000, size: 1000 })) },
      ...opts(),
    });
    await w.get('[data-test="fold-toggle"]').trigger('click');
    await nextTick();
    const drawn = w.findAll('g.row').length;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(100); // of more than 1,500 rows
    expect(Number(w.get('svg.svg').attributes('height'))).toBeGreaterThan(60_000);
    // The fold's header stays where it was, near the top: the handshake is drawn, the close not.
    let labels = texts(w, 'text.label');
    expect(labels.slice(0, 2)).toEqual(['SYN seq=0 len=0', 'SYN,ACK seq=0 ack=1 len=0']);
    expect(labels.some((l) => l.startsWith('FIN'))).toBe(false);
    // Scrolled to the bottom (0 in the reversed box): the close, not the handshake.
    const box = w.get('.scroller').element as HTMLElement;
    box.scrollTop = 0;
    await w.get('.scroller').trigger('scroll');
    labels = texts(w, 'text.label');
    expect(labels.filter((l) => l.startsWith('FIN'))).toHaveLength(2);
    expect(labels.some((l) => l.startsWith('SYN'))).toBe(false);
    expect(w.findAll('g.row').length).toBeLessThan(100);
    expect(w.get('svg.svg').attributes('data-band')).toMatch(/^\d+ \d+$/);
  });

  it('past the view’s cap keeps the handshake and FINs and says how many segments it lacks, in Chinese too', async () => {
    const events = bulkEvents({ n: MAX_VIEW_SEGMENTS, size: 10 });
    const lacking = events.filter((e) => e.type === 'segment').length - MAX_VIEW_SEGMENTS;
    const n = String(lacking).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f'); // "2 510"
    const w = mount(LadderDiagram, { props: { view: reduceAll(events) }, ...opts() });
    expect(w.find('[data-test="start-dropped"]').exists()).toBe(false);
    const note = w.get('[data-test="segments-dropped"]');
    expect(note.text()).toBe(
      `${n} older segments not drawn (the window keeps 5\u202f000; SYN, FIN and RST stay).`,
    );
    expect(note.attributes('title')).toContain('never a SYN, FIN or RST or a handshake’s ACK');
    // Folded, the whole ladder is in view: the handshake first, then where segments are missing.
    const labels = texts(w, 'text.label');
    expect(labels.slice(0, 3).map((l) => l.split(' ')[0])).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(w.get('[data-test="dropped-row"]').text()).toBe(`⋯ ${n} segments not kept here ⋯`);
    useUiStore().setLang('zh-CN');
    await nextTick();
    expect(w.get('[data-test="segments-dropped"]').text()).toContain(`有 ${n} 个较早的报文段没有画出`);
    expect(w.get('[data-test="dropped-row"]').text()).toBe(`⋯ 此处有 ${n} 个报文段未保留 ⋯`);
  });
});

describe('LadderDiagram’s width', () => {
  /** A box the size the window gives it, and the ResizeObserver that reports its changes. */
  let size = { w: 700, h: 500 };
  const observers: (() => void)[] = [];
  const real = globalThis.ResizeObserver;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useUiStore().setLang('en');
    size = { w: 700, h: 500 };
    observers.length = 0;
    globalThis.ResizeObserver = class {
      constructor(private readonly cb: () => void) {}
      observe() {
        observers.push(() => this.cb());
      }
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
    for (const [prop, of] of [
      ['clientWidth', () => size.w],
      ['clientHeight', () => size.h],
    ] as const)
      Object.defineProperty(HTMLElement.prototype, prop, {
        configurable: true,
        get(this: HTMLElement) {
          return this.classList.contains('scroller') ? of() : 0;
        },
      });
  });
  afterEach(() => {
    globalThis.ResizeObserver = real;
    delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  });

  it('takes its box’s width, the box appearing with the first segment, and follows it', async () => {
    const w = mount(LadderDiagram, { props: { view: reduceAll([]) }, ...opts() });
    expect(w.find('.scroller').exists()).toBe(false);
    await w.setProps({ view: reduceAll(bulkEvents({ n: 16 })) });
    await nextTick();
    const svg = () => w.get('svg.svg');
    const sides = () => w.findAll('line.side').map((l) => Number(l.attributes('x1')));
    expect(svg().attributes('width')).toBe('700');
    expect(sides()).toEqual([SIDE, 700 - SIDE]);
    expect(w.get('text.label').attributes('x')).toBe('350');
    // The window narrows, then widens past the widest drawing (centred in its box).
    for (const [box, drawn] of [
      [520, 520],
      [300, MIN_W],
      [2000, MAX_W],
    ] as const) {
      size.w = box;
      for (const o of observers) o();
      await nextTick();
      expect(svg().attributes('width'), `${box}`).toBe(String(drawn));
      expect(sides()).toEqual([SIDE, drawn - SIDE]);
      expect(w.get('.canvas').attributes('style')).toContain(`width: ${drawn}px`);
    }
  });
});
