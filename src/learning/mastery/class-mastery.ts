import { calculateMastery, type MasteryCalculation } from './estimate.js';
import { levelFor } from './level.js';
import type { AttemptEvidence } from './evidence.js';
import type { MasteryLevel } from './level.js';
import type { BktParams, MasteryMethod } from './method-config.js';
import { pfaEstimates } from './pfa-estimate.js';

export interface LearnerEvidence {
  userId: string;
  /** Evidence per competency id. */
  byCompetency: ReadonlyMap<string, readonly AttemptEvidence[]>;
  /** Active override levels per competency id. */
  overrides?: ReadonlyMap<string, MasteryLevel>;
}

export interface ClassCell extends MasteryCalculation {
  calculatedLevel: MasteryLevel;
  overridden: boolean;
}

/**
 * Recomputes a class (roster × competencies), e.g. after a teacher changes the unit's method.
 * Numbers only — call explain() for the cell a teacher opens. Overrides win as everywhere.
 */
export function recomputeClass(
  method: MasteryMethod,
  competencyIds: readonly string[],
  learners: readonly LearnerEvidence[],
  bktByCompetency: ReadonlyMap<string, BktParams> = new Map(),
): Map<string, Map<string, ClassCell>> {
  const out = new Map<string, Map<string, ClassCell>>();
  for (const learner of learners) {
    const row = new Map<string, ClassCell>();
    // Performance factors reads the whole unit: one pass over the learner's answers serves every competency.
    const pfa = method.method === 'pfa' ? pfaEstimates(learner.byCompetency, competencyIds) : null;
    for (const id of competencyIds) {
      const evidence = learner.byCompetency.get(id) ?? [];
      const p = pfa?.get(id);
      const calc: MasteryCalculation =
        p && evidence.length > 0
          ? {
              method: 'pfa',
              level: levelFor(p.estimate, method.masteryThreshold, method.approachingThreshold),
              estimate: p.estimate,
              evidenceCount: p.right + p.wrong,
              answers: { right: p.right, wrong: p.wrong, unitRight: p.unitRight, unitWrong: p.unitWrong },
            }
          : calculateMastery(method, evidence, bktByCompetency.get(id));
      const override = learner.overrides?.get(id);
      row.set(id, { ...calc, calculatedLevel: calc.level, level: override ?? calc.level, overridden: override !== undefined });
    }
    out.set(learner.userId, row);
  }
  return out;
}
