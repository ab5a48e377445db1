import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { ProfileRepository } from '../../src/store/profile-repository.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, placeSampleUnit, type StudentClient } from './student-support.js';
import { answerFor, courseRowId, decode, launchPerson, userId } from './teacher-support.js';

/**
 * The finding: courses A and B on one platform place one library unit. Mastery and overrides were
 * kept per student and unit, so teacher A's override showed in B's grade page and student page,
 * grades went to B's placement, and A read reflections and goals written in B.
 */
describe('two courses placing one library unit keep their work apart', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let teacherA: StudentClient;
  let teacherB: StudentClient;
  let studentB: StudentClient;
  let unitId: string;
  let courseA: string;
  let courseB: string;
  let sam: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    teacherA = await launchPerson(pw, fake, 'teacher', 'user-ta', 'Ada Alpha', 'course-1');
    teacherB = await launchPerson(pw, fake, 'teacher', 'user-tb', 'Bea Beta', 'course-2');
    await launchPerson(pw, fake, 'student', 'user-sam', 'Sam Student', 'course-1');
    studentB = await launchPerson(pw, fake, 'student', 'user-sam', 'Sam Student', 'course-2');
    unitId = await placeSampleUnit(pw); // link-1 of both courses → one library unit
    courseA = await courseRowId(pw, 'course-1');
    courseB = await courseRowId(pw, 'course-2');
    sam = await userId(pw, 'user-sam');
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('an attempt and an override in course A stay in course A (grades too)', async () => {
    const svc = createLearningService(pw.ctx.db);
    await svc.choosePathway({ userId: sam, unitId, competencyId: 'one-step', pathwayId: 'one-step-practice', courseId: courseA });
    const view = await svc.startAttempt({ userId: sam, unitId, competencyId: 'one-step', courseId: courseA });
    const items = await attemptItems(pw, view.attemptId);
    await svc.submitAttempt({ attemptId: view.attemptId, userId: sam, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, false)])) });

    await teacherA.get(`/teacher/students/${sam}?unit=${unitId}`);
    const res = await teacherA.post(`/teacher/students/${sam}/override`, {
      unit: unitId,
      competency: 'one-step',
      level: 'mastered',
      reason: 'Showed it in class A',
    });
    expect(res.status).toBe(303);

    const a = decode((await teacherA.get(`/teacher/students/${sam}?unit=${unitId}`)).text);
    expect(a).toContain('Showed it in class A');
    const b = decode((await teacherB.get(`/teacher/students/${sam}?unit=${unitId}`)).text);
    expect(b).not.toContain('Showed it in class A');
    expect(b).not.toMatch(/level-mastered/);

    const { rows } = await pw.ctx.db.query<{ course: string }>(
      `select p.course_id as course from grade_outbox g join placements p on p.id = g.placement_id where g.user_id = $1`,
      [sam],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.course))).toEqual(new Set([courseA]));
    const inB = await pw.ctx.db.query(`select 1 from mastery_current where user_id = $1 and course_id = $2`, [sam, courseB]);
    expect(inB.rows).toHaveLength(0);
  });

  it("the student's map in course B starts from scratch", async () => {
    const map = decode((await studentB.get('/student/map')).text);
    expect(map).not.toContain('Showed it in class A');
    const svc = createLearningService(pw.ctx.db);
    const inB = await svc.unitMap({ userId: sam, unitId, courseId: courseB });
    expect(inB.competencies.find((c) => c.competencyId === 'one-step')!.level).toBe('not_started');
    const inA = await svc.unitMap({ userId: sam, unitId, courseId: courseA });
    expect(inA.competencies.find((c) => c.competencyId === 'one-step')!.level).toBe('mastered');
  });

  it('reflections and goals written in course B are read by B’s teacher only', async () => {
    const profiles = new ProfileRepository(pw.ctx.db);
    await profiles.addReflection(sam, { unitId, competencyId: 'one-step', attemptId: null, whatHelped: 'Written in course B', confidence: 3 }, courseB);
    await profiles.addGoal(sam, { text: 'A goal set in course B', targetDate: null, status: 'active' }, courseB);
    const a = decode((await teacherA.get(`/teacher/students/${sam}?unit=${unitId}`)).text);
    expect(a).not.toContain('Written in course B');
    expect(a).not.toContain('A goal set in course B');
    const b = decode((await teacherB.get(`/teacher/students/${sam}?unit=${unitId}`)).text);
    expect(b).toContain('Written in course B');
    expect(b).toContain('A goal set in course B');
  });
});
