import type { ScoredItem } from '../mastery-check.js';
import type { StoredExplanation } from '../mastery/explanation.js';
import type { MasteryLevel } from '../mastery/level.js';

/**
 * What a student gets back after submitting an attempt. It is stored with the attempt, so a
 * second submission of the same attempt returns exactly this again.
 */
export interface SubmissionResult {
  attemptId: string;
  competencyId: string;
  score: number;
  passed: boolean;
  submittedAt: string;
  items: ScoredItem[];
  mastery: { level: MasteryLevel; estimate: number | null; explanation: StoredExplanation; overridden: boolean };
  /** True after repeated failures: another pathway may suit better. */
  suggestAnotherPathway: boolean;
  unitProgress: { mastered: number; total: number };
}
