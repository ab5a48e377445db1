import { average } from '../mastery/average.js';
import { fitBkt } from '../mastery/bkt-fit.js';
import { bktPredictCorrect, bktStep } from '../mastery/bkt.js';
import { DEFAULT_BKT, type BktParams } from '../mastery/method-config.js';
import { fitUnitPfa, PFA_UNIT_MIN_ANSWERS } from '../mastery/pfa-unit-fit.js';
import { DEFAULT_PFA, PfaTracker } from '../mastery/pfa.js';
import type { AnswerSequence } from './sequences.js';

/** Predicts one student's answers in order: ask, then tell it what happened. */
export interface StudentPredictor {
  predict(skill: number): number;
  observe(skill: number, correct: boolean): void;
}

/** A model as the evaluation sees it: fitted on training students, then run on each test student. */
export interface CandidateModel {
  name: string;
  /** One line for the table: what the model is. */
  description: string;
  fit(train: readonly AnswerSequence[]): () => StudentPredictor;
}

/** Mean correctness per skill in the training data (the overall mean for unseen skills). */
function skillMeans(train: readonly AnswerSequence[]): (skill: number) => number {
  const right = new Map<number, number>();
  const all = new Map<number, number>();
  let r = 0;
  let n = 0;
  for (const s of train) {
    s.skills.forEach((k, t) => {
      all.set(k, (all.get(k) ?? 0) + 1);
      if (s.correct[t]) {
        right.set(k, (right.get(k) ?? 0) + 1);
        r++;
      }
      n++;
    });
  }
  const overall = n > 0 ? r / n : 0.5;
  // A few answers say little: smooth toward the overall mean with the weight of 5 answers.
  return (k) => ((right.get(k) ?? 0) + 5 * overall) / ((all.get(k) ?? 0) + 5);
}

/**
 * A Canvas method applied per skill to the student's earlier answers (each answer a score of 0 or
 * 1); before the first answer on a skill, the skill's mean.
 */
function scoreMethod(name: string, description: string, value: (scores: readonly number[]) => number | null): CandidateModel {
  return {
    name,
    description,
    fit(train) {
      const mean = skillMeans(train);
      return () => {
        const scores = new Map<number, number[]>();
        return {
          predict: (k) => {
            const v = value(scores.get(k) ?? []);
            return v === null ? mean(k) : v;
          },
          observe: (k, c) => {
            const list = scores.get(k) ?? [];
            list.push(c ? 1 : 0);
            scores.set(k, list);
          },
        };
      };
    },
  };
}

function bktModel(name: string, description: string, fitEvery: boolean): CandidateModel {
  return {
    name,
    description,
    fit(train) {
      const bySkill = new Map<number, boolean[][]>();
      for (const s of train) {
        const mine = new Map<number, boolean[]>();
        s.skills.forEach((k, t) => {
          const seq = mine.get(k) ?? [];
          seq.push(s.correct[t]!);
          mine.set(k, seq);
        });
        for (const [k, seq] of mine) bySkill.set(k, [...(bySkill.get(k) ?? []), seq]);
      }
      const params = new Map<number, BktParams>();
      for (const [k, seqs] of bySkill) {
        const fit = fitEvery ? fitBkt(seqs, { minStudents: 1, minResponsesPerStudent: 1 }) : fitBkt(seqs);
        if (fit.fitted) params.set(k, fit.params);
      }
      return () => {
        const known = new Map<number, number>();
        const p = (k: number) => params.get(k) ?? DEFAULT_BKT;
        return {
          predict: (k) => bktPredictCorrect(known.get(k) ?? p(k).pInit, p(k)),
          observe: (k, c) => known.set(k, bktStep(known.get(k) ?? p(k).pInit, c, p(k))),
        };
      };
    },
  };
}

/**
 * The default as a unit with enough history gets it: `fitUnitPfa`, the very function the product's
 * background refit calls, fitted on the training students (as one unit's history), pulled toward
 * the shared weights. Below PFA_UNIT_MIN_ANSWERS it returns no model and the shared weights apply.
 */
const pfaModel: CandidateModel = {
  name: 'pfa',
  description: `performance factors as a unit with ${PFA_UNIT_MIN_ANSWERS}+ answers gets it: weights fitted on its own history, pulled toward the shared ones (the default)`,
  fit(train) {
    const model = fitUnitPfa(train.map((s) => ({ skills: s.skills.map(String), correct: s.correct }))).model ?? DEFAULT_PFA;
    return () => {
      const tracker = new PfaTracker(model);
      return { predict: (k) => tracker.predict(String(k)), observe: (k, c) => tracker.observe(String(k), c) };
    };
  },
};

/**
 * The default as a unit with little history gets it (under PFA_UNIT_MIN_ANSWERS answers): the
 * shipped shared weights, with no per-competency adjustment and nothing fitted.
 */
const pfaSharedModel: CandidateModel = {
  name: 'pfa_shared',
  description: `performance factors as a unit with under ${PFA_UNIT_MIN_ANSWERS} answers gets it: the shipped shared weights (nothing fitted)`,
  fit() {
    return () => {
      const tracker = new PfaTracker(DEFAULT_PFA);
      return { predict: (k) => tracker.predict(String(k)), observe: (k, c) => tracker.observe(String(k), c) };
    };
  },
};

/** Every model the engine offers, the default first. */
export const CANDIDATE_MODELS: readonly CandidateModel[] = [
  pfaModel,
  pfaSharedModel,
  bktModel('bkt', 'knowledge tracing, fitted where 50 students × 15 answers allow (as the product fits it)', false),
  bktModel('bkt_all', 'knowledge tracing fitted on every skill', true),
  scoreMethod('decaying_average', 'Canvas decaying average, w = 0.65', (s) => decay(s, 0.65)),
  scoreMethod('average', 'Canvas average', average),
  scoreMethod('latest', 'Canvas most recent', (s) => (s.length ? s[s.length - 1]! : null)),
  scoreMethod('highest', 'Canvas highest', (s) => (s.length ? Math.max(...s) : null)),
  scoreMethod('skill_mean', 'mean correctness of the skill in the training data', () => null),
];

export const DEFAULT_MODEL = 'pfa';

function decay(scores: readonly number[], w: number): number | null {
  if (scores.length === 0) return null;
  let d = scores[0]!;
  for (let i = 1; i < scores.length; i++) d = (1 - w) * d + w * scores[i]!;
  return d;
}
