import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bktStep, bktTrace } from '../../../src/learning/mastery/bkt.js';
import { decayingAverage } from '../../../src/learning/mastery/decaying-average.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import { MASTERY_LEVELS } from '../../../src/learning/mastery/level.js';
import { masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { applyOverride } from '../../../src/learning/mastery/override.js';

const score = fc.double({ min: 0, max: 1, noNaN: true });
const weight = fc.double({ min: 0.5, max: 0.99, noNaN: true });
const prob = (max = 1) => fc.double({ min: 0, max, noNaN: true });
const bktParams = fc.record({ pInit: prob(), pLearn: prob(), pSlip: prob(0.49), pGuess: prob(0.49), pForget: fc.constant(0) });
const method = fc.oneof(
  weight.map((w) => masteryMethodSchema.parse({ method: 'decaying_average', weight: w })),
  fc.constantFrom('highest', 'latest', 'average').map((m) => masteryMethodSchema.parse({ method: m })),
  fc.integer({ min: 1, max: 4 }).map((n) => masteryMethodSchema.parse({ method: 'n_mastery', n })),
  bktParams.map((params) => masteryMethodSchema.parse({ method: 'bkt', params })),
);
const evidence = fc
  .array(fc.record({ score, responses: fc.array(fc.boolean(), { maxLength: 10 }) }), { maxLength: 12 })
  .map((list) => list.map((e, i) => ({ ...e, attemptId: `a${i}`, submittedAt: new Date(1_700_000_000_000 + i * 1000) })));

describe('mastery math (properties)', () => {
  it('every method keeps estimates in [0, 1]', () => {
    fc.assert(
      fc.property(method, evidence, (m, ev) => {
        const e = estimateMastery(m, ev);
        if (e.estimate !== null) {
          expect(e.estimate).toBeGreaterThanOrEqual(0);
          expect(e.estimate).toBeLessThanOrEqual(1);
        }
        expect(MASTERY_LEVELS).toContain(e.level);
      }),
    );
  });

  it('the decaying average of a constant score is that score', () => {
    fc.assert(
      fc.property(score, weight, fc.integer({ min: 1, max: 30 }), (s, w, n) => {
        expect(decayingAverage(Array(n).fill(s), w)).toBeCloseTo(s, 10);
      }),
    );
  });

  it('the decaying average lies between the lowest and the highest score', () => {
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 20 }), weight, (scores, w) => {
        const d = decayingAverage(scores, w)!;
        expect(d).toBeGreaterThanOrEqual(Math.min(...scores) - 1e-12);
        expect(d).toBeLessThanOrEqual(Math.max(...scores) + 1e-12);
      }),
    );
  });

  it('BKT moves up on a correct answer and down on a wrong one (when guess + slip < 1, before learning)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), bktParams, (pl, p) => {
        const noLearn = { ...p, pLearn: 0 };
        expect(bktStep(pl, true, noLearn)).toBeGreaterThanOrEqual(pl - 1e-12);
        expect(bktStep(pl, false, noLearn)).toBeLessThanOrEqual(pl + 1e-12);
        // With learning, a correct answer still ends at least as high as a wrong one.
        expect(bktStep(pl, true, p)).toBeGreaterThanOrEqual(bktStep(pl, false, p) - 1e-12);
      }),
    );
  });

  it('BKT stays in [0, 1] over any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 50 }), bktParams, (obs, p) => {
        const v = bktTrace(obs, p);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('an override always wins over the calculation, which stays visible', () => {
    fc.assert(
      fc.property(method, evidence, fc.constantFrom(...MASTERY_LEVELS), (m, ev, level) => {
        const calc = estimateMastery(m, ev);
        const eff = applyOverride(calc, { level, reason: 'observed in class', createdBy: 't', createdAt: new Date(0) });
        expect(eff.level).toBe(level);
        expect(eff.calculatedLevel).toBe(calc.level);
        expect(eff.overridden).toBe(true);
        expect(eff.explanation).toMatchObject({ kind: 'override', reason: expect.stringContaining('observed in class') });
        expect(applyOverride(calc, null).level).toBe(calc.level);
      }),
    );
  });
});
