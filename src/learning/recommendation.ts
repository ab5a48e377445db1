import type { Rng } from './random.js';
import { kindRate, kindRates, kindTransfer, ownLift, ownRecord, type KindOutcome, type OwnFirstAttempt } from './pathway-kinds.js';
import type { Competency, Modality } from './unit-schema.js';

export type { KindOutcome, OwnFirstAttempt } from './pathway-kinds.js';

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
  /** First attempts on this competency, per pathway and band. */
  course: readonly PathwayOutcome[];
  /** First attempts on the unit's competencies by pathway kind (rows of this competency are skipped for the prior). */
  unit?: readonly KindOutcome[];
  /** The student's own first attempts on the unit's other competencies. */
  own?: readonly OwnFirstAttempt[];
  /**
   * How many competencies the class's rate counts for against the student's own results (ownWeight:
   * from how much the class's students differ by kind); absent or Infinity: own results unused.
   */
  ownWeight?: number;
  /** Draws for Thompson sampling; seeded in tests and the simulation. */
  rng: Rng;
}

/** Why a pathway is where it is: numbers the ranking used, rendered by the i18n catalog (`reason.*`). */
export type RecommendationReason =
  | { code: 'course_band'; band: MasteryBand; passed: number; chose: number }
  | { code: 'course'; passed: number; chose: number }
  | { code: 'course_none' }
  | { code: 'unit_band'; band: MasteryBand; modalities: readonly Modality[]; passed: number; chose: number; weight: number }
  | { code: 'own'; modalities: readonly Modality[]; passed: number; tried: number; expected: number; weight: number }
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
  /** The class's first attempts on the unit's other competencies with a pathway of the same kind, in the band: the prior. */
  kind: { passed: number; chose: number };
  /** The student's own first attempts after a pathway of the same kind, and what the class passed in their place (expected). */
  own: { passed: number; tried: number; expected: number };
  /** How far the student's own results move the chance: (passed − expected) / (tried + ownWeight). */
  lift: number;
  reasons: RecommendationReason[];
}

/**
 * Each pathway's floor: its share of the evidence in the band — its first attempts there plus the
 * classmates its kind's results on the unit's other competencies count for (kindPriorWeight) —
 * once the band has 1 / FLOOR of that evidence.
 */
export const FLOOR = 0.03;
/** Draws within this distance count as a tie, which the student's stated preference breaks. */
export const TIE = 0.02;
/**
 * How far a draw may move from the posterior mean, as a share of the Thompson draw's own distance
 * (tempered Thompson sampling): exploration falls as the posteriors narrow and separate.
 */
export const TEMPER = 0.5;
/**
 * The most the unit's other competencies count for, in classmates, in a pathway's prior (the
 * class's first-try pass rate after pathways of the same kind, in the band), when kinds fare alike
 * across the unit's competencies (kindTransfer 1); KIND_WEIGHT × kindTransfer otherwise.
 */
export const KIND_WEIGHT = 10;
/** Laplace (Beta(1, 1)) smoothing, so 1 of 1 counts for less than 40 of 50. */
export function smoothedRate(successes: number, trials: number): number {
  return (successes + 1) / (trials + 2);
}

/**
 * A contextual bandit over a competency's pathways (Thompson sampling): for the student's band,
 * each pathway's chance of a first-try pass has a Beta posterior — the band's own first attempts on
 * a prior from the band's first attempts after pathways of the same kind on the unit's other
 * competencies (pathwayPosterior; pooling toward the other bands' rates measured worse in the
 * simulation: what suits one band may not suit another). The student's own earlier first attempts
 * by kind move it by their lift over the class (ownLift). One tempered draw per pathway ranks
 * them: mean + TEMPER × (draw − mean), within mean ± 2·TEMPER sd (bounded exploration). Once the
 * band's evidence (first attempts, and what the other competencies count for) reaches 1 / FLOOR, a
 * pathway with less than FLOOR of it goes first, so no posterior is starved of evidence.
 * Stated preference only breaks ties (within TIE). No demographic data is used; the student chooses.
 */
