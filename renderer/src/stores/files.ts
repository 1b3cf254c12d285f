/**
 * The window's File actions — save and open a trace, export the ladder (SVG, PNG) and the
 * capture (.pcap) — as one store, so the header's buttons, the keyboard shortcuts and the
 * Electron menu all do the same thing. An action that fails says why in `error`, and leaves
 * the lab as it was.
 */
import { defineStore } from 'pinia';
import type { Endpoint } from '@contract';
import { ref } from 'vue';
import { downloadBlob, fileStamp } from '@/export/download';
import type { StandaloneSvg } from '@/export/ladder-image';
import { pcapFromResult } from '@/export/pcap';
import { say } from '@/i18n/say';
import { useLabStore } from './lab';
import { useUiStore } from './ui';
import { openTrace, saveTrace } from '@/trace/trace-files';
import { useLessonStore } from './lessons';

/** File actions and their last error. */
export const useFileStore = defineStore('files', () => {
  const lab = useLabStore();
  const ui = useUiStore();
  const lessons = useLessonStore();
  /** What the last file action could not do, in the window's language; null when all went well. */
  const error = ref<string | null>(null);
  /** The name of the last file saved or exported (tests, and a screen reader's status). */
  const lastSaved = ref<string | null>(null);
  /** Whether the Export choices are shown (the menu's Export opens them). */
  const exportOpen = ref(false);
  // The file picker of the mounted FileActions component (an <input type=file> can only be
  // opened by clicking it).
  let picker: (() => void) | null = null;

  /** Let `fn` open the file picker; returns the function that unregisters it. */
  function registerPicker(fn: () => void): () => void {
    picker = fn;
    return () => {
      if (picker === fn) picker = null;
    };
  }

  /** Ask for a trace file to open (the picker's change event calls `open`). */
  function requestOpen(): void {
    picker?.();
  }

  /** Download the events shown as a trace file (during a lesson: its run, with its step). */
  function save(): void {
    error.value = null;
    const l = lessons.lesson;
    lastSaved.value = saveTrace(lab, l && lab.live ? { id: l.id, step: lessons.stepIndex + 1 } : undefined);
  }

  /** Open `file` and replay it; a bad file gets a message and changes nothing else. */
  async function open(file: { name: string; text(): Promise<string> }): Promise<boolean> {
    const r = await openTrace(lab, file);
    error.value = r.ok
      ? null
      : ui.t('file.openError', { name: file.name, error: say(r.problem ?? r.error, ui.lang) });
    return r.ok;
  }

  /** The image export's code (a chunk of its own, loaded at the first export). */
  const image = () => import('@/export/ladder-image');

  /** The ladder as a standalone SVG document and its size, or null (with `error` set). */
  async function ladderSvg(): Promise<StandaloneSvg | null> {
    const { findLadderSvg, ladderHeading, standaloneSvg } = await image();
    const svg = findLadderSvg();
    if (!svg) {
      error.value = ui.t('file.noLadder');
      return null;
    }
    return standaloneSvg(svg, ladderHeading());
  }

  /** Download the ladder diagram as SVG. */
  async function exportSvg(): Promise<void> {
    error.value = null;
    const s = await ladderSvg();
    if (!s) return;
    const name = `tcp-lab-ladder-${fileStamp()}.svg`;
    downloadBlob(name, new Blob([s.text], { type: 'image/svg+xml' }));
    lastSaved.value = name;
  }

  /** Download the ladder diagram as PNG, at twice its size on screen. */
  async function exportPng(): Promise<void> {
    error.value = null;
    const s = await ladderSvg();
    if (!s) return;
    try {
      const png = await (await image()).svgToPng(s.text, s.width, s.height, 2);
      const name = `tcp-lab-ladder-${fileStamp()}.png`;
      downloadBlob(name, png);
      lastSaved.value = name;
    } catch (err) {
      error.value = ui.t('file.exportError', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Download the live lab's capture as .pcap (a replayed trace carries no packets): one
   * connection's (the ladder's), or during a lesson that lesson's run (from its reset on).
   */
  async function exportPcap(only?: { connection: { a: Endpoint; b: Endpoint } }): Promise<void> {
    error.value = null;
    if (lab.replay) {
      error.value = ui.t('file.exportPcapReplay');
      return;
    }
    const l = lessons.lesson;
    const reset = l ? [...lab.events].reverse().find((e) => e.type === 'lab.reset') : undefined;
    const r = pcapFromResult(
      await lab.command({
        type: 'exportPcap',
        ...(only ? { connection: only.connection } : {}),
        ...(!only && reset ? { sinceSeq: reset.seq } : {}),
      }),
    );
    if (!r.ok) {
      error.value = ui.t('file.exportError', { error: say(r.refusal ?? r.error, ui.lang) });
      return;
    }
    const what = only
      ? `-${only.connection.a.port}-${only.connection.b.port}`
      : l && reset
        ? `-${l.id}-step${lessons.stepIndex + 1}`
        : '';
    const name = `tcp-lab-capture${what}-${fileStamp()}.pcap`;
    downloadBlob(name, new Blob([r.bytes], { type: 'application/vnd.tcpdump.pcap' }));
    lastSaved.value = name;
  }

  /** Forget the last error. */
  function dismiss(): void {
    error.value = null;
  }

  return {
    error,
    lastSaved,
    exportOpen,
    registerPicker,
    requestOpen,
    save,
    open,
    exportSvg,
    exportPng,
    exportPcap,
    dismiss,
  };
});
