import { z } from 'zod';
import { fitPfa, type SkillSequence } from './pfa-fit.js';
import { DEFAULT_PFA, PFA_SKILL_TERMS, PFA_TERMS, PFA_TERMS_ADDED, type PfaModel, type PfaTerm } from './pfa.js';

/**
 * Below this many answers in a unit (all courses together) the unit keeps the shared weights:
 * measured on the ASSISTments 2009 split, fits on fewer answers did not predict better than the
 * shared weights (docs/learning.md).
 */
export const PFA_UNIT_MIN_ANSWERS = 2000;
/** Ridge strength toward DEFAULT_PFA for the shared weights: the prior is worth a few thousand answers. */
export const PFA_UNIT_SHARED_PENALTY = 300;
/** Ridge strength toward 0 for each competency's difficulty and slopes (empirical-Bayes pooling). */
export const PFA_UNIT_SKILL_PENALTY = 20;
/** A fit reads at most the unit's latest this many answers: it stays within a few seconds of CPU. */
export const PFA_FIT_MAX_ANSWERS = 250_000;
/** A fitted unit is refitted once this many answers, and a quarter more than at its last fit, have arrived. */
export const PFA_REFIT_MIN_NEW_ANSWERS = 500;

export interface UnitPfaFit {
  /** Null: too little history, the unit uses the shared weights (DEFAULT_PFA). */
  model: PfaModel | null;
  /** Answers and student sequences the fit read. */
  answers: number;
  students: number;
}

/**
 * Fits a unit's estimator from its own answer history (one sequence per student and course), by
 * penalised maximum likelihood pulled toward the shared weights DEFAULT_PFA: a unit with little
 * history stays at them, one with much gets its own weights and each competency its own difficulty
 * and slopes. This is the fit the product stores and `npm run evaluate` measures.
 */
export function fitUnitPfa(sequences: readonly SkillSequence[], minAnswers = PFA_UNIT_MIN_ANSWERS): UnitPfaFit {
  const answers = sequences.reduce((n, s) => n + s.correct.length, 0);
  if (answers < minAnswers) return { model: null, answers, students: sequences.length };
  const fit = fitPfa(sequences, { prior: DEFAULT_PFA, sharedPenalty: PFA_UNIT_SHARED_PENALTY, skillPenalty: PFA_UNIT_SKILL_PENALTY });
  return { model: fit.model, answers, students: sequences.length };
}

/**
 * Whether a unit with `answers` answers now, fitted on `fittedAt` answers (null: never), is due a
 * fit. A model stored before the estimator had all of its current terms (`complete` false) is due
 * at once: until then it reads the missing ones at the shared weights (parseStoredPfaModel).
 */
export function pfaRefitDue(answers: number, fittedAt: number | null, complete = true): boolean {
  if (answers < PFA_UNIT_MIN_ANSWERS) return false;
  if (fittedAt === null || !complete) return true;
  return answers - fittedAt >= Math.max(PFA_REFIT_MIN_NEW_ANSWERS, fittedAt / 4);
}

const finite = z.number().finite();
/**
 * A stored model as read back from the database: anything else is ignored (the shared weights
 * apply). Weights of terms added since it was fitted may be missing (see parseStoredPfaModel).
 */
export const storedPfaModelSchema = z.object({
  weights: z.object(Object.fromEntries(PFA_TERMS.map((t) => [t, finite.optional()])) as Record<(typeof PFA_TERMS)[number], z.ZodOptional<typeof finite>>),
  skills: z.record(
    z.string(),
    z.object({
      easiness: finite,
      answers: z.number().int().nonnegative(),
      ...(Object.fromEntries(PFA_SKILL_TERMS.map((t) => [t, finite.optional()])) as Record<(typeof PFA_SKILL_TERMS)[number], z.ZodOptional<typeof finite>>),
    }),
  ),
});

/**
 * The weights every stored model must have: those of the estimator's first stored models. A model
 * without one of them is not one of ours and is ignored.
 */
const PFA_STORED_SINCE_FIRST: readonly PfaTerm[] = PFA_TERMS.filter((t) => !PFA_TERMS_ADDED.includes(t));

/**
 * The stored model when it is valid, else null. A model fitted before a term was added reads that
 * term at the shared weight and each competency's slope of it at 0 (no adjustment), which predicted
 * the ASSISTments 2009 test split better than leaving the term out (docs/learning.md), until the
 * housekeeping job refits it (pfaRefitDue).
 */
export function parseStoredPfaModel(json: unknown): PfaModel | null {
  const r = storedPfaModelSchema.safeParse(json);
  if (!r.success || PFA_STORED_SINCE_FIRST.some((t) => r.data.weights[t] === undefined)) return null;
  const weights = Object.fromEntries(PFA_TERMS.map((t) => [t, r.data.weights[t] ?? DEFAULT_PFA.weights[t]])) as PfaModel['weights'];
  const skills: PfaModel['skills'] = {};
  for (const [k, a] of Object.entries(r.data.skills)) skills[k] = { ...a, rightHere: a.rightHere ?? 0, wrongHere: a.wrongHere ?? 0 };
  return { weights, skills };
}
