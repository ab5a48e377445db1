import { unitSchema, type UnitDocument, type UnitInput } from '../../../src/learning/unit-schema.js';
import type { Item } from '../../../src/learning/items/item-schema.js';
import { itemSchema } from '../../../src/learning/items/item-schema.js';

/** A small valid unit; override any top-level field. */
export function buildUnitInput(overrides: Partial<UnitInput> = {}): UnitInput {
  const check = (prefix: string) => ({
    itemsPerAttempt: 2,
    items: [
      { id: `${prefix}-1`, type: 'numeric' as const, prompt: '2 + 2?', answer: 4 },
      { id: `${prefix}-2`, type: 'short_text' as const, prompt: 'Capital of France?', accept: ['Paris'] },
      {
        id: `${prefix}-3`,
        type: 'single_choice' as const,
        prompt: 'Pick b',
        options: [
          { id: 'a', text: 'A' },
          { id: 'b', text: 'B' },
        ],
        correctOptionId: 'b',
      },
    ],
  });
  const pathway = (id: string, modalities: ('watch' | 'read' | 'practice' | 'build' | 'discuss')[]) => ({
    id,
    title: id,
    modalities,
    level: 'core' as const,
    estimatedMinutes: 10,
    resources: [{ type: 'text' as const, title: 'Notes', body: 'Read me.' }],
  });
  return {
    schemaVersion: 1,
    key: 'test-unit',
    title: 'Test unit',
    mastery: { method: 'decaying_average' },
    competencies: [
      { id: 'a', title: 'A', pathways: [pathway('a-watch', ['watch']), pathway('a-read', ['read'])], check: check('a') },
      { id: 'b', title: 'B', prerequisites: ['a'], pathways: [pathway('b-practice', ['practice'])], check: check('b') },
      { id: 'c', title: 'C', prerequisites: ['a', 'b'], pathways: [pathway('c-build', ['build'])], check: check('c') },
    ],
    ...overrides,
  };
}

export function buildUnit(overrides: Partial<UnitInput> = {}): UnitDocument {
  return unitSchema.parse(buildUnitInput(overrides));
}

export function item(input: unknown): Item {
  return itemSchema.parse(input);
}
