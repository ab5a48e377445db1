import type { BktParams } from './method-config.js';

/**
 * One Bayesian Knowledge Tracing step: condition P(L) on the observation, then allow learning
 * (and, if pForget > 0, forgetting):
 *   P(L|✓) = P(L)(1−S) / (P(L)(1−S) + (1−P(L))G)
 *   P(L|✗) = P(L)S / (P(L)S + (1−P(L))(1−G))
 *   P(L) ← P(L|obs)(1−F) + (1−P(L|obs))·T
 */
export function bktStep(pKnown: number, correct: boolean, p: BktParams): number {
  const known = correct ? pKnown * (1 - p.pSlip) : pKnown * p.pSlip;
  const unknown = correct ? (1 - pKnown) * p.pGuess : (1 - pKnown) * (1 - p.pGuess);
  const total = known + unknown;
  // Degenerate parameters (S = 0 and a wrong answer from certain knowledge) keep the prior.
  const posterior = total > 0 ? known / total : pKnown;
  return clamp01(posterior * (1 - p.pForget) + (1 - posterior) * p.pLearn);
}

/** P(L) after a sequence of observations, in order, starting from pInit. */
export function bktTrace(observations: readonly boolean[], p: BktParams): number {
  let pl = p.pInit;
  for (const o of observations) pl = bktStep(pl, o, p);
  return pl;
}

/** P(the next answer is correct) given P(L): used to check a fit's predictions. */
export function bktPredictCorrect(pKnown: number, p: BktParams): number {
  return pKnown * (1 - p.pSlip) + (1 - pKnown) * p.pGuess;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
