import { inSubmissionOrder, type AttemptEvidence } from './evidence.js';
import { DEFAULT_PFA, PfaTracker, type PfaModel, type PfaStreak } from './pfa.js';

/** What the performance-factors estimate of one competency rests on, for its explanation. */
export interface PfaEstimate {
  /** P(the student's next answer on this competency is right). */
  estimate: number;
  right: number;
  wrong: number;
  /** Right and wrong answers across the unit (all competencies). */
  unitRight: number;
  unitWrong: number;
  /** The run of right or wrong answers here, when it moved the estimate by PFA_STREAK_NAMED_FROM or more. */
  streak?: PfaStreak;
}

/** A run of answers in a row is named in the explanation once it moves the estimate this much (it shows as ±0.01 or more). */
export const PFA_STREAK_NAMED_FROM = 0.005;

/** The student's run here when it moved the estimate enough to be named, else undefined. */
export function namedStreak(tracker: PfaTracker, competencyId: string, estimate?: number): PfaStreak | undefined {
  const streak = tracker.streak(competencyId, estimate);
  return streak && Math.abs(streak.shift) >= PFA_STREAK_NAMED_FROM ? streak : undefined;
}

/**
 * Runs the performance-factors model over one student's answers in a unit, in submission order
 * (answers of one attempt in the order shown), and returns the estimate for each competency
 * in `competencyIds` (those without answers get the model's start value).
 */
export function pfaEstimates(
  byCompetency: ReadonlyMap<string, readonly AttemptEvidence[]>,
  competencyIds: Iterable<string> = byCompetency.keys(),
  model: PfaModel = DEFAULT_PFA,
): Map<string, PfaEstimate> {
  const tracker = pfaTracker(byCompetency, model);
  const out = new Map<string, PfaEstimate>();
  for (const id of competencyIds) {
    const c = tracker.counts(id);
    const estimate = tracker.predict(id);
    const streak = namedStreak(tracker, id, estimate);
    out.set(id, {
      estimate,
      right: c.right,
      wrong: c.wrong,
      unitRight: c.totalRight,
      unitWrong: c.totalWrong,
      ...(streak ? { streak } : {}),
    });
  }
  return out;
}

/** The model after one student's answers in a unit, in submission order (answers of one attempt in the order shown). */
export function pfaTracker(byCompetency: ReadonlyMap<string, readonly AttemptEvidence[]>, model: PfaModel = DEFAULT_PFA): PfaTracker {
  const attempts: { competencyId: string; evidence: AttemptEvidence }[] = [];
  for (const [competencyId, list] of byCompetency) for (const evidence of list) attempts.push({ competencyId, evidence });
  const ordered = attempts.length > 1 ? [...attempts].sort((a, b) => a.evidence.submittedAt.getTime() - b.evidence.submittedAt.getTime()) : attempts;
  const tracker = new PfaTracker(model);
  for (const a of ordered) tracker.observeAll(a.competencyId, a.evidence.responses);
  return tracker;
}

/** The estimate for one competency from its evidence and, when known, the student's other evidence in the unit. */
export function pfaEstimate(
  competencyId: string,
  evidence: readonly AttemptEvidence[],
  others: ReadonlyMap<string, readonly AttemptEvidence[]> = new Map(),
  model: PfaModel = DEFAULT_PFA,
): PfaEstimate {
  const all = new Map(others);
  all.set(competencyId, inSubmissionOrder(evidence));
  return pfaEstimates(all, [competencyId], model).get(competencyId)!;
}
