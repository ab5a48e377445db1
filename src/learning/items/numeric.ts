import type { NumericItem } from './item-schema.js';
import { pickFeedback, result, type ItemResult } from './item-result.js';

/** Reads a number typed by a student: "3.5", "3,5" (decimal comma), " -2 ". Null when it is not one. */
export function parseNumber(answer: unknown): number | null {
  if (typeof answer === 'number') return Number.isFinite(answer) ? answer : null;
  if (typeof answer !== 'string') return null;
  let s = answer.trim().replace(/\s+/g, '');
  if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  return Number(s);
}

/** Correct when |answer − key| ≤ tolerance (with a hair of slack for binary floating point). */
export function scoreNumeric(item: NumericItem, answer: unknown): ItemResult {
  const value = parseNumber(answer);
  if (value === null) return result(item.id, 0, answer !== undefined && answer !== '', pickFeedback(item.feedback, 0));
  const credit = Math.abs(value - item.answer) <= item.tolerance + 1e-9 ? 1 : 0;
  return result(item.id, credit, true, pickFeedback(item.feedback, credit));
}
