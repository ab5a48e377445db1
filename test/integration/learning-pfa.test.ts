import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitInput } from '../unit/learning/fixtures.js';
import type { Database } from '../../src/store/database.js';
import { createLearningService, type LearningService } from '../../src/store/learning-service.js';
import { seededRng } from '../../src/learning/random.js';
import { AttemptRepository } from '../../src/store/attempt-repository.js';
import { pfaEstimate } from '../../src/learning/mastery/pfa-estimate.js';
import { createTestDatabase } from '../support/database.js';
import { createCourse, createLearner } from './learning-fixtures.js';
import { localizeExplanation } from '../../src/web/i18n/explanations.js';

const RIGHT: Record<string, unknown> = {};
for (const c of ['a', 'b', 'c']) Object.assign(RIGHT, { [`${c}-1`]: 4, [`${c}-2`]: 'paris', [`${c}-3`]: 'b' });

describe('the performance-factors method on the embedded database', () => {
  let db: Database;
  let svc: LearningService;
  let clockNow = new Date('2025-03-01T09:00:00Z');
  let course: { platformId: string; courseId: string };
  let unitId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = createLearningService(db, { rng: seededRng(3), clock: () => clockNow });
    course = await createCourse(db);
    const [unit] = await svc.importUnits(buildUnitInput({ mastery: { method: 'pfa' } }), { courseId: course.courseId });
    unitId = unit!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  it("estimates a competency from the student's answers across the unit, as stored", async () => {
    const student = await createLearner(db, course);
    const take = async (competencyId: string, answers: Record<string, unknown>) => {
      clockNow = new Date(clockNow.getTime() + 60 * 60_000);
      const view = await svc.startAttempt({ userId: student, unitId, competencyId, courseId: course.courseId });
      return svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers });
    };
    const first = await take('a', RIGHT);
    expect(localizeExplanation('en', first.mastery.explanation)).toMatch(/over 2 answers: 2 right and 0 wrong here, 2 of 2 right across the unit$/);
    await take('a', RIGHT);
    const b = await take('b', {});
    const repo = new AttemptRepository(db, course.courseId);
    const all = await repo.unitEvidence(student, unitId);
    expect([...all.keys()].sort()).toEqual(['a', 'b']);
    const bEvidence = all.get('b')!;
    all.delete('b');
    const expected = pfaEstimate('b', bEvidence, all);
    expect(b.mastery.estimate).toBeCloseTo(expected.estimate, 12);
    // Two right attempts on a raise the estimate for b above what b's answers alone give.
    expect(b.mastery.estimate!).toBeGreaterThan(pfaEstimate('b', bEvidence).estimate);
    // The explanation carries the very estimate it explains, in every language.
    expect(b.mastery.explanation).toMatchObject({ kind: 'value', method: 'pfa', value: b.mastery.estimate });
    expect(localizeExplanation('en', b.mastery.explanation)).toContain(`chance of a right next answer ${b.mastery.estimate!.toFixed(2)}`);
    expect(localizeExplanation('es', b.mastery.explanation)).toContain(
      `probabilidad de acertar la próxima respuesta ${b.mastery.estimate!.toFixed(2).replace('.', ',')}`,
    );
  });
});
