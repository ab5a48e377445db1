/**
 * Performance factors analysis with recency (a logistic knowledge-tracing model in the spirit of
 * Pavlik, Cen & Koedinger 2009 and Pavlik & Eglington's LKT): the log-odds that a student answers
 * the next item of a competency right is a sum of terms a teacher can read —
 *   the competency's difficulty (pooled toward the average: empirical Bayes through a ridge prior),
 *   the student's right and wrong answers on it (log counts, so the first ones weigh most),
 *   how the recent ones went (a weighted average, the last answer, wrong answers in a row),
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
] as const;
export type PfaTerm = (typeof PFA_TERMS)[number];
const D = PFA_TERMS.length;

/**
 * The terms on the student's own answers on the competency, whose weights each competency can
 * adjust: on some competencies a right answer teaches more, or a recent slip says more, than on others.
 */
export const PFA_SKILL_TERMS = ['rightHere', 'wrongHere', 'recentHere', 'lastHere', 'wrongStreak', 'firstHere'] as const satisfies readonly PfaTerm[];
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
    rightHere: 0.36,
    wrongHere: -0.42,
    recentHere: -0.26,
    lastHere: -0.33,
    wrongStreak: -0.59,
    firstHere: -0.91,
    ability: 0.3,
    recentAnywhere: 0.99,
    lastElsewhere: 0.65,
    continuing: 0.29,
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
    return out;
  }

  /** P(the next answer on `skill` is right). */
  predict(skill: string): number {
    const x = this.features(skill, this.x);
    let z = 0;
    for (let j = 0; j < D; j++) z += this.weights[j]! * x[j]!;
    const adj = this.model.skills[skill];
    if (adj) z += skillAdjustment(adj, x);
    return sigmoid(z);
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
    const w = PFA_RECENCY;
    let s = this.skills.get(skill);
    for (const correct of answers) {
      const y = correct ? 1 : 0;
      if (s) {
        s.recent = (1 - w) * s.recent + w * y;
        s.last = correct ? 1 : -1;
        s.wrongRun = correct ? 0 : s.wrongRun + 1;
        if (correct) s.right++;
        else s.wrong++;
      } else {
        s = { right: y, wrong: 1 - y, recent: y, last: correct ? 1 : -1, wrongRun: 1 - y };
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

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
