import { describe, expect, it } from 'vitest';
import { groupFirstAttempts, type FirstAttempt } from '../../../src/learning/first-attempts.js';
import {
  kindCellWeight,
  kindTransfer,
  MIN_KIND_SPREAD,
  MIN_OWN_WEIGHT,
  ownLift,
  ownWeight,
  type KindOutcome,
  type OwnFirstAttempt,
} from '../../../src/learning/pathway-kinds.js';
import { seededRng } from '../../../src/learning/random.js';

/** Class first attempts on `competencies`, where the pathway of kind `best(c)` passes `hi` of 10 and the others `lo` of 10. */
function classRows(competencies: number, best: (c: number) => 'watch' | 'read', hi = 8, lo = 3): KindOutcome[] {
  return Array.from({ length: competencies }, (_, c) =>
    (['watch', 'read'] as const).map((m) => ({
      competencyId: `c${c}`,
      modalities: [m],
      band: 'low' as const,
      chose: 10,
      passedFirst: m === best(c) ? hi : lo,
    })),
  ).flat();
}

describe('pathway kinds across a unit', () => {
  it('carries a kind over to other competencies when it fared alike on them, not when it did not', () => {
    expect(kindTransfer(classRows(4, () => 'watch'))).toBeGreaterThan(0.8);
    expect(kindTransfer(classRows(4, (c) => (c % 2 ? 'watch' : 'read')))).toBe(0);
    // No count is needed first: two students per competency and kind who agree on all four already carry over.
    expect(kindTransfer(classRows(4, () => 'watch', 2, 0).map((r) => ({ ...r, chose: 2 })))).toBeGreaterThan(0.5);
    // Small cells count by their reliability: one student per competency who failed a practice pathway
    // does not outweigh twenty per kind whose lead does not repeat.
    const alternating = classRows(4, (c) => (c % 2 ? 'watch' : 'read'), 16, 6).map((r) => ({ ...r, chose: 20 }));
    const tiny = [0, 1, 2, 3].map((c): KindOutcome => ({ competencyId: `c${c}`, modalities: ['practice'], band: 'low', chose: 1, passedFirst: 0 }));
    expect(kindTransfer([...alternating, ...tiny])).toBe(0);
    expect(kindCellWeight(0.25, MIN_KIND_SPREAD)).toBeLessThan(0.05);
    expect(kindCellWeight(0.25 / 20, MIN_KIND_SPREAD)).toBeGreaterThan(0.4);
    expect(kindTransfer([])).toBe(0);
  });

  it('counts a student’s own results only as far as the class’s students differ beyond chance', () => {
    const rng = seededRng(4);
    const unit = classRows(4, () => 'watch', 5, 5);
    const student = (lift: number): OwnFirstAttempt[] =>
      Array.from({ length: 4 }, (_, c) => ({ competencyId: `c${c}`, modalities: ['watch'], band: 'low', passed: rng() < 0.5 + lift }));
    // Students who all have the same chance: their spread is chance, so own results are not used.
    const alike = Array.from({ length: 200 }, () => student(0));
    expect(ownWeight(alike, unit)).toBe(Number.POSITIVE_INFINITY);
    // Half pass almost always, half almost never: own results count, and for at least MIN_OWN_WEIGHT less than the class.
    const apart = Array.from({ length: 200 }, (_, i) => student(i % 2 ? 0.45 : -0.45));
    const weight = ownWeight(apart, unit);
    expect(weight).toBeGreaterThanOrEqual(MIN_OWN_WEIGHT);
    expect(weight).toBeLessThan(5);
    // Too few students to tell.
    expect(ownWeight(apart.slice(0, 5), unit)).toBe(Number.POSITIVE_INFINITY);
    expect(ownLift({ passed: 3, tried: 3, expected: 1.5 }, 2)).toBeCloseTo(0.3);
    expect(ownLift({ passed: 3, tried: 3, expected: 1.5 }, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('groups a unit’s first attempts into the recommender’s evidence', () => {
    const row = (userId: string, competencyId: string, pathwayId: string, passed: boolean): FirstAttempt => ({
      userId,
      competencyId,
      pathwayId,
      modalities: pathwayId.endsWith('watch') ? ['watch'] : ['read', 'practice'],
      passed,
      band: 'low',
    });
    const rows = [row('u1', 'a', 'a-watch', true), row('u2', 'a', 'a-watch', false), row('u1', 'b', 'b-read', true), row('me', 'a', 'a-read', false)];
    const g = groupFirstAttempts(rows, 'me', 'b');
    expect(g.course).toEqual([{ pathwayId: 'b-read', band: 'low', chose: 1, passedFirst: 1 }]);
    expect(g.unit).toContainEqual({ competencyId: 'a', modalities: ['watch'], band: 'low', chose: 2, passedFirst: 1 });
    expect(g.own).toEqual([{ competencyId: 'a', modalities: ['practice', 'read'], band: 'low', passed: false }]);
    expect(g.students).toHaveLength(3);
  });
});
