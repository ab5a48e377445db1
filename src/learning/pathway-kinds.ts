import type { MasteryBand } from './recommendation.js';
import type { Modality } from './unit-schema.js';

/** Class first attempts on a competency of the unit, by the pathway's kinds (modalities) and the students' band. */
export interface KindOutcome {
  competencyId: string;
  modalities: readonly Modality[];
  band: MasteryBand;
  chose: number;
  passedFirst: number;
}

/** One of a student's own first attempts on a competency of the unit, with the band they were in. */
export interface OwnFirstAttempt {
  competencyId: string;
  modalities: readonly Modality[];
  band: MasteryBand;
  passed: boolean;
}

/** The least weight the class's rate keeps against a student's own results, in competencies. */
export const MIN_OWN_WEIGHT = 2;
/** Students × kinds the class needs before its spread between students is estimated at all. */
export const MIN_SPREAD_PAIRS = 20;

/** The class's first attempts in `band` after a pathway sharing a modality with `modalities`. */
export function kindRate(rows: readonly KindOutcome[], band: MasteryBand, modalities: readonly Modality[]): { passed: number; chose: number } {
  let passed = 0;
  let chose = 0;
  for (const r of rows) {
    if (r.band !== band || !shares(r.modalities, modalities)) continue;
    passed += r.passedFirst;
    chose += r.chose;
  }
  return { passed, chose };
}

/** The class's smoothed first-try rate ((passed + 1) / (chose + 2)) by band and kind over the whole unit, memoised. */
export function kindRates(rows: readonly KindOutcome[]): (band: MasteryBand, modalities: readonly Modality[]) => number {
  const memo = new Map<string, number>();
  return (band, modalities) => {
    const key = `${band}|${modalities.join(',')}`;
    let rate = memo.get(key);
    if (rate === undefined) {
      const k = kindRate(rows, band, modalities);
      rate = (k.passed + 1) / (k.chose + 2);
      memo.set(key, rate);
    }
    return rate;
  };
}

/**
 * A student's own first attempts after a pathway sharing a modality with `modalities`, and how
 * many the class passed in their place: for each, the class's rate after that kind of pathway in
 * the band the student was in then.
 */
export function ownRecord(
  own: readonly OwnFirstAttempt[],
  rate: (band: MasteryBand, modalities: readonly Modality[]) => number,
  modalities: readonly Modality[],
): { passed: number; tried: number; expected: number } {
  let passed = 0;
  let tried = 0;
  let expected = 0;
  for (const o of own) {
    if (!shares(o.modalities, modalities)) continue;
    tried++;
    if (o.passed) passed++;
    expected += rate(o.band, o.modalities);
  }
  return { passed, tried, expected };
}

/**
 * The student's lift over the class on a kind of pathway: the posterior mean of a normal
 * hierarchical model, (passed − expected) / (tried + weight), where the class's rate counts for
 * `weight` competencies.
 */
export function ownLift(history: { passed: number; tried: number; expected: number }, weight: number): number {
  return history.tried === 0 || !Number.isFinite(weight) ? 0 : (history.passed - history.expected) / (history.tried + weight);
}

/**
 * How many competencies the class's rate should count for against a student's own results
 * (empirical Bayes, method of moments): the chance variance of one first try over the variance
 * of the students' true lifts by kind, estimated from how far the class's students' own results
 * spread beyond chance. Infinity — own results unused — until the class has MIN_SPREAD_PAIRS
 * student × kind records, or while its students differ no more than chance would make them.
 */
