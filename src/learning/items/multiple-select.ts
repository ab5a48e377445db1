import type { MultipleSelectItem } from './item-schema.js';
import { pickFeedback, result, type ItemResult } from './item-result.js';

/**
 * Partial credit: each correct option chosen earns 1/k (k = number of correct options), each
 * wrong option chosen takes 1/k away, never below zero — so choosing everything earns nothing.
 */
export function scoreMultipleSelect(item: MultipleSelectItem, answer: unknown): ItemResult {
  if (!Array.isArray(answer) || answer.length === 0) return result(item.id, 0, false, pickFeedback(item.feedback, 0));
  const chosen = new Set(answer.filter((a): a is string => typeof a === 'string'));
  const correct = new Set(item.correctOptionIds);
  const options = new Set(item.options.map((o) => o.id));
  let hits = 0;
  let misses = 0;
  for (const id of chosen) {
    if (!options.has(id)) continue;
    if (correct.has(id)) hits++;
    else misses++;
  }
  const credit = Math.max(0, (hits - misses) / correct.size);
  return result(item.id, credit, true, pickFeedback(item.feedback, credit));
}
