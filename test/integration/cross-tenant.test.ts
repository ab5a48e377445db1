import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { attemptIdFrom, placeSampleUnit, type StudentClient } from './student-support.js';
import { decode, launchPerson, userId } from './teacher-support.js';

/**
 * A session belongs to one launch: one platform, one course. The same person's token from course A
 * (or from another LMS with the same course id) opens nothing of course B, whatever ids the URL
 * names; a token never leaves in a Referer; a state cookie taken to another browser is refused.
 */
let pw: Pathwise;
let fake: FakePlatform;
let other: FakePlatform;
let teacherA: StudentClient;
let teacherB: StudentClient;
let teacherOtherLms: StudentClient;
let studentA: StudentClient;
let studentB: StudentClient;
const ids = { unitB: '', studentOnlyB: '', attemptB: '', helpB: '', outboxB: '' };

beforeAll(async () => {
  pw = await createTestPathwise({ grades: { worker: false } });
  fake = await new FakePlatform().start();
  other = await new FakePlatform().start();
  await registerFakePlatform(pw, fake);
  await registerFakePlatform(pw, other);
  // One teacher and one student in both courses of one LMS; one student in course B only.
  teacherA = await launchPerson(pw, fake, 'teacher', 'user-both', 'Bo Both', 'course-1');
  teacherB = await launchPerson(pw, fake, 'teacher', 'user-both', 'Bo Both', 'course-2');
  studentA = await launchPerson(pw, fake, 'student', 'user-sam', 'Sam Student', 'course-1');
  studentB = await launchPerson(pw, fake, 'student', 'user-sam', 'Sam Student', 'course-2');
  const onlyB = await launchPerson(pw, fake, 'student', 'user-only-b', 'Bea OnlyB', 'course-2');
  // Another LMS whose course and person ids are the same strings.
  teacherOtherLms = await launchPerson(pw, other, 'teacher', 'user-both', 'Bo Both', 'course-2');
  await placeSampleUnit(pw);
  // Course B's own unit, its student's attempt, help request and queued score.
  await teacherB.get('/teacher/units');
  const imported = await teacherB.post('/teacher/units/import', { json: JSON.stringify({ ...linearEquations, key: 'course-b-unit' }) });
  expect(imported.status).toBe(303);
  ids.unitB = (await pw.ctx.db.query<{ id: string }>(`select id from units where document->>'key' = 'course-b-unit'`)).rows[0]!.id;
  ids.studentOnlyB = await userId(pw, 'user-only-b');
  await onlyB.get('/student/competencies/simplify');
  ids.attemptB = attemptIdFrom(await onlyB.post('/student/competencies/simplify/check'));
  await onlyB.post('/student/competencies/simplify/help', { message: 'Stuck on like terms' });
  ids.helpB = (await pw.ctx.db.query<{ id: string }>(`select id from help_requests limit 1`)).rows[0]!.id;
  await pw.ctx.db.query(
    `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress, grading_progress, score_timestamp, status, last_error)
     select gen_random_uuid(), pl.id, $1, 1, 1, 'Completed', 'FullyGraded', now(), 'failed', 'gone'
       from placements pl join courses c on c.id = pl.course_id join deployments d on d.id = c.deployment_id join platforms p on p.id = d.platform_id
      where c.context_id = 'course-2' and p.issuer = $2`,
    [ids.studentOnlyB, fake.issuer],
  );
  ids.outboxB = (await pw.ctx.db.query<{ id: string }>(`select id::text as id from grade_outbox limit 1`)).rows[0]!.id;
  await teacherA.get('/teacher');
  await studentA.get('/student/competencies/simplify');
}, 180_000);

afterAll(async () => {
  await fake?.stop();
  await other?.stop();
  await pw?.close();
});

