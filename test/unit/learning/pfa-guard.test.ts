import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PFA, PFA_SKILL_TERMS, PFA_TERMS, PfaTracker, type PfaModel } from '../../../src/learning/mastery/pfa.js';

const slope = fc.double({ min: -2, max: 2, noNaN: true });
/** A unit's refitted weights: any shared weights, any per-competency slopes on its own answers. */
const model: fc.Arbitrary<PfaModel> = fc
  .record({
    shared: fc.array(slope, { minLength: PFA_TERMS.length, maxLength: PFA_TERMS.length }),
    skill: fc.array(slope, { minLength: PFA_SKILL_TERMS.length + 1, maxLength: PFA_SKILL_TERMS.length + 1 }),
  })
  .map(({ shared, skill }) => ({
    weights: Object.fromEntries(PFA_TERMS.map((t, i) => [t, shared[i]!])) as PfaModel['weights'],
    skills: { a: { easiness: skill[0]!, rightHere: 0, wrongHere: 0, ...Object.fromEntries(PFA_SKILL_TERMS.map((t, i) => [t, skill[i + 1]!])), answers: 100 } },
  }));
const attempt = fc.record({ competency: fc.constantFrom('a', 'b'), answers: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }) });

describe('performance factors: a check all right never lowers the estimate, all wrong never raises it', () => {
  it('holds for any weights a unit refit can give, after any history', () => {
    fc.assert(
      fc.property(
        model,
        fc.array(attempt, { maxLength: 12 }),
        fc.constantFrom('a', 'b'),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (m, history, competency, n, right) => {
          const tracker = new PfaTracker(m);
          for (const a of history) tracker.observeAll(a.competency, a.answers);
          const before = tracker.predict(competency);
          tracker.observeAll(
            competency,
            Array.from({ length: n }, () => right),
          );
          const after = tracker.predict(competency);
          if (right) expect(after).toBeGreaterThanOrEqual(before - 1e-12);
          else expect(after).toBeLessThanOrEqual(before + 1e-12);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with the default weights, a 3rd right answer in a row no longer reads lower than the 2nd (the streak state of 3 weighs -0.23)', () => {
    const tracker = new PfaTracker(DEFAULT_PFA);
    tracker.observeAll('a', [true, true]);
    const afterTwo = tracker.predict('a');
    tracker.observeAll('a', [true]);
    expect(tracker.predict('a')).toBeGreaterThanOrEqual(afterTwo);
  });
});
