import { describe, expect, it } from 'vitest';
import { masteryBand, recommendPathways, sampleBeta, smoothedRate, type PathwayOutcome } from '../../../src/learning/recommendation.js';
import { seededRng } from '../../../src/learning/random.js';
import { renderReasons } from '../../../src/web/i18n/reasons.js';
import { buildUnit } from './fixtures.js';

const competency = buildUnit().competencies[0]!; // pathways a-watch (watch), a-read (read)
const base = { competency, preferredModalities: [] as const, band: 'new' as const, course: [] as PathwayOutcome[] };

/** Share of recommendations that put each pathway first, over n draws. */
function topShares(input: Omit<Parameters<typeof recommendPathways>[0], 'rng'>, n = 2000): Record<string, number> {
  const rng = seededRng(5);
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const top = recommendPathways({ ...input, rng })[0]!.pathwayId;
    counts[top] = (counts[top] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
}

describe('pathway recommendations (a contextual bandit)', () => {
  it('bands students by their share of right answers in the unit so far', () => {
    expect([masteryBand(0, 0), masteryBand(6, 10), masteryBand(7, 10)]).toEqual(['new', 'low', 'high']);
  });

  it('draws from Beta posteriors with the right mean', () => {
    const rng = seededRng(1);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += sampleBeta(8, 2, rng);
    expect(sum / 4000).toBeCloseTo(0.8, 1);
    expect(smoothedRate(1, 1)).toBeCloseTo(2 / 3);
  });

  it('recommends what works for the student’s band, even when it differs from the class as a whole', () => {
    const course: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'high', chose: 30, passedFirst: 27 },
      { pathwayId: 'a-read', band: 'high', chose: 30, passedFirst: 12 },
      { pathwayId: 'a-watch', band: 'low', chose: 30, passedFirst: 6 },
      { pathwayId: 'a-read', band: 'low', chose: 30, passedFirst: 21 },
    ];
    expect(topShares({ ...base, band: 'high', course })['a-watch']).toBeGreaterThan(0.85);
    expect(topShares({ ...base, band: 'low', course })['a-read']).toBeGreaterThan(0.85);
  });

  it('keeps a floor: a pathway under FLOOR of its band’s first attempts goes first, and only then', () => {
    const starved: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'new', chose: 39, passedFirst: 37 },
      { pathwayId: 'a-read', band: 'new', chose: 1, passedFirst: 0 },
    ];
    const recs = recommendPathways({ ...base, course: starved, rng: seededRng(1) });
    expect(recs[0]!.pathwayId).toBe('a-read');
    expect(recs[0]!.reasons).toContainEqual({ code: 'exploring' });
    // At its floor (3 of 42) it is no longer forced: the evidence decides.
    const fed = starved.map((o) => (o.pathwayId === 'a-read' ? { ...o, chose: 3 } : o));
    expect(topShares({ ...base, course: fed })['a-watch']).toBe(1);
    // Another band's numbers do not count toward this band's floor.
    expect(topShares({ ...base, band: 'high', course: starved })['a-read']).toBeGreaterThan(0.2);
  });

  it('uses stated preference only to break a tie, and says so', () => {
    const even: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'new', chose: 100, passedFirst: 70 },
      { pathwayId: 'a-read', band: 'new', chose: 100, passedFirst: 70 },
    ];
    expect(topShares({ ...base, preferredModalities: ['read'], course: even })['a-read']).toBeGreaterThan(0.6);
    const clear: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'new', chose: 100, passedFirst: 90 },
      { pathwayId: 'a-read', band: 'new', chose: 100, passedFirst: 40 },
    ];
    expect(topShares({ ...base, preferredModalities: ['read'], course: clear })['a-watch']).toBeGreaterThan(0.85);
    const rng = seededRng(3);
    const withPreference = Array.from({ length: 50 }, () => recommendPathways({ ...base, preferredModalities: ['read'], course: even, rng })).find(
      (r) => r[0]!.pathwayId === 'a-read' && r[0]!.reasons.some((x) => x.code === 'preference'),
    );
    expect(withPreference![0]!.reasons).toContainEqual({ code: 'preference', modality: 'read' });
  });

  it('states only what was computed: each reason carries the numbers the ranking used', () => {
    const rng = seededRng(9);
    const course: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'low', chose: 4, passedFirst: 3 },
      { pathwayId: 'a-watch', band: 'high', chose: 10, passedFirst: 5 },
      { pathwayId: 'a-read', band: 'high', chose: 2, passedFirst: 2 },
    ];
    for (let i = 0; i < 200; i++) {
      const recs = recommendPathways({ ...base, band: 'low', preferredModalities: ['watch'], course, rng });
      for (const r of recs) {
        const first = r.reasons[0]!;
        // The evidence the posterior used is the evidence the first reason reports.
        if (first.code === 'course_band') expect(r.evidence).toEqual({ passed: first.passed, chose: first.chose, band: first.band });
        else expect(first.code === 'course_none' && r.evidence.chose === 0).toBe(true);
        // The posterior mean is the band's own first attempts on a uniform prior: (passed + 1) / (chose + 2).
        expect(r.expected).toBeCloseTo(smoothedRate(r.evidence.passed, r.evidence.chose), 12);
      }
      // "exploring" appears exactly when the first place does not have the best expected chance or was the floor's pick.
      const best = Math.max(...recs.map((r) => r.expected));
      if (recs[0]!.expected < best) expect(recs[0]!.reasons).toContainEqual({ code: 'exploring' });
    }
  });

  it('renders reasons through the catalog in English and Spanish', () => {
    const reasons = [{ code: 'course_band', band: 'low', passed: 3, chose: 4 }, { code: 'exploring' }, { code: 'preference', modality: 'watch' }] as const;
    const en = renderReasons('en', reasons);
    expect(en).toContain('3 of 4 classmates who started where you are (under 70 % right so far)');
    expect(en).toContain('what you said you like: watching');
    const es = renderReasons('es', [...reasons, { code: 'course', passed: 1, chose: 2 }, { code: 'course_none' }]);
    expect(es).toContain('3 de 4 compañeros');
    expect(es).toContain('ver');
    expect(es).not.toMatch(/classmates|Pathwise suggests/);
  });
});
