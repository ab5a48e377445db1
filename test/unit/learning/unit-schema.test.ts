import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import linear from '../../../src/learning/samples/linear-equations.json' with { type: 'json' };
import sources from '../../../src/learning/samples/evaluating-sources.json' with { type: 'json' };
import { unitJsonSchema } from '../../../src/learning/unit-json-schema.js';
import { exportUnit, parseUnit, parseUnitImport } from '../../../src/learning/unit-import.js';
import { isAppError } from '../../../src/shared/errors.js';
import { buildUnitInput } from './fixtures.js';

const published = JSON.parse(readFileSync(new URL('../../../docs/unit.schema.json', import.meta.url), 'utf8'));
// Formats (uri, uuid) are checked by Zod on import; the JSON Schema check covers structure.
const validate = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false }).compile(published);

describe('unit documents', () => {
  it('keeps docs/unit.schema.json in step with the Zod schema (regenerate with unitJsonSchema())', () => {
    expect(published).toEqual(unitJsonSchema());
  });

  it.each([
    ['linear-equations', linear],
    ['evaluating-sources', sources],
  ])('sample %s validates against Zod and the published JSON Schema, with 4–6 competencies', (_name, sample) => {
    const r = parseUnit(sample);
    expect(r.ok ? [] : r.problems).toEqual([]);
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...sample, competencies: [] })).toBe(false);
    if (!r.ok) return;
    expect(r.unit.competencies.length).toBeGreaterThanOrEqual(4);
    expect(r.unit.competencies.length).toBeLessThanOrEqual(6);
    for (const c of r.unit.competencies) {
      expect(c.pathways.length).toBeGreaterThanOrEqual(2);
      expect(c.check.items.length).toBeGreaterThanOrEqual(10);
    }
  });

  it('round-trips through export and import', () => {
    const r = parseUnit(buildUnitInput());
    if (!r.ok) throw new Error('fixture invalid');
    const again = parseUnit(JSON.parse(exportUnit(r.unit)));
    expect(again).toEqual(r);
  });

  it('reports every problem with its path, not just the first', () => {
    const input = buildUnitInput() as unknown as { competencies: Record<string, unknown>[]; title: string };
    input.title = '';
    input.competencies[1]!.prerequisites = ['nope'];
    (input.competencies[2]!.check as { itemsPerAttempt: number }).itemsPerAttempt = 9;
    const item = (input.competencies[0]!.check as { items: Record<string, unknown>[] }).items[2]!;
    item.correctOptionId = 'zz';
    const r = parseUnit(input);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'title',
        'competencies.1.prerequisites.0',
        'competencies.2.check.itemsPerAttempt',
        'competencies.0.check.items.2.correctOptionId',
      ]),
    );
  });

  it('refuses a prerequisite cycle and names it', () => {
    const input = buildUnitInput();
    input.competencies[0]!.prerequisites = ['c'];
    const r = parseUnit(input);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.problems.map((p) => p.message).join()).toMatch(/cycle: a → c → (b → )?a/);
  });

  it('refuses duplicate ids, bad patterns and bad method weights', () => {
    const input = buildUnitInput({ mastery: { method: 'decaying_average', weight: 0.3 } });
    input.competencies[1]!.id = 'a';
    input.competencies[2]!.check.items.push({ id: 'x', type: 'short_text', prompt: 'p', patterns: ['(unclosed'] });
    const r = parseUnit(input);
    const paths = r.ok ? [] : r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['mastery.weight', 'competencies.1.id', 'competencies.2.check.items.3.patterns.0']));
  });

  it('imports a bundle all-or-nothing with paths under units.N', () => {
    const bad = buildUnitInput({ key: 'bad key!' });
    try {
      parseUnitImport({ units: [buildUnitInput(), bad] });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('invalid_unit');
      expect((err as { details: { problems: { path: string }[] } }).details.problems[0]!.path).toBe('units.1.key');
    }
    expect(parseUnitImport({ units: [buildUnitInput(), buildUnitInput()] })).toHaveLength(2);
  });
});
