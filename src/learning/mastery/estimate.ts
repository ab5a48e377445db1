import { average } from './average.js';
import { bktStep } from './bkt.js';
import { decayingAverage } from './decaying-average.js';
import { inSubmissionOrder, type AttemptEvidence } from './evidence.js';
import { highest } from './highest.js';
import { latest } from './latest.js';
import { NOT_STARTED, type MasteryExplanation } from './explanation.js';
import { levelFor, type MasteryLevel } from './level.js';
import type { BktParams, MasteryMethod } from './method-config.js';
import { nMastery } from './n-mastery.js';
import { pfaEstimate } from './pfa-estimate.js';
import type { PfaModel, PfaStreak } from './pfa.js';

/** The student's other evidence in the unit, which the performance-factors method also reads. */
export interface UnitContext {
  competencyId: string;
  /** Evidence per other competency of the unit (this one's is the `evidence` argument). */
  others?: ReadonlyMap<string, readonly AttemptEvidence[]>;
  /** The unit's fitted performance-factors weights; absent: the shared ones (DEFAULT_PFA). */
  pfaModel?: PfaModel;
}

/** The numbers of a mastery calculation, without words (cheap enough for a whole class). */
export interface MasteryCalculation {
  method: MasteryMethod['method'];
  level: MasteryLevel;
  /** In [0, 1]; null when there is no evidence or the method has no value yet (n mastery). */
  estimate: number | null;
  /** Attempts, or answers for BKT. */
  evidenceCount: number;
  /** n mastery only: scores at or above the threshold so far. */
  qualifying?: number;
  /** Performance factors only: right and wrong answers here and across the unit. */
  answers?: { right: number; wrong: number; unitRight: number; unitWrong: number };
  /** Performance factors only: the run of right or wrong answers here, when it moved the estimate. */
  streak?: PfaStreak;
}

/** A calculated mastery estimate that can explain itself. */
export interface MasteryEstimate extends MasteryCalculation {
  explanation: MasteryExplanation;
}

/**
 * Calculates mastery of one competency for one student from their submitted attempts with the
 * unit's method. `bktParams` overrides the unit's BKT parameters (e.g. fitted for this competency).
 */
export function calculateMastery(
  method: MasteryMethod,
  evidence: readonly AttemptEvidence[],
  bktParams?: BktParams,
  context?: UnitContext,
): MasteryCalculation {
  const ordered = inSubmissionOrder(evidence);
  const m = method.method;
  if (ordered.length === 0) return { method: m, level: 'not_started', estimate: null, evidenceCount: 0 };
  if (m === 'pfa') {
    const r = pfaEstimate(context?.competencyId ?? '', ordered, context?.others, context?.pfaModel);
    const answers = { right: r.right, wrong: r.wrong, unitRight: r.unitRight, unitWrong: r.unitWrong };
    return {
      method: m,
      level: levelFor(r.estimate, method.masteryThreshold, method.approachingThreshold),
      estimate: r.estimate,
      evidenceCount: r.right + r.wrong,
      answers,
      ...(r.streak ? { streak: r.streak } : {}),
    };
  }
  if (m === 'bkt') {
    const p = bktParams ?? method.params;
    let pl = p.pInit;
    let n = 0;
    for (const e of ordered) {
      for (const o of e.responses) pl = bktStep(pl, o, p);
      n += e.responses.length;
    }
    return { method: m, level: levelFor(pl, method.masteryThreshold, method.approachingThreshold), estimate: pl, evidenceCount: n };
  }
  const scores = ordered.map((e) => e.score);
  if (m === 'n_mastery') {
    const r = nMastery(scores, method.n, method.masteryThreshold);
    const level: MasteryLevel =
      r.estimate !== null ? levelFor(r.estimate, method.masteryThreshold, method.approachingThreshold) : r.qualifying > 0 ? 'approaching' : 'developing';
    return { method: m, level, estimate: r.estimate, evidenceCount: scores.length, qualifying: r.qualifying };
  }
  const value =
    m === 'decaying_average'
      ? decayingAverage(scores, method.weight)!
      : m === 'highest'
        ? highest(scores)!
        : m === 'latest'
          ? latest(scores)!
          : average(scores)!;
  return { method: m, level: levelFor(value, method.masteryThreshold, method.approachingThreshold), estimate: value, evidenceCount: scores.length };
}

/** The calculation as explanation data: the same numbers, for the catalog to put into words. */
export function explain(calc: MasteryCalculation, method: MasteryMethod): MasteryExplanation {
  if (calc.evidenceCount === 0) return NOT_STARTED;
  if (method.method === 'n_mastery' && calc.estimate === null) {
    return {
      kind: 'n_mastery',
      level: calc.level,
      qualifying: calc.qualifying ?? 0,
      n: method.n,
      threshold: method.masteryThreshold,
      count: calc.evidenceCount,
    };
  }
  return {
    kind: 'value',
    level: calc.level,
    method: method.method,
    value: calc.estimate!,
    masteryThreshold: method.masteryThreshold,
    approachingThreshold: method.approachingThreshold,
    count: calc.evidenceCount,
    counting: method.method === 'bkt' || method.method === 'pfa' ? 'answer' : 'attempt',
    ...(calc.answers ? { answers: calc.answers } : {}),
    ...(calc.streak ? { streak: calc.streak } : {}),
  };
}

/** Calculates and explains in one step. */
export function estimateMastery(method: MasteryMethod, evidence: readonly AttemptEvidence[], bktParams?: BktParams, context?: UnitContext): MasteryEstimate {
  const calc = calculateMastery(method, evidence, bktParams, context);
  return { ...calc, explanation: explain(calc, method) };
}
