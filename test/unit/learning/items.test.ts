import { describe, expect, it } from 'vitest';
import { toItemView } from '../../../src/learning/items/item-view.js';
import { parseNumber } from '../../../src/learning/items/numeric.js';
import { correctAnswer, scoreItem } from '../../../src/learning/items/score-item.js';
import { item } from './fixtures.js';

const single = item({
  id: 's',
  type: 'single_choice',
  prompt: 'Pick B',
  options: [
    { id: 'a', text: 'A', feedback: 'A is a distractor.' },
    { id: 'b', text: 'B' },
  ],
  correctOptionId: 'b',
  feedback: { correct: 'Yes!', incorrect: 'Not quite.' },
});
const multi = item({
  id: 'm',
  type: 'multiple_select',
  prompt: 'Pick primes',
  options: [
    { id: '2', text: '2' },
    { id: '3', text: '3' },
    { id: '4', text: '4' },
    { id: '5', text: '5' },
  ],
  correctOptionIds: ['2', '3', '5'],
});
const numeric = item({ id: 'n', type: 'numeric', prompt: 'π to 2 dp', answer: 3.14, tolerance: 0.005 });
const text = item({ id: 't', type: 'short_text', prompt: 'Capital of Spain', accept: ['Madrid'], patterns: ['ma?drid city'] });

describe('single choice', () => {
  it('gives full credit only to the correct option, with the option feedback first', () => {
    expect(scoreItem(single, 'b')).toMatchObject({ credit: 1, correct: true, feedback: 'Yes!' });
    expect(scoreItem(single, 'a')).toMatchObject({ credit: 0, correct: false, feedback: 'A is a distractor.' });
    expect(scoreItem(single, undefined)).toMatchObject({ credit: 0, answered: false });
    expect(scoreItem(single, ['b'])).toMatchObject({ credit: 0 });
  });
});

describe('multiple select (partial credit)', () => {
  it('earns 1/k per correct option and loses 1/k per wrong one, floored at 0', () => {
    expect(scoreItem(multi, ['2', '3', '5']).credit).toBe(1);
    expect(scoreItem(multi, ['2', '3']).credit).toBeCloseTo(2 / 3);
    expect(scoreItem(multi, ['2', '3', '5', '4']).credit).toBeCloseTo(2 / 3);
    expect(scoreItem(multi, ['2', '4']).credit).toBe(0);
    expect(scoreItem(multi, ['2', '3', '4', '5']).correct).toBe(false);
    expect(scoreItem(multi, ['4']).credit).toBe(0);
    expect(scoreItem(multi, ['2', 'unknown']).credit).toBeCloseTo(1 / 3);
    expect(scoreItem(multi, []).answered).toBe(false);
  });
});

describe('numeric with tolerance', () => {
  it('accepts answers within the tolerance, inclusive', () => {
    expect(scoreItem(numeric, 3.14).correct).toBe(true);
    expect(scoreItem(numeric, '3.145').correct).toBe(true);
    expect(scoreItem(numeric, '3,135').correct).toBe(true);
    expect(scoreItem(numeric, 3.146).correct).toBe(false);
    expect(scoreItem(numeric, 'pi').correct).toBe(false);
  });
  it('reads typed numbers strictly', () => {
    expect(parseNumber(' -2 ')).toBe(-2);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('12abc')).toBeNull();
    expect(parseNumber(Number.NaN)).toBeNull();
  });
});

describe('short text', () => {
  it('matches accepted answers case-insensitively and patterns on the whole answer', () => {
    expect(scoreItem(text, '  MADRID ').correct).toBe(true);
    expect(scoreItem(text, 'mdrid   City').correct).toBe(true);
    expect(scoreItem(text, 'not madrid').correct).toBe(false);
    expect(scoreItem(text, 'madrid city is nice').correct).toBe(false);
    expect(scoreItem(text, '').answered).toBe(false);
  });
});

describe('answer keys', () => {
  it('shows the key in readable form after submission', () => {
    expect(correctAnswer(multi)).toBe('2; 3; 5');
    expect(correctAnswer(numeric)).toBe('3.14 ± 0.005');
  });

  it('never puts keys, tolerances, accepted answers or feedback in the item view', () => {
    for (const it of [single, multi, numeric, text]) {
      const json = JSON.stringify(toItemView(it));
      for (const secret of ['correctOptionId', 'correctOptionIds', 'answer', 'tolerance', 'accept', 'patterns', 'feedback', 'Madrid', 'distractor', '3.14']) {
        expect(json).not.toContain(secret);
      }
    }
  });
});
