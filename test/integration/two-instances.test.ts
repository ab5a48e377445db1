import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import { migrate } from '../../src/store/migrate.js';
import { openServerDatabase } from '../../src/store/server-database.js';
import { testConfig } from '../support/app.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { FakePlatform } from '../support/fake-platform.js';
import { agsCourse, agsPlatform, ALL_AGS_SCOPES, enqueueAll, outboxStates, waitFor } from '../support/ags-scenario.js';
import { CLAIM } from '../../src/lti/claims.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, placeSampleUnit } from './student-support.js';

/** name=value pairs of a response's Set-Cookie headers, as a browser would send them back. */
const cookiesOf = (res: { headers: Record<string, unknown> }): string =>
  ([res.headers['set-cookie']].flat().filter(Boolean) as string[]).map((c) => c.split(';', 1)[0]).join('; ');

// Two Pathwise instances on one PostgreSQL behind a round-robin balancer: nothing a request needs
// may live in one instance's memory only.
describe.skipIf(!process.env.DATABASE_URL)('two instances on one PostgreSQL server', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const instances: Pathwise[] = [];
  const fakes: FakePlatform[] = [];

  const open = async (grades: Record<string, unknown>) => {
    const db = await openServerDatabase(url, { schema, max: 5 });
    await migrate(db);
    const pw = await compose(testConfig({ grades: { pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20, ...grades } }), { db });
    instances.push(pw);
    return pw;
  };

  beforeAll(async () => {
    const admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
  });
  afterAll(async () => {
    for (const pw of instances) await pw.close().catch(() => undefined);
    await Promise.all(fakes.map((f) => f.stop()));
    const admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  });

  it('a login on instance A is completed by a launch on instance B and its page opens on A', async () => {
    const a = await open({ worker: false });
    const b = await open({ worker: false });
    const fake = await new FakePlatform().start();
    fakes.push(fake);
    await registerFakePlatform(a, fake); // registered through A only
    for (const role of ['student', 'teacher'] as const) {
      const started = await launch(a, fake, { role, submit: false });
      expect(started.idToken).toBeTruthy();
      const posted = await request(b.app)
        .post('/lti/launch')
        .set('Cookie', cookiesOf(started.login))
        .type('form')
        .send({ id_token: started.idToken!, state: started.state! });
      expect(posted.status).toBe(303);
      const page = await request(a.app).get(posted.headers.location as string);
      expect(page.status).toBe(200);
      // The same id_token posted again to A is a replay, refused there too.
      const again = await request(a.app)
        .post('/lti/launch')
        .set('Cookie', cookiesOf(started.login))
        .type('form')
        .send({ id_token: started.idToken!, state: started.state! });
      expect(again.status).toBeGreaterThanOrEqual(400);
    }
  }, 60_000);

  it('one id_token posted to both instances at once opens one session: the other is refused as a replay (nonce_reused)', async () => {
    const [a, b] = [instances[0]!, instances[1]!];
    const fake = fakes[0]!;
    for (let round = 0; round < 3; round++) {
      const started = await launch(a, fake, { role: 'student', submit: false });
      const post = (pw: Pathwise) =>
        request(pw.app)
          .post('/lti/launch')
          .set('Cookie', cookiesOf(started.login))
          .set('Accept', 'application/json')
          .type('form')
          .send({ id_token: started.idToken!, state: started.state! });
      const before = await a.ctx.launch.sessions.count();
      const answers = await Promise.all([post(a), post(b)]);
      expect(answers.map((r) => r.status).sort()).toEqual([303, 401]);
      expect(answers.find((r) => r.status === 401)!.body.error.code).toBe('nonce_reused');
      expect(await b.ctx.launch.sessions.count()).toBe(before + 1);
    }
  }, 60_000);

  it('two outbox workers (one per instance) deliver every score once', async () => {
    const [a, b] = [instances[0]!, instances[1]!];
    const worker1 = await open({ concurrency: 4, batchSize: 5 });
    const worker2 = await open({ concurrency: 4, batchSize: 5 });
    const env = await agsPlatform(a, { toolJwks: () => a.ctx.keys.publicJwks() });
    fakes.push(env.fake);
    const course = await agsCourse(b, env, { students: 40, lineitem: true });
    env.ags.scoreDelayMs = 5;
    await enqueueAll(a, course.placementId, course.students, (i) => i);
    worker1.ctx.outbox.kick();
    worker2.ctx.outbox.kick();
    await waitFor(async () => (await outboxStates(a, course.placementId)).sent === 40, 30_000);
    expect(env.ags.scorePosts).toBe(40);
    for (const [i, s] of course.students.entries()) {
      expect(env.ags.scoresFor(course.lineItemId!, s.sub).map((x) => x.scoreGiven)).toEqual([i]);
    }
  }, 60_000);

  // What the two-instance bench (npm run bench -- instances) does: every request of a student's
  // session may land on either instance, and both instances run an outbox worker.
  it("a student's check started on one instance and submitted on the other: one result, the unit score delivered once", async () => {
    const a = await open({ concurrency: 2 });
    const b = await open({ concurrency: 2 });
    const env = await agsPlatform(a, { toolJwks: () => a.ctx.keys.publicJwks() });
    fakes.push(env.fake);
    const lineItemId = env.ags.addLineItem({ label: 'Unit 1', scoreMaximum: 100, resourceLinkId: 'link-1' }).id;
    const claims = (sub: string) => ({
      sub,
      name: `Student ${sub}`,
      [CLAIM.agsEndpoint]: { scope: ALL_AGS_SCOPES, lineitems: env.ags.lineitemsUrl, lineitem: lineItemId },
    });
    await launchAs(b, env.fake, { role: 'teacher', claims: claims('two-teacher') });
    await placeSampleUnit(a);
    const { token } = await launchAs(a, env.fake, { role: 'student', claims: claims('two-student') });

    // The competency page (and its CSRF token) from B, the check started on A, submitted on B.
    const page = await request(b.app).get(`/student/competencies/simplify?session=${token}`);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const start = await request(a.app).post('/student/competencies/simplify/check').type('form').send({ session: token, _csrf: csrf });
    expect(start.status).toBe(303);
    const attemptId = attemptIdFrom(start);
    const answers = answerFields(await attemptItems(a, attemptId), true);
    const submit = (pw: Pathwise) =>
      request(pw.app)
        .post(`/student/attempts/${attemptId}`)
        .type('form')
        .send({ session: token, _csrf: csrf, ...answers });
    expect((await submit(b)).status).toBe(303);
    // A double click that the balancer sends to the other instance changes nothing.
    expect((await submit(a)).status).toBe(303);
    expect((await request(a.app).get(`/student/attempts/${attemptId}/result?session=${token}`)).status).toBe(200);

    await waitFor(() => env.ags.scoresFor(lineItemId, 'two-student').length > 0, 30_000);
    // Both workers poll every 20 ms: give them time to (wrongly) send it again.
    await new Promise((r) => setTimeout(r, 500));
    expect(env.ags.scoresFor(lineItemId, 'two-student')).toHaveLength(1);
    const { rows } = await a.ctx.db.query<{ status: string }>(
      `select o.status from grade_outbox o join users u on u.id = o.user_id where u.sub = 'two-student'`,
    );
    expect(rows.map((r) => r.status)).toEqual(['sent']);
    const attempts = await a.ctx.db.query(`select 1 from attempts where id = $1 and status = 'submitted'`, [attemptId]);
    expect(attempts.rows).toHaveLength(1);
  }, 60_000);
});
