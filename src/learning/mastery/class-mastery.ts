import { estimateMastery, type MasteryEstimate } from './estimate.js';
import type { AttemptEvidence } from './evidence.js';
import type { BktParams, MasteryMethod } from './method-config.js';
import { applyOverride, type EffectiveMastery, type MasteryOverride } from './override.js';

export interface LearnerEvidence {
  userId: string;
  /** Evidence per competency id. */
  byCompetency: ReadonlyMap<string, readonly AttemptEvidence[]>;
  overrides?: ReadonlyMap<string, MasteryOverride>;
}

/**
 * Recomputes a class (roster × competencies), e.g. after a teacher changes the unit's method.
 * Returns, per student, the effective mastery per competency.
 */
export function recomputeClass(
  method: MasteryMethod,
  competencyIds: readonly string[],
  learners: readonly LearnerEvidence[],
  bktByCompetency: ReadonlyMap<string, BktParams> = new Map(),
): Map<string, Map<string, EffectiveMastery>> {
  const out = new Map<string, Map<string, EffectiveMastery>>();
  for (const learner of learners) {
    const row = new Map<string, EffectiveMastery>();
    for (const id of competencyIds) {
      const calc: MasteryEstimate = estimateMastery(method, learner.byCompetency.get(id) ?? [], bktByCompetency.get(id));
      row.set(id, applyOverride(calc, learner.overrides?.get(id) ?? null));
    }
    out.set(learner.userId, row);
  }
  return out;
}
