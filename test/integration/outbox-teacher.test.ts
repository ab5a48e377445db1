import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';
import { enqueueScore } from '../../src/store/grade-outbox.js';
import { createTestPathwise } from '../support/app.js';
import type { FakePlatform } from '../support/fake-platform.js';
import { agsCourse, agsPlatform, outboxStates, waitFor } from '../support/ags-scenario.js';

// Scores queued by a mastery change and the teacher's grade sync page, end to end to the fake AGS.
describe('grade outbox and /teacher/grades', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let env: Awaited<ReturnType<typeof agsPlatform>>;
  let course: Awaited<ReturnType<typeof agsCourse>>;
  /** What the learning engine does when a unit score changes: enqueue in a transaction, then kick. */
  const queue = async (userId: string, scoreGiven: number) => {
    await pw.ctx.db.transaction((tx) =>
      enqueueScore(tx, {
        placementId: course.placementId,
        userId,
        scoreGiven,
        scoreMaximum: 10,
        activityProgress: 'InProgress',
        gradingProgress: 'FullyGraded',
      }),
    );
    pw.ctx.outbox.kick();
  };
  const session = async (roles: string[], locale = 'en') => {
    const deployment = (await pw.ctx.platforms.findDeployment(env.platform.id, fake.deploymentId))!;
    const { token } = await pw.ctx.launch.sessions.create(
      {
        userId: course.students[0]!.id,
        courseId: course.courseId,
        placementId: course.placementId,
        platformId: env.platform.id,
        deploymentId: deployment.id,
        messageType: MESSAGE_TYPE.resourceLink,
        roles,
        locale,
        launch: {},
      },
      60,
    );
    return token;
  };

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20 } });
    env = await agsPlatform(pw);
    fake = env.fake;
    course = await agsCourse(pw, env, { students: 2, lineitem: true });
  });
  afterAll(async () => {
    await pw?.close();
    await fake?.stop();
  });

  it('delivers a queued score to the LMS', async () => {
    await queue(course.students[0]!.id, 8);
    await waitFor(() => env.ags.scores.length === 1);
    expect(env.ags.scores[0]!.score).toMatchObject({ userId: course.students[0]!.sub, scoreGiven: 8, scoreMaximum: 10, gradingProgress: 'FullyGraded' });
  });

  it('shows the teacher sent and failed grades with the reason, and retries a failed one', async () => {
    env.ags.failNextScores(1, 400);
    await queue(course.students[1]!.id, 3);
    await waitFor(async () => (await outboxStates(pw, course.placementId)).failed === 1);
    const token = await session([ROLE.instructor]);
    const page = await request(pw.app).get(`/teacher/grades?session=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sent to the gradebook: 1. Waiting: 0. Failed: 1.');
    expect(page.text).toMatch(/answered 400/);
    // The page is named for what it is, and its wide table scrolls in its own region on a phone.
    expect(page.text).toContain('<title>Grade sync · Pathwise</title>');
    expect(page.text).toMatch(/<div class="table-scroll" role="region" aria-labelledby="grades-title" tabindex="0">\s*<table>/);
    const outboxId = /action="\/teacher\/grades\/([0-9a-f-]{36})\/retry"/.exec(page.text)![1]!;

    const forged = await request(pw.app).post(`/teacher/grades/${outboxId}/retry`).set('Cookie', `pw_session=${token}`).type('form').send({});
    expect(forged.status).toBe(403);
    const retry = await request(pw.app).post(`/teacher/grades/${outboxId}/retry`).type('form').send({ session: token });
    expect(retry.status).toBe(303);
    await waitFor(async () => (await outboxStates(pw, course.placementId)).sent === 2);
    expect(env.ags.scores.map((s) => s.score.scoreGiven)).toEqual([8, 3]);
  });

  it('says in Spanish why a grade failed, by kind, with the LMS’s raw answer only as an escaped detail', async () => {
    env.ags.failNextScores(1, 404, undefined, { error: '<script>alert(1)</script> line item not found' });
    await queue(course.students[1]!.id, 4);
    await waitFor(async () => (await outboxStates(pw, course.placementId)).failed === 1);
    const page = await request(pw.app).get(`/teacher/grades?session=${await session([ROLE.instructor], 'es')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('La columna de esta actividad ya no existe en el libro de calificaciones del LMS.');
    expect(page.text).toContain('Vuelve a enviar la calificación: Pathwise crea la columna de nuevo si el LMS lo permite.');
    const detail = /<details>\s*<summary>Detalle técnico \(en inglés\)<\/summary>\s*<p class="grade-detail" lang="en">([^<]*)<\/p>/.exec(page.text);
    expect(detail?.[1]).toContain('answered 404');
    expect(detail?.[1]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    const stored = await pw.ctx.db.query(`select last_error_kind as kind, gave_up as "gaveUp" from grade_outbox where status = 'failed'`);
    expect(stored.rows).toEqual([{ kind: 'line_item_gone', gaveUp: false }]);
    // Sent again, the row forgets its failure.
    const outboxId = /action="\/teacher\/grades\/([0-9a-f-]{36})\/retry"/.exec(page.text)![1]!;
    await request(pw.app)
      .post(`/teacher/grades/${outboxId}/retry`)
      .type('form')
      .send({ session: await session([ROLE.instructor], 'es') });
    await waitFor(async () => !(await outboxStates(pw, course.placementId)).failed);
    const after = await pw.ctx.db.query(`select last_error_kind as kind from grade_outbox where id = $1`, [outboxId]);
    expect(after.rows[0]?.kind).toBeNull();
  });

  it('keeps the grade page from learners', async () => {
    const token = await session([ROLE.learner]);
    const res = await request(pw.app).get(`/teacher/grades?session=${token}`).set('Accept', 'application/json');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('teacher_only');
  });
});
