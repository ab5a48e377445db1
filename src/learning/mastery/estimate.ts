import { average } from './average.js';
import { bktTrace } from './bkt.js';
import { decayingAverage } from './decaying-average.js';
import { inSubmissionOrder, type AttemptEvidence } from './evidence.js';
import { highest } from './highest.js';
import { latest } from './latest.js';
import { levelFor, type MasteryLevel } from './level.js';
import type { BktParams, MasteryMethod } from './method-config.js';
import { nMastery } from './n-mastery.js';

/** A calculated mastery estimate that can explain itself. */
export interface MasteryEstimate {
  method: MasteryMethod['method'];
  level: MasteryLevel;
  /** In [0, 1]; null when there is no evidence or the method has no value yet (n mastery). */
  estimate: number | null;
  evidenceCount: number;
  explanation: string;
}

const NAMES: Record<MasteryMethod['method'], string> = {
  decaying_average: 'decaying average',
  highest: 'highest score',
  latest: 'latest score',
  average: 'average',
  n_mastery: 'n mastery',
  bkt: 'knowledge tracing P(knows)',
};

const f2 = (x: number) => x.toFixed(2);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Calculates mastery of one competency for one student from their submitted attempts with the
 * unit's method. `bktParams` overrides the unit's BKT parameters (e.g. fitted for this competency).
 */
export function estimateMastery(
  method: MasteryMethod,
  evidence: readonly AttemptEvidence[],
  bktParams?: BktParams,
): MasteryEstimate {
  const ordered = inSubmissionOrder(evidence);
  const name = NAMES[method.method];
  if (ordered.length === 0) {
    return { method: method.method, level: 'not_started', estimate: null, evidenceCount: 0, explanation: 'not started: no mastery check submitted yet' };
  }
  const scores = ordered.map((e) => e.score);
  if (method.method === 'n_mastery') {
    const r = nMastery(scores, method.n, method.masteryThreshold);
    if (r.estimate === null) {
      const level: MasteryLevel = r.qualifying > 0 ? 'approaching' : 'developing';
      return {
        method: method.method,
        level,
        estimate: null,
        evidenceCount: ordered.length,
        explanation: `${level}: ${r.qualifying} of ${method.n} scores at or above ${f2(method.masteryThreshold)} needed (n mastery) over ${plural(ordered.length, 'attempt')}`,
      };
    }
    return explained(method, name, r.estimate, ordered.length, 'attempt');
  }
  if (method.method === 'bkt') {
    const observations = ordered.flatMap((e) => e.responses);
    const p = bktParams ?? method.params;
    return explained(method, name, bktTrace(observations, p), observations.length, 'answer');
  }
  const value =
    method.method === 'decaying_average'
      ? decayingAverage(scores, method.weight)
      : method.method === 'highest'
        ? highest(scores)
        : method.method === 'latest'
          ? latest(scores)
          : average(scores);
  return explained(method, name, value!, ordered.length, 'attempt');
}

function explained(method: MasteryMethod, name: string, value: number, count: number, unit: string): MasteryEstimate {
  const level = levelFor(value, method.masteryThreshold, method.approachingThreshold);
  const comparison =
    level === 'mastered'
      ? `≥ ${f2(method.masteryThreshold)}`
      : level === 'approaching'
        ? `< ${f2(method.masteryThreshold)} (approaching from ${f2(method.approachingThreshold)})`
        : `< ${f2(method.approachingThreshold)}`;
  return {
    method: method.method,
    level,
    estimate: value,
    evidenceCount: count,
    explanation: `${level}: ${name} ${f2(value)} ${comparison} over ${plural(count, unit)}`,
  };
}
