/**
 * Lesson verdicts in English: one entry per code of app/contract/verdicts.ts (the compiler
 * checks that none is missing), `{name}` for its parameters. The contract's English, the one
 * the lesson check and the logs print, so the window and the logs say the same.
 */
import { VERDICT_EN, VERDICT_JOINS_EN, type VerdictCode, type VerdictJoins } from '@contract/lesson';

export const verdictsEn: Readonly<Record<VerdictCode, string>> = VERDICT_EN;

/** '; ' between the parts of a holding `all`, ' | ' between failed alternatives, 'not (…)'. */
export const verdictJoinsEn: VerdictJoins = VERDICT_JOINS_EN;
