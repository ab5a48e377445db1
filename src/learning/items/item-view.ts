import type { Item } from './item-schema.js';

/**
 * What the browser may see of an item before the attempt is submitted: the prompt and the
 * choices, never the key, the tolerance, the accepted answers or the feedback.
 */
export type ItemView =
  | { id: string; type: 'single_choice' | 'multiple_select'; prompt: string; points: number; options: { id: string; text: string }[] }
  | { id: string; type: 'numeric'; prompt: string; points: number; unitLabel: string | null }
  | { id: string; type: 'short_text'; prompt: string; points: number };

/** Builds the answer-free view of an item (an allow-list, so new key fields never leak). */
export function toItemView(item: Item): ItemView {
  switch (item.type) {
    case 'single_choice':
    case 'multiple_select':
      return {
        id: item.id,
        type: item.type,
        prompt: item.prompt,
        points: item.points,
        options: item.options.map((o) => ({ id: o.id, text: o.text })),
      };
    case 'numeric':
      return { id: item.id, type: 'numeric', prompt: item.prompt, points: item.points, unitLabel: item.unitLabel ?? null };
    case 'short_text':
      return { id: item.id, type: 'short_text', prompt: item.prompt, points: item.points };
  }
}
