/**
 * Performance factors analysis with recency (a logistic knowledge-tracing model in the spirit of
 * Pavlik, Cen & Koedinger 2009 and Pavlik & Eglington's LKT): the log-odds that a student answers
 * the next item of a competency right is a sum of terms a teacher can read —
 *   the competency's difficulty (pooled toward the average: empirical Bayes through a ridge prior),
 *   the student's right and wrong answers on it (log counts, so the first ones weigh most),
 *   how the recent ones went (a weighted average, the last answer, wrong answers in a row, and
 *   right or wrong answers in a row as states: 2, or 3 or more),
 *   and how the student is doing across the unit (overall right/wrong log-odds, recent answers).
 */

/** The model's terms, in the order of PfaModel.weights. */
export const PFA_TERMS = [
  'bias',
  'rightHere',
  'wrongHere',
  'recentHere',
  'lastHere',
  'wrongStreak',
  'firstHere',
  'ability',
  'recentAnywhere',
  'lastElsewhere',
  'continuing',
  /** 1 when exactly the last 2 answers here were right (the last one alone is lastHere). */
  'rightRun2',
  /** 1 when the last 3 or more answers here were right. */
  'rightRun3',
  /** The same for wrong answers in a row, beside the log of their number (wrongStreak). */
  'wrongRun2',
  'wrongRun3',
] as const;
export type PfaTerm = (typeof PFA_TERMS)[number];
/**
 * Terms added after units began storing their own fitted weights: a model stored before lacks them
 * (it reads them at the shared weights until it is refitted).
 */
export const PFA_TERMS_ADDED: readonly PfaTerm[] = ['rightRun2', 'rightRun3', 'wrongRun2', 'wrongRun3'];
const D = PFA_TERMS.length;

/**
 * The terms on the student's own answers on the competency, whose weights each competency can
 * adjust: on some competencies a right answer teaches more, or a recent slip says more, than on others.
 */
export const PFA_SKILL_TERMS = [
  'rightHere',
  'wrongHere',
  'recentHere',
  'lastHere',
  'wrongStreak',
  'firstHere',
  'rightRun2',
  'rightRun3',
  'wrongRun2',
  'wrongRun3',
] as const satisfies readonly PfaTerm[];
export type PfaSkillTerm = (typeof PFA_SKILL_TERMS)[number];
/** Where each of PFA_SKILL_TERMS sits in PFA_TERMS. */
export const PFA_SKILL_TERM_INDEX: readonly number[] = PFA_SKILL_TERMS.map((t) => PFA_TERMS.indexOf(t));

/**
 * Per-competency adjustments to the shared weights: difficulty and the slopes of the terms on the
 * student's answers here (the counts, and — optional, 0 when absent — the recency terms).
 */
export interface PfaSkillAdjustment {
  /** Added to the bias (positive = easier). */
  easiness: number;
  rightHere: number;
  wrongHere: number;
  recentHere?: number;
  lastHere?: number;
  wrongStreak?: number;
  firstHere?: number;
  rightRun2?: number;
  rightRun3?: number;
  wrongRun2?: number;
  wrongRun3?: number;
  /** Answers this competency's adjustment rests on. */
  answers: number;
}

/** easiness + the competency's slopes × their terms in x. */
function skillAdjustment(adj: PfaSkillAdjustment, x: ArrayLike<number>): number {
  let z = adj.easiness;
  for (let i = 0; i < PFA_SKILL_TERMS.length; i++) z += (adj[PFA_SKILL_TERMS[i]!] ?? 0) * x[PFA_SKILL_TERM_INDEX[i]!]!;
  return z;
}

export interface PfaModel {
  weights: Record<PfaTerm, number>;
  skills: Record<string, PfaSkillAdjustment>;
}

/**
 * The student's current run of right (or wrong) answers on a competency, and how much it moved the
 * estimate: the estimate minus what it would be were the run only the last answer (its state terms
 * and, for wrong answers, the log of their number, each with the competency's own slopes).
 */
export interface PfaStreak {
  right: boolean;
  /** Answers in the run (2 or more). */
  count: number;
  shift: number;
}

/** Weight of the newest answer in the recency averages. */
export const PFA_RECENCY = 0.7;

/**
 * Shared weights fitted on the ASSISTments 2009 skill-builder training split (docs/learning.md)
 * without any per-competency adjustment, as a class's competencies come with none: rounded, the
 * prior every class starts from and is pulled toward.
 */
export const DEFAULT_PFA: PfaModel = {
  weights: {
    bias: 0.51,
    rightHere: 0.38,
    wrongHere: -0.43,
    recentHere: 0.1,
    lastHere: -0.41,
    wrongStreak: -0.56,
    firstHere: -0.91,
    ability: 0.29,
    recentAnywhere: 1.03,
    lastElsewhere: 0.63,
    continuing: 0.29,
    rightRun2: 0,
    rightRun3: -0.23,
    wrongRun2: 0.13,
    wrongRun3: 0.04,
  },
  skills: {},
};

interface SkillState {
  right: number;
  wrong: number;
  recent: number;
  last: number;
  /** Wrong answers in a row, up to the last one. */
  wrongRun: number;
  /** Right answers in a row, up to the last one. */
  rightRun: number;
  /**
   * Log-odds added by the guard: an attempt all right never lowers the estimate here and one all
   * wrong never raises it (a unit's fitted slopes can make a 3rd right answer in a row read lower);
   * set by the last attempt here only, 0 after any other.
   */
  guard: number;
}

