import type { Item } from './item-schema.js';
import type { ItemResult } from './item-result.js';
import { scoreSingleChoice } from './single-choice.js';
import { scoreMultipleSelect } from './multiple-select.js';
import { scoreNumeric } from './numeric.js';
import { scoreShortText } from './short-text.js';

export type { ItemResult } from './item-result.js';

/** Scores one answer against its item, whatever the item's type. */
export function scoreItem(item: Item, answer: unknown): ItemResult {
  switch (item.type) {
    case 'single_choice':
      return scoreSingleChoice(item, answer);
    case 'multiple_select':
      return scoreMultipleSelect(item, answer);
    case 'numeric':
      return scoreNumeric(item, answer);
    case 'short_text':
      return scoreShortText(item, answer);
  }
}

/** The answer key in a form fit to show after submission. */
export function correctAnswer(item: Item): string {
  switch (item.type) {
    case 'single_choice':
      return item.options.find((o) => o.id === item.correctOptionId)?.text ?? '';
    case 'multiple_select':
      return item.options
        .filter((o) => item.correctOptionIds.includes(o.id))
        .map((o) => o.text)
        .join('; ');
    case 'numeric':
      return `${item.answer}${item.tolerance > 0 ? ` ± ${item.tolerance}` : ''}${item.unitLabel ? ` ${item.unitLabel}` : ''}`;
    case 'short_text':
      return item.accept[0] ?? '';
  }
}
