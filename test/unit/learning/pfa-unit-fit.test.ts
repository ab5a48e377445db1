import { describe, expect, it } from 'vitest';
import { recomputeClass } from '../../../src/learning/mastery/class-mastery.js';
import type { AttemptEvidence } from '../../../src/learning/mastery/evidence.js';
import { masteryMethodSchema } from '../../../src/learning/mastery/method-config.js';
import { methodFit, type ClassCheck } from '../../../src/learning/mastery/method-fit.js';
import type { SkillSequence } from '../../../src/learning/mastery/pfa-fit.js';
import { fitUnitPfa, parseStoredPfaModel, PFA_REFIT_MIN_NEW_ANSWERS, PFA_UNIT_MIN_ANSWERS, pfaRefitDue } from '../../../src/learning/mastery/pfa-unit-fit.js';
import { DEFAULT_PFA, PFA_TERMS, PFA_TERMS_ADDED, PfaTracker, type PfaModel } from '../../../src/learning/mastery/pfa.js';
import { seededRng } from '../../../src/learning/random.js';

/**
 * A unit whose students differ from the data the shared weights came from: one competency is
 * very easy, one very hard, and a right answer teaches a lot. Answers come in attempts of 5.
 */
function unitHistory(students: number, seed = 1): SkillSequence[] {
  const rng = seededRng(seed);
  const difficulty: Record<string, number> = { easy: -2.5, mid: 0, hard: 2.5 };
  return Array.from({ length: students }, () => {
    const ability = rng() * 2 - 1;
    const skills: string[] = [];
    const correct: boolean[] = [];
    for (const k of ['easy', 'mid', 'hard']) {
      let knowledge = 0;
      for (let a = 0; a < 4; a++) {
        for (let i = 0; i < 5; i++) {
          const right = rng() < 1 / (1 + Math.exp(-(ability - difficulty[k]! + knowledge)));
          knowledge += right ? 0.5 : 0.05;
          skills.push(k);
          correct.push(right);
        }
      }
    }
    return { skills, correct };
  });
}

/** Mean log-likelihood of a model's next-answer predictions on sequences. */
function logLikelihood(model: PfaModel, seqs: readonly SkillSequence[]): number {
  let ll = 0;
  let n = 0;
  for (const s of seqs) {
    const t = new PfaTracker(model);
    s.skills.forEach((k, i) => {
      const p = t.predict(k);
      ll += Math.log(s.correct[i] ? p : 1 - p);
      n++;
      t.observe(k, s.correct[i]!);
    });
  }
  return ll / n;
}

