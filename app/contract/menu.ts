/**
 * The application menu's messages to the window and back, with their schemas: the action a
 * menu item asks for (main → window, MENU_CHANNEL) and the window's preferences the menu
 * follows (window → main, PREFS_CHANNEL). The keys and channels are in ./shortcuts.ts, which
 * the window reads before its first paint without zod. No Node or DOM import.
 */
import { z } from 'zod';
import { LANGUAGES, THEMES } from './shortcuts';

/** Actors the Lab menu steps. */
const LabActorSchema = z.enum(['client', 'server']);

/** What a menu item asks the window to do. */
export const MenuActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('openTrace') }).strict(),
  z.object({ type: z.literal('saveTrace') }).strict(),
  z.object({ type: z.literal('export') }).strict(),
  z.object({ type: z.literal('language'), language: z.enum(LANGUAGES) }).strict(),
  z.object({ type: z.literal('theme'), theme: z.enum(THEMES) }).strict(),
  /** One statement, or (unit 'call') up to and including the next library call. */
  z
    .object({
      type: z.literal('step'),
      actor: LabActorSchema,
      unit: z.enum(['statement', 'call']).optional(),
    })
    .strict(),
  z.object({ type: z.literal('run'), actor: LabActorSchema }).strict(),
  /** Interrupt whichever actor is blocked (the window knows which). */
  z.object({ type: z.literal('interrupt') }).strict(),
  z.object({ type: z.literal('reset') }).strict(),
  z.object({ type: z.literal('lessons') }).strict(),
  z.object({ type: z.literal('about') }).strict(),
  /** Presentation mode on or off (the projector layout: large text, high contrast). */
  z.object({ type: z.literal('presentation') }).strict(),
  /** Auto-play of the timeline: start (from the start when live) or pause. */
  z.object({ type: z.literal('play') }).strict(),
]);
/** An action sent from the application menu to the window. */
export type MenuAction = z.infer<typeof MenuActionSchema>;

/** The window's display preferences, validated in main before the menu is rebuilt. */
export const PrefsSchema = z.object({ language: z.enum(LANGUAGES), theme: z.enum(THEMES) }).strict();
export type Prefs = z.infer<typeof PrefsSchema>;
