import { describe, expect, it } from 'vitest';
import { recomputeClass } from '../../../src/learning/mastery/class-mastery.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { pfaEstimates } from '../../../src/learning/mastery/pfa-estimate.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const method = masteryMethodSchema.parse({ method: 'pfa' });
let clock = 0;
const attempt = (responses: boolean[]): AttemptEvidence => ({
  attemptId: `a${++clock}`,
  score: responses.filter(Boolean).length / responses.length,
  submittedAt: new Date(Date.UTC(2025, 0, 1, 0, clock)),
  responses,
});

describe('the performance-factors method (pfa)', () => {
  it('has thresholds on the chance of a right next answer (0.85 / 0.65 by default)', () => {
    expect(method).toEqual({ method: 'pfa', masteryThreshold: 0.85, approachingThreshold: 0.65 });
  });

  it('reads one failed and one passed check as progress, and a run of right answers as mastered', () => {
    const failedThenPassed = [attempt([false, false, true]), attempt([true, true, true])];
    const e = estimateMastery(method, failedThenPassed, undefined, { competencyId: 'a' });
    expect(e.estimate!).toBeGreaterThan(0.6);
    expect(e.evidenceCount).toBe(6);
    expect(e.answers).toEqual({ right: 4, wrong: 2, unitRight: 4, unitWrong: 2 });
    const strong = estimateMastery(method, [attempt([true, true, true]), attempt([true, true, true])], undefined, { competencyId: 'a' });
    expect(strong.level).toBe('mastered');
    const weak = estimateMastery(method, [attempt([false, false, false])], undefined, { competencyId: 'a' });
    expect(weak.level).toBe('developing');
    expect(estimateMastery(method, []).level).toBe('not_started');
  });

  it('lets the rest of the unit count: a student strong elsewhere starts higher on a new competency', () => {
    const here = [attempt([true, false])];
    const strongElsewhere = new Map([['b', [attempt([true, true, true]), attempt([true, true, true])]]]);
    const weakElsewhere = new Map([['b', [attempt([false, false, false]), attempt([false, true, false])]]]);
    const a = estimateMastery(method, here, undefined, { competencyId: 'a', others: strongElsewhere });
    const b = estimateMastery(method, here, undefined, { competencyId: 'a', others: weakElsewhere });
    expect(a.estimate!).toBeGreaterThan(b.estimate!);
  });

  it('explains itself in words the catalog translates', () => {
    const e = estimateMastery(method, [attempt([true, false, true])], undefined, { competencyId: 'a' });
    expect(localizeExplanation('en', e.explanation)).toMatch(
      /^(mastered|approaching|developing): chance of a right next answer 0\.\d\d .* over 3 answers: 2 right and 1 wrong here, 2 of 3 right across the unit$/,
    );
    expect(localizeExplanation('es', e.explanation)).toContain('probabilidad de acertar la próxima respuesta');
  });

  it('class recompute gives the same numbers as one student at a time', () => {
    const byCompetency = new Map([
      ['a', [attempt([true, false, true])]],
      ['b', [attempt([false, false]), attempt([true, true])]],
    ]);
    const cells = recomputeClass(method, ['a', 'b', 'c'], [{ userId: 'u', byCompetency }]).get('u')!;
    const all = pfaEstimates(byCompetency, ['a', 'b']);
    expect(cells.get('a')!.estimate).toBeCloseTo(all.get('a')!.estimate, 12);
    expect(cells.get('b')!.estimate).toBeCloseTo(all.get('b')!.estimate, 12);
    const single = estimateMastery(method, byCompetency.get('b')!, undefined, { competencyId: 'b', others: new Map([['a', byCompetency.get('a')!]]) });
    expect(cells.get('b')!.estimate).toBeCloseTo(single.estimate!, 12);
    expect(cells.get('c')!.level).toBe('not_started');
  });
});
