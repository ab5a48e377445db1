import { average } from './average.js';

export interface NMasteryResult {
  /** Mean of the scores at or above the threshold; null until there are n of them. */
  estimate: number | null;
  qualifying: number;
}

/** Canvas "n number of times": mastery must be met n times; the result is the mean of those scores. */
export function nMastery(scores: readonly number[], n: number, threshold: number): NMasteryResult {
  const met = scores.filter((s) => s >= threshold - 1e-9);
  return { estimate: met.length >= n ? average(met) : null, qualifying: met.length };
}
