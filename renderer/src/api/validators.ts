/**
 * The contract's checks the window runs on what it sends and what reaches it from outside
 * (a command before it goes to the lab, a menu action, a sandbox call, a saved trace). They
 * are zod schemas, and zod is a quarter of the window's script: this module is a chunk of its
 * own, loaded by ./validate.ts after the first paint (or at the first check, whichever comes
 * first). Nothing is let through unchecked while it loads: a check waits for it.
 */
export { CallSchema, issueMessage, parseCommand } from '@contract';
export { MenuActionSchema } from '@contract/menu';
export { parseTrace } from '@contract/trace';
