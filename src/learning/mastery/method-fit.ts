import { auc } from '../evaluation/metrics.js';
import { bktStep } from './bkt.js';
import { calculateMastery } from './estimate.js';
import type { AttemptEvidence } from './evidence.js';
import { DEFAULT_BKT, masteryMethodSchema, type BktParams, type MasteryMethod, type MethodName } from './method-config.js';
import { DEFAULT_PFA, PfaTracker, type PfaModel } from './pfa.js';

/** One submitted mastery check of a class's history in a course. */
export interface ClassCheck extends AttemptEvidence {
  userId: string;
  competencyId: string;
  passed: boolean;
}

/** How well one calculation method would have predicted the class's next checks. */
export interface MethodFitRow {
  method: MethodName;
  /** Share of next checks whose pass or fail the method called right. */
  accuracy: number;
  /** Area under the ROC curve of the method's estimate against pass/fail (null when one outcome is missing). */
  auc: number | null;
}

export interface MethodFitReport {
  /** Checks that had an earlier check of the same student on the same competency: what every row rests on. */
  predictions: number;
  passed: number;
  /** False below `minPredictions` or while every next check passed (or every one failed). */
  enough: boolean;
  minPredictions: number;
  rows: MethodFitRow[];
  /** The method with the highest AUC (then accuracy), when there is enough data. */
  best: MethodName | null;
}

/** Below this many next checks the panel says "not enough data yet". */
export const METHOD_FIT_MIN_PREDICTIONS = 20;

/** The methods compared, in the order of the unit settings' select. */
export const FIT_METHODS: readonly MethodName[] = ['pfa', 'decaying_average', 'highest', 'latest', 'average', 'n_mastery', 'bkt'];

/** The unit's own settings for its method; the defaults for the others. */
function configFor(name: MethodName, unitMethod: MasteryMethod): MasteryMethod {
  return unitMethod.method === name ? unitMethod : masteryMethodSchema.parse({ method: name });
}

/**
 * Replays a class's history and asks, for each check after a student's first on that competency,
 * what each method's estimate was just before it: the method calls a pass when its estimate
 * reaches the check's pass mark. Accuracy counts the calls that were right; AUC says how well the
 * estimate ranks the checks that passed above those that failed. Every method is judged on the
 * same checks, with the numbers it would have shown the teacher at the time. Performance factors
 * uses the unit's fitted weights (`pfaModel`) when it has them, as its estimates do.
 */
export function methodFit(
  unitMethod: MasteryMethod,
  checks: readonly ClassCheck[],
  passMark: (competencyId: string) => number,
  minPredictions = METHOD_FIT_MIN_PREDICTIONS,
  bktByCompetency: ReadonlyMap<string, BktParams> = new Map(),
  pfaModel: PfaModel = DEFAULT_PFA,
): MethodFitReport {
  const methods = FIT_METHODS.map((m) => configFor(m, unitMethod));
  const bktMethod = methods.find((m) => m.method === 'bkt');
  const bktParams = bktMethod?.method === 'bkt' ? bktMethod.params : DEFAULT_BKT;
  const estimates = methods.map(() => [] as number[]);
  const calls = methods.map(() => 0);
  const outcomes: boolean[] = [];
  const byUser = new Map<string, ClassCheck[]>();
  for (const c of checks) {
    const list = byUser.get(c.userId) ?? [];
    list.push(c);
    byUser.set(c.userId, list);
  }
  for (const list of byUser.values()) {
    list.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    const earlier = new Map<string, AttemptEvidence[]>();
    const bkt = new Map<string, number>();
    const pfa = new PfaTracker(pfaModel);
    for (const c of list) {
      const before = earlier.get(c.competencyId) ?? [];
      if (before.length > 0) {
        outcomes.push(c.passed);
        const mark = passMark(c.competencyId);
        methods.forEach((m, i) => {
          const value =
            m.method === 'pfa' ? pfa.predict(c.competencyId) : m.method === 'bkt' ? bkt.get(c.competencyId)! : (calculateMastery(m, before).estimate ?? 0);
          estimates[i]!.push(value);
          if (value >= mark - 1e-9 === c.passed) calls[i]!++;
        });
      }
      // A competency's fitted parameters when it has them, as the product's BKT uses.
      const params = bktByCompetency.get(c.competencyId) ?? bktParams;
      let pl = bkt.get(c.competencyId) ?? params.pInit;
      for (const o of c.responses) pl = bktStep(pl, o, params);
      bkt.set(c.competencyId, pl);
      pfa.observeAll(c.competencyId, c.responses);
      earlier.set(c.competencyId, [...before, c]);
    }
  }
  const n = outcomes.length;
  const passed = outcomes.filter(Boolean).length;
  const enough = n >= minPredictions && passed > 0 && passed < n;
  const rows = methods.map((m, i) => {
    const a = auc(estimates[i]!, outcomes);
    return { method: m.method, accuracy: n > 0 ? calls[i]! / n : 0, auc: Number.isNaN(a) ? null : a };
  });
  let best: MethodFitRow | null = null;
  if (enough) {
    for (const r of rows) {
      if (!best || (r.auc ?? 0) > (best.auc ?? 0) + 1e-12 || (Math.abs((r.auc ?? 0) - (best.auc ?? 0)) <= 1e-12 && r.accuracy > best.accuracy)) best = r;
    }
  }
  return { predictions: n, passed, enough, minPredictions, rows, best: best?.method ?? null };
}
