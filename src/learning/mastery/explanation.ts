import type { MasteryLevel } from './level.js';
import type { MethodName } from './method-config.js';
import type { PfaStreak } from './pfa.js';

/**
 * Why a student is at their level, as data: the numbers the calculation used, which the i18n
 * catalog puts into words (src/web/i18n/explanations.ts). No sentence is built here.
 */
export type MasteryExplanation =
  | { kind: 'not_started' }
  | {
      kind: 'value';
      level: MasteryLevel;
      method: MethodName;
      /** The estimate itself, compared with the thresholds. */
      value: number;
      masteryThreshold: number;
      approachingThreshold: number;
      /** Attempts, or answers for BKT and performance factors. */
      count: number;
      counting: 'attempt' | 'answer';
      /** Performance factors only: right and wrong answers here and across the unit. */
      answers?: { right: number; wrong: number; unitRight: number; unitWrong: number };
      /**
       * Performance factors only, when it moved the estimate (by 0.005 or more): the run of right or
       * wrong answers the student is on here and the change in the estimate against a run of one.
       */
      streak?: PfaStreak;
    }
  | { kind: 'n_mastery'; level: MasteryLevel; qualifying: number; n: number; threshold: number; count: number }
  | {
      kind: 'override';
      level: MasteryLevel;
      /** The teacher's name when known. */
      by: string | null;
      /** The day it was set, YYYY-MM-DD (UTC). */
      date: string;
      reason: string;
      calculated: MasteryExplanation;
    };

/**
 * An explanation as stored: structured, or — for rows saved before explanations were
 * structured — the English words of that time, shown as they are.
 */
export type StoredExplanation = MasteryExplanation | string;

export const NOT_STARTED: MasteryExplanation = { kind: 'not_started' };
