import { performance } from 'node:perf_hooks';
import { auc, scorePredictions, type PredictionScores } from './metrics.js';
import type { CandidateModel } from './models.js';
import type { AnswerSequence } from './sequences.js';

export interface ModelEvaluation extends PredictionScores {
  model: string;
  fitMs: number;
  /** CPU time of the fit: on a busy machine wall time mostly measures the queue. */
  fitCpuMs: number;
  /**
   * AUC on the test answers that continue on the same competency as the answer before: in data that
   * logs one multi-skill item once per skill, one after another, no copy of an item can precede
   * such an answer, so a gain here is not the copies' (docs/learning.md, the same-competency check).
   */
  sameCompetencyAuc: number;
  sameCompetencyCount: number;
}

/**
 * Fits the model on the training students, then predicts every test answer from the same
 * student's earlier answers only (next-answer prediction, as in the knowledge-tracing literature).
 */
export function evaluateModel(model: CandidateModel, train: readonly AnswerSequence[], test: readonly AnswerSequence[]): ModelEvaluation {
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const start = model.fit(train);
  const used = process.cpuUsage(cpu);
  const fitMs = performance.now() - t0;
  const fitCpuMs = (used.user + used.system) / 1000;
  const total = test.reduce((n, s) => n + s.correct.length, 0);
  const predicted = new Float64Array(total);
  const outcomes = new Array<boolean>(total);
  const same: number[] = [];
  let i = 0;
  for (const s of test) {
    const student = start();
    s.skills.forEach((k, t) => {
      predicted[i] = student.predict(k);
      outcomes[i] = s.correct[t]!;
      if (t > 0 && s.skills[t - 1] === k) same.push(i);
      student.observe(k, s.correct[t]!);
      i++;
    });
  }
  const sameCompetencyAuc = auc(
    same.map((j) => predicted[j]!),
    same.map((j) => outcomes[j]!),
  );
  return { model: model.name, fitMs, fitCpuMs, ...scorePredictions(predicted, outcomes), sameCompetencyAuc, sameCompetencyCount: same.length };
}
