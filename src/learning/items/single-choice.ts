import type { SingleChoiceItem } from './item-schema.js';
import { pickFeedback, result, type ItemResult } from './item-result.js';

/** Full credit when the chosen option is the correct one; the option's own feedback wins. */
export function scoreSingleChoice(item: SingleChoiceItem, answer: unknown): ItemResult {
  if (typeof answer !== 'string' || answer === '') return result(item.id, 0, false, pickFeedback(item.feedback, 0));
  const credit = answer === item.correctOptionId ? 1 : 0;
  const chosen = item.options.find((o) => o.id === answer);
  return result(item.id, credit, true, chosen?.feedback ?? pickFeedback(item.feedback, credit));
}
