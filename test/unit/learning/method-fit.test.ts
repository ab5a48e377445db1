import { describe, expect, it } from 'vitest';
import { DEFAULT_METHOD } from '../../../src/learning/mastery/method-config.js';
import { FIT_METHODS, methodFit, type ClassCheck } from '../../../src/learning/mastery/method-fit.js';

/** A class history: one string per student, P for a passed check (all answers right), F for a failed one. */
function history(patterns: readonly string[], competencyId = 'c'): ClassCheck[] {
  const checks: ClassCheck[] = [];
  let t = 0;
  patterns.forEach((p, u) =>
    [...p].forEach((ch, i) => {
      const ok = ch === 'P';
      checks.push({
        userId: `u${u}`,
        competencyId,
        attemptId: `${u}-${i}`,
        score: ok ? 1 : 0,
        passed: ok,
        submittedAt: new Date(1e12 + t++ * 60_000),
        responses: Array<boolean>(5).fill(ok),
      });
    }),
  );
  return checks;
}

describe('method fit: how well each method would have predicted a class’s next checks', () => {
  it('counts only checks that follow an earlier one, and says "not enough" below the threshold', () => {
    const r = methodFit(DEFAULT_METHOD, history(['PF', 'FP', 'FFP']), () => 0.8);
    expect(r.predictions).toBe(4);
    expect(r.enough).toBe(false);
    expect(r.best).toBeNull();
    expect(r.rows.map((x) => x.method)).toEqual(FIT_METHODS);
  });

  it('is not enough while every next check passed (no AUC without both outcomes)', () => {
    const r = methodFit(DEFAULT_METHOD, history(Array<string>(10).fill('PPP')), () => 0.8);
    expect(r.predictions).toBe(20);
    expect(r.enough).toBe(false);
    expect(r.rows.every((x) => x.auc === null)).toBe(true);
    expect(r.rows.find((x) => x.method === 'latest')!.accuracy).toBe(1);
  });

  it('names the method that predicted best: latest, when students turn around and stay turned', () => {
    const r = methodFit(DEFAULT_METHOD, history(['FFFPPPP', 'PFFFF', 'FFFPPPP', 'PFFFF', 'FPPP', 'PPFF']), () => 0.8);
    expect(r.predictions).toBe(26);
    expect(r.passed).toBe(12);
    expect(r.enough).toBe(true);
    expect(r.best).toBe('latest');
    const latest = r.rows.find((x) => x.method === 'latest')!;
    const average = r.rows.find((x) => x.method === 'average')!;
    // Latest misses only the turn of each student (6 of 26); the average misses every check after a turn.
    expect(latest.accuracy).toBeCloseTo(20 / 26, 9);
    expect(average.accuracy).toBeLessThan(0.5);
    expect(latest.auc!).toBeGreaterThan(average.auc! + 0.2);
  });

  it('uses the unit’s own settings for its method and each check’s own pass mark', () => {
    const checks = history(['FPFPFP', 'PFPFPF', 'FPFPFP', 'PFPFPF', 'FPFPFP']);
    const strict = methodFit({ method: 'decaying_average', weight: 0.99, masteryThreshold: 0.8, approachingThreshold: 0.6 }, checks, () => 0.8);
    const loose = methodFit(DEFAULT_METHOD, checks, () => 0.8);
    const decay = (r: typeof strict) => r.rows.find((x) => x.method === 'decaying_average')!;
    // Alternating passes and fails: a decaying average that follows the newest score is always wrong.
    expect(decay(strict).accuracy).toBe(0);
    expect(decay(loose).accuracy).toBeGreaterThan(0);
    const none = methodFit(DEFAULT_METHOD, checks, () => 0);
    expect(none.rows.find((x) => x.method === 'highest')!.accuracy).toBe(none.passed / none.predictions);
  });

  it('replays BKT with a competency’s fitted parameters when it has them', () => {
    const checks = history(['FFFPPPP', 'PFFFF', 'FFFPPPP', 'PFFFF', 'FPPP', 'PPFF']);
    const bkt = (r: ReturnType<typeof methodFit>) => r.rows.find((x) => x.method === 'bkt')!;
    const defaults = methodFit(DEFAULT_METHOD, checks, () => 0.8);
    // Knowledge that always sticks: once a student passes, BKT calls every later check a pass.
    const sticky = methodFit(
      DEFAULT_METHOD,
      checks,
      () => 0.8,
      undefined,
      new Map([['c', { pInit: 0.01, pLearn: 0.9, pSlip: 0.01, pGuess: 0.01, pForget: 0 }]]),
    );
    expect(bkt(sticky).accuracy).not.toBe(bkt(defaults).accuracy);
    expect(
      methodFit(DEFAULT_METHOD, checks, () => 0.8, undefined, new Map([['other', { pInit: 0.01, pLearn: 0.9, pSlip: 0.01, pGuess: 0.01, pForget: 0 }]])),
    ).toEqual(defaults);
  });
});