/** Follows one student's answers, in order, and predicts the next one on any competency. */
export class PfaTracker {
  private readonly skills = new Map<string, SkillState>();
  private right = 0;
  private wrong = 0;
  private recent = 0.5;
  private last = 0;
  private lastSkill: string | null = null;
  /** The shared weights in PFA_TERMS order and a terms buffer: predict() allocates nothing (a class recompute calls it 15,000 times). */
  private readonly weights: Float64Array;
  private readonly x = new Float64Array(D);

  constructor(private readonly model: PfaModel) {
    this.weights = Float64Array.from(PFA_TERMS, (t) => model.weights[t]);
  }

  /** The terms for the next answer on `skill`, in PFA_TERMS order (bias = 1). */
  features(skill: string, out: Float64Array = new Float64Array(D)): Float64Array {
    const s = this.skills.get(skill);
    const elsewhere = this.lastSkill !== null && this.lastSkill !== skill;
    out[0] = 1;
    out[1] = Math.log1p(s?.right ?? 0);
    out[2] = Math.log1p(s?.wrong ?? 0);
    out[3] = s ? s.recent - 0.5 : 0;
    out[4] = s ? s.last : 0;
    out[5] = s ? Math.log1p(s.wrongRun) : 0;
    out[6] = s ? 0 : 1;
    out[7] = Math.log((this.right + 1) / (this.wrong + 1));
    out[8] = this.right + this.wrong > 0 ? this.recent - 0.5 : 0;
    out[9] = elsewhere ? this.last : 0;
    out[10] = this.lastSkill === skill ? 1 : 0;
    out[11] = s && s.rightRun === 2 ? 1 : 0;
    out[12] = s && s.rightRun >= 3 ? 1 : 0;
    out[13] = s && s.wrongRun === 2 ? 1 : 0;
    out[14] = s && s.wrongRun >= 3 ? 1 : 0;
    return out;
  }

  /** P(the next answer on `skill` is right). */
  predict(skill: string): number {
    const x = this.features(skill, this.x);
    let z = 0;
    for (let j = 0; j < D; j++) z += this.weights[j]! * x[j]!;
    const adj = this.model.skills[skill];
    if (adj) z += skillAdjustment(adj, x);
    return sigmoid(z + (this.skills.get(skill)?.guard ?? 0));
  }

  /**
   * The run of right or wrong answers the student is on here, when it is 2 or more long; else null.
   * `estimate` is predict(skill), when the caller has it.
   */
  streak(skill: string, estimate: number = this.predict(skill)): PfaStreak | null {
    const s = this.skills.get(skill);
    const count = s ? Math.max(s.rightRun, s.wrongRun) : 0;
    if (!s || count < 2) return null;
    const adj = this.model.skills[skill];
    const slope = (j: number) => this.weights[j]! + (adj?.[PFA_TERMS[j] as PfaSkillTerm] ?? 0);
    const right = s.rightRun >= 2;
    // Against a run of one: no state term and, for wrong answers, log(1 + 1) of them in a row.
    const moved = right ? slope(count >= 3 ? 12 : 11) : slope(count >= 3 ? 14 : 13) + slope(5) * (Math.log1p(count) - Math.LN2);
    const z = Math.log(estimate / (1 - estimate));
    return { right, count, shift: estimate - sigmoid(z - moved) };
  }

  /** Counts of this student's answers on `skill` so far. */
  counts(skill: string): { right: number; wrong: number; totalRight: number; totalWrong: number } {
    const s = this.skills.get(skill);
    return { right: s?.right ?? 0, wrong: s?.wrong ?? 0, totalRight: this.right, totalWrong: this.wrong };
  }

  observe(skill: string, correct: boolean): void {
    this.observeAll(skill, [correct]);
  }

  /** Several answers in a row on one competency (one attempt), in the order shown. */
  observeAll(skill: string, answers: readonly boolean[]): void {
    if (answers.length === 0) return;
    const allRight = answers.every(Boolean);
    const allWrong = !answers.some(Boolean);
    const before = allRight || allWrong ? this.predict(skill) : 0;
    this.observeAnswers(skill, answers);
    // The guard holds for this step only: it is replaced at the next attempt here, never added up.
    const s = this.skills.get(skill)!;
    s.guard = 0;
    if (!allRight && !allWrong) return;
    const after = this.predict(skill);
    if (allRight ? after < before : after > before) s.guard = logOdds(before) - logOdds(after);
  }

  private observeAnswers(skill: string, answers: readonly boolean[]): void {
    const w = PFA_RECENCY;
    let s = this.skills.get(skill);
    for (const correct of answers) {
      const y = correct ? 1 : 0;
      if (s) {
        s.recent = (1 - w) * s.recent + w * y;
        s.last = correct ? 1 : -1;
        s.wrongRun = correct ? 0 : s.wrongRun + 1;
        s.rightRun = correct ? s.rightRun + 1 : 0;
        if (correct) s.right++;
        else s.wrong++;
      } else {
        s = { right: y, wrong: 1 - y, recent: y, last: correct ? 1 : -1, wrongRun: 1 - y, rightRun: y, guard: 0 };
        this.skills.set(skill, s);
      }
      this.recent = this.right + this.wrong === 0 ? y : (1 - w) * this.recent + w * y;
      this.last = correct ? 1 : -1;
      this.lastSkill = skill;
      if (correct) this.right++;
      else this.wrong++;
    }
  }
}

/** The log-odds of a right answer on `skill` from its terms x. */
export function logit(model: PfaModel, skill: string, x: ArrayLike<number>): number {
  const w = model.weights;
  const adj = model.skills[skill];
  let z = 0;
  for (let j = 0; j < D; j++) z += w[PFA_TERMS[j]!] * x[j]!;
  if (adj) z += skillAdjustment(adj, x);
  return z;
}

function logOdds(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
