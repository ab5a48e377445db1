import type { Rng } from './random.js';
import type { Competency, Modality } from './unit-schema.js';

/**
 * A student's prior mastery band in the unit, the context of the bandit: no answers yet, under
 * 70 % of their answers right so far, or 70 % and more.
 */
export const MASTERY_BANDS = ['new', 'low', 'high'] as const;
export type MasteryBand = (typeof MASTERY_BANDS)[number];

/** The band for a student with `right` of `answered` answers right in the unit so far. */
export function masteryBand(right: number, answered: number): MasteryBand {
  return answered === 0 ? 'new' : right / answered >= 0.7 ? 'high' : 'low';
}

/** A past attempt of this student, with the modalities of the pathway they were on. */
export interface ModalityOutcome {
  modalities: readonly Modality[];
  passed: boolean;
}

/** Course figures for one pathway: students whose first attempt followed it, and how many passed — per band when known. */
export interface PathwayOutcome {
  pathwayId: string;
  chose: number;
  passedFirst: number;
  /** The students' band when they chose it; absent = all bands together. */
  band?: MasteryBand;
}

export interface RecommendationInput {
  competency: Competency;
  /** The student's stated preferences, most preferred first: a tie-breaker only. */
  preferredModalities: readonly Modality[];
  band: MasteryBand;
  course: readonly PathwayOutcome[];
  /** Draws for Thompson sampling; seeded in tests and the simulation. */
  rng: Rng;
}

/** Why a pathway is where it is: numbers the ranking used, rendered by the i18n catalog (`reason.*`). */
export type RecommendationReason =
  | { code: 'course_band'; band: MasteryBand; passed: number; chose: number }
  | { code: 'course'; passed: number; chose: number }
  | { code: 'course_none' }
  | { code: 'exploring' }
  | { code: 'preference'; modality: Modality };

export interface PathwayRecommendation {
  pathwayId: string;
  rank: number;
  /** Posterior mean chance of passing the check on the first try (what the reasons report). */
  expected: number;
  /** The Thompson draw the ranking used (clipped to the credible range). */
  sampled: number;
  /** The first-attempt figures the posterior rests on. */
  evidence: { passed: number; chose: number; band: MasteryBand | null };
  reasons: RecommendationReason[];
}

/** Each pathway's floor: its share of a band's first attempts, once the band has 1 / FLOOR of them. */
export const FLOOR = 0.05;
/** Draws within this distance count as a tie, which the student's stated preference breaks. */
export const TIE = 0.02;
/**
 * How far a draw may move from the posterior mean, as a share of the Thompson draw's own distance
 * (tempered Thompson sampling): exploration falls as the posteriors narrow and separate.
 */
export const TEMPER = 0.5;

/** Laplace (Beta(1, 1)) smoothing, so 1 of 1 counts for less than 40 of 50. */
export function smoothedRate(successes: number, trials: number): number {
  return (successes + 1) / (trials + 2);
}

/**
 * A contextual bandit over a competency's pathways (Thompson sampling): for the student's band,
 * each pathway's chance of a first-try pass has a Beta posterior — the band's own first attempts on
 * a uniform Beta(1, 1) prior (pooling toward the other bands' rates measured worse in the
 * simulation: what suits one band may not suit another). One tempered draw per pathway ranks
 * them: mean + TEMPER × (draw − mean), within mean ± 2·TEMPER sd (bounded exploration). Once the
 * band has 1 / FLOOR first attempts, a pathway with less than FLOOR of them goes first, so no
 * pathway is starved of evidence.
 * Stated preference only breaks ties (within TIE). No demographic data is used; the student chooses.
 */
export function recommendPathways(input: RecommendationInput): PathwayRecommendation[] {
  const pathways = input.competency.pathways;
  const scored = pathways.map((pathway, order) => {
    const mine = sum(input.course.filter((o) => o.pathwayId === pathway.id && o.band === input.band));
    const a = 1 + mine.passed;
    const b = 1 + (mine.chose - mine.passed);
    const expected = a / (a + b);
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    const raw = sampleBeta(a, b, input.rng);
    const sampled = expected + TEMPER * Math.min(2 * sd, Math.max(-2 * sd, raw - expected));
    const preference = preferenceRank(pathway.modalities, input.preferredModalities);
    const evidence = { ...mine, band: input.band };
    return { pathway, order, expected, sampled, preference, evidence, bandChose: mine.chose };
  });
  const explore = floorPick(scored.map((x) => x.bandChose));
  const bucket = (x: number) => Math.floor(x / TIE);
  scored.sort(
    (x, y) =>
      Number(y.order === explore) - Number(x.order === explore) ||
      bucket(y.sampled) - bucket(x.sampled) ||
      x.preference.rank - y.preference.rank ||
      y.sampled - x.sampled ||
      x.order - y.order,
  );
  const bestExpected = Math.max(...scored.map((s) => s.expected));
  return scored.map((s, i) => {
    const reasons: RecommendationReason[] = [];
    const e = s.evidence;
    if (e.chose === 0) reasons.push({ code: 'course_none' });
    else if (e.band !== null) reasons.push({ code: 'course_band', band: e.band, passed: e.passed, chose: e.chose });
    else reasons.push({ code: 'course', passed: e.passed, chose: e.chose });
    if (i === 0 && (s.order === explore || s.expected < bestExpected)) reasons.push({ code: 'exploring' });
    const next = scored[i + 1];
    if (s.preference.matched && next && bucket(next.sampled) === bucket(s.sampled) && s.preference.rank < next.preference.rank) {
      reasons.push({ code: 'preference', modality: s.preference.matched });
    }
    return { pathwayId: s.pathway.id, rank: i + 1, expected: s.expected, sampled: s.sampled, evidence: e, reasons };
  });
}

/** The pathway below its floor share of the band's first attempts (the least chosen), or -1. */
function floorPick(chose: readonly number[]): number {
  const total = chose.reduce((a, b) => a + b, 0);
  if (chose.length < 2 || total < 1 / FLOOR) return -1;
  const least = chose.indexOf(Math.min(...chose));
  return chose[least]! < FLOOR * total ? least : -1;
}

function sum(rows: readonly PathwayOutcome[]): { passed: number; chose: number } {
  let passed = 0;
  let chose = 0;
  for (const r of rows) {
    passed += r.passedFirst;
    chose += r.chose;
  }
  return { passed, chose };
}

function preferenceRank(modalities: readonly Modality[], preferred: readonly Modality[]): { rank: number; matched: Modality | null } {
  let best = -1;
  for (const m of modalities) {
    const rank = preferred.indexOf(m);
    if (rank >= 0 && (best < 0 || rank < best)) best = rank;
  }
  return best < 0 ? { rank: Number.MAX_SAFE_INTEGER, matched: null } : { rank: best, matched: preferred[best]! };
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Marsaglia & Tsang). */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const x = sampleGamma(a, rng);
  const y = sampleGamma(b, rng);
  return x + y > 0 ? x / (x + y) : 0.5;
}

function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
