/**
 * Canvas's decaying average: d₁ = s₁, dₖ = (1 − w)·dₖ₋₁ + w·sₖ, scores in submission order.
 * w (0.50–0.99, default 0.65) is the weight of the newest score. Null when there are none.
 */
export function decayingAverage(scores: readonly number[], weight = 0.65): number | null {
  if (scores.length === 0) return null;
  let d = scores[0]!;
  for (let k = 1; k < scores.length; k++) d = (1 - weight) * d + weight * scores[k]!;
  return d;
}
