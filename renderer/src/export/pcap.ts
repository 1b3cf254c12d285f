/**
 * The capture as a .pcap file: the lab answers the exportPcap command with the classic pcap
 * file as base64 text (commands carry JSON); here it becomes bytes again.
 */
import type { CommandResult } from '@contract';
import { refuse, type Message } from '@contract/messages';

/** The bytes of a base64 string. */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The .pcap bytes from the exportPcap command's answer, or the lab's reason why not. */
export function pcapFromResult(
  r: CommandResult,
): { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: string; refusal?: Message } {
  if (!r.ok) return r;
  if (typeof r.value !== 'string') return refuse('refusal.noCapture');
  return { ok: true, bytes: base64ToBytes(r.value) };
}