describe("a unit's own performance-factors weights", () => {
  it('are fitted once the unit has enough history: they differ from the shared ones and predict its history better', () => {
    const history = unitHistory(60);
    const fit = fitUnitPfa(history);
    expect(fit.answers).toBe(60 * 60);
    expect(fit.answers).toBeGreaterThanOrEqual(PFA_UNIT_MIN_ANSWERS);
    const model = fit.model!;
    expect(model).not.toBeNull();
    const moved = PFA_TERMS.filter((t) => Math.abs(model.weights[t] - DEFAULT_PFA.weights[t]) > 0.02);
    expect(moved.length).toBeGreaterThan(0);
    // Each competency gets its own difficulty: the easy one reads easier than the hard one.
    expect(model.skills.easy!.easiness).toBeGreaterThan(model.skills.hard!.easiness + 1);
    expect(model.skills.easy!.answers).toBe(60 * 20);
    expect(logLikelihood(model, history)).toBeGreaterThan(logLikelihood(DEFAULT_PFA, history) + 0.02);
    // And new students of the same unit, not in the fit, too.
    const fresh = unitHistory(30, 99);
    expect(logLikelihood(model, fresh)).toBeGreaterThan(logLikelihood(DEFAULT_PFA, fresh));
  });

  it('are the shared weights while the unit has little history', () => {
    const small = unitHistory(20);
    const fit = fitUnitPfa(small);
    expect(fit.answers).toBeLessThan(PFA_UNIT_MIN_ANSWERS);
    expect(fit.model).toBeNull();
    expect(fitUnitPfa([]).model).toBeNull();
  });

  it('are refitted once enough new answers arrived', () => {
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS - 1, null)).toBe(false);
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS, null)).toBe(true);
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS + PFA_REFIT_MIN_NEW_ANSWERS - 1, PFA_UNIT_MIN_ANSWERS)).toBe(false);
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS + PFA_REFIT_MIN_NEW_ANSWERS, PFA_UNIT_MIN_ANSWERS)).toBe(true);
    // A big unit waits for a quarter more.
    expect(pfaRefitDue(100_000 + 20_000, 100_000)).toBe(false);
    expect(pfaRefitDue(100_000 + 25_000, 100_000)).toBe(true);
  });

  it('are read back only when valid (else the shared weights apply)', () => {
    const model = fitUnitPfa(unitHistory(60)).model!;
    expect(parseStoredPfaModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(parseStoredPfaModel({ weights: { bias: 1 }, skills: {} })).toBeNull();
    expect(parseStoredPfaModel('nonsense')).toBeNull();
  });

  it('stored before the streak states, read those at the shared weights until the next refit, which is due at once', () => {
    const model = fitUnitPfa(unitHistory(60)).model!;
    const stored = JSON.parse(JSON.stringify(model)) as { weights: Record<string, number>; skills: Record<string, Record<string, number>> };
    for (const t of PFA_TERMS_ADDED) {
      delete stored.weights[t];
      for (const adj of Object.values(stored.skills)) delete adj[t];
    }
    const read = parseStoredPfaModel(stored)!;
    expect(read).not.toBeNull();
    for (const t of PFA_TERMS_ADDED) expect(read.weights[t]).toBe(DEFAULT_PFA.weights[t]);
    for (const t of PFA_TERMS.filter((t) => !PFA_TERMS_ADDED.includes(t))) expect(read.weights[t]).toBe(model.weights[t]);
    // Each competency keeps its fitted difficulty and slopes; of the new terms it has no slope of its own.
    expect(read.skills.hard!.easiness).toBe(model.skills.hard!.easiness);
    const asStored = (answers: boolean[]) => {
      const t = new PfaTracker(read);
      t.observeAll('hard', answers);
      return t.predict('hard');
    };
    const expected: PfaModel = {
      weights: { ...model.weights, ...Object.fromEntries(PFA_TERMS_ADDED.map((t) => [t, DEFAULT_PFA.weights[t]])) },
      skills: Object.fromEntries(Object.entries(model.skills).map(([k, a]) => [k, { ...a, rightRun2: 0, rightRun3: 0, wrongRun2: 0, wrongRun3: 0 }])),
    };
    const reference = new PfaTracker(expected);
    reference.observeAll('hard', [false, true, true, true]);
    expect(asStored([false, true, true, true])).toBeCloseTo(reference.predict('hard'), 12);
    // Due at once however few answers arrived since, unless the unit fell under the minimum.
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS + 10, PFA_UNIT_MIN_ANSWERS, false)).toBe(true);
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS + 10, PFA_UNIT_MIN_ANSWERS, true)).toBe(false);
    expect(pfaRefitDue(PFA_UNIT_MIN_ANSWERS - 1, PFA_UNIT_MIN_ANSWERS, false)).toBe(false);
    // A model missing one of the original terms is not ours: ignored.
    const broken = JSON.parse(JSON.stringify(stored)) as typeof stored;
    delete broken.weights.lastHere;
    expect(parseStoredPfaModel(broken)).toBeNull();
  });

  it('are what the class recompute and the method-fit panel use', () => {
    const model = fitUnitPfa(unitHistory(60)).model!;
    const method = masteryMethodSchema.parse({ method: 'pfa' });
    const evidence: AttemptEvidence[] = [
      { attemptId: 'x1', score: 0.4, submittedAt: new Date('2025-01-01T10:00:00Z'), responses: [true, false, true, false, false] },
    ];
    const learners = [{ userId: 'u', byCompetency: new Map([['hard', evidence]]) }];
    const shared = recomputeClass(method, ['hard'], learners).get('u')!.get('hard')!;
    const own = recomputeClass(method, ['hard'], learners, new Map(), model).get('u')!.get('hard')!;
    const after = (m: PfaModel) => {
      const t = new PfaTracker(m);
      t.observeAll('hard', evidence[0]!.responses);
      return t.predict('hard');
    };
    expect(shared.estimate).toBeCloseTo(after(DEFAULT_PFA), 12);
    expect(own.estimate).toBeCloseTo(after(model), 12);
    expect(own.estimate).not.toBeCloseTo(shared.estimate!, 3);

    const checks: ClassCheck[] = [];
    for (let u = 0; u < 12; u++) {
      for (let i = 0; i < 3; i++) {
        const passed = (u + i) % 3 !== 0;
        checks.push({
          userId: `u${u}`,
          competencyId: u % 2 ? 'easy' : 'hard',
          attemptId: `${u}-${i}`,
          score: passed ? 1 : 0.2,
          passed,
          submittedAt: new Date(1e12 + (u * 3 + i) * 60_000),
          responses: [passed, passed, true, passed, false],
        });
      }
    }
    const pfaRow = (m?: PfaModel) => methodFit(method, checks, () => 0.8, 1, new Map(), m).rows.find((r) => r.method === 'pfa')!;
    expect(pfaRow(model)).not.toEqual(pfaRow());
  });
});
