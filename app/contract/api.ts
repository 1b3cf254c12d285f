/**
 * The small API the window uses to talk to the lab, the same in Electron (through the
 * preload's contextBridge) and in browser mode (over the WebSocket bridge).
 */
import { z } from 'zod';
import { msg, type Message } from './messages';
import { CommandSchema, EventSchema, type Command, type CommandResult, type LabEvent } from './schema';

/** IPC channels: one request/response channel, one event channel, one ready signal. */
export const IPC = {
  /** renderer → main, invoke: a Command, answered with a CommandResult. */
  command: 'lab:command',
  /**
   * renderer → main, invoke: the window is ready; answered with the first part of the events
   * so far (a {@link HistoryPart}); while `more`, the window invokes `history` for the next.
   */
  ready: 'lab:ready',
  /** renderer → main, invoke: the next part of the history (a {@link HistoryPart}). */
  history: 'lab:history',
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

/** Most events in one batch sent to the window (and at most about MAX_MESSAGE_ESTIMATE bytes). */
export const MAX_EVENT_BATCH = 5000;

/** One part of the history a window takes when it is ready; `more`: another part follows. */
export interface HistoryPart {
  events: LabEvent[];
  more: boolean;
}

/** WebSocket messages from the page to the server. */
export const ClientMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), id: z.number().int().min(0) }).strict(),
  z.object({ kind: z.literal('command'), id: z.number().int().min(0), command: CommandSchema }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** WebSocket messages from the server to the page. */
export type ServerMessage =
  | { kind: 'reply'; id: number; result: CommandResult }
  /** One part of the answer to `ready`; parts follow each other until `more` is false. */
  | { kind: 'history'; id: number; events: LabEvent[]; more: boolean }
  | { kind: 'events'; events: LabEvent[] }
  /** A message refused; `id` when the refused message had one the server could read. */
  | { kind: 'error'; error: string; id?: number };

/** Check a command from outside; the error names what is wrong in plain words. */
export function parseCommand(
  input: unknown,
): { ok: true; command: Command } | { ok: false; error: string; refusal: Message } {
  const r = CommandSchema.safeParse(input);
  if (r.success) return { ok: true, command: r.data };
  return { ok: false, error: `invalid command: ${formatIssues(r.error)}`, refusal: issueMessage(r.error) };
}

/** A zod error's first issue as a code the window says: where in the command, and what is wrong. */
export function issueMessage(err: z.ZodError): Message {
  const i = err.issues[0];
  // '$' is the command itself (JSONPath's root): an issue with no path is about the whole of it.
  const path = i?.path.length ? excerpt(i.path.map((p) => excerpt(String(p))).join('.'), 80) : '$';
  if (i?.code === 'invalid_type') return msg('invalid.type', { path, expected: String(i.expected) });
  if (i?.code === 'too_big') return msg('invalid.tooBig', { path, max: Number(i.maximum) });
  if (i?.code === 'too_small') return msg('invalid.tooSmall', { path, min: Number(i.minimum) });
  if (i?.code === 'unrecognized_keys')
    return msg('invalid.keys', {
      path,
      keys: i.keys
        .slice(0, 3)
        .map((k) => JSON.stringify(excerpt(k)))
        .join(', '),
    });
  return msg('invalid.value', { path });
}

/** Check one event (saved traces, replays). */
export function parseEvent(input: unknown): { ok: true; event: LabEvent } | { ok: false; error: string } {
  const r = EventSchema.safeParse(input);
  if (r.success) return { ok: true, event: r.data };
  return { ok: false, error: `invalid event: ${formatIssues(r.error)}` };
}

/** Most characters of the input an error quotes (a path, a key name). */
const EXCERPT_CHARS = 40;
/** Most characters of one issue's message. */
const ISSUE_CHARS = 160;

/** `s` cut to `max` characters, with "…" when cut. */
export function excerpt(s: string, max = EXCERPT_CHARS): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * A zod error as one short line: "call.args.port: Too big: expected number to be <=65535".
 * At most three issues; the input is quoted only in short excerpts (paths and key names are
 * the sender's: a message with a million unknown keys gets a short answer, not all of them).
 */
export function formatIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.length ? excerpt(i.path.map((p) => excerpt(String(p))).join('.'), 80) + ': ' : '';
      const message =
        i.code === 'unrecognized_keys'
          ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys
              .slice(0, 3)
              .map((k) => JSON.stringify(excerpt(k)))
              .join(', ')}${i.keys.length > 3 ? ` and ${i.keys.length - 3} more` : ''}`
          : excerpt(i.message, ISSUE_CHARS);
      return path + message;
    })
    .join('; ');
}
