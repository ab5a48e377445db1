import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitInput } from '../unit/learning/fixtures.js';
import type { Database } from '../../src/store/database.js';
import { createLearningService, type LearningService } from '../../src/store/learning-service.js';
import { seededRng } from '../../src/learning/random.js';
import { AttemptRepository } from '../../src/store/attempt-repository.js';
import { PfaWeightsRepository } from '../../src/store/pfa-weights-repository.js';
import { pfaEstimate } from '../../src/learning/mastery/pfa-estimate.js';
import { DEFAULT_PFA, PFA_TERMS, PFA_TERMS_ADDED } from '../../src/learning/mastery/pfa.js';
import { PFA_UNIT_MIN_ANSWERS } from '../../src/learning/mastery/pfa-unit-fit.js';
import { localizeExplanation } from '../../src/web/i18n/explanations.js';
import { createTestDatabase } from '../support/database.js';
import { count, createCourse, createLearner } from './learning-fixtures.js';

const RIGHT: Record<string, unknown> = {};
for (const c of ['a', 'b', 'c']) Object.assign(RIGHT, { [`${c}-1`]: 4, [`${c}-2`]: 'paris', [`${c}-3`]: 'b' });

/**
 * Writes a course's history straight into the tables (a real class would take hours of clicking):
 * `students` learners, each with attempts of 2 answers on a (easy), b and c (hard).
 */
async function seedHistory(db: Database, course: { platformId: string; courseId: string }, unitId: string, students: number, start: Date) {
  const rng = seededRng(5);
  const chance: Record<string, number> = { a: 0.92, b: 0.6, c: 0.15 };
  const attempts: unknown[] = [];
  const responses: unknown[] = [];
  let t = start.getTime();
  for (let s = 0; s < students; s++) {
    const userId = await createLearner(db, course);
    for (const k of ['a', 'b', 'c']) {
      for (let a = 0; a < 6; a++) {
        const id = randomUUID();
        const answers = [rng() < chance[k]! + a * 0.02, rng() < chance[k]! + a * 0.02];
        const at = new Date((t += 60_000)).toISOString();
        attempts.push({ id, user_id: userId, unit_id: unitId, competency_id: k, course_id: course.courseId, at, score: answers.filter(Boolean).length / 2 });
        answers.forEach((correct, position) => responses.push({ attempt_id: id, position, item_id: `${k}-${position + 1}`, correct }));
      }
    }
  }
  await db.query(
    `insert into attempts (id, user_id, unit_id, competency_id, course_id, item_ids, items, status, started_at, expires_at, submitted_at, score, passed)
     select r.id, r.user_id, r.unit_id, r.competency_id, r.course_id, array[r.competency_id || '-1', r.competency_id || '-2'], '[]'::jsonb,
       'submitted', r.at, r.at + interval '1 hour', r.at, r.score, r.score >= 0.8
     from jsonb_to_recordset($1::jsonb) as r(id uuid, user_id uuid, unit_id uuid, competency_id text, course_id uuid, at timestamptz, score float8)`,
    [JSON.stringify(attempts)],
  );
  await db.query(
    `insert into responses (attempt_id, position, item_id, answer, credit, correct)
     select r.attempt_id, r.position, r.item_id, null, case when r.correct then 1 else 0 end, r.correct
     from jsonb_to_recordset($1::jsonb) as r(attempt_id uuid, position int, item_id text, correct boolean)`,
    [JSON.stringify(responses)],
  );
  return responses.length;
}

