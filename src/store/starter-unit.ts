import { parseUnit } from '../learning/unit-import.js';
import type { UnitDocument } from '../learning/unit-schema.js';

/** A unit key from a title: lowercase ASCII letters, digits and dashes (the schema's local id rule). */
export function unitKeyFrom(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'new-unit';
}

/**
 * The document of a "new unit" made from the deep linking picker. The unit schema needs at least
 * one competency with a pathway and a check, so the new unit holds one placeholder of each,
 * plainly marked as such, for the teacher to replace in the editor.
 */
export function starterUnit(title: string, language?: string): UnitDocument {
  const doc = {
    schemaVersion: 1,
    key: unitKeyFrom(title),
    title: title.trim().slice(0, 200),
    description: '',
    ...(language ? { language } : {}),
    // The measured default (docs/learning.md): it predicts a class's next answers best.
    mastery: { method: 'pfa', masteryThreshold: 0.85, approachingThreshold: 0.65 },
    scoreMaximum: 100,
    competencies: [
      {
        id: 'competency-1',
        title: 'First competency (draft)',
        description: 'A placeholder: describe the skill this competency stands for.',
        prerequisites: [],
        pathways: [
          {
            id: 'pathway-1',
            title: 'First pathway (draft)',
            modalities: ['read'],
            level: 'core',
            estimatedMinutes: 15,
            resources: [{ type: 'text', title: 'To be written', body: 'Your teacher has not written this pathway yet.' }],
          },
        ],
        check: {
          itemsPerAttempt: 1,
          items: [
            {
              id: 'item-1',
              type: 'single_choice',
              prompt: 'Placeholder question: replace it with a real one.',
              options: [
                { id: 'a', text: 'Option A' },
                { id: 'b', text: 'Option B' },
              ],
              correctOptionId: 'a',
            },
          ],
        },
      },
    ],
  };
  const parsed = parseUnit(doc);
  // The template is fixed; a failure here is a programming error caught by the unit tests.
  if (!parsed.ok) throw new Error(`starter unit does not match the unit schema: ${parsed.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return parsed.unit;
}
