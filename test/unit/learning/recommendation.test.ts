import { describe, expect, it } from 'vitest';
import {
  FLOOR,
  masteryBand,
  pathwayPosterior,
  recommendPathways,
  sampleBeta,
  smoothedRate,
  TEMPER,
  type KindOutcome,
  type OwnFirstAttempt,
  type PathwayOutcome,
  type RecommendationReason,
} from '../../../src/learning/recommendation.js';
import { kindTransfer, ownLift } from '../../../src/learning/pathway-kinds.js';
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

/** The reason with this code, typed. */
function reason<C extends RecommendationReason['code']>(
  reasons: readonly RecommendationReason[],
  code: C,
): Extract<RecommendationReason, { code: C }> | undefined {
  return reasons.find((x): x is Extract<RecommendationReason, { code: C }> => x.code === code);
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

  it('counts toward the floor the classmates a kind’s results on the other competencies count for, as the posterior does', () => {
    const starved: PathwayOutcome[] = [
      { pathwayId: 'a-watch', band: 'low', chose: 39, passedFirst: 37 },
      { pathwayId: 'a-read', band: 'low', chose: 1, passedFirst: 0 },
    ];
    // Alone, 1 of 40 first attempts is under the floor: reading goes first.
    expect(topShares({ ...base, band: 'low', course: starved })['a-read']).toBe(1);
    // Reading was tried by 10 low-band students on each of four other competencies, where kinds fared alike:
    // that counts as classmates in its posterior, so its evidence is above the floor and the evidence decides.
    const unit: KindOutcome[] = [0, 1, 2, 3].flatMap((c) => [
      { competencyId: `c${c}`, modalities: ['watch'], band: 'low', chose: 10, passedFirst: 8 },
      { competencyId: `c${c}`, modalities: ['read'], band: 'low', chose: 10, passedFirst: 3 },
    ]);
    expect(topShares({ ...base, band: 'low', course: starved, unit })['a-read'] ?? 0).toBeLessThan(0.2);
    // The evidence the floor counted is in the reasons: the band's first attempts and the unit's weight.
    const recs = recommendPathways({ ...base, band: 'low', course: starved, unit, rng: seededRng(4) });
    const read = recs.find((r) => r.pathwayId === 'a-read')!;
    const counted = reason(read.reasons, 'course_band')!.chose + reason(read.reasons, 'unit_band')!.weight;
    expect(counted).toBeGreaterThanOrEqual(FLOOR * (40 + 2 * reason(read.reasons, 'unit_band')!.weight));
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

  it('ranks by the unit’s other competencies and the student’s own results, and its reasons carry exactly those numbers', () => {
    // On four other competencies, watching pathways passed 8 of 10 low-band students, reading ones 3 of 10.
    const unit: KindOutcome[] = [0, 1, 2, 3].flatMap((c) => [
      { competencyId: `c${c}`, modalities: ['watch'], band: 'low', chose: 10, passedFirst: 8 },
      { competencyId: `c${c}`, modalities: ['read'], band: 'low', chose: 10, passedFirst: 3 },
    ]);
    const course: PathwayOutcome[] = [{ pathwayId: 'a-read', band: 'low', chose: 2, passedFirst: 1 }];
    const own: OwnFirstAttempt[] = [
      { competencyId: 'c0', modalities: ['read'], band: 'low', passed: true },
      { competencyId: 'c1', modalities: ['read'], band: 'low', passed: true },
      { competencyId: 'c2', modalities: ['watch'], band: 'high', passed: false },
    ];
    const rng = seededRng(11);
    const transfer = kindTransfer(unit);
    expect(transfer).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) {
      const recs = recommendPathways({ ...base, band: 'low', course, unit, own, ownWeight: 2, rng });
      for (const r of recs) {
        const mine = reason(r.reasons, 'course_band') ?? { passed: 0, chose: 0 };
        const kind = reason(r.reasons, 'unit_band')!;
        const ownReason = reason(r.reasons, 'own')!;
        expect(kind && ownReason).toBeTruthy();
        // The posterior is rebuilt from the numbers the reasons show, and so is the student's lift.
        const a = 1 + kind.weight * (kind.passed / kind.chose) + mine.passed;
        const b = 1 + kind.weight * (1 - kind.passed / kind.chose) + (mine.chose - mine.passed);
        const lift = (ownReason.passed - ownReason.expected) / (ownReason.tried + ownReason.weight);
        expect(r.expected).toBeCloseTo(Math.min(1, Math.max(0, a / (a + b) + lift)), 12);
        expect(pathwayPosterior(r.evidence, r.kind, transfer)).toEqual({ a: expect.closeTo(a, 12), b: expect.closeTo(b, 12) });
        expect(r.lift).toBeCloseTo(ownLift(r.own, 2), 12);
        // Bounded exploration: a draw stays within TEMPER × 2 sd of the posterior mean.
        const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
        expect(Math.abs(r.sampled - r.expected)).toBeLessThanOrEqual(2 * TEMPER * sd + 1e-12);
        expect(kind.chose).toBe(40);
      }
    }
    // Reading passed 2 of 2 for this student where the class passed about 0.6 of 2: it moves up for them.
    const me = topShares({ ...base, band: 'low', course, unit, own, ownWeight: 2 })['a-read'] ?? 0;
    const classmate = topShares({ ...base, band: 'low', course, unit, own: [], ownWeight: 2 })['a-read'] ?? 0;
    expect(me).toBeGreaterThan(classmate + 0.1);
    // Own results are not used when the class shows no spread between students (ownWeight Infinity): no own reason either.
    const plain = recommendPathways({ ...base, band: 'low', course, unit, own, rng: seededRng(1) });
    expect(plain.every((r) => r.lift === 0 && !r.reasons.some((x) => x.code === 'own'))).toBe(true);
  });

  it('keeps every pathway at its floor share in a band while the evidence favours one', () => {
    const rng = seededRng(21);
    const course: PathwayOutcome[] = [];
    for (let i = 0; i < 400; i++) {
      const top = recommendPathways({ ...base, course, rng })[0]!.pathwayId;
      const row = course.find((o) => o.pathwayId === top);
      const passed = rng() < (top === 'a-watch' ? 0.9 : 0.2);
      if (row) {
        row.chose++;
        if (passed) row.passedFirst++;
      } else course.push({ pathwayId: top, band: 'new', chose: 1, passedFirst: passed ? 1 : 0 });
    }
    const read = course.find((o) => o.pathwayId === 'a-read')!;
    expect(read.chose).toBeGreaterThanOrEqual(Math.floor(FLOOR * 400));
    expect(read.chose).toBeLessThan(0.15 * 400);
  });

  it('never fails on a pathway with no history of any kind', () => {
    const odd = { ...competency, pathways: [...competency.pathways, { ...competency.pathways[0]!, id: 'a-none', modalities: [] }] };
    const recs = recommendPathways({
      ...base,
      competency: odd,
      unit: [{ competencyId: 'x', modalities: ['discuss'], band: 'new', chose: 0, passedFirst: 0 }],
      own: [{ competencyId: 'x', modalities: [], band: 'new', passed: true }],
      ownWeight: 2,
      rng: seededRng(2),
    });
    expect(recs).toHaveLength(3);
    for (const r of recs) {
      expect(Number.isFinite(r.expected) && Number.isFinite(r.sampled)).toBe(true);
      expect(r.reasons[0]).toEqual({ code: 'course_none' });
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
    const kinds = [
      { code: 'unit_band', band: 'high', modalities: ['watch', 'read'], passed: 12, chose: 20, weight: 7.5 },
      { code: 'own', modalities: ['watch'], passed: 2, tried: 3, expected: 1.44, weight: 4 },
    ] as const;
    const enKinds = renderReasons('en', kinds);
    expect(enKinds).toContain(
      '12 of 20 classmates who started where you are (70 % or more right so far) passed the first check after a pathway for watching or reading',
    );
    expect(enKinds).toContain('as much as 7.5 classmates');
    expect(enKinds).toContain('after a pathway for watching in 2 of your 3 earlier competencies');
    expect(enKinds).toContain('passed 1.4 of 3');
    const esKinds = renderReasons('es', kinds);
    expect(esKinds).toContain('ver o leer');
    expect(esKinds).toContain('en 2 de tus 3 competencias anteriores');
    expect(esKinds).toContain('1,4 de 3');
  });
});
