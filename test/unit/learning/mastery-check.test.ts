import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawItems, scoreCheck } from '../../../src/learning/mastery-check.js';
import { seededRng } from '../../../src/learning/random.js';
import { item } from './fixtures.js';

const bank = (tags: string[], perTag: number) =>
  tags.flatMap((t) =>
    Array.from({ length: perTag }, (_, i) => item({ id: `${t || 'none'}-${i}`, type: 'numeric', prompt: 'p', answer: i, tags: t ? [t] : [] })),
  );

describe('drawing items', () => {
  it('is reproducible with an injected RNG and varies with the seed', () => {
    const b = bank(['x'], 20);
    const ids = (seed: number) => drawItems(b, 5, seededRng(seed)).map((i) => i.id);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).not.toEqual(ids(2));
  });

  it('draws n distinct items, balanced across tags (counts differ by at most one)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (tagCount, n, seed) => {
        const tags = ['a', 'b', 'c', 'd'].slice(0, tagCount);
        const drawn = drawItems(bank(tags, 12), n, seededRng(seed));
        expect(drawn).toHaveLength(n);
        expect(new Set(drawn.map((i) => i.id)).size).toBe(n);
        const counts = tags.map((t) => drawn.filter((i) => i.tags[0] === t).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('fills from other tags when one runs out, and never draws more than the bank', () => {
    const b = [...bank(['a'], 1), ...bank(['b'], 6)];
    const drawn = drawItems(b, 5, seededRng(3));
    expect(drawn.filter((i) => i.tags[0] === 'a')).toHaveLength(1);
    expect(drawItems(b, 50, seededRng(3))).toHaveLength(7);
  });
});

describe('scoring an attempt', () => {
  const items = [
    item({ id: 'a', type: 'numeric', prompt: 'p', answer: 1, points: 2 }),
    item({ id: 'b', type: 'numeric', prompt: 'p', answer: 2 }),
    item({
      id: 'c',
      type: 'multiple_select',
      prompt: 'p',
      options: [
        { id: 'x', text: 'x' },
        { id: 'y', text: 'y' },
      ],
      correctOptionIds: ['x', 'y'],
    }),
  ];
  it('weights items by points, gives partial credit, and passes at the threshold', () => {
    const r = scoreCheck({ passThreshold: 0.9 }, items, { a: 1, b: 2, c: ['x'] });
    expect(r.score).toBeCloseTo((2 + 1 + 0.5) / 4);
    expect(r.passed).toBe(false);
    expect(scoreCheck({ passThreshold: 0.8 }, items, { a: 1, b: 2, c: ['x', 'y'] }).passed).toBe(true);
    expect(scoreCheck({ passThreshold: 0.75 }, items, { a: 1, b: 5, c: ['x', 'y'] }).passed).toBe(true);
  });
  it('ignores answers to items that were not drawn and counts missing ones as wrong', () => {
    const r = scoreCheck({ passThreshold: 0.8 }, items, { zzz: 1, __proto__: 1 });
    expect(r.score).toBe(0);
    expect(r.items.every((i) => !i.answered)).toBe(true);
  });
});
