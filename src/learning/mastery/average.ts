/** Canvas "average": the mean of all scores; null without scores. */
export function average(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  let sum = 0;
  for (const s of scores) sum += s;
  return sum / scores.length;
}