export function ownWeight(students: readonly (readonly OwnFirstAttempt[])[], unit: readonly KindOutcome[]): number {
  const rate = kindRates(unit);
  let pairs = 0;
  let excess = 0;
  let noise = 0;
  let attempts = 0;
  for (const own of students) {
    const byKind = new Map<Modality, { n: number; residual: number; variance: number }>();
    for (const o of own) {
      const e = rate(o.band, o.modalities);
      for (const m of o.modalities) {
        const k = byKind.get(m) ?? { n: 0, residual: 0, variance: 0 };
        k.n++;
        k.residual += (o.passed ? 1 : 0) - e;
        k.variance += e * (1 - e);
        byKind.set(m, k);
      }
      noise += e * (1 - e);
      attempts++;
    }
    for (const k of byKind.values()) {
      // E[(mean residual)²] = true lift² + chance variance / n.
      excess += (k.residual / k.n) ** 2 - k.variance / k.n ** 2;
      pairs++;
    }
  }
  if (pairs < MIN_SPREAD_PAIRS) return Number.POSITIVE_INFINITY;
  const spread = excess / pairs;
  if (spread <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(MIN_OWN_WEIGHT, noise / attempts / spread);
}

function shares(a: readonly Modality[], b: readonly Modality[]): boolean {
  return a.some((m) => b.includes(m));
}

/**
 * How far a kind's results on the unit's other competencies carry over to this one, 0–1: across
 * pairs of competencies, how much a kind's lead or lag on its competency's band rate on one
 * competency repeats on the other (covariance over variance, the variance corrected for chance
 * on each cell's count). 0 when kinds that did well on one competency do no better on another.
 * Every cell counts from its first attempt, by its reliability (kindCellWeight): a kind tried by
 * one or two students on a competency moves the estimate little beside one tried by twenty, and
 * no count is needed before the first students' results are heard.
 */
export function kindTransfer(unit: readonly KindOutcome[]): number {
  const cells = new Map<string, { passed: number; chose: number }>();
  for (const r of unit) {
    const key = `${r.band}|${r.competencyId}|${r.modalities.join(',')}`;
    const c = cells.get(key) ?? { passed: 0, chose: 0 };
    c.passed += r.passedFirst;
    c.chose += r.chose;
    cells.set(key, c);
  }
  // Deviation of each (band, competency, kind) rate from its (band, competency) rate.
  const groupTotals = new Map<string, { passed: number; chose: number }>();
  for (const [key, c] of cells) {
    const group = key.slice(0, key.lastIndexOf('|'));
    const g = groupTotals.get(group) ?? { passed: 0, chose: 0 };
    g.passed += c.passed;
    g.chose += c.chose;
    groupTotals.set(group, g);
  }
  const byKind = new Map<string, { d: number; v: number }[]>();
  for (const [key, c] of cells) {
    const [band, competency, kind] = key.split('|') as [string, string, string];
    const g = groupTotals.get(`${band}|${competency}`)!;
    if (g.chose === c.chose) continue; // the only kind tried: no deviation to speak of
    const p = c.passed / c.chose;
    const mean = g.passed / g.chose;
    const list = byKind.get(`${band}|${kind}`) ?? [];
    list.push({ d: p - mean, v: (mean * (1 - mean)) / c.chose });
    byKind.set(`${band}|${kind}`, list);
  }
  const spread = kindSpread([...byKind.values()].flat());
  let covariance = 0;
  let variance = 0;
  for (const list of byKind.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const x = list[i]!;
        const y = list[j]!;
        const w = kindCellWeight(x.v, spread) * kindCellWeight(y.v, spread);
        covariance += w * x.d * y.d;
        variance += (w * (x.d * x.d - x.v + y.d * y.d - y.v)) / 2;
      }
    }
  }
  if (covariance <= 0) return 0;
  return variance <= 0 ? 1 : Math.min(1, covariance / variance);
}

/**
 * The least spread (variance) of kinds' true deviations from their competency's rate that
 * kindTransfer assumes: a kind 10 points off its competency's rate. It only keeps the cells'
 * weights defined while the class's first attempts are too few to measure the spread.
 */
export const MIN_KIND_SPREAD = 0.01;

/** The spread of kinds' true deviations from their competency's rate, beyond chance (at least MIN_KIND_SPREAD). */
function kindSpread(cells: readonly { d: number; v: number }[]): number {
  let excess = 0;
  for (const c of cells) excess += c.d * c.d - c.v;
  return Math.max(MIN_KIND_SPREAD, cells.length > 0 ? excess / cells.length : 0);
}

/**
 * How reliable a cell's deviation is, 0–1: the kinds' true spread over itself plus the cell's
 * chance variance v = p(1 − p) / n, i.e. n / (n + p(1 − p) / spread) — the shrinkage factor of an
 * empirical-Bayes estimate of the cell's deviation.
 */
export function kindCellWeight(chanceVariance: number, spread: number): number {
  return spread / (spread + chanceVariance);
}
