import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { MESSAGE_TYPE, ROLE } from '../../src/lti/claims.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { agsCourse, agsPlatform, enqueueAll, outboxStates } from '../support/ags-scenario.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * An LMS whose score endpoint is down for three days. Before this, the outbox made 8 posts per
 * score (a few minutes) and then marked every score failed; none arrived after the LMS came back.
 * The clock is faked by moving the outbox's own timestamps back: each step is 15 minutes.
 */
describe('grade delivery through a 72-hour LMS outage, with the default backoff', () => {
  let pw: Pathwise;
  let env: Awaited<ReturnType<typeof agsPlatform>>;
  let course: Awaited<ReturnType<typeof agsCourse>>;
  beforeAll(async () => {
    // Default grades settings (2 s base, 15 min cap, 72 h); no background worker: the test drives it.
    pw = await createTestPathwise({ grades: { worker: false }, services: { timeoutMs: 2000 } });
    env = await agsPlatform(pw);
    course = await agsCourse(pw, env, { students: 3, lineitem: true });
  });
  afterAll(async () => {
    await pw?.close();
    await env?.fake.stop();
  });

  /** Moves the clock `ms` forward, as far as the outbox can tell. */
  const advance = (ms: number) =>
    pw.ctx.db.query(
      `update grade_outbox set pending_since = pending_since - $1 * interval '1 millisecond',
         next_attempt_at = next_attempt_at - $1 * interval '1 millisecond', created_at = created_at - $1 * interval '1 millisecond'`,
      [ms],
    );
  const teacherPage = async () => {
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
        locale: 'en',
        launch: {},
      },
      60,
    );
    return request(pw.app).get(`/teacher/grades?session=${token}`);
  };

  it('keeps every score waiting through 503s, Retry-After and hangs, then delivers the newest of each student once, in order', async () => {
    const started = Date.now();
    env.ags.failNextScores(1e9, 503);
    await enqueueAll(pw, course.placementId, course.students, (i) => 50 + i);
    await pw.ctx.outbox.drain();
    let steps = 0;
    const postsBefore = env.ags.scorePosts;
    // 15-minute steps for the first 6 hours and the Retry-After phase (the backoff cap), then hourly.
    for (let m = 0; m < 71 * 60;) {
      const step = m < 6 * 60 || (m >= 36 * 60 && m < 40 * 60) ? 15 : 60;
      m += step;
      if (m === 24 * 60) await enqueueAll(pw, course.placementId, course.students.slice(0, 1), () => 90); // a newer score mid-outage
      if (m === 36 * 60) env.ags.failNextScores(1e9, 503, '7200'); // Retry-After of two hours: still tried every 15 min
      if (m === 70 * 60) env.ags.scoreDelayMs = 2500; // the LMS hangs past the 2 s timeout
      await advance(step * MINUTE);
      await pw.ctx.outbox.drain();
      steps += 1;
      expect((await outboxStates(pw, course.placementId)).failed ?? 0).toBe(0);
    }
    // The backoff never exceeds 15 minutes (Retry-After included), so each step tried every score once.
    expect(env.ags.scorePosts - postsBefore).toBe(steps * 3);
    expect(env.ags.scores).toHaveLength(0);

    const page = await teacherPage();
    expect(page.status).toBe(200);
    expect(page.text).toContain('Waiting: 3. Failed: 0.');
    expect(page.text.match(/Waiting since /g)).toHaveLength(3);
    const admin = await request(pw.app).get('/admin/api/grade-delivery').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(admin.body.platforms).toEqual([expect.objectContaining({ platformId: env.platform.id, waitingOverAnHour: 3, failed: 0 })]);

    // The LMS recovers (after the hung requests have drained).
    await new Promise((r) => setTimeout(r, 2700));
    env.ags.scoreDelayMs = 0;
    env.ags.failNextScores(0);
    await advance(15 * MINUTE);
    await pw.ctx.outbox.drain();
    expect(await outboxStates(pw, course.placementId)).toEqual({ sent: 3 });
    const given = course.students.map((s) => env.ags.scoresFor(course.lineItemId!, s.sub).map((x) => x.scoreGiven));
    expect(given).toEqual([[90], [51], [52]]);
    expect(env.ags.outOfOrder).toBe(0);
    expect(Date.now() - started).toBeLessThan(200_000);
  }, 240_000);

  it('gives up only at the age limit, and the teacher can send all failed scores of the course again', async () => {
    const other = await agsCourse(pw, env, { students: 2, lineitem: true });
    env.ags.failNextScores(1e9, 502);
    await enqueueAll(pw, other.placementId, other.students, () => 70);
    await pw.ctx.outbox.drain();
    await advance(72 * HOUR);
    await pw.ctx.outbox.drain();
    expect(await outboxStates(pw, other.placementId)).toEqual({ failed: 2 });
    env.ags.failNextScores(0);
    const deployment = (await pw.ctx.platforms.findDeployment(env.platform.id, env.fake.deploymentId))!;
    const { token } = await pw.ctx.launch.sessions.create(
      {
        userId: other.students[0]!.id,
        courseId: other.courseId,
        placementId: other.placementId,
        platformId: env.platform.id,
        deploymentId: deployment.id,
        messageType: MESSAGE_TYPE.resourceLink,
        roles: [ROLE.instructor],
        locale: 'en',
        launch: {},
      },
      60,
    );
    const page = await request(pw.app).get(`/teacher/grades?session=${token}`);
    expect(page.text).toContain('Send all failed grades again (2)');
    expect(page.text).toMatch(/Gave up after 72 hours/);
    expect(page.text).toContain('The LMS had an error or was too busy to take the grade.');
    expect(page.text).toContain('Pathwise stopped trying after 72 hours.');
    const forged = await request(pw.app).post('/teacher/grades/retry-failed').set('Cookie', `pw_session=${token}`).type('form').send({});
    expect(forged.status).toBe(403);
    const res = await request(pw.app).post('/teacher/grades/retry-failed').type('form').send({ session: token });
    expect(res.status).toBe(303);
    await pw.ctx.outbox.drain();
    expect(await outboxStates(pw, other.placementId)).toEqual({ sent: 2 });
  });
});
