import { correctAnswer } from '../../../learning/items/score-item.js';
import type { Item } from '../../../learning/items/item-schema.js';
import type { Pathway, Resource } from '../../../learning/unit-schema.js';

/** A resource as the competency page shows it: practice sets show prompts, answers behind a disclosure. */
export function resourceView(r: Resource, index: number, done: boolean) {
  const base = { index, title: r.title, done, typeKey: `student.resource.${r.type}` };
  switch (r.type) {
    case 'link':
      return { ...base, url: r.url };
    case 'video':
      return { ...base, url: r.url, captionsUrl: r.captionsUrl ?? null };
    case 'text':
      return {
        ...base,
        paragraphs: r.body
          .split(/\n{2,}/)
          .map((p) => p.trim())
          .filter(Boolean),
      };
    case 'practice':
      return { ...base, practice: r.items.map((item, i) => ({ n: i + 1, prompt: item.prompt, options: optionTexts(item), answer: correctAnswer(item) })) };
  }
}

function optionTexts(item: Item): string[] {
  return item.type === 'single_choice' || item.type === 'multiple_select' ? item.options.map((o) => o.text) : [];
}

/** Modalities and level of a pathway as catalog keys. */
export function pathwayFacts(p: Pick<Pathway, 'modalities' | 'level' | 'estimatedMinutes'>) {
  return {
    modalityKeys: p.modalities.map((m) => `student.modality.${m}`),
    levelKey: `student.pathwayLevel.${p.level}`,
    minutes: p.estimatedMinutes,
  };
}

/** What a student typed or chose, in words (option ids become their texts). */
export function answerText(item: Item, answer: unknown): string {
  if (answer === null || answer === undefined || answer === '') return '';
  if (item.type === 'single_choice') return item.options.find((o) => o.id === answer)?.text ?? '';
  if (item.type === 'multiple_select') {
    const ids = Array.isArray(answer) ? answer : [answer];
    return item.options
      .filter((o) => ids.includes(o.id))
      .map((o) => o.text)
      .join('; ');
  }
  return String(answer);
}
