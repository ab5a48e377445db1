/** Canvas "highest": the best score so far; null without scores. */
export function highest(scores: readonly number[]): number | null {
  return scores.length === 0 ? null : Math.max(...scores);
}
