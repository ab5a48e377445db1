/** Canvas "most recent": the last score in submission order; null without scores. */
export function latest(scores: readonly number[]): number | null {
  return scores.length === 0 ? null : scores[scores.length - 1]!;
}
