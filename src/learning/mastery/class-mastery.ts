import { calculateMastery, type MasteryCalculation } from './estimate.js';
import { levelFor } from './level.js';
import type { AttemptEvidence } from './evidence.js';
import type { MasteryLevel } from './level.js';
import type { BktParams, MasteryMethod } from './method-config.js';
import { namedStreak, pfaTracker } from './pfa-estimate.js';
import { DEFAULT_PFA, type PfaModel } from './pfa.js';

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
 * `pfaModel` is the unit's fitted performance-factors weights (the shared ones when it has none).
 */
export function recomputeClass(
  method: MasteryMethod,
  competencyIds: readonly string[],
  learners: readonly LearnerEvidence[],
  bktByCompetency: ReadonlyMap<string, BktParams> = new Map(),
  pfaModel: PfaModel = DEFAULT_PFA,
): Map<string, Map<string, ClassCell>> {
  const out = new Map<string, Map<string, ClassCell>>();
  for (const learner of learners) {
    const row = new Map<string, ClassCell>();
    // Performance factors reads the whole unit: one pass over the learner's answers serves every competency.
    const pfa = method.method === 'pfa' ? pfaTracker(learner.byCompetency, pfaModel) : null;
    for (const id of competencyIds) {
      const evidence = learner.byCompetency.get(id);
      let calc: MasteryCalculation;
      if (pfa && evidence && evidence.length > 0) {
        const estimate = pfa.predict(id);
        const c = pfa.counts(id);
        calc = {
          method: 'pfa',
          level: levelFor(estimate, method.masteryThreshold, method.approachingThreshold),
          estimate,
          evidenceCount: c.right + c.wrong,
          answers: { right: c.right, wrong: c.wrong, unitRight: c.totalRight, unitWrong: c.totalWrong },
        };
        const streak = namedStreak(pfa, id, estimate);
        if (streak) calc.streak = streak;
      } else calc = calculateMastery(method, evidence ?? [], bktByCompetency.get(id));
      // calc is this cell's own new object: completed in place rather than copied (a class is 15,000 cells).
      const cell = calc as ClassCell;
      const override = learner.overrides?.get(id);
      cell.calculatedLevel = calc.level;
      cell.level = override ?? calc.level;
      cell.overridden = override !== undefined;
      row.set(id, cell);
    }
    out.set(learner.userId, row);
  }
  return out;
}
