import { describe, expect, it } from 'vitest';
import { recomputeClass } from '../../../src/learning/mastery/class-mastery.js';
import { estimateMastery } from '../../../src/learning/mastery/estimate.js';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { fitPfa, type SkillSequence } from '../../../src/learning/mastery/pfa-fit.js';
import { pfaEstimates } from '../../../src/learning/mastery/pfa-estimate.js';
import { DEFAULT_PFA, PFA_TERMS, PfaTracker, type PfaModel } from '../../../src/learning/mastery/pfa.js';
import { seededRng } from '../../../src/learning/random.js';
import { localizeExplanation } from '../../../src/web/i18n/explanations.js';

const after = (answers: boolean[], model: PfaModel = DEFAULT_PFA, skill = 'a') => {
  const t = new PfaTracker(model);
  t.observeAll(skill, answers);
  return t;
};
const R = true;
const W = false;
const withWeights = (w: Partial<PfaModel['weights']>, skills: PfaModel['skills'] = {}): PfaModel => ({ weights: { ...DEFAULT_PFA.weights, ...w }, skills });
const method = masteryMethodSchema.parse({ method: 'pfa' });
const attempt = (responses: boolean[], minute: number): AttemptEvidence => ({
  attemptId: `a${minute}`,
  score: responses.filter(Boolean).length / responses.length,
  submittedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  responses,
});

