import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { launchAs, placeSampleUnit, type StudentClient } from '../integration/student-support.js';
import { userId } from '../integration/teacher-support.js';

/**
 * The finding: Canvas sends `institution/person#Instructor` to anyone who teaches anywhere in the
 * institution, so a student of this course arrived with it next to `membership#Learner` and got
 * the teacher's pages. Course rights come from context roles only, and Learner wins.
 */
describe('course roles at launch: institution roles give no rights in a course', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let unitId: string;
  let student: StudentClient;
  let studentId: string;

  const as = (sub: string, roles: string[]) => launchAs(pw, fake, { claims: { sub, [CLAIM.roles]: roles } });

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    await launchAs(pw, fake, { role: 'teacher' });
    unitId = await placeSampleUnit(pw);
    student = await as('user-dual', [ROLE.learner, ROLE.institutionInstructor]);
    studentId = await userId(pw, 'user-dual');
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('a Learner who is an institution Instructor gets the student pages, not the teacher pages', async () => {
    expect((await student.get('/student/map')).status).toBe(200);
    for (const path of [
      '/teacher',
      '/teacher/dashboard',
      '/teacher/roster',
      '/teacher/grades',
      `/teacher/units/${unitId}/export`,
      `/teacher/students/${studentId}`,
    ]) {
      const res = await student.get(path);
      expect([path, res.status]).toEqual([path, 403]);
      expect(errorCode(res)).toBe('teacher_only');
    }
  });

  it('cannot override its own mastery', async () => {
    const res = await student.post(`/teacher/students/${studentId}/override`, { unit: unitId, competency: 'one-step', level: 'mastered', reason: 'I say so' });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('teacher_only');
    const { rows } = await pw.ctx.db.query(`select 1 from mastery_overrides where user_id = $1`, [studentId]);
    expect(rows).toHaveLength(0);
  });

  it('an institution Administrator with no course role is told so, gets the admin console of the platform, and reaches no teacher page', async () => {
    const r = await launch(pw, fake, {
      claims: { sub: 'user-admin', [CLAIM.roles]: [ROLE.institutionAdministrator, 'http://purl.imsglobal.org/vocab/lis/v2/system/person#User'] },
    });
    expect(r.landing?.status).toBe(200);
    expect(r.landing?.text).toContain('you are not a teacher of this course');
    expect(r.landing?.text).toMatch(/href="\/admin\/enter\?ticket/);
    const admin = await as('user-admin', [ROLE.institutionAdministrator]);
    expect((await admin.get('/teacher/dashboard')).status).toBe(403);
    expect((await admin.get('/student/map')).status).toBe(403);
  });

  it('an institution Instructor alone has no role in the course', async () => {
    const r = await launch(pw, fake, { claims: { sub: 'user-elsewhere', [CLAIM.roles]: [ROLE.institutionInstructor] } });
    expect(r.landing?.status).toBe(403);
    expect(errorCode(r.landing!)).toBe('no_course_role');
  });

  it('an Administrator who also teaches the course keeps the teacher pages', async () => {
    const both = await as('user-admin-teacher', [ROLE.instructor, ROLE.institutionAdministrator]);
    expect((await both.get('/teacher/dashboard')).status).toBe(200);
  });

  it('a TA (context sub-role) and a short-name Instructor are teachers', async () => {
    expect((await (await as('user-ta', [ROLE.teachingAssistant])).get('/teacher/dashboard')).status).toBe(200);
    expect((await (await as('user-short', ['Instructor'])).get('/teacher/dashboard')).status).toBe(200);
  });
});
