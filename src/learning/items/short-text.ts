import type { ShortTextItem } from './item-schema.js';
import { pickFeedback, result, type ItemResult } from './item-result.js';
import { matchesTextPattern } from './text-pattern.js';

/** Longest answer we compare (patterns run in time linear in it, see text-pattern.ts). */
export const MAX_TEXT_ANSWER = 500;

/** Trims, collapses inner spaces, applies Unicode NFC and lower-cases. */
export function normalizeText(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Correct when the answer equals an accepted answer (case-insensitive) or fully matches a pattern. */
export function scoreShortText(item: ShortTextItem, answer: unknown): ItemResult {
  if (typeof answer !== 'string' || answer.trim() === '') return result(item.id, 0, false, pickFeedback(item.feedback, 0));
  const given = normalizeText(answer.slice(0, MAX_TEXT_ANSWER));
  const exact = item.accept.some((a) => normalizeText(a) === given);
  const pattern = !exact && item.patterns.some((p) => matchesTextPattern(p, given));
  const credit = exact || pattern ? 1 : 0;
  return result(item.id, credit, true, pickFeedback(item.feedback, credit));
}