describe('right and wrong answers in a row here, as states (2, or 3 or more)', () => {
  it('are terms of the estimate: 2 right in a row raise it over 1, with the same answers otherwise', () => {
    const terms = (answers: boolean[]) => Object.fromEntries(PFA_TERMS.map((t, j) => [t, after(answers).features('a')[j]]));
    expect(terms([W, R, R])).toMatchObject({ rightRun2: 1, rightRun3: 0, wrongRun2: 0, wrongRun3: 0 });
    expect(terms([R, R, R, R])).toMatchObject({ rightRun2: 0, rightRun3: 1 });
    expect(terms([R, W, W])).toMatchObject({ rightRun2: 0, wrongRun2: 1, wrongRun3: 0 });
    expect(terms([W, W, W, W])).toMatchObject({ wrongRun2: 0, wrongRun3: 1 });
    expect(terms([R, W, R])).toMatchObject({ rightRun2: 0, rightRun3: 0, wrongRun2: 0, wrongRun3: 0 });
    // The same two right and one wrong answer: the last 2 right in a row read higher than the last 1.
    expect(after([W, R, R]).predict('a')).toBeGreaterThan(after([R, W, R]).predict('a'));
    // Each state moves the estimate by its own weight, all else equal.
    const up = withWeights({ rightRun2: DEFAULT_PFA.weights.rightRun2 + 0.5 });
    expect(after([W, R, R], up).predict('a')).toBeGreaterThan(after([W, R, R]).predict('a') + 0.05);
    expect(after([R, W, R], up).predict('a')).toBe(after([R, W, R]).predict('a'));
  });

  it('wrong answers in a row lower it further: 3 wrong in a row below 2, below 1', () => {
    const one = after([R, R, W]).predict('a');
    const two = after([R, R, W, W]).predict('a');
    const three = after([R, R, W, W, W]).predict('a');
    expect(two).toBeLessThan(one);
    expect(three).toBeLessThan(two);
    // A check of 5 or more answers all right always raises the shared weights' estimate, whatever
    // came before (a single right answer completing a run of 3 may lower it a little).
    for (let len = 1; len <= 8; len++) {
      for (let mask = 0; mask < 1 << len; mask++) {
        const history = Array.from({ length: len }, (_, i) => ((mask >> i) & 1) === 1);
        for (const size of [5, 8]) {
          const t = after(history);
          const before = t.predict('a');
          t.observeAll('a', Array<boolean>(size).fill(R));
          expect(t.predict('a'), `${history.join()} + ${size} right`).toBeGreaterThan(before);
        }
      }
    }
  });

  it("get each competency's own slopes in a unit's fit", () => {
    // On 'sticky' a student with 2 right in a row keeps getting it right; on 'plain' runs say nothing.
    const rng = seededRng(7);
    const sequences: SkillSequence[] = Array.from({ length: 150 }, () => {
      const skills: string[] = [];
      const correct: boolean[] = [];
      for (const k of ['sticky', 'plain']) {
        let run = 0;
        for (let i = 0; i < 12; i++) {
          const right = rng() < (k === 'sticky' && run >= 2 ? 0.97 : 0.55);
          run = right ? run + 1 : 0;
          skills.push(k);
          correct.push(right);
        }
      }
      return { skills, correct };
    });
    const { model } = fitPfa(sequences, { sharedPenalty: 300 });
    const sticky = model.skills.sticky!;
    const plain = model.skills.plain!;
    expect(sticky.rightRun2! + sticky.rightRun3!).toBeGreaterThan(plain.rightRun2! + plain.rightRun3! + 0.5);
  });

  it('are named in the explanation when they moved the estimate, with the very change they made', () => {
    const e = estimateMastery(method, [attempt([W, R, R, R, R], 1)], undefined, { competencyId: 'a' });
    expect(e.explanation).toMatchObject({ kind: 'value', streak: { right: true, count: 4 } });
    const streak = e.streak!;
    // The change is the estimate against the same answers read as a run of one (no state term).
    const noState = withWeights({ rightRun3: 0 });
    expect(streak.shift).toBeCloseTo(e.estimate! - after([W, R, R, R, R], noState).predict('a'), 12);
    expect(streak.shift).toBeLessThan(-0.005);
    const en = localizeExplanation('en', e.explanation);
    const es = localizeExplanation('es', e.explanation);
    const shift = (locale: string) =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'always' }).format(streak.shift);
    expect(en).toMatch(/: 4 right and 1 wrong here, 4 of 5 right across the unit; the last 4 right in a row: /);
    expect(en.endsWith(`the last 4 right in a row: ${shift('en')}`)).toBe(true);
    expect(es.endsWith(`las últimas 4 correctas seguidas: ${shift('es')}`)).toBe(true);

    const wrong = estimateMastery(method, [attempt([R, W, W, W], 2)], undefined, { competencyId: 'a' });
    expect(wrong.streak).toMatchObject({ right: false, count: 3 });
    // Against one wrong answer: the state's weight and the log-count of wrong answers in a row beyond 1.
    const w = DEFAULT_PFA.weights;
    const z = Math.log(wrong.estimate! / (1 - wrong.estimate!));
    const expected = wrong.estimate! - 1 / (1 + Math.exp(-(z - w.wrongRun3 - w.wrongStreak * (Math.log(4) - Math.log(2)))));
    expect(wrong.streak!.shift).toBeLessThan(-0.02);
    expect(wrong.streak!.shift).toBeCloseTo(expected, 12);
    expect(localizeExplanation('en', wrong.explanation)).toContain('; the last 3 wrong in a row: -0.');
    expect(localizeExplanation('es', wrong.explanation)).toContain('; las últimas 3 incorrectas seguidas: -0,');
  });

  it('are not named when the run is a single answer, or when it moved the estimate by less than 0.005', () => {
    const single = estimateMastery(method, [attempt([R, W, R], 1)], undefined, { competencyId: 'a' });
    expect(single.streak).toBeUndefined();
    expect(single.explanation).not.toHaveProperty('streak');
    expect(localizeExplanation('en', single.explanation)).toMatch(/across the unit$/);
    // The shared weights give 2 right in a row almost no weight of its own: not named.
    expect(Math.abs(DEFAULT_PFA.weights.rightRun2)).toBeLessThan(0.02);
    const two = estimateMastery(method, [attempt([W, R, R], 1)], undefined, { competencyId: 'a' });
    expect(two.streak).toBeUndefined();
    const named = estimateMastery(method, [attempt([W, R, R], 1)], undefined, { competencyId: 'a', pfaModel: withWeights({ rightRun2: 0.4 }) });
    expect(named.streak).toMatchObject({ right: true, count: 2 });
    expect(named.streak!.shift).toBeGreaterThan(0.05);
  });

  it('read the same in the class recompute as for one student', () => {
    const byCompetency = new Map([
      ['a', [attempt([W, R, R, R], 1)]],
      ['b', [attempt([R, W, W, W], 2)]],
      ['c', [attempt([R, W], 3)]],
    ]);
    const cells = recomputeClass(method, ['a', 'b', 'c'], [{ userId: 'u', byCompetency }]).get('u')!;
    const one = pfaEstimates(byCompetency);
    for (const id of ['a', 'b', 'c']) expect(cells.get(id)!.streak).toEqual(one.get(id)!.streak);
    expect(cells.get('a')!.streak).toMatchObject({ right: true, count: 3 });
    expect(cells.get('c')!.streak).toBeUndefined();
  });
});
