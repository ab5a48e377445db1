import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { usageReport } from '../../src/store/usage.js';
import { placeSampleUnit } from './student-support.js';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser signed in to the console from `ip` (X-Forwarded-For: the app trusts the loopback proxy). */
export async function signIn(pw: Pathwise, ip = '203.0.113.10', lang = 'en') {
  const agent = request.agent(pw.app);
  const form = await agent.get('/admin/sign-in').set('X-Forwarded-For', ip).set('Accept-Language', lang);
  const res = await agent
    .post('/admin/sign-in')
    .set('X-Forwarded-For', ip)
    .set('Accept-Language', lang)
    .type('form')
    .send({ _csrf: csrfOf(form.text), token: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(303);
  return agent;
}

describe('admin console: operator sign-in', () => {
  let pw: Pathwise;
  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('sends a visitor without a session to the sign-in form, which has a labelled password field and CSRF', async () => {
    const res = await request(pw.app).get('/admin/platforms');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/sign-in');
    const form = await request(pw.app).get('/admin/sign-in');
    expect(form.text).toMatch(/<label for="token">/);
    expect(form.text).toMatch(/<input id="token" name="token" type="password"/);
    expect(csrfOf(form.text)).not.toBe('');
    expect(form.headers['cache-control']).toBe('no-store');
  });

  it('signs in with the token posted in a form: HttpOnly, SameSite=Strict session cookie, audited', async () => {
    const agent = request.agent(pw.app);
    const form = await agent.get('/admin/sign-in');
    const res = await agent
      .post('/admin/sign-in')
      .set('X-Forwarded-For', '198.51.100.1')
      .type('form')
      .send({ _csrf: csrfOf(form.text), token: TEST_ADMIN_TOKEN });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/platforms');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pw_admin='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toContain(TEST_ADMIN_TOKEN);
    const page = await agent.get('/admin/platforms');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Platforms');
    const entries = await pw.ctx.privacy.audit.list({ action: 'admin.sign_in' });
    expect(entries[0]).toMatchObject({ actorKind: 'operator', ip: '198.51.100.1' });
  });

  it('refuses a sign-in without the form’s CSRF token', async () => {
    const res = await request(pw.app).post('/admin/sign-in').type('form').send({ token: TEST_ADMIN_TOKEN });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('pw_admin=');
  });

  it('locks an address out for 15 minutes after 5 wrong tokens (even the right token then), logged and audited; other addresses still sign in', async () => {
    const ip = '192.0.2.77';
    const agent = request.agent(pw.app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const form = await agent.get('/admin/sign-in');
      statuses.push(
        (
          await agent
            .post('/admin/sign-in')
            .set('X-Forwarded-For', ip)
            .type('form')
            .send({ _csrf: csrfOf(form.text), token: `wrong-${i}` })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const form = await agent.get('/admin/sign-in');
    const right = await agent
      .post('/admin/sign-in')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ _csrf: csrfOf(form.text), token: TEST_ADMIN_TOKEN });
    expect(right.status).toBe(429);
    expect(right.text).toContain('Too many wrong tokens');
    // The lock says when to come back (RFC 9110 §10.2.3).
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    const { rows } = await pw.ctx.db.query<{ until: Date }>(`select locked_until as until from admin_sign_in_failures where ip = $1`, [ip]);
    const minutes = (rows[0]!.until.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    expect((await pw.ctx.privacy.audit.list({ action: 'admin.locked_out' }))[0]?.ip).toBe(ip);
    expect((await pw.ctx.privacy.audit.list({ action: 'admin.sign_in_failed' })).length).toBeGreaterThanOrEqual(4);
    await signIn(pw, '192.0.2.78');
  });

  it('ends a session idle for 30 minutes', async () => {
    const agent = await signIn(pw, '203.0.113.30');
    await pw.ctx.db.query(`update admin_sessions set last_seen_at = now() - interval '31 minutes'`);
    const res = await agent.get('/admin/platforms');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/sign-in');
  });

  it('marks both cookies Secure when Pathwise is served over https', async () => {
    const secure = await createTestPathwise({ grades: { worker: false }, publicUrl: 'https://pathwise.example' });
    try {
      const form = await request(secure.app).get('/admin/sign-in');
      const formCookie = (form.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pw_admin_form='))!;
      expect(formCookie).toMatch(/; Secure/);
      const res = await request(secure.app)
        .post('/admin/sign-in')
        .set('Cookie', formCookie.split(';')[0]!)
        .type('form')
        .send({ _csrf: csrfOf(form.text), token: TEST_ADMIN_TOKEN });
      expect(res.status).toBe(303);
      const session = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pw_admin='))!;
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/; Secure/);
      expect(session).toMatch(/SameSite=Strict/);
    } finally {
      await secure.close();
    }
  });

  it('refuses a console form without CSRF, and signs out', async () => {
    const agent = await signIn(pw, '203.0.113.31');
    const noCsrf = await agent.post('/admin/keys/rotate').type('form').send({});
    expect(noCsrf.status).toBe(403);
    const page = await agent.get('/admin/keys');
    const out = await agent
      .post('/admin/sign-out')
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect((await agent.get('/admin/keys')).status).toBe(303);
  });
});

describe('admin console: platforms, deployments, registration, keys, usage, privacy, audit', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let platformId: string;
  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    platformId = (await registerFakePlatform(pw, fake)).id;
    await pw.ctx.db.query(`update platforms set name = 'District Canvas' where id = $1`, [platformId]);
    await launch(pw, fake, { role: 'student' });
    admin = await signIn(pw);
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  const post = async (page: string, path: string, fields: Record<string, string> = {}) => {
    const html = (await admin.get(page)).text;
    return admin
      .post(path)
      .type('form')
      .send({ _csrf: csrfOf(html), ...fields });
  };

  it('every form of every console page carries the CSRF token, and every POST without it (or with another) is refused, changing nothing', async () => {
    await pw.ctx.platforms.addPendingDeployment(platformId, 'school-csrf');
    const actions = new Set<string>();
    for (const page of ['/admin/platforms', '/admin/registration', '/admin/keys', '/admin/usage', '/admin/privacy', '/admin/audit']) {
      const html = (await admin.get(page)).text;
      for (const [form, action] of html.matchAll(/<form method="post" action="([^"]+)"[\s\S]*?<\/form>/g)) {
        expect(form, `${page} ${action}`).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
        actions.add(action!);
      }
    }
    expect([...actions]).toEqual(
      expect.arrayContaining([
        '/admin/sign-out',
        '/admin/keys/rotate',
        '/admin/registration/invites',
        `/admin/platforms/${platformId}/disable`,
        '/admin/privacy/students/delete',
      ]),
    );
    const keysBefore = (await pw.ctx.db.query(`select count(*)::int as n from tool_keys`)).rows[0];
    for (const action of actions) {
      for (const fields of [{}, { _csrf: 'not-the-token' }]) {
        const res = await admin
          .post(action)
          .type('form')
          .send({ ...fields, platformId, sub: 'nobody', confirm: 'yes' });
        expect(res.status, `${action} ${JSON.stringify(fields)}`).toBe(403);
        expect(res.text).toContain('csrf_failed');
      }
    }
    expect((await pw.ctx.db.query(`select count(*)::int as n from tool_keys`)).rows[0]).toEqual(keysBefore);
    expect((await pw.ctx.platforms.findById(platformId))?.disabledAt).toBeNull();
    expect((await pw.ctx.platforms.findDeployment(platformId, 'school-csrf'))?.status).toBe('pending');
    expect((await admin.get('/admin/platforms')).status).toBe(200);
  });

  it('lists platforms with their deployments, status and last launch', async () => {
    const res = await admin.get('/admin/platforms');
    expect(res.text).toContain('District Canvas');
    expect(res.text).toContain(fake.deploymentId);
    expect(res.text).toContain('Active');
    expect(res.text).not.toMatch(/Last launch<\/dt><dd>Never/);
  });

  it('approves and blocks a pending deployment; a blocked one is refused at launch with a clear page', async () => {
    const pending = await pw.ctx.platforms.addPendingDeployment(platformId, 'school-2');
    expect((await admin.get('/admin/platforms')).text).toContain('Waiting for approval');
    const approve = await post('/admin/platforms', `/admin/deployments/${pending.id}/approve`);
    expect(approve.status).toBe(303);
    expect((await pw.ctx.platforms.findDeploymentById(pending.id))?.status).toBe('active');
    const block = await post('/admin/platforms', `/admin/deployments/${pending.id}/block`);
    expect(block.status).toBe(303);
    const r = await launch(pw, fake, { role: 'student', claims: { 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'school-2' } });
    expect(r.response?.status).toBe(403);
    expect(errorCode(r.response!)).toBe('deployment_blocked');
    expect(r.response?.text).toContain('blocked');
  });

  it('turns a platform off (launches refused with a page saying so) and on again', async () => {
    expect((await post('/admin/platforms', `/admin/platforms/${platformId}/disable`)).status).toBe(303);
    const off = await launch(pw, fake, { role: 'student' });
    expect(off.response?.status).toBe(403);
    expect(errorCode(off.response!)).toBe('platform_disabled');
    expect(off.response?.text).toContain('Pathwise is turned off for this LMS');
    expect((await post('/admin/platforms', `/admin/platforms/${platformId}/enable`)).status).toBe(303);
    expect((await launch(pw, fake, { role: 'student' })).sessionToken).toBeTruthy();
    const actions = (await pw.ctx.privacy.audit.list({ platformId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['platform.disabled', 'platform.enabled', 'deployment.approved', 'deployment.blocked']));
  });

  it('creates a registration link shown once, and lists links as not used, used or expired', async () => {
    const res = await post('/admin/registration', '/admin/registration/invites');
    expect(res.status).toBe(200);
    const url = /id="new-link"[^>]*value="([^"]+)"/.exec(res.text)?.[1]?.replace(/&#x3D;/g, '=');
    expect(url).toMatch(/\/lti\/register\?invite=/);
    await pw.ctx.db.query(`update registration_invites set expires_at = now() - interval '1 hour'`);
    const page = await admin.get('/admin/registration');
    expect(page.text).toContain('Expired');
    expect(page.text).not.toContain(url!.split('invite=')[1]);
  });

  it('shows the manual registration values with one tab per LMS and its own field names, and the Canvas JSON URL', async () => {
    const canvas = await admin.get('/admin/registration');
    expect(canvas.text).toContain('http://127.0.0.1:3999/lti/config.json');
    expect(canvas.text).toContain('OpenID Connect Initiation Url');
    expect(canvas.text).toMatch(/href="\/admin\/registration\?lms=canvas#manual-title" aria-current="page"/);
    const moodle = await admin.get('/admin/registration?lms=moodle');
    expect(moodle.text).toContain('Initiate login URL');
    expect(moodle.text).toContain('Public keyset');
    const schoology = await admin.get('/admin/registration?lms=schoology');
    expect(schoology.text).toContain('OIDC Login Initiation URL');
    expect(schoology.text).toContain('JWK Set URL');
  });

  it('lists keys with dates and rotates them with one button', async () => {
    const before = await admin.get('/admin/keys');
    expect(before.text).toContain('Current');
    expect((await post('/admin/keys', '/admin/keys/rotate')).status).toBe(303);
    const after = await admin.get('/admin/keys');
    expect(after.text).toContain('Previous (still published)');
    expect(after.text.match(/<th scope="row"><code>/g)).toHaveLength(2);
  });

  it('shows usage as tables and inline SVG charts, with no external script', async () => {
    const res = await admin.get('/admin/usage');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg class="admin-chart"');
    expect(res.text).toMatch(/role="img" aria-labelledby="launches-title"/);
    expect(res.text).toContain('Algebra I');
    expect(res.text).not.toMatch(/<script[^>]+src="https?:/);
    const { rows } = await pw.ctx.db.query<{ n: number }>(`select coalesce(sum(launches), 0)::int as n from usage_daily`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('shows the grade sync health of GET /admin/api/grade-delivery, waiting for over an hour counted from when a score was last queued', async () => {
    const {
      rows: [placement],
    } = await pw.ctx.db.query<{ id: string }>(`select id from placements limit 1`);
    const people = (await pw.ctx.db.query<{ id: string }>(`select id from users order by id limit 1`)).rows;
    const students = [...people];
    for (let i = 0; i < 3; i++) {
      await launch(pw, fake, { role: 'student', claims: { sub: `health-${i}` } });
      students.push((await pw.ctx.db.query<{ id: string }>(`select id from users where sub = $1`, [`health-${i}`])).rows[0]!);
    }
    const score = (userId: string, status: string, createdAgo: string, pendingAgo: string | null) =>
      pw.ctx.db.query(
        `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress, grading_progress, score_timestamp, status, created_at, pending_since, sent_at)
         values (gen_random_uuid(), $1, $2, 1, 1, 'Completed', 'FullyGraded', now(), $3, now() - $4::interval, now() - $5::interval, case when $3 = 'sent' then now() end)`,
        [placement!.id, userId, status, createdAgo, pendingAgo],
      );
    await score(students[0]!.id, 'sent', '1 day', null);
    // Queued three hours ago, queued again (a new score) five minutes ago: not overdue.
    await score(students[1]!.id, 'waiting', '3 hours', '5 minutes');
    await score(students[2]!.id, 'waiting', '2 hours', '2 hours');
    await score(students[3]!.id, 'failed', '1 day', null);
    const api = await request(pw.app).get('/admin/api/grade-delivery').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(api.body.platforms).toEqual([
      expect.objectContaining({ platformId, platformName: 'District Canvas', sent: 1, waiting: 2, held: 0, waitingOverAnHour: 1, failed: 1 }),
    ]);
    const page = await admin.get('/admin/usage');
    const row = /<th scope="row">District Canvas<\/th>((?:<td[^>]*>.*?<\/td>){5})<\/tr>/.exec(page.text)?.[1];
    const cells = [...(row ?? '').matchAll(/<td[^>]*>(\d+)/g)].map((m) => Number(m[1]));
    expect(cells).toEqual([1, 2, 1, 0, 1]);
    expect(row).toContain('the oldest since');
    await pw.ctx.db.query(`delete from grade_outbox where placement_id = $1`, [placement!.id]);
  });

  it('counts a competency mastered once per student, in the course the unit is placed in, and empty weeks as 0', async () => {
    const empty = await usageReport(pw.ctx.db);
    expect(empty.masteredPerWeek.every((w) => w.mastered === 0)).toBe(true);
    const unitId = await placeSampleUnit(pw);
    const {
      rows: [row],
    } = await pw.ctx.db.query<{ userId: string; courseId: string }>(
      `select e.user_id as "userId", e.course_id as "courseId" from enrollments e join courses c on c.id = e.course_id where c.context_id = 'course-1' limit 1`,
    );
    for (const cause of ['attempt', 'recompute']) {
      await pw.ctx.db.query(
        `insert into mastery_history (id, user_id, unit_id, competency_id, level, calculated_level, estimate, explanation, cause, created_at, course_id)
         values (gen_random_uuid(), $1, $2, 'one-step', 'mastered', 'mastered', 0.97, 'x', $3, now(), $4)`,
        [row!.userId, unitId, cause, row!.courseId],
      );
    }
    const report = await usageReport(pw.ctx.db);
    expect(report.masteredPerWeek.at(-1)?.mastered).toBe(1);
    expect(report.masteredPerWeek.slice(0, -1).every((w) => w.mastered === 0)).toBe(true);
    expect(report.rows.find((r) => r.courseId === row!.courseId)?.mastered30).toBe(1);
    await pw.ctx.db.query(`delete from mastery_history where unit_id = $1`, [unitId]);
  });

  it('shows the privacy inventory, the retention dry run and the student request forms', async () => {
    const res = await admin.get('/admin/privacy');
    expect(res.text).toContain('<code>users.email</code>');
    expect(res.text).toContain('Courses with no activity for 400 days');
    expect(res.text).toMatch(/<label for="delete-confirm">/);
  });

  it('a student exported and deleted from the console: both audited with a hashed subject, nothing personal', async () => {
    await launch(pw, fake, { role: 'student', claims: { sub: 'console-pupil', name: 'Connie Console', email: 'connie@school.example' } });
    const exported = await post('/admin/privacy', '/admin/privacy/students/export', { platformId, sub: 'console-pupil' });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(exported.text).profile.name).toBe('Connie Console');
    const unticked = await post('/admin/privacy', '/admin/privacy/students/delete', { platformId, sub: 'console-pupil' });
    expect(unticked.status).toBe(400);
    expect((await pw.ctx.db.query(`select 1 from users where sub = 'console-pupil'`)).rows).toHaveLength(1);
    const deleted = await post('/admin/privacy', '/admin/privacy/students/delete', { platformId, sub: 'console-pupil', confirm: 'yes' });
    expect(deleted.status).toBe(303);
    // The notice says what a deletion does not do: the LMS may list the person again.
    const notice = await admin.get(deleted.headers.location!);
    expect(notice.text).toContain('its next roster read or their next launch brings back their name and enrollment (not their work)');
    const entries = await pw.ctx.privacy.audit.list({ platformId });
    const e = entries.find((x) => x.action === 'student.exported')!;
    const d = entries.find((x) => x.action === 'student.deleted')!;
    expect(e).toMatchObject({ actorKind: 'operator', ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(d.subjectRef).toBe(e.subjectRef);
    const csv = (await admin.get('/admin/audit?format=csv')).text;
    for (const personal of ['console-pupil', 'Connie', 'connie@school.example']) {
      expect(csv).not.toContain(personal);
      expect(JSON.stringify(entries)).not.toContain(personal);
    }
  });

  it('the audit log filters by action and downloads as CSV', async () => {
    const res = await admin.get('/admin/audit?action=keys.rotated');
    expect(res.text).toContain('<code>keys.rotated</code>');
    expect(res.text).not.toContain('<code>platform.disabled</code>');
    const csv = await admin.get('/admin/audit?action=keys.rotated&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const es = await signIn(pw, '203.0.113.50', 'es');
    const res = await es.get('/admin/platforms');
    expect(res.text).toContain('<html lang="es">');
    expect(res.text).toContain('Plataformas');
    // Refusals on its pages read Spanish too, with their stable code shown beside them.
    const form = (await es.get('/admin/privacy')).text;
    const unticked = await es
      .post('/admin/privacy/students/delete')
      .type('form')
      .send({ _csrf: csrfOf(form), platformId, sub: 'someone' });
    expect(unticked.status).toBe(400);
    expect(unticked.text).toContain('Marca la casilla para confirmar el borrado.');
    expect(unticked.text).toContain('El borrado no se puede deshacer: vuelve, marca la casilla y borra de nuevo.');
    expect(unticked.text).toContain('confirmation_required');
    const nobody = await es
      .post('/admin/privacy/students/export')
      .type('form')
      .send({ _csrf: csrfOf(form), platformId, sub: 'nobody-here' });
    expect(nobody.status).toBe(404);
    expect(nobody.text).toContain('Pathwise no guarda ningún dato de este usuario en esta plataforma.');
    const badAddress = await es
      .post('/admin/platforms/not-a-uuid/disable')
      .type('form')
      .send({ _csrf: csrfOf(form) });
    expect(badAddress.status).toBe(400);
    expect(badAddress.text).toContain('Esta dirección no es válida.');
    expect(badAddress.text).toContain('Vuelve a la consola e inténtalo de nuevo.');
  });
});
