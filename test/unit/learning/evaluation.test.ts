import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../src/learning/evaluation/evaluate.js';
import { auc, scorePredictions } from '../../../src/learning/evaluation/metrics.js';
import { CANDIDATE_MODELS, DEFAULT_MODEL } from '../../../src/learning/evaluation/models.js';
import { parseSequences, type AnswerSequence } from '../../../src/learning/evaluation/sequences.js';
import { fitPfa } from '../../../src/learning/mastery/pfa-fit.js';
import { DEFAULT_PFA, PfaTracker } from '../../../src/learning/mastery/pfa.js';
import { seededRng, type Rng } from '../../../src/learning/random.js';

/**
 * Synthetic students: each has an ability, each skill a difficulty; every answer raises the
 * student's knowledge of that skill a little. Answers are drawn from a logistic curve.
 */
function simulate(rng: Rng, students: number, skills: number, answersPerSkill: number): AnswerSequence[] {
  const difficulty = Array.from({ length: skills }, () => rng() * 3 - 1.5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Array.from({ length: students }, () => {
    const ability = gauss();
    const out: AnswerSequence = { skills: [], correct: [] };
    const order = Array.from({ length: skills }, (_, k) => k).filter(() => rng() < 0.7);
    for (const k of order) {
      let knowledge = 0;
      for (let t = 0; t < answersPerSkill; t++) {
        const p = 1 / (1 + Math.exp(-(ability - difficulty[k]! + knowledge)));
        const right = rng() < p;
        knowledge += right ? 0.4 : 0.2;
        (out.skills as number[]).push(k);
        (out.correct as boolean[]).push(right);
      }
    }
    return out;
  }).filter((s) => s.skills.length > 0);
}

const model = (name: string) => CANDIDATE_MODELS.find((m) => m.name === name)!;

describe('the 3-line knowledge-tracing format', () => {
  it('reads count, skills and answers per student', () => {
    const seqs = parseSequences('3\n1,1,2\n0,1,1\n\n1\n7\n1\n');
    expect(seqs).toEqual([
      { skills: [1, 1, 2], correct: [false, true, true] },
      { skills: [7], correct: [true] },
    ]);
  });

  it('accepts a trailing comma and names the line of a record that does not add up', () => {
    expect(parseSequences('2\n1,2,\n1,0,\n')).toHaveLength(1);
    expect(() => parseSequences('2\n1,2\n1,0\n3\n1,2\n1,1,1\n')).toThrow(/line 4: 3 answers announced, 2 skills/);
    expect(() => parseSequences('1\n4\n2\n')).toThrow(/line 1/);
  });
});

describe('prediction scores', () => {
  it('computes AUC by ranks with ties counted half', () => {
    expect(auc([0.1, 0.9], [false, true])).toBe(1);
    expect(auc([0.9, 0.1], [false, true])).toBe(0);
    expect(auc([0.5, 0.5, 0.5], [false, true, true])).toBe(0.5);
    expect(auc([0.2, 0.6, 0.4, 0.8], [false, false, true, true])).toBe(0.75);
    expect(auc([0.3], [true])).toBeNaN();
  });

  it('computes RMSE, log loss and accuracy', () => {
    const s = scorePredictions([0.8, 0.4], [true, false]);
    expect(s.rmse).toBeCloseTo(Math.sqrt((0.04 + 0.16) / 2), 12);
    expect(s.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(s.accuracy).toBe(1);
  });
});

describe('the default estimator (performance factors with recency)', () => {
  it('is the default model of the evaluation', () => {
    expect(DEFAULT_MODEL).toBe('pfa');
    expect(CANDIDATE_MODELS.map((m) => m.name)).toEqual(
      expect.arrayContaining(['pfa', 'pfa_shared', 'bkt', 'decaying_average', 'average', 'latest', 'highest', 'skill_mean']),
    );
  });

  it('predicts better after right answers than after wrong ones, and counts what it saw', () => {
    const good = new PfaTracker(DEFAULT_PFA);
    const bad = new PfaTracker(DEFAULT_PFA);
    for (let i = 0; i < 4; i++) {
      good.observe('a', true);
      bad.observe('a', false);
    }
    expect(good.predict('a')).toBeGreaterThan(0.8);
    expect(bad.predict('a')).toBeLessThan(0.4);
    expect(good.counts('a')).toEqual({ right: 4, wrong: 0, totalRight: 4, totalWrong: 0 });
  });

  it('beats the per-skill mean and knowledge tracing on a synthetic class of 200', () => {
    const rng = seededRng(11);
    const data = simulate(rng, 300, 8, 6);
    const train = data.slice(0, 200);
    const test = data.slice(200);
    const pfa = evaluateModel(model('pfa'), train, test);
    const mean = evaluateModel(model('skill_mean'), train, test);
    const bkt = evaluateModel(model('bkt'), train, test);
    expect(pfa.auc).toBeGreaterThan(mean.auc + 0.05);
    expect(pfa.auc).toBeGreaterThan(bkt.auc);
    expect(pfa.logLoss).toBeLessThan(mean.logLoss);
  });

  it('also scores the shipped shared weights as a class uses them, which learn nothing from the training students', () => {
    const rng = seededRng(12);
    const data = simulate(rng, 260, 8, 6);
    const test = data.slice(200);
    const shared = model('pfa_shared');
    const a = evaluateModel(shared, data.slice(0, 200), test);
    const b = evaluateModel(shared, data.slice(0, 3), test);
    expect(a.auc).toBe(b.auc);
    expect(a.logLoss).toBe(b.logLoss);
    const tracker = new PfaTracker(DEFAULT_PFA);
    const predictor = shared.fit([])();
    for (const [k, c] of [
      [1, true],
      [2, false],
      [1, false],
    ] as const) {
      expect(predictor.predict(k)).toBe(tracker.predict(String(k)));
      predictor.observe(k, c);
      tracker.observe(String(k), c);
    }
  });

  it('also scores the answers that continue on the same competency as the one before, where no copy of a multi-skill item can precede', () => {
    const test: AnswerSequence[] = [
      { skills: [1, 1, 2, 1, 1], correct: [true, false, true, true, false] },
      { skills: [3, 3, 3], correct: [false, true, true] },
    ];
    const r = evaluateModel(model('latest'), [], test);
    // Continuing answers: 2nd and 5th of the first student, 2nd and 3rd of the second; "latest"
    // predicts each by the answer before it: right→wrong, right→wrong, wrong→right, right→right.
    expect(r.count).toBe(8);
    expect(r.sameCompetencyCount).toBe(4);
    expect(r.sameCompetencyAuc).toBe(auc([1, 1, 0, 1], [false, false, true, true]));
  });

  it('is never below the per-skill mean when every skill has only a handful of students', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = seededRng(seed);
      const data = simulate(rng, 60, 12, 4);
      // 6 training students: each skill seen by about 4 of them.
      const pfa = evaluateModel(model('pfa'), data.slice(0, 6), data.slice(6));
      const mean = evaluateModel(model('skill_mean'), data.slice(0, 6), data.slice(6));
      expect(pfa.auc, `seed ${seed}`).toBeGreaterThanOrEqual(mean.auc);
    }
  });

  it('keeps the prior where there is no data, and fits an easier skill as easier', () => {
    expect(fitPfa([]).model).toEqual(DEFAULT_PFA);
    const seqs = Array.from({ length: 40 }, (_, i) => ({
      skills: ['easy', 'easy', 'hard', 'hard'],
      correct: [i % 10 !== 0, true, i % 3 === 0, i % 4 === 0],
    }));
    const fit = fitPfa(seqs);
    expect(fit.model.skills.easy!.easiness).toBeGreaterThan(fit.model.skills.hard!.easiness);
    expect(fit.model.skills.easy!.answers).toBe(80);
  });

  it('fits how much the last answer says on each competency (a per-competency recency slope)', () => {
    const rng = seededRng(7);
    // On "sticky" a student's answer repeats their previous one 9 times in 10; on "coin" answers are independent.
    const seqs = Array.from({ length: 200 }, () => {
      const skills: string[] = [];
      const correct: boolean[] = [];
      let last = rng() < 0.6;
      for (let t = 0; t < 10; t++) {
        last = rng() < 0.9 ? last : !last;
        skills.push('sticky');
        correct.push(last);
      }
      for (let t = 0; t < 10; t++) {
        skills.push('coin');
        correct.push(rng() < 0.6);
      }
      return { skills, correct };
    });
    const { model } = fitPfa(seqs);
    expect(model.skills.sticky!.lastHere!).toBeGreaterThan(model.skills.coin!.lastHere! + 0.3);
    // The same history, right then wrong at the end, reads differently on the two competencies.
    const gap = (skill: string) => {
      const afterRight = new PfaTracker(model);
      const afterWrong = new PfaTracker(model);
      afterRight.observeAll(skill, [false, true, false, true]);
      afterWrong.observeAll(skill, [true, false, true, false]);
      return afterRight.predict(skill) - afterWrong.predict(skill);
    };
    expect(gap('sticky')).toBeGreaterThan(gap('coin') + 0.2);
  });
});
