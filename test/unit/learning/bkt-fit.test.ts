import { describe, expect, it } from 'vitest';
import { fitBkt } from '../../../src/learning/mastery/bkt-fit.js';
import type { BktParams } from '../../../src/learning/mastery/method-config.js';
import { seededRng, type Rng } from '../../../src/learning/random.js';

/** Simulates students answering under known BKT parameters. */
function simulate(p: BktParams, students: number, length: number, rng: Rng): boolean[][] {
  return Array.from({ length: students }, () => {
    let known = rng() < p.pInit;
    return Array.from({ length }, () => {
      const correct = known ? rng() >= p.pSlip : rng() < p.pGuess;
      if (!known && rng() < p.pLearn) known = true;
      return correct;
    });
  });
}

describe('BKT parameter fitting (EM)', () => {
  it('recovers the parameters that generated the data', () => {
    const truth = { pInit: 0.3, pLearn: 0.2, pSlip: 0.08, pGuess: 0.25, pForget: 0 };
    const fit = fitBkt(simulate(truth, 400, 20, seededRng(42)));
    expect(fit.fitted).toBe(true);
    if (!fit.fitted) return;
    expect(fit.params.pInit).toBeCloseTo(truth.pInit, 1);
    expect(fit.params.pLearn).toBeCloseTo(truth.pLearn, 1);
    expect(fit.params.pSlip).toBeCloseTo(truth.pSlip, 1);
    expect(fit.params.pGuess).toBeCloseTo(truth.pGuess, 1);
    expect(fit.students).toBe(400);
  });

  it('refuses to fit without enough students and answers, and says why', () => {
    const few = simulate({ pInit: 0.3, pLearn: 0.2, pSlip: 0.1, pGuess: 0.2, pForget: 0 }, 30, 20, seededRng(1));
    const r = fitBkt(few);
    expect(r).toMatchObject({ fitted: false, students: 30 });
    expect(r.fitted ? '' : r.reason).toContain('needs 50 students with 15+ answers');
    expect(
      fitBkt(
        few.map((s) => s.slice(0, 10)),
        { minStudents: 10 },
      ).fitted,
    ).toBe(false);
  });

  it('keeps slip and guess below 0.5 even on degenerate data', () => {
    const allWrong = Array.from({ length: 60 }, () => Array(20).fill(false) as boolean[]);
    const fit = fitBkt(allWrong);
    if (!fit.fitted) throw new Error('expected a fit');
    for (const v of Object.values(fit.params)) expect(v).toBeGreaterThanOrEqual(0);
    expect(fit.params.pSlip).toBeLessThan(0.5);
    expect(fit.params.pGuess).toBeLessThan(0.5);
  });
});
