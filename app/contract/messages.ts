/**
 * What the engine explains, as codes with parameters: the cause of a state change, the note
 * a call returns with, a notice. The window says each in the reader's language from its
 * catalogs (renderer/src/i18n/messages-*.ts, one entry per code, checked by the compiler);
 * the engine never writes a sentence. Traces from before codes carry English strings, shown
 * as they are.
 */
import { C_FAULT_PARAMS } from './c/faults';
import { C_PROBLEM_PARAMS } from './c/problems';
import { REFUSAL_PARAMS, refusalText, type RefusalCode } from './refusals';

/** Every code and the names of its parameters. */
export const MESSAGE_PARAMS = {
  // Causes of state changes (the state machine's inputs, and what a call did).
  'cause.listen': [],
  'cause.connect': [],
  'cause.synReceived': [],
  'cause.synAckReceived': [],
  'cause.ackReceived': [],
  'cause.close': [],
  'cause.finReceived': [],
  'cause.finAcked': [],
  'cause.rst': [],
  'cause.timeout': [],
  'cause.shutdown': ['how'],
  'cause.closeUnread': ['n'],
  'cause.closeInHandshake': [],
  'cause.closeCall': [],
  'cause.refused': [],
  'cause.exitClose': [],
  'cause.exitFin': [],
  'cause.exitUnread': ['n'],
  // Notes of returned calls.
  'note.notOpen': ['fd'],
  'note.fdLimit': ['actor', 'n'],
  'note.heldFull': ['held', 'max'],
  'note.fdReserve': ['left', 'reserve'],
  'note.inUse': ['at', 'socket'],
  'note.alreadyListening': [],
  'note.newConnection': ['from'],
  'note.connected': ['to'],
  'note.refused': ['to'],
  'note.peerReset': [],
  'note.eof': [],
  'note.read': ['text'],
  'note.finSent': [],
  'note.otherRefs': [],
  'note.unreadRst': ['n'],
  'note.interrupted': [],
  'note.labReset': [],
  'note.unexpected': ['error'],
  'note.ipv4OnInet6': ['host'],
  'note.ipv6OnInet': ['host'],
  'note.notLoopback': ['host'],
  'note.notIp': ['host'],
  // Why packet capture is not on (capture.status reason). How to enable it is the window's.
  'capture.noTool': [],
  'capture.notFound': ['tool', 'path'],
  'capture.cannotStart': ['tool', 'error'],
  'capture.unreadable': ['error'],
  'capture.stopped': ['tool', 'how', 'detail'],
  'capture.noPermission': ['iface', 'detail'],
  'capture.cannotCapture': ['tool', 'detail'],
  // Notices.
  'notice.tableFailed': ['error'],
  'notice.traceOff': ['reason'],
  'notice.traceFailed': ['error'],
  'notice.logFullCount': ['max', 'n', 'all'],
  'notice.logFullBytes': ['mib', 'n', 'all'],
  // What is wrong with a C source (app/contract/c/problems.ts).
  ...C_PROBLEM_PARAMS,
  // Faults that stop a C program, and the interpreter's notes (app/contract/c/faults.ts).
  ...C_FAULT_PARAMS,
  // Why a command was refused, or is not a command (app/contract/refusals.ts).
  ...REFUSAL_PARAMS,
} as const satisfies Record<string, readonly string[]>;

/** A message code. */
export type MessageCode = keyof typeof MESSAGE_PARAMS;
export const MESSAGE_CODES = Object.keys(MESSAGE_PARAMS) as MessageCode[];

/**
 * Codes with a parameter that may be empty, and which: the window says such a message without
 * that part (and its brackets) from the code's `.brief` entry when the parameter is ''.
 */
export const MESSAGE_OPTIONAL = {
  'capture.stopped': 'detail',
  'capture.noPermission': 'detail',
} as const satisfies Partial<Record<MessageCode, string>>;
/** A code's brief form, said when its optional parameter is empty. */
export type BriefCode = `${keyof typeof MESSAGE_OPTIONAL}.brief`;

/** A code and its parameters (numbers, or short texts: an address, an errno, bytes read). */
export type Message = {
  [K in MessageCode]: (typeof MESSAGE_PARAMS)[K] extends readonly []
    ? { code: K; params?: undefined }
    : { code: K; params: Record<(typeof MESSAGE_PARAMS)[K][number], string | number> };
}[MessageCode];

/** A message: `msg('note.connected', { to: '127.0.0.1:5000' })`. */
export function msg<K extends MessageCode>(
  code: K,
  ...params: (typeof MESSAGE_PARAMS)[K] extends readonly []
    ? []
    : [Record<(typeof MESSAGE_PARAMS)[K][number], string | number>]
): Message {
  return (params[0] ? { code, params: params[0] } : { code }) as Message;
}

/** What the window says: a message, or an older trace's English. */
export type Sayable = string | Message;

/** A refused command's answer: the code the window says (`refusal`) and its English (`error`). */
export function refuse<K extends RefusalCode>(
  code: K,
  ...params: (typeof MESSAGE_PARAMS)[K] extends readonly []
    ? []
    : [Record<(typeof MESSAGE_PARAMS)[K][number], string | number>]
): { ok: false; error: string; refusal: Message } {
  return { ok: false, error: refusalText(code, params[0]), refusal: msg(code, ...params) };
}
