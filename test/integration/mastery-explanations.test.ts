import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { MasteryRepository } from '../../src/store/mastery-repository.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { localizeExplanation } from '../../src/web/i18n/explanations.js';
import { buildUnitInput } from '../unit/learning/fixtures.js';
import { createTestDatabase } from '../support/database.js';
import { createCourse, createLearner } from './learning-fixtures.js';

describe('stored mastery explanations (migration 060)', () => {
  let db: Database;
  let repo: MasteryRepository;
  let userId: string;
  let unitId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const course = await createCourse(db);
    userId = await createLearner(db, course);
    const [unit] = await createLearningService(db).importUnits(buildUnitInput(), { courseId: course.courseId });
    unitId = unit!.id;
    repo = new MasteryRepository(db, course.courseId);
  });
  afterAll(async () => {
    await db?.close();
  });

  const record = (competencyId: string) => ({
    userId,
    unitId,
    competencyId,
    level: 'approaching' as const,
    calculatedLevel: 'approaching' as const,
    estimate: 0.7,
    explanation: {
      kind: 'value',
      level: 'approaching',
      method: 'average',
      value: 0.7,
      masteryThreshold: 0.8,
      approachingThreshold: 0.6,
      count: 2,
      counting: 'attempt',
    } as const,
    evidenceCount: 2,
    method: 'average',
    overridden: false,
    updatedAt: new Date('2026-01-02T00:00:00Z'),
  });

  it('saves the structured explanation and reads it back, current and history, for any language', async () => {
    await repo.save(record('a'), { cause: 'attempt', attemptId: null, actorId: null });
    const current = await repo.current(userId, unitId, 'a');
    expect(current!.explanation).toEqual(record('a').explanation);
    const [history] = await repo.history(userId, unitId, 'a');
    expect(history!.explanation).toEqual(record('a').explanation);
    expect(localizeExplanation('es', current!.explanation)).toBe('cerca del dominio: media 0,70 < 0,80 (cerca desde 0,60) en 2 intentos');
  });

  it('a row saved before keeps its English words, shown as they are; a new save replaces them', async () => {
    await db.query(
      `insert into mastery_current (user_id, unit_id, competency_id, level, calculated_level, estimate, explanation, evidence_count, method, overridden, updated_at, course_id)
       select $1, $2, 'b', 'mastered', 'mastered', 0.9, 'mastered: average 0.90 ≥ 0.80 over 2 attempts', 2, 'average', false, now(), course_id
       from (select course_id from mastery_current where competency_id = 'a' limit 1) c`,
      [userId, unitId],
    );
    expect((await repo.current(userId, unitId, 'b'))!.explanation).toBe('mastered: average 0.90 ≥ 0.80 over 2 attempts');
    await repo.save(record('b'), { cause: 'recompute', attemptId: null, actorId: null });
    expect((await repo.current(userId, unitId, 'b'))!.explanation).toEqual(record('b').explanation);
  });
});
