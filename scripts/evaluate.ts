/**
 * `npm run evaluate -- --train FILE --test FILE [--model NAME]`: measures how well each mastery
 * model predicts the next answer, on data in the 3-line knowledge-tracing format (docs/learning.md).
 * Prints AUC, RMSE, log loss and fit time per model, then `auc <value>` for the default model.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateModel } from '../src/learning/evaluation/evaluate.js';
import { CANDIDATE_MODELS, DEFAULT_MODEL } from '../src/learning/evaluation/models.js';
import { parseSequences } from '../src/learning/evaluation/sequences.js';

function main(): number {
  const { values } = parseArgs({ options: { train: { type: 'string' }, test: { type: 'string' }, model: { type: 'string' } } });
  if (!values.train || !values.test) {
    console.error('usage: npm run evaluate -- --train FILE --test FILE [--model NAME]');
    console.error(`models: ${CANDIDATE_MODELS.map((m) => m.name).join(', ')}`);
    return 2;
  }
  const models = values.model ? CANDIDATE_MODELS.filter((m) => m.name === values.model) : CANDIDATE_MODELS;
  if (models.length === 0) {
    console.error(`unknown model "${values.model}"; models: ${CANDIDATE_MODELS.map((m) => m.name).join(', ')}`);
    return 2;
  }
  const train = parseSequences(readFileSync(values.train, 'utf8'));
  const test = parseSequences(readFileSync(values.test, 'utf8'));
  const count = (s: typeof train) => s.reduce((n, x) => n + x.correct.length, 0);
  console.log(`train: ${train.length} students, ${count(train)} answers; test: ${test.length} students, ${count(test)} answers`);
  console.log('| model | AUC | AUC same-competency | RMSE | log loss | accuracy | fit time (wall / CPU) |');
  console.log('|---|---|---|---|---|---|---|');
  let defaultAuc: number | null = null;
  for (const model of models) {
    const r = evaluateModel(model, train, test);
    console.log(
      `| ${r.model} | ${r.auc.toFixed(4)} | ${r.sameCompetencyAuc.toFixed(4)} | ${r.rmse.toFixed(3)} | ${r.logLoss.toFixed(3)} | ${r.accuracy.toFixed(3)} | ${(r.fitMs / 1000).toFixed(2)} s / ${(r.fitCpuMs / 1000).toFixed(2)} s |`,
    );
    if (model.name === DEFAULT_MODEL || models.length === 1) defaultAuc = r.auc;
  }
  if (defaultAuc !== null) console.log(`auc ${defaultAuc.toFixed(4)}`);
  return 0;
}

process.exitCode = main();