export function recommendPathways(input: RecommendationInput): PathwayRecommendation[] {
  const pathways = input.competency.pathways;
  const others = (input.unit ?? []).filter((o) => o.competencyId !== input.competency.id);
  const own = (input.own ?? []).filter((o) => o.competencyId !== input.competency.id);
  const rates = kindRates(input.unit ?? []);
  const weight = input.ownWeight ?? Number.POSITIVE_INFINITY;
  const transfer = kindTransfer(input.unit ?? []);
  const scored = pathways.map((pathway, order) => {
    const mine = sum(input.course.filter((o) => o.pathwayId === pathway.id && o.band === input.band));
    const kind = kindRate(others, input.band, pathway.modalities);
    const posterior = pathwayPosterior(mine, kind, transfer);
    const a = posterior.a;
    const b = posterior.b;
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    const mean = a / (a + b);
    const raw = sampleBeta(a, b, input.rng);
    const draw = mean + TEMPER * Math.min(2 * sd, Math.max(-2 * sd, raw - mean));
    const history = ownRecord(own, rates, pathway.modalities);
    const lift = ownLift(history, weight);
    const expected = clamp(mean + lift);
    const sampled = clamp(draw + lift);
    const preference = preferenceRank(pathway.modalities, input.preferredModalities);
    const evidence = { ...mine, band: input.band };
    return { pathway, order, expected, sampled, preference, evidence, kind, history, lift, bandChose: mine.chose };
  });
  // The floor counts the evidence each posterior rests on: the band's first attempts on the
  // pathway and the classmates its kind's results on the other competencies count for.
  const explore = floorPick(scored.map((x) => x.bandChose + kindPriorWeight(x.kind.chose, transfer)));
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
    const kinds = [...s.pathway.modalities];
    const kindWeight = kindPriorWeight(s.kind.chose, transfer);
    if (kindWeight > 0) reasons.push({ code: 'unit_band', band: input.band, modalities: kinds, ...s.kind, weight: kindWeight });
    if (s.history.tried > 0 && Number.isFinite(weight)) reasons.push({ code: 'own', modalities: kinds, ...s.history, weight });
    if (i === 0 && (s.order === explore || s.expected < bestExpected)) reasons.push({ code: 'exploring' });
    const next = scored[i + 1];
    if (s.preference.matched && next && bucket(next.sampled) === bucket(s.sampled) && s.preference.rank < next.preference.rank) {
      reasons.push({ code: 'preference', modality: s.preference.matched });
    }
    return {
      pathwayId: s.pathway.id,
      rank: i + 1,
      expected: s.expected,
      sampled: s.sampled,
      evidence: e,
      kind: s.kind,
      own: s.history,
      lift: s.lift,
      reasons,
    };
  });
}

/**
 * The Beta posterior of a pathway's first-try pass chance in a band (hierarchical): a uniform
 * Beta(1, 1), plus the class's rate after pathways of the same kind on the unit's other
 * competencies worth kindPriorWeight classmates, plus this pathway's own first attempts.
 */
export function pathwayPosterior(mine: { passed: number; chose: number }, kind: { passed: number; chose: number }, transfer: number): { a: number; b: number } {
  const weight = kindPriorWeight(kind.chose, transfer);
  const rate = kind.chose > 0 ? kind.passed / kind.chose : 0.5;
  return { a: 1 + weight * rate + mine.passed, b: 1 + weight * (1 - rate) + (mine.chose - mine.passed) };
}

/** What the unit's other competencies count for in a pathway's prior, in classmates: KIND_WEIGHT × transfer, at most their count. */
export function kindPriorWeight(chose: number, transfer: number): number {
  return Math.min(KIND_WEIGHT * transfer, chose);
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** The pathway below its floor share of the band's evidence (the least), or -1. */
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
