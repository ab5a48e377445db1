import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';
import { gradeStatus, deliveryByPlatform } from '../../src/grades/grade-status.js';
import { enqueueScore } from '../../src/store/grade-outbox.js';
import { createTestPathwise } from '../support/app.js';
import { addNrps, type FakeNrps } from '../support/fake-services.js';
import { launch } from '../support/lti-flow.js';
import { agsCourse, agsPlatform, waitFor } from '../support/ags-scenario.js';

// Scores of a student the LMS lists as not active in the course are held, shown as such, and sent
// (newest only) once a roster sync or the student's own launch shows them active again.
describe('grade outbox holds scores of students not active in the course', () => {
  let pw: Pathwise;
  let env: Awaited<ReturnType<typeof agsPlatform>>;
  let course: Awaited<ReturnType<typeof agsCourse>>;
  let nrps: FakeNrps;
  const sub = (i: number) => course.students[i]!.sub;
  const queue = async (i: number, scoreGiven: number) => {
    await pw.ctx.db.transaction((tx) =>
      enqueueScore(tx, {
        placementId: course.placementId,
        userId: course.students[i]!.id,
        scoreGiven,
        scoreMaximum: 10,
        activityProgress: 'InProgress',
        gradingProgress: 'FullyGraded',
      }),
    );
    pw.ctx.outbox.kick();
  };
  const sentTo = (i: number) => env.ags.scores.filter((s) => s.score.userId === sub(i)).map((s) => s.score.scoreGiven);
  const stateOf = async (i: number) =>
    (await gradeStatus(pw.ctx.db, { placementId: course.placementId })).find((r) => r.userId === course.students[i]!.id)?.state;
  const teacherPage = async (locale: string) => {
    const deployment = (await pw.ctx.platforms.findDeployment(env.platform.id, env.fake.deploymentId))!;
    const { token } = await pw.ctx.launch.sessions.create(
      {
        userId: course.students[0]!.id,
        courseId: course.courseId,
        placementId: course.placementId,
        platformId: env.platform.id,
        deploymentId: deployment.id,
        messageType: MESSAGE_TYPE.resourceLink,
        roles: [ROLE.instructor],
        locale,
        launch: {},
      },
      60,
    );
    return request(pw.app).get(`/teacher/grades?session=${token}`);
  };

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20 } });
    env = await agsPlatform(pw);
    course = await agsCourse(pw, env, { students: 2, lineitem: true });
    nrps = addNrps(env.fake, {
      tokens: env.tokens,
      contextId: `ctx-${course.courseId}`,
      members: [
        { user_id: sub(0), roles: ['Learner'], name: 'Student 0' },
        { user_id: sub(1), roles: ['Learner'], name: 'Student 1', status: 'Inactive' },
      ],
    });
    await pw.ctx.db.query('update courses set nrps_url = $2 where id = $1', [course.courseId, nrps.url]);
    await pw.ctx.rosterSync.sync(course.courseId);
  });
  afterAll(async () => {
    await pw?.close();
    await env?.fake.stop();
  });

  it('sends the active student’s score and holds the inactive one’s, shown on the grade sync pages', async () => {
    await queue(1, 4);
    await queue(0, 8);
    await waitFor(() => sentTo(0).length === 1);
    // The worker has been round since: the held score stayed in the outbox, unsent.
    await queue(0, 9);
    await waitFor(() => sentTo(0).length === 2);
    expect(sentTo(1)).toEqual([]);
    expect(await stateOf(1)).toBe('held');
    const page = await teacherPage('en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Held: student not active in the course');
    expect(page.text).toContain('1 grade is held because the student is not active in the course.');
    const es = await teacherPage('es');
    expect(es.text).toContain('Retenida: estudiante no activo en el curso');
    const [figures] = await deliveryByPlatform(pw.ctx.db, env.platform.id);
    expect(figures).toMatchObject({ sent: 1, waiting: 0, held: 1, failed: 0 });
  });

  it('keeps holding a student gone from a complete roster sync, and sends the newest score when they are active again', async () => {
    nrps.members = nrps.members.filter((m) => m.user_id !== sub(1));
    const gone = await pw.ctx.rosterSync.sync(course.courseId);
    expect(gone).toMatchObject({ complete: true, markedDeleted: 1 });
    await queue(1, 5);
    await queue(0, 10);
    await waitFor(() => sentTo(0).length === 3);
    expect(sentTo(1)).toEqual([]);
    expect(await stateOf(1)).toBe('held');

    nrps.members.push({ user_id: sub(1), roles: ['Learner'], name: 'Student 1' });
    await pw.ctx.rosterSync.sync(course.courseId);
    pw.ctx.outbox.kick();
    await waitFor(() => sentTo(1).length === 1);
    expect(sentTo(1)).toEqual([5]);
    expect(await stateOf(1)).toBe('sent');
  });

  it('a launch of the student is proof of being active: their held score is sent', async () => {
    nrps.members.find((m) => m.user_id === sub(1))!.status = 'Inactive';
    await pw.ctx.rosterSync.sync(course.courseId);
    await queue(1, 7);
    await queue(0, 6);
    await waitFor(() => sentTo(0).length === 4);
    expect(await stateOf(1)).toBe('held');

    const student = await launch(pw, env.fake, {
      role: 'student',
      claims: {
        sub: sub(1),
        [CLAIM.context]: { id: `ctx-${course.courseId}`, title: 'Algebra' },
        [CLAIM.resourceLink]: { id: course.resourceLinkId, title: 'Fractions' },
      },
    });
    expect(student.sessionToken).toBeTruthy();
    pw.ctx.outbox.kick();
    await waitFor(() => sentTo(1).length === 2);
    expect(sentTo(1)).toEqual([5, 7]);
  });
});
