/**
 * The small API the window uses to talk to the lab, the same in Electron (through the
 * preload's contextBridge) and in browser mode (over the WebSocket bridge).
 */
import { z } from 'zod';
import { CommandSchema, EventSchema, type Command, type CommandResult, type LabEvent } from './schema';

/** IPC channels: one request/response channel, one event channel, one ready signal. */
export const IPC = {
  /** renderer → main, invoke: a Command, answered with a CommandResult. */
  command: 'lab:command',
  /** renderer → main, invoke: the window is ready; answered with the events so far. */
  ready: 'lab:ready',
  /** main → renderer: a batch of LabEvents. */
  events: 'lab:events',
} as const;

/** What the window sees of the lab, whatever carries it. */
export interface LabApi {
  /** Send a command; never rejects: errors come back as { ok: false, error }. */
  command(cmd: Command): Promise<CommandResult>;
  /** Say the window is ready; resolves with every event so far. Events after those arrive through onEvents. */
  ready(): Promise<LabEvent[]>;
  /** Subscribe to event batches; returns the unsubscribe function. */
  onEvents(cb: (events: LabEvent[]) => void): () => void;
}

/** Most events in one batch sent to the window. */
export const MAX_EVENT_BATCH = 5000;

/** WebSocket messages from the page to the server. */
export const ClientMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), id: z.number().int().min(0) }).strict(),
  z.object({ kind: z.literal('command'), id: z.number().int().min(0), command: CommandSchema }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** WebSocket messages from the server to the page. */
export type ServerMessage =
  | { kind: 'reply'; id: number; result: CommandResult }
  | { kind: 'history'; id: number; events: LabEvent[] }
  | { kind: 'events'; events: LabEvent[] }
  | { kind: 'error'; error: string };

/** Check a command from outside; the error names what is wrong in plain words. */
export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: string } {
  const r = CommandSchema.safeParse(input);
  if (r.success) return { ok: true, command: r.data };
  return { ok: false, error: `invalid command: ${formatIssues(r.error)}` };
}

/** Check one event (saved traces, replays). */
export function parseEvent(input: unknown): { ok: true; event: LabEvent } | { ok: false; error: string } {
  const r = EventSchema.safeParse(input);
  if (r.success) return { ok: true, event: r.data };
  return { ok: false, error: `invalid event: ${formatIssues(r.error)}` };
}

/** A zod error as one short line: "call.args.port: Too big: expected number to be <=65535". */
export function formatIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`)
    .join('; ');
}