describe('a session token of one course opens nothing of another course', () => {
  it('course A’s teacher token on course B’s unit, student, help request and grade', async () => {
    // B's own token opens them: the ids are real.
    expect((await teacherB.get(`/teacher/units/${ids.unitB}`)).status).toBe(200);
    expect((await teacherB.get(`/teacher/students/${ids.studentOnlyB}`)).status).toBe(200);
    for (const path of [
      `/teacher/units/${ids.unitB}`,
      `/teacher/units/${ids.unitB}/export`,
      `/teacher/units/${ids.unitB}/competencies/simplify`,
      `/teacher/students/${ids.studentOnlyB}`,
      `/teacher/dashboard?unit=${ids.unitB}`,
    ]) {
      const res = await teacherA.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).not.toContain('Bea OnlyB');
    }
    await teacherA.get('/teacher/units'); // this session's own CSRF token: the refusals below are about the course
    expect(teacherA.csrf).not.toBe('');
    const edits = [
      teacherA.post(`/teacher/units/${ids.unitB}/settings`, { title: 'Taken over' }),
      teacherA.post(`/teacher/units/${ids.unitB}/competencies/simplify/delete`),
      teacherA.post(`/teacher/students/${ids.studentOnlyB}/override`, {
        unit: ids.unitB,
        competency: 'simplify',
        level: 'mastered',
        reason: 'Crossing courses',
      }),
      teacherA.post(`/teacher/help/${ids.helpB}/resolve`),
    ];
    for (const res of await Promise.all(edits)) expect([res.status, errorCode(res)]).toEqual([404, expect.stringMatching(/not_found$/)]);
    {
      const retry = await teacherA.post(`/teacher/grades/${ids.outboxB}/retry`);
      expect(retry.status).toBeGreaterThanOrEqual(300);
      const { rows } = await pw.ctx.db.query<{ status: string }>(`select status from grade_outbox where id = $1`, [ids.outboxB]);
      expect(rows[0]!.status).toBe('failed');
    }
    const unit = await pw.ctx.db.query<{ title: string; n: number }>(
      `select document->>'title' as title, jsonb_array_length(document->'competencies') as n from units where id = $1`,
      [ids.unitB],
    );
    expect(unit.rows[0]!.title).not.toBe('Taken over');
    expect(unit.rows[0]!.n).toBe(linearEquations.competencies.length);
    expect((await pw.ctx.db.query(`select 1 from mastery_overrides`)).rows).toHaveLength(0);
    expect((await pw.ctx.db.query(`select 1 from help_requests where status <> 'open'`)).rows).toHaveLength(0);
  });

  it('the same student’s course A token on their course B attempt, and on another student’s', async () => {
    for (const path of [`/student/attempts/${ids.attemptB}`, `/student/attempts/${ids.attemptB}/result`]) {
      expect((await studentA.get(path)).status, path).toBe(404);
      expect((await studentB.get(path)).status, path).toBe(404);
    }
    const submit = await studentA.post(`/student/attempts/${ids.attemptB}`, { 'answer-ex-1': '8' });
    expect(submit.status).toBe(404);
    const { rows } = await pw.ctx.db.query<{ status: string }>(`select status from attempts where id = $1`, [ids.attemptB]);
    expect(rows[0]!.status).toBe('open');
  });

  it('a token from another LMS with the same course and person ids opens nothing of this one', async () => {
    await teacherOtherLms.get('/teacher');
    for (const path of [`/teacher/units/${ids.unitB}`, `/teacher/students/${ids.studentOnlyB}`]) {
      expect((await teacherOtherLms.get(path)).status, path).toBe(404);
    }
    const cls = await teacherOtherLms.get('/teacher/class');
    expect(cls.status).toBe(200);
    expect(cls.text).not.toContain('Bea OnlyB');
    expect(cls.text).not.toContain('Sam Student');
  });

  it('a cookie of course A does not outrank the token course B’s frame names', async () => {
    const res = await request(pw.app).get(`/teacher/units/${ids.unitB}?session=${teacherB.token}`).set('Cookie', `pw_session=${teacherA.token}`);
    expect(res.status).toBe(200);
    const crossed = await request(pw.app).get(`/teacher/units/${ids.unitB}?session=${teacherA.token}`).set('Cookie', `pw_session=${teacherB.token}`);
    expect(crossed.status).toBe(404);
  });
});

describe('a session token never leaves in a Referer', () => {
  it('every page says Referrer-Policy: no-referrer, and outbound links add noreferrer', async () => {
    await studentA.post('/student/competencies/simplify/pathway', { pathwayId: 'simplify-watch' });
    const pages = [
      await studentA.get('/student/competencies/simplify'),
      await studentA.get('/student/map'),
      await teacherA.get('/teacher'),
      await request(pw.app).get('/'),
      await request(pw.app).get('/lti/home?session=nonsense'),
    ];
    for (const res of pages) expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The page's own links carry the token (a frame cannot rely on cookies), so no Referer may leave it.
    const page = decode(pages[0]!.text);
    expect(page).toContain(`session=${studentA.token}`);
    const outbound = [...page.matchAll(/<a [^>]*href="(https?:\/\/[^"]+)"[^>]*>/g)];
    expect(outbound.length).toBeGreaterThan(0);
    for (const [tag, href] of outbound) {
      expect(href).not.toContain(studentA.token);
      expect(tag).toMatch(/rel="[^"]*noreferrer[^"]*"/);
    }
  });
});

describe('a state cookie taken to another browser is refused', () => {
  it('after the launch it belonged to, and with another browser’s own login', async () => {
    const a = await launch(pw, fake, { submit: false, claims: { sub: 'user-sam' } });
    const cookie = `pw_state_${a.state!.slice(0, 16)}=${a.state}`;
    const first = await a.repost();
    expect(first.status).toBe(303);
    // Browser B replays the id_token, state and the state cookie it copied.
    const replay = await request(pw.app).post('/lti/launch').set('Cookie', cookie).type('form').send({ id_token: a.idToken, state: a.state });
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(['invalid_state', 'nonce_reused']).toContain(errorCode(replay));
    expect(String(replay.headers['set-cookie'] ?? '')).not.toContain('pw_session=');

    // Browser B started its own login; it posts A's (unused) id_token and state with B's cookies and proof.
    const a2 = await launch(pw, fake, { submit: false, claims: { sub: 'user-sam' } });
    const b = await launch(pw, fake, { submit: false, claims: { sub: 'user-mallory' } });
    const bCookie = `pw_state_${b.state!.slice(0, 16)}=${b.state}`;
    const crossed = await request(pw.app)
      .post('/lti/launch')
      .set('Cookie', bCookie)
      .type('form')
      .send({ id_token: a2.idToken, state: a2.state, pw_own_proof: b.ownProof ?? '', pw_bind: '1' });
    expect(crossed.status).toBeGreaterThanOrEqual(400);
    expect(errorCode(crossed)).toBe('invalid_state');
    // B's cookie renamed to A's state: the value is B's state, not A's.
    const renamed = await request(pw.app)
      .post('/lti/launch')
      .set('Cookie', `pw_state_${a2.state!.slice(0, 16)}=${b.state}`)
      .type('form')
      .send({ id_token: a2.idToken, state: a2.state, pw_bind: '1' });
    expect(renamed.status).toBeGreaterThanOrEqual(400);
    // A's own browser still completes its launch: nothing B did used it up.
    expect((await a2.repost()).status).toBe(303);
    expect((await pw.ctx.db.query(`select 1 from users where sub = 'user-mallory'`)).rows).toHaveLength(0);
  });
});
