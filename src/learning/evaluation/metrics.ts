/** Next-answer prediction quality: area under the ROC curve, root mean squared error, log loss. */
export interface PredictionScores {
  auc: number;
  rmse: number;
  logLoss: number;
  /** Share of answers on the right side of 0.5. */
  accuracy: number;
  count: number;
}

const EPS = 1e-6;

/**
 * Scores predicted probabilities against outcomes. AUC is the Mann–Whitney statistic with ties
 * counted half (NaN when one class is missing).
 */
export function scorePredictions(predicted: ArrayLike<number>, outcomes: ArrayLike<boolean>): PredictionScores {
  const n = predicted.length;
  let se = 0;
  let ll = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, predicted[i]!));
    const y = outcomes[i] ? 1 : 0;
    se += (p - y) ** 2;
    ll -= y ? Math.log(p) : Math.log(1 - p);
    if (p >= 0.5 === (y === 1)) right++;
  }
  return { auc: auc(predicted, outcomes), rmse: Math.sqrt(se / n), logLoss: ll / n, accuracy: right / n, count: n };
}

/** Area under the ROC curve by ranks; ties share their mean rank. */
export function auc(predicted: ArrayLike<number>, outcomes: ArrayLike<boolean>): number {
  const n = predicted.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => predicted[a]! - predicted[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && predicted[order[j + 1]!] === predicted[order[i]!]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (outcomes[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
