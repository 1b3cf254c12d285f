/**
 * Lesson verdicts in English: one entry per code of app/contract/verdicts.ts (the compiler
 * checks that none is missing), `{name}` for its parameters, in the window's one vue-i18n
 * catalog under `verdict.` (i18n/index.ts). The contract's English, the one the lesson check
 * and the logs print, so the window and the logs say the same.
 */
import { VERDICT_EN, VERDICT_JOINS_EN, type VerdictCode, type VerdictJoins } from '@contract/verdicts';

export const verdictsEn: Readonly<Record<VerdictCode, string>> = VERDICT_EN;

/**
 * '; ' between the parts of a holding `all`, ' | ' between failed alternatives, 'not (…)':
 * the contract's, with vue-i18n's special `|` written as a literal.
 */
export const verdictJoinsEn: VerdictJoins = { ...VERDICT_JOINS_EN, any: " {'|'} " };
