/**
 * The schemas of messages (./messages.ts): a code with its parameters, and a text that is a
 * message or an older trace's English. Apart from the codes, which the window reads before
 * its first paint without zod. No Node or DOM import.
 */
import { z } from 'zod';
import { MESSAGE_CODES, type Message, type MessageCode } from './messages';

export const MessageSchema = z
  .object({
    code: z.enum(MESSAGE_CODES as [MessageCode, ...MessageCode[]]),
    params: z.record(z.string().max(32), z.union([z.string().max(512), z.number()])).optional(),
  })
  .strict() as unknown as z.ZodType<Message>;

/** A cause, note or notice text: a message, or the English string of an older trace. */
export const SayableSchema = (maxText: number) => z.union([z.string().max(maxText), MessageSchema]);