describe("a unit's performance-factors weights, fitted from its own history", () => {
  let db: Database;
  let svc: LearningService;
  let clockNow = new Date('2025-03-01T09:00:00Z');
  let courseA: { platformId: string; courseId: string };
  let courseB: { platformId: string; courseId: string };
  let unitId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = createLearningService(db, { rng: seededRng(3), clock: () => clockNow });
    courseA = await createCourse(db);
    courseB = await createCourse(db);
    // A library unit: both courses use it.
    const [unit] = await svc.importUnits(buildUnitInput({ mastery: { method: 'pfa' } }));
    unitId = unit!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  const take = async (student: string, course: { courseId: string }, competencyId: string, answers: Record<string, unknown>) => {
    clockNow = new Date(clockNow.getTime() + 60 * 60_000);
    const view = await svc.startAttempt({ userId: student, unitId, competencyId, courseId: course.courseId });
    return svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers });
  };

  it('keeps the shared weights while the unit has little history', async () => {
    const student = await createLearner(db, courseB);
    const r = await take(student, courseB, 'a', {});
    expect(await svc.refitPfaWeights()).toBe(0);
    expect(await new PfaWeightsRepository(db).find(unitId)).toBeNull();
    const evidence = await new AttemptRepository(db, courseB.courseId).evidence(student, unitId, 'a');
    expect(r.mastery.estimate).toBeCloseTo(pfaEstimate('a', evidence, new Map(), DEFAULT_PFA).estimate, 12);
  });

  it('fits them in the background once there is enough, never while a student submits', async () => {
    const seeded = await seedHistory(db, courseA, unitId, 60, new Date('2025-01-01T00:00:00Z'));
    expect(seeded).toBeGreaterThanOrEqual(PFA_UNIT_MIN_ANSWERS);
    // A submission with the unit due for a fit does not fit it: that is the background job's work.
    const student = await createLearner(db, courseA);
    await take(student, courseA, 'a', RIGHT);
    expect(await count(db, 'pfa_weights')).toBe(0);

    expect(await svc.refitPfaWeights()).toBe(1);
    const model = (await new PfaWeightsRepository(db).find(unitId))!;
    expect(model).not.toBeNull();
    expect(PFA_TERMS.some((t) => Math.abs(model.weights[t] - DEFAULT_PFA.weights[t]) > 0.01)).toBe(true);
    expect(model.skills.a!.easiness).toBeGreaterThan(model.skills.c!.easiness);
    const { rows } = await db.query<{ unitAnswers: number; answers: number; students: number }>(
      `select unit_answers as "unitAnswers", answers, students from pfa_weights where unit_id = $1`,
      [unitId],
    );
    expect(rows[0]).toEqual({ unitAnswers: seeded + 2 + 2, answers: seeded + 2 + 2, students: 62 });
    // Not due again until enough new answers arrive.
    expect(await svc.refitPfaWeights()).toBe(0);
  });

  it("reads at most the unit's latest answers for a fit (bounded)", async () => {
    const seqs = await new PfaWeightsRepository(db).answerSequences(unitId, 100);
    const n = seqs.reduce((s, x) => s + x.correct.length, 0);
    expect(n).toBeGreaterThan(90);
    expect(n).toBeLessThanOrEqual(100);
  });

  it("uses the unit's weights for every course, and only that course's answers for each student", async () => {
    const model = (await new PfaWeightsRepository(db).find(unitId))!;
    // A student of course B who also studies in course A, where the history was seeded.
    const both = await createLearner(db, courseB);
    await db.query(`insert into enrollments (course_id, user_id, roles) values ($1, $2, $3)`, [courseA.courseId, both, ['Learner']]);
    await take(both, courseA, 'a', RIGHT);
    await take(both, courseA, 'a', RIGHT);
    const r = await take(both, courseB, 'a', {});
    const evidence = await new AttemptRepository(db, courseB.courseId).evidence(both, unitId, 'a');
    expect(evidence).toHaveLength(1);
    expect(r.mastery.estimate).toBeCloseTo(pfaEstimate('a', evidence, new Map(), model).estimate, 12);
    expect(r.mastery.estimate).not.toBeCloseTo(pfaEstimate('a', evidence, new Map(), DEFAULT_PFA).estimate, 3);
    // Course A's two right attempts are not in course B's estimate or its explanation.
    expect(r.mastery.explanation).toMatchObject({ answers: { right: 0, wrong: 2, unitRight: 0, unitWrong: 2 } });
    expect(localizeExplanation('en', r.mastery.explanation)).toMatch(
      /0 right and 2 wrong here, 0 of 2 right across the unit; the last 2 wrong in a row: -0\.\d\d$/,
    );
  });

  it('keeps a model stored before the streak states working, and refits it on the next housekeeping run', async () => {
    const repo = new PfaWeightsRepository(db);
    const fitted = (await repo.find(unitId))!;
    // The row as the previous estimator stored it: no weights or slopes of the streak states.
    const old = JSON.parse(JSON.stringify(fitted)) as { weights: Record<string, number>; skills: Record<string, Record<string, number>> };
    for (const t of PFA_TERMS_ADDED) {
      delete old.weights[t];
      for (const adj of Object.values(old.skills)) delete adj[t];
    }
    await db.query(`update pfa_weights set model = $2::jsonb where unit_id = $1`, [unitId, JSON.stringify(old)]);
    const read = (await repo.find(unitId))!;
    for (const t of PFA_TERMS_ADDED) expect(read.weights[t]).toBe(DEFAULT_PFA.weights[t]);
    expect(read.weights.bias).toBe(fitted.weights.bias);

    // A student submitting meanwhile gets that model's estimate.
    const student = await createLearner(db, courseA);
    const r = await take(student, courseA, 'a', RIGHT);
    const evidence = await new AttemptRepository(db, courseA.courseId).evidence(student, unitId, 'a');
    expect(r.mastery.estimate).toBeCloseTo(pfaEstimate('a', evidence, new Map(), read).estimate, 12);
    expect(r.mastery.estimate).not.toBeCloseTo(pfaEstimate('a', evidence, new Map(), fitted).estimate, 6);

    // Due at once, though only 2 answers arrived since the last fit.
    expect(await svc.refitPfaWeights()).toBe(1);
    const { rows } = await db.query<{ model: { weights: Record<string, number> } }>(`select model from pfa_weights where unit_id = $1`, [unitId]);
    for (const t of PFA_TERMS) expect(typeof rows[0]!.model.weights[t]).toBe('number');
    expect(await svc.refitPfaWeights()).toBe(0);
  });
});
