import { performance } from 'node:perf_hooks';
import { scorePredictions, type PredictionScores } from './metrics.js';
import type { CandidateModel } from './models.js';
import type { AnswerSequence } from './sequences.js';

export interface ModelEvaluation extends PredictionScores {
  model: string;
  fitMs: number;
  /** CPU time of the fit: on a busy machine wall time mostly measures the queue. */
  fitCpuMs: number;
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
  let i = 0;
  for (const s of test) {
    const student = start();
    s.skills.forEach((k, t) => {
      predicted[i] = student.predict(k);
      outcomes[i] = s.correct[t]!;
      student.observe(k, s.correct[t]!);
      i++;
    });
  }
  return { model: model.name, fitMs, fitCpuMs, ...scorePredictions(predicted, outcomes) };
}
