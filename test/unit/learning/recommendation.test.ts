import { describe, expect, it } from 'vitest';
import { recommendPathways, smoothedRate } from '../../../src/learning/recommendation.js';
import { buildUnit } from './fixtures.js';

const competency = buildUnit().competencies[0]!; // pathways a-watch (watch), a-read (read)

describe('pathway recommendations', () => {
  it('ranks by stated preference when there is no other evidence, with a reason each', () => {
    const r = recommendPathways({ competency, preferredModalities: ['read'], history: [], course: [] });
    expect(r.map((x) => x.pathwayId)).toEqual(['a-read', 'a-watch']);
    expect(r[0]!.reason).toContain('what you said you like: reading');
    expect(r[1]!.reason).toContain('No classmate has tried it yet.');
    expect(r.map((x) => x.rank)).toEqual([1, 2]);
  });

  it("uses this student's past success by modality", () => {
    const history = [
      { modalities: ['watch' as const], passed: true },
      { modalities: ['watch' as const], passed: true },
      { modalities: ['read' as const], passed: false },
      { modalities: ['read' as const], passed: false },
    ];
    const r = recommendPathways({ competency, preferredModalities: [], history, course: [] });
    expect(r[0]!.pathwayId).toBe('a-watch');
    expect(r[0]!.reason).toContain('You passed 2 of 2 checks after watching pathways.');
  });

  it('smooths course success rates so one lucky student does not dominate', () => {
    expect(smoothedRate(1, 1)).toBeCloseTo(2 / 3);
    expect(smoothedRate(40, 50)).toBeGreaterThan(smoothedRate(1, 1));
    const course = [
      { pathwayId: 'a-watch', chose: 1, passedFirst: 1 },
      { pathwayId: 'a-read', chose: 50, passedFirst: 40 },
    ];
    const r = recommendPathways({ competency, preferredModalities: [], history: [], course });
    expect(r[0]!.pathwayId).toBe('a-read');
    expect(r[0]!.reason).toContain('40 of 50 classmates who chose it passed the check on their first try.');
  });

  it('keeps the author order on ties and uses no demographic input', () => {
    const r = recommendPathways({ competency, preferredModalities: [], history: [], course: [] });
    expect(r.map((x) => x.pathwayId)).toEqual(['a-watch', 'a-read']);
    expect(Object.keys({ competency, preferredModalities: [], history: [], course: [] }).sort()).toEqual(['competency', 'course', 'history', 'preferredModalities']);
  });
});
