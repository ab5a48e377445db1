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
});
