import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnitInput } from '../unit/learning/fixtures.js';
import type { Database } from '../../src/store/database.js';
import { learningPorts } from '../../src/store/learning-ports.js';
import { createLearningService, type LearningService } from '../../src/store/learning-service.js';
import { submitAttempt } from '../../src/learning/use-cases/submit-attempt.js';
import { seededRng } from '../../src/learning/random.js';
import { AttemptRepository } from '../../src/store/attempt-repository.js';
import { createTestDatabase } from '../support/database.js';
import { count, createCourse, createLearner, placeUnit } from './learning-fixtures.js';
import { localizeExplanation } from '../../src/web/i18n/explanations.js';

/** Correct answers for the fixture unit's items (every check has x-1, x-2, x-3). */
const RIGHT: Record<string, unknown> = {};
for (const c of ['a', 'b', 'c']) Object.assign(RIGHT, { [`${c}-1`]: 4, [`${c}-2`]: 'paris', [`${c}-3`]: 'b' });

describe('attempts and mastery on the embedded database', () => {
  let db: Database;
  let svc: LearningService;
  let clockNow = new Date('2025-03-01T09:00:00Z');
  let course: { platformId: string; courseId: string };
  let unitId: string;
  let placementId: string;
  let gradeChanges = 0;
  const advance = (minutes: number) => (clockNow = new Date(clockNow.getTime() + minutes * 60_000));

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = createLearningService(db, { rng: seededRng(7), clock: () => clockNow, afterGradeChange: () => (gradeChanges += 1) });
    course = await createCourse(db);
    const input = buildUnitInput();
    input.competencies[0]!.check.coolDownMinutes = 5;
    const [unit] = await svc.importUnits(input, { courseId: course.courseId });
    unitId = unit!.id;
    placementId = await placeUnit(db, course.courseId, unitId, 10);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('draws items server-side and sends no answer keys to the browser', async () => {
    const student = await createLearner(db, course);
    const view = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    expect(view.items).toHaveLength(2);
    const json = JSON.stringify(view);
    for (const secret of ['correctOptionId', 'answer"', 'accept', 'paris', 'Paris', 'tolerance', 'feedback']) expect(json).not.toContain(secret);
    const again = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    expect(again).toMatchObject({ attemptId: view.attemptId, resumed: true });
    expect(await count(db, 'attempts', 'user_id = $1 and status = $2', [student, 'open'])).toBe(1);
  });

  it('refuses a locked competency', async () => {
    const student = await createLearner(db, course);
    await expect(svc.startAttempt({ userId: student, unitId, competencyId: 'b', courseId: null })).rejects.toMatchObject({ code: 'competency_locked' });
  });

  it('submits atomically: attempt, responses, mastery + history and the grade outbox entry', async () => {
    const student = await createLearner(db, course);
    await svc.choosePathway({ userId: student, unitId, competencyId: 'a', pathwayId: 'a-read', courseId: course.courseId });
    const view = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    const changesBefore = gradeChanges;
    const result = await svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: RIGHT });
    expect(result).toMatchObject({ score: 1, passed: true, mastery: { level: 'mastered' }, unitProgress: { mastered: 1, total: 3 } });
    // The outbox worker is told once the transaction is committed, so the score goes out at once.
    expect(gradeChanges).toBe(changesBefore + 1);
    expect(localizeExplanation('en', result.mastery.explanation)).toBe('mastered: decaying average 1.00 ≥ 0.80 over 1 attempt');
    expect(await count(db, 'responses', 'attempt_id = $1', [view.attemptId])).toBe(2);
    expect(await count(db, 'mastery_history', 'user_id = $1', [student])).toBe(1);
    const { rows } = await db.query<{ scoreGiven: number; scoreMaximum: number; activityProgress: string }>(
      `select score_given as "scoreGiven", score_maximum as "scoreMaximum", activity_progress as "activityProgress"
       from grade_outbox where user_id = $1 and placement_id = $2`,
      [student, placementId],
    );
    expect(rows).toEqual([{ scoreGiven: 3.33, scoreMaximum: 10, activityProgress: 'InProgress' }]);
    const attempt = (await new AttemptRepository(db, null).findForUpdate(view.attemptId))!;
    expect(attempt).toMatchObject({ status: 'submitted', pathwayId: 'a-read', pathwayModalities: ['read'] });
    // b opens now that a is mastered (in this course: mastery is kept per course)
    await expect(svc.startAttempt({ userId: student, unitId, competencyId: 'b', courseId: course.courseId })).resolves.toBeTruthy();
    await expect(svc.startAttempt({ userId: student, unitId, competencyId: 'b', courseId: null })).rejects.toMatchObject({ code: 'competency_locked' });
  });

  it('leaves nothing behind when a step fails in the middle', async () => {
    const student = await createLearner(db, course);
    const view = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    await expect(
      db.transaction(async (tx) => {
        const ports = learningPorts(tx, course.courseId);
        ports.grades.enqueue = async () => {
          throw new Error('outbox down');
        };
        return submitAttempt(ports, { attemptId: view.attemptId, userId: student, answers: RIGHT, now: clockNow });
      }),
    ).rejects.toThrow('outbox down');
    expect(await count(db, 'attempts', 'id = $1 and status = $2', [view.attemptId, 'open'])).toBe(1);
    expect(await count(db, 'responses', 'attempt_id = $1', [view.attemptId])).toBe(0);
    expect(await count(db, 'mastery_current', 'user_id = $1', [student])).toBe(0);
    expect(await count(db, 'mastery_history', 'user_id = $1', [student])).toBe(0);
    expect(await count(db, 'grade_outbox', 'user_id = $1', [student])).toBe(0);
    // and the attempt can still be submitted afterwards
    await expect(svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: RIGHT })).resolves.toMatchObject({ passed: true });
  });

  it('answers a double submit with one result, stored once', async () => {
    const student = await createLearner(db, course);
    const view = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: null });
    const [r1, r2] = await Promise.all([
      svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: RIGHT }),
      svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: {} }),
    ]);
    expect(r2).toEqual(r1);
    const r3 = await svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: {} });
    expect(r3).toEqual(r1);
    expect(await count(db, 'responses', 'attempt_id = $1', [view.attemptId])).toBe(2);
    expect(await count(db, 'mastery_history', 'user_id = $1', [student])).toBe(1);
  });

  it("hides other students' attempts, expires abandoned ones, and enforces the cool-down", async () => {
    const student = await createLearner(db, course);
    const other = await createLearner(db, course);
    const view = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: null });
    await expect(svc.submitAttempt({ attemptId: view.attemptId, userId: other, answers: RIGHT })).rejects.toMatchObject({ code: 'attempt_not_found' });
    advance(61);
    await expect(svc.submitAttempt({ attemptId: view.attemptId, userId: student, answers: RIGHT })).rejects.toMatchObject({ code: 'attempt_expired' });
    const fresh = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: null });
    expect(fresh.attemptId).not.toBe(view.attemptId);
    expect(await count(db, 'attempts', 'id = $1 and status = $2', [view.attemptId, 'expired'])).toBe(1);
    const failed = await svc.submitAttempt({ attemptId: fresh.attemptId, userId: student, answers: {} });
    expect(failed).toMatchObject({ passed: false, suggestAnotherPathway: false, mastery: { level: 'developing' } });
    await expect(svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: null })).rejects.toMatchObject({ code: 'attempt_cooling_down' });
    advance(5);
    const second = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: null });
    const failedAgain = await svc.submitAttempt({ attemptId: second.attemptId, userId: student, answers: {} });
    expect(failedAgain.suggestAnotherPathway).toBe(true);
  });

  it('lets a teacher override with a reason (audited) until withdrawn; later failures lower the level', async () => {
    const student = await createLearner(db, course);
    const teacher = await createLearner(db, course, 'Instructor');
    const v1 = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    await svc.submitAttempt({ attemptId: v1.attemptId, userId: student, answers: RIGHT });
    advance(1);
    await expect(
      svc.overrideMastery({ teacherId: teacher, userId: student, unitId, competencyId: 'a', courseId: course.courseId, level: 'developing', reason: '' }),
    ).rejects.toMatchObject({ code: 'override_reason_required' });
    const o = await svc.overrideMastery({
      teacherId: teacher,
      teacherName: 'Ms Rivera',
      userId: student,
      unitId,
      competencyId: 'a',
      courseId: course.courseId,
      level: 'developing',
      reason: 'copied answers',
    });
    expect(o).toMatchObject({ level: 'developing', calculatedLevel: 'mastered', overridden: true });
    expect(localizeExplanation('en', o.explanation)).toContain('set by Ms Rivera');
    // Level dropped from mastered: the outbox got the lower unit score (developing earns ⅓ of a competency's share).
    const score = async () => (await db.query<{ s: number }>(`select score_given as s from grade_outbox where user_id = $1`, [student])).rows[0]!.s;
    expect(await score()).toBe(1.11);
    advance(1);
    const v2 = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    const r2 = await svc.submitAttempt({ attemptId: v2.attemptId, userId: student, answers: RIGHT });
    expect(r2.mastery).toMatchObject({ level: 'developing', overridden: true });
    advance(1);
    const w = await svc.withdrawOverride({ teacherId: teacher, userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    expect(w).toMatchObject({ level: 'mastered', overridden: false });
    const { rows } = await db.query(
      `select level_before as "levelBefore", level_after as "levelAfter", created_by as "createdBy", withdrawn_by as "withdrawnBy",
         level_after_withdrawal as "after", reason from mastery_overrides where user_id = $1`,
      [student],
    );
    expect(rows).toEqual([
      { levelBefore: 'mastered', levelAfter: 'developing', createdBy: teacher, withdrawnBy: teacher, after: 'mastered', reason: 'copied answers' },
    ]);
    advance(1);
    const v3 = await svc.startAttempt({ userId: student, unitId, competencyId: 'a', courseId: course.courseId });
    const r3 = await svc.submitAttempt({ attemptId: v3.attemptId, userId: student, answers: {} });
    // decaying average 1, 1, 0 → 0.35 → developing: a later failure lowers the level
    expect(r3.mastery.level).toBe('developing');
    const causes = (await db.query<{ cause: string }>(`select cause from mastery_history where user_id = $1 order by created_at, id`, [student])).rows.map(
      (r) => r.cause,
    );
    expect(causes).toEqual(['attempt', 'override', 'attempt', 'override_withdrawn', 'attempt']);
  });
});
