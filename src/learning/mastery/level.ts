/** The four levels a teacher and a student see (Khan Academy–like, but from the unit's method). */
export const MASTERY_LEVELS = ['not_started', 'developing', 'approaching', 'mastered'] as const;
export type MasteryLevel = (typeof MASTERY_LEVELS)[number];

/** Floating-point slack so 0.8 computed as 0.7999999999 still counts as 0.8. */
const EPSILON = 1e-9;

/** Maps an estimate to a level: mastered ≥ masteryThreshold > approaching ≥ approachingThreshold > developing. */
export function levelFor(estimate: number, masteryThreshold: number, approachingThreshold: number): MasteryLevel {
  if (estimate >= masteryThreshold - EPSILON) return 'mastered';
  if (estimate >= approachingThreshold - EPSILON) return 'approaching';
  return 'developing';
}

/** Plain words for a level, for explanations. */
export function levelWords(level: MasteryLevel): string {
  return level.replace('_', ' ');
}
