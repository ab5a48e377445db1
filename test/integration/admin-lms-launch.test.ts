import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { launchPerson } from './teacher-support.js';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('an LMS administrator’s launch opens the console limited to their own platform', () => {
  let pw: Pathwise;
  let a: FakePlatform;
  let b: FakePlatform;
  let platformA: string;
  let platformB: string;
  let agent: ReturnType<typeof request.agent>;
  let csrf: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    a = await new FakePlatform().start();
    b = await new FakePlatform().start();
    platformA = (await registerFakePlatform(pw, a)).id;
    platformB = (await registerFakePlatform(pw, b)).id;
    await pw.ctx.db.query(`update platforms set name = 'Canvas of district A' where id = $1`, [platformA]);
    await pw.ctx.db.query(`update platforms set name = 'Moodle of district B' where id = $1`, [platformB]);
    await launchPerson(pw, b, 'student', 'b-student', 'Bea Student');
    await pw.ctx.platforms.addPendingDeployment(platformB, 'b-school-2');
    // Canvas account navigation: an institution Administrator, no course context.
    const r = await launch(pw, a, { claims: { sub: 'a-admin', [CLAIM.roles]: [ROLE.institutionAdministrator], [CLAIM.context]: undefined } });
    expect(r.landing?.status).toBe(200);
    const enter = /href="(\/admin\/enter\?ticket[^"]+)"/.exec(r.landing!.text)?.[1];
    expect(enter).toBeTruthy();
    agent = request.agent(pw.app);
    const entered = await agent.get(decode(enter!));
    expect(entered.status).toBe(200);
    const cookie = (entered.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pw_admin='))!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    // The ticket works once.
    expect((await request(pw.app).get(decode(enter!))).status).toBe(401);
    csrf = csrfOf((await agent.get('/admin/platforms')).text);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await pw?.close();
  });

  it('pages show platform A only', async () => {
    const page = await agent.get('/admin/platforms');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Canvas of district A');
    expect(page.text).not.toContain('Moodle of district B');
    expect(page.text).not.toContain('b-school-2');
    expect(page.text).toContain('you see and change only your own platform');
    for (const path of ['/admin/usage', '/admin/privacy', '/admin/audit']) {
      const res = await agent.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Moodle of district B');
    }
    // Operator-only pages are refused.
    expect((await agent.get('/admin/keys')).status).toBe(403);
  });

  it('cannot change platform B from the console: its forms answer 404 and nothing changes', async () => {
    const pendingB = (await pw.ctx.platforms.findDeployment(platformB, 'b-school-2'))!;
    expect((await agent.post(`/admin/deployments/${pendingB.id}/approve`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.post(`/admin/platforms/${platformB}/disable`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect(
      (await agent.post('/admin/privacy/students/delete').type('form').send({ _csrf: csrf, platformId: platformB, sub: 'b-student', confirm: 'yes' })).status,
    ).toBe(404);
    expect((await agent.post('/admin/keys/rotate').type('form').send({ _csrf: csrf })).status).toBe(403);
    expect((await pw.ctx.platforms.findDeployment(platformB, 'b-school-2'))?.status).toBe('pending');
    expect((await pw.ctx.platforms.findById(platformB))?.disabledAt).toBeNull();
    const { rows } = await pw.ctx.db.query(`select 1 from users where sub = 'b-student'`);
    expect(rows).toHaveLength(1);
  });

  it('cannot see or change platform B through the API with the console session either', async () => {
    const list = await agent.get('/admin/api/platforms');
    expect(list.status).toBe(200);
    expect(list.body.platforms.map((p: { id: string }) => p.id)).toEqual([platformA]);
    expect((await agent.get(`/admin/api/platforms/${platformB}/users/b-student/export`)).status).toBe(404);
    const del = await agent.delete(`/admin/api/platforms/${platformB}/users/b-student`).set('X-CSRF-Token', csrf);
    expect(del.status).toBe(404);
    expect(del.body.error.code).toBe('user_not_found');
    const pendingB = (await pw.ctx.platforms.findDeployment(platformB, 'b-school-2'))!;
    expect((await agent.post(`/admin/api/deployments/${pendingB.id}/approve`).set('X-CSRF-Token', csrf)).status).toBe(404);
    const rotate = await agent.post('/admin/api/keys/rotate').set('X-CSRF-Token', csrf);
    expect(rotate.status).toBe(403);
    expect(rotate.body.error.code).toBe('operator_only');
    // An unsafe API call with the cookie but no CSRF header is refused.
    expect((await agent.post(`/admin/api/platforms/${platformA}/disable`)).status).toBe(403);
    const audit = await agent.get('/admin/api/audit');
    expect(audit.body.entries.every((e: { platformId: string | null }) => e.platformId === platformA)).toBe(true);
    // Operator-only calls, and platform B's grade delivery figures, are out of reach too.
    for (const [method, path] of [
      ['post', '/admin/api/registration-invites'],
      ['get', '/admin/api/retention'],
      ['post', '/admin/api/retention/run'],
      ['post', '/admin/api/platforms'],
    ] as const) {
      const res = await agent[method](path).set('X-CSRF-Token', csrf);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('operator_only');
    }
    await pw.ctx.db.query(
      `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress, grading_progress, score_timestamp)
       select gen_random_uuid(), p.id, u.id, 1, 1, 'Completed', 'FullyGraded', now()
         from users u, placements p join courses c on c.id = p.course_id join deployments d on d.id = c.deployment_id
        where u.sub = 'b-student' and d.platform_id = $1 limit 1`,
      [platformB],
    );
    const all = await request(pw.app).get('/admin/api/grade-delivery').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(all.body.platforms.map((p: { platformId: string }) => p.platformId)).toContain(platformB);
    const delivery = await agent.get('/admin/api/grade-delivery');
    expect(delivery.status).toBe(200);
    expect(delivery.body.platforms.map((p: { platformId: string }) => p.platformId)).not.toContain(platformB);
    expect((await agent.get('/admin/usage')).text).not.toContain('Moodle of district B');
    expect((await agent.post(`/admin/api/platforms/${platformB}/disable`).set('X-CSRF-Token', csrf)).status).toBe(404);
    expect((await pw.ctx.platforms.findById(platformB))?.disabledAt).toBeNull();
  });

  it('can manage its own platform A, audited as an LMS administrator', async () => {
    const res = await agent.post(`/admin/platforms/${platformA}/disable`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect((await pw.ctx.platforms.findById(platformA))?.disabledAt).toBeInstanceOf(Date);
    await agent.post(`/admin/platforms/${platformA}/enable`).type('form').send({ _csrf: csrf });
    const entry = (await pw.ctx.privacy.audit.list({ platformId: platformA, action: 'platform.disabled' }))[0];
    expect(entry).toMatchObject({ actorKind: 'lms_admin' });
    expect(entry?.actorRef).toMatch(/^[0-9a-f]{16}$/);
  });
});
