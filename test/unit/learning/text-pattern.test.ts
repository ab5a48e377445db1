import { describe, expect, it } from 'vitest';
import { itemSchema } from '../../../src/learning/items/item-schema.js';
import { scoreShortText } from '../../../src/learning/items/short-text.js';
import { compileTextPattern, matchesTextPattern } from '../../../src/learning/items/text-pattern.js';
import { parseUnit } from '../../../src/learning/unit-import.js';
import linearEquations from '../../../src/learning/samples/linear-equations.json' with { type: 'json' };
import evaluatingSources from '../../../src/learning/samples/evaluating-sources.json' with { type: 'json' };

const shortText = (patterns: string[]) => itemSchema.safeParse({ id: 't', type: 'short_text', prompt: 'p', patterns });

describe('short-text patterns run in linear time', () => {
  it('(a+)+b against 5,000 × "a" answers in milliseconds (a backtracking engine takes longer than a lifetime)', () => {
    const answer = 'a'.repeat(5000);
    const hostile = ['(a+)+b', '(a|aa)*c', '(.*a){20}x'];
    for (const p of hostile) expect(compileTextPattern(p).ok).toBe(true); // compiled once, then cached
    const started = performance.now();
    for (const p of hostile) expect(matchesTextPattern(p, answer)).toBe(false);
    // Linear time: well under a second even on a busy machine; a backtracking engine would not finish.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('scores through the linear engine: whole answer, case-insensitive, Unicode', () => {
    const item = itemSchema.parse({ id: 't', type: 'short_text', prompt: 'p', patterns: ['ma?drid( city)?', '\\d+\\s*cm', 'caf[eé]'] });
    if (item.type !== 'short_text') throw new Error('not short text');
    expect(scoreShortText(item, ' MADRID City ').correct).toBe(true);
    expect(scoreShortText(item, 'mdrid').correct).toBe(true);
    expect(scoreShortText(item, '12 cm').correct).toBe(true);
    expect(scoreShortText(item, 'CAFÉ').correct).toBe(true);
    expect(scoreShortText(item, 'madrid is nice').correct).toBe(false);
    expect(scoreShortText(item, 'a'.repeat(5000)).correct).toBe(false);
  });

  it('accepts JavaScript syntax RE2 can run (named groups, classes)', () => {
    expect(shortText(['(?<num>\\d+) apples', '[a-z]{2,5}', '\\p{L}+']).success).toBe(true);
  });

  it('refuses back-references, look-ahead and look-behind at the schema, with a catalog key for the editor', () => {
    for (const bad of ['(\\w+) \\1', 'x(?=y)', 'x(?!y)', '(?<=a)b', '(?<!a)b', '(']) {
      const r = shortText([bad]);
      expect(r.success, bad).toBe(false);
      const issue = r.error!.issues[0]!;
      expect(issue.path).toEqual(['patterns', 0]);
      expect(issue.message).toContain('cannot be used as a pattern');
    }
    const doc = structuredClone(linearEquations) as { competencies: { check: { items: unknown[] } }[] };
    doc.competencies[0]!.check.items.push({ id: 'bad', type: 'short_text', prompt: 'p', patterns: ['(a)\\1'] });
    const parsed = parseUnit(doc);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/^competencies\.0\.check\.items\.\d+\.patterns\.0$/),
        messageKey: 'unit.problem.unsupportedPattern',
        vars: expect.objectContaining({ pattern: '(a)\\1' }),
      }),
    );
  });

  it('every sample unit still validates', () => {
    expect(parseUnit(linearEquations).ok).toBe(true);
    expect(parseUnit(evaluatingSources).ok).toBe(true);
  });
});
