import { describe, expect, it } from 'vitest';
import { average } from '../../../src/learning/mastery/average.js';
import { bktStep, bktTrace } from '../../../src/learning/mastery/bkt.js';
import { decayingAverage } from '../../../src/learning/mastery/decaying-average.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { highest } from '../../../src/learning/mastery/highest.js';
import { latest } from '../../../src/learning/mastery/latest.js';
import { recomputeClass } from '../../../src/learning/mastery/class-mastery.js';
import { DEFAULT_BKT, masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { nMastery } from '../../../src/learning/mastery/n-mastery.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const evidence = (scores: number[], responses: boolean[][] = []): AttemptEvidence[] =>
  scores.map((score, i) => ({ attemptId: `a${i}`, score, submittedAt: new Date(Date.UTC(2025, 0, 1 + i)), responses: responses[i] ?? [] }));

// Golden cases, computed by hand.
describe('calculation methods (golden cases)', () => {
  it('decaying average: d1 = s1, dk = (1 − w)·dk−1 + w·sk', () => {
    // w = 0.65: d2 = 0.35·1 + 0.65·0.5 = 0.675; d3 = 0.35·0.675 + 0.65·0.75 = 0.72375
    expect(decayingAverage([1, 0.5, 0.75], 0.65)).toBeCloseTo(0.72375, 10);
    // Canvas 4-point scale example, scaled: scores 2, 3, 4 of 4 at w 0.65 → 0.5, 0.6625, 0.881875
    expect(decayingAverage([0.5, 0.75, 1], 0.65)).toBeCloseTo(0.881875, 10);
    // Schoology's 0.75: 0.4 → 0.25·0.4 + 0.75·0.8 = 0.7
    expect(decayingAverage([0.4, 0.8], 0.75)).toBeCloseTo(0.7, 10);
    expect(decayingAverage([], 0.65)).toBeNull();
  });

  it('highest, latest, average', () => {
    expect(highest([0.4, 0.9, 0.6])).toBe(0.9);
    expect(latest([0.4, 0.9, 0.6])).toBe(0.6);
    expect(average([0.4, 0.9, 0.6])).toBeCloseTo(0.633333, 5);
    expect([highest([]), latest([]), average([])]).toEqual([null, null, null]);
  });

  it('n mastery: mean of the scores at or above the threshold, empty until there are n', () => {
    expect(nMastery([0.9, 0.5, 0.7], 2, 0.8)).toEqual({ estimate: null, qualifying: 1 });
    expect(nMastery([0.9, 0.5, 0.8, 1], 2, 0.8).estimate).toBeCloseTo(0.9, 10);
  });

  it('BKT step with the default parameters', () => {
    // Correct from 0.2: 0.2·0.9 / (0.18 + 0.8·0.2) = 0.529412; + 0.470588·0.15 = 0.6
    expect(bktStep(0.2, true, DEFAULT_BKT)).toBeCloseTo(0.6, 6);
    // Wrong from 0.2: 0.02 / (0.02 + 0.8·0.8) = 0.030303; + 0.969697·0.15 = 0.175758
    expect(bktStep(0.2, false, DEFAULT_BKT)).toBeCloseTo(0.175758, 5);
    // Two correct: from 0.6: 0.54 / (0.54 + 0.08) = 0.870968; + 0.129032·0.15 = 0.890323
    expect(bktTrace([true, true], DEFAULT_BKT)).toBeCloseTo(0.890323, 5);
  });
});

describe('estimates and explanations', () => {
  const method = (m: unknown) => masteryMethodSchema.parse(m);

  it('explains itself like "mastered: decaying average 0.86 ≥ 0.80 over 3 attempts"', () => {
    // 0.6 → 0.35·0.6 + 0.65·0.9 = 0.795 → 0.35·0.795 + 0.65·0.9 = 0.86325
    const e = estimateMastery(method({ method: 'decaying_average' }), evidence([0.6, 0.9, 0.9]));
    expect(e.level).toBe('mastered');
    expect(localizeExplanation('en', e.explanation)).toBe('mastered: decaying average 0.86 ≥ 0.80 over 3 attempts');
  });

  it('maps estimates to levels and lets later failures lower the level', () => {
    const m = method({ method: 'latest' });
    expect(estimateMastery(m, []).level).toBe('not_started');
    expect(estimateMastery(m, evidence([0.9])).level).toBe('mastered');
    expect(estimateMastery(m, evidence([0.9, 0.7])).level).toBe('approaching');
    expect(localizeExplanation('en', estimateMastery(m, evidence([0.9, 0.7, 0.3])).explanation)).toBe('developing: latest score 0.30 < 0.60 over 3 attempts');
  });

  it('orders evidence by submission time, not by arrival', () => {
    const ev = evidence([0.2, 1]).reverse();
    expect(estimateMastery(method({ method: 'latest' }), ev).estimate).toBe(1);
  });

  it('explains n mastery while it waits for n qualifying scores', () => {
    const e = estimateMastery(method({ method: 'n_mastery', n: 2 }), evidence([0.9, 0.4]));
    expect(e).toMatchObject({ level: 'approaching', estimate: null });
    expect(localizeExplanation('en', e.explanation)).toContain('1 of 2 scores at or above 0.80');
    expect(estimateMastery(method({ method: 'n_mastery', n: 2 }), evidence([0.9, 0.85])).level).toBe('mastered');
  });

  it('BKT counts answers, uses fitted parameters when given, and masters at 0.95', () => {
    const m = method({ method: 'bkt' });
    const e = estimateMastery(
      m,
      evidence(
        [1, 1],
        [
          [true, true, true],
          [true, true, true],
        ],
      ),
    );
    expect(e.evidenceCount).toBe(6);
    expect(e.estimate!).toBeGreaterThan(0.95);
    expect(e.level).toBe('mastered');
    expect(localizeExplanation('en', e.explanation)).toMatch(/^mastered: knowledge tracing P\(knows\) [01]\.\d\d ≥ 0\.95 over 6 answers$/);
    const fitted = estimateMastery(m, evidence([1], [[true]]), { ...DEFAULT_BKT, pGuess: 0.45 });
    expect(fitted.estimate!).toBeLessThan(estimateMastery(m, evidence([1], [[true]])).estimate!);
  });

  it('refuses a decaying weight outside 0.50–0.99 and inverted thresholds', () => {
    expect(masteryMethodSchema.safeParse({ method: 'decaying_average', weight: 1 }).success).toBe(false);
    expect(masteryMethodSchema.safeParse({ method: 'latest', masteryThreshold: 0.5, approachingThreshold: 0.6 }).success).toBe(false);
  });

  it('a class recompute gives every cell what the single estimate gives, with overrides on top', () => {
    const byCompetency = new Map([
      ['a', evidence([0.6, 0.9, 0.9])],
      ['b', evidence([0.3])],
    ]);
    for (const name of ['decaying_average', 'highest', 'latest', 'average', 'n_mastery', 'bkt'] as const) {
      const m = method({ method: name });
      const cells = recomputeClass(m, ['a', 'b', 'c'], [{ userId: 'u', byCompetency, overrides: new Map([['b', 'mastered' as const]]) }]).get('u')!;
      const a = estimateMastery(m, byCompetency.get('a')!);
      expect(cells.get('a')).toMatchObject({ estimate: a.estimate, level: a.level, calculatedLevel: a.level, overridden: false });
      const b = estimateMastery(m, byCompetency.get('b')!);
      expect(cells.get('b')).toMatchObject({ estimate: b.estimate, level: 'mastered', calculatedLevel: b.level, overridden: true });
      expect(cells.get('c')).toMatchObject({ level: 'not_started', estimate: null });
    }
  });
});
