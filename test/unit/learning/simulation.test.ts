import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/learning/simulation.js';

describe('the recommendation simulation (npm run simulate)', () => {
  it('following Pathwise is never worse than picking at random, and learns as the class grows', () => {
    // Bounded: 40 classes per size.
    const [small, large] = simulate([30, 300], 40);
    for (const r of [small!, large!]) {
      expect(r.pathwise.first).toBeGreaterThanOrEqual(r.random.first);
      expect(r.pathwise.all).toBeGreaterThanOrEqual(r.random.all);
      expect(r.oracle.all).toBeGreaterThan(r.pathwise.all);
    }
    expect(large!.gapClosedAll).toBeGreaterThan(small!.gapClosedAll);
    expect(large!.gapClosedAll).toBeGreaterThan(0.4);
  });

  it('in the unit world, the unit’s other competencies teach the first 60 students more than one competency does', () => {
    const [one] = simulate([60], 40, 60, 'competency');
    const [unit] = simulate([60], 40, 60, 'unit');
    const [mixed] = simulate([60], 40, 60, 'unit_mixed');
    for (const r of [unit!, mixed!]) {
      expect(r.pathwise.first).toBeGreaterThan(r.random.first);
      expect(r.oracle.first).toBeGreaterThan(r.pathwise.first);
    }
    expect(unit!.gapClosedFirst).toBeGreaterThan(one!.gapClosedFirst + 0.15);
    // Where kinds do not carry over, pooling must not cost the class much: still well above random.
    expect(mixed!.gapClosedFirst).toBeGreaterThan(0.25);
  });
});
