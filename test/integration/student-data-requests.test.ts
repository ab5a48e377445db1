import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, placeSampleUnit, type StudentClient } from './student-support.js';
import { launchPerson, userId } from './teacher-support.js';

const AUTH = `Bearer ${TEST_ADMIN_TOKEN}`;
const SUB = 'pupil-7f3a9c';
const NAME = 'Zelda Quixote';
const EMAIL = `${SUB}@school.example`;
const GOAL = 'Reach orbit by June xyzzy';
const HELP = 'I am lost on step two plugh';
const REFLECTION = 'The worked examples frobnicate';

/** Tables with any row whose text contains `needle` — the whole database, walked through the catalog. */
async function tablesContaining(pw: Pathwise, needle: string): Promise<string[]> {
  const { rows: tables } = await pw.ctx.db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  );
  const found: string[] = [];
  for (const t of tables) {
    // A row cast to text holds every column's value (jsonb, arrays and uuids included).
    const { rows } = await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from "${t.name}" r where strpos(lower(r::text), lower($1)) > 0`, [needle]);
    if (rows[0]!.n > 0) found.push(t.name);
  }
  return found;
}

/** Every table with a column that names a user or student (by foreign key to users or by name). */
async function personTables(pw: Pathwise): Promise<string[]> {
  const { rows } = await pw.ctx.db.query<{ name: string }>(
    `select distinct table_name as name from information_schema.columns
      where table_schema = current_schema()
        and (column_name ~ '(^|_)(user|student|learner|sub|actor|created_by|resolved_by|withdrawn_by)(_|$)' or column_name in ('name', 'email'))
      order by 1`,
  );
  return rows.map((r) => r.name);
}

describe('student data requests: export → delete → export, and nothing left anywhere', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let zelda: StudentClient;
  let teacher: StudentClient;
  let platformId: string;
  let zeldaId: string;
  let unitId: string;
  const exportUrl = () => `/admin/api/platforms/${platformId}/users/${SUB}/export`;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    platformId = (await registerFakePlatform(pw, fake)).id;
    teacher = await launchPerson(pw, fake, 'teacher', 'teacher-1', 'Ada Teacher');
    zelda = await launchPerson(pw, fake, 'student', SUB, NAME);
    await launchPerson(pw, fake, 'student', 'other-pupil', 'Otto Other');
    unitId = await placeSampleUnit(pw);
    zeldaId = await userId(pw, SUB);
    // Everything a student leaves behind: a pathway choice, a mark, a failed and a passed check with
    // responses, a reflection, a goal, a profile, a help request, a queued score, and a teacher override.
    await zelda.get('/student/competencies/one-step');
    await zelda.post('/student/competencies/one-step/pathway', { pathwayId: 'one-step-practice' });
    await zelda.post('/student/competencies/one-step/resources', { pathwayId: 'one-step-practice', index: '0', done: '1' });
    const attempt = attemptIdFrom(await zelda.post('/student/competencies/one-step/check'));
    await zelda.get(`/student/attempts/${attempt}`);
    await zelda.post(`/student/attempts/${attempt}`, answerFields(await attemptItems(pw, attempt), true));
    await zelda.post(`/student/attempts/${attempt}/reflection`, { whatHelped: REFLECTION, confidence: '4' });
    await zelda.get('/student/profile');
    await zelda.post('/student/profile', { interests: 'chess, rockets', modalities: ['practice'] });
    await zelda.post('/student/goals', { text: GOAL, targetDate: '2030-06-01' });
    await zelda.post('/student/competencies/two-step/help', { message: HELP });
    await teacher.get(`/teacher/students/${zeldaId}`);
    const o = await teacher.post(`/teacher/students/${zeldaId}/override`, {
      unit: unitId,
      competency: 'simplify',
      level: 'mastered',
      reason: 'Showed it at the board',
    });
    expect(o.status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('exports everything Pathwise holds about the student as JSON', async () => {
    const res = await request(pw.app).get(exportUrl()).set('Authorization', AUTH);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.profile).toMatchObject({ sub: SUB, name: NAME, email: EMAIL });
    expect(body.learnerProfile.interests).toEqual(['chess', 'rockets']);
    expect(body.goals.map((g: { text: string }) => g.text)).toEqual([GOAL]);
    expect(body.reflections[0].what_helped).toBe(REFLECTION);
    expect(body.helpRequests[0].message).toBe(HELP);
    expect(body.attempts).toHaveLength(1);
    expect(body.attempts[0].responses.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.attempts)).not.toContain('"accept"');
    expect(body.mastery.current.length).toBeGreaterThan(0);
    expect(body.mastery.history.length).toBeGreaterThan(0);
    expect(body.mastery.overrides[0]).toMatchObject({ competency_id: 'simplify', level: 'mastered', reason: 'Showed it at the board' });
    expect(body.pathwayChoices[0].pathway_id).toBe('one-step-practice');
    expect(body.resourceMarks).toHaveLength(1);
    expect(body.enrollments[0]).toMatchObject({ context_id: 'course-1' });
    expect(body.scores.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 404 user_not_found for an unknown user or platform, 400 for a malformed platform id', async () => {
    const unknown = await request(pw.app).get(`/admin/api/platforms/${platformId}/users/nobody/export`).set('Authorization', AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('user_not_found');
    const other = await request(pw.app).get(`/admin/api/platforms/00000000-0000-4000-8000-000000000000/users/${SUB}/export`).set('Authorization', AUTH);
    expect(other.status).toBe(404);
    const bad = await request(pw.app).get(`/admin/api/platforms/not-a-uuid/users/${SUB}/export`).set('Authorization', AUTH);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });

  it('deletes the student from every table, then the export answers 404 and the catalog walk finds nothing', async () => {
    const needles = [zeldaId, SUB, NAME, EMAIL, GOAL, HELP, REFLECTION];
    // Before: the walk does find the student, in every kind of table (so it is looking in the right places).
    const before = await tablesContaining(pw, zeldaId);
    expect(before).toEqual(
      expect.arrayContaining([
        'users',
        'enrollments',
        'attempts',
        'mastery_current',
        'mastery_history',
        'mastery_overrides',
        'learner_goals',
        'reflections',
        'help_requests',
        'grade_outbox',
        'sessions',
        'pathway_choices',
        'resource_marks',
      ]),
    );
    expect(await tablesContaining(pw, NAME)).toContain('users');

    const del = await request(pw.app).delete(`/admin/api/platforms/${platformId}/users/${SUB}`).set('Authorization', AUTH);
    expect(del.status).toBe(200);
    expect(del.body.deleted).toBe(true);
    expect(del.body.rows['users.id']).toBe(1);

    const again = await request(pw.app).get(exportUrl()).set('Authorization', AUTH);
    expect(again.status).toBe(404);
    expect((await request(pw.app).delete(`/admin/api/platforms/${platformId}/users/${SUB}`).set('Authorization', AUTH)).status).toBe(404);

    // Every table with a person column is among the tables walked (the walk covers tables added later too).
    const walked = await personTables(pw);
    expect(walked.length).toBeGreaterThan(10);
    for (const needle of needles) expect({ needle, tables: await tablesContaining(pw, needle) }).toEqual({ needle, tables: [] });

    // Others keep their data; the teacher's override of someone else is unaffected.
    expect(await tablesContaining(pw, 'Otto Other')).toEqual(['users']);
  });

  it('keeps only an audit entry of the export and the deletion, without personal data', async () => {
    const res = await request(pw.app).get('/admin/api/audit').set('Authorization', AUTH);
    const actions = (res.body.entries as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['student.exported', 'student.deleted', 'mastery.override']));
    const deleted = res.body.entries.find((e: { action: string }) => e.action === 'student.deleted');
    expect(deleted).toMatchObject({ actorKind: 'operator', platformId });
    expect(deleted.subjectRef).toMatch(/^[0-9a-f]{16}$/);
    expect(deleted.ip).toBeTruthy();
    const csv = await request(pw.app).get('/admin/api/audit?format=csv&action=student.deleted').set('Authorization', AUTH);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('at,actor_kind,actor_ref,ip,platform_id,action,target,subject_ref,details');
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
  });

  it('the audit log refuses UPDATE and DELETE', async () => {
    await expect(pw.ctx.db.query(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pw.ctx.db.query(`delete from audit_log`)).rejects.toThrow(/append-only/);
    const { rows } = await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'student.deleted'`);
    expect(rows[0]!.n).toBe(1);
  });
});
