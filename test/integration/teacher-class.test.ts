import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import type { Pathwise } from '../../src/main.js';
import { pseudonymCode } from '../../src/privacy/pseudonym.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { addNrps, addTokenEndpoint, type FakeMember } from '../support/fake-services.js';
import { errorCode, registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { answerFor, courseRowId, decode, launchPerson, userId } from './teacher-support.js';

const learners = (n: number): FakeMember[] =>
  Array.from({ length: n }, (_, i) => ({ user_id: `s-${i}`, roles: ['Learner'], name: `Student ${i}`, given_name: 'Student', family_name: String(i) }));

/** The names in the first column of the member table, in order. */
const names = (html: string) => [...decode(html).matchAll(/<th scope="row">(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]!.trim());

describe('teacher: the Class page (NRPS roster of 250, search, filters, sort, paging, CSV)', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let teacher: StudentClient;
  let course: string;
  let unitId: string;

  async function check(sub: string, competencyId: string, right: boolean, minutesLater = 0) {
    const at = new Date(Date.now() + minutesLater * 60_000);
    const svc = createLearningService(pw.ctx.db, { clock: () => at });
    const id = await userId(pw, sub);
    await svc.choosePathway({ userId: id, unitId, competencyId, pathwayId: 'one-step-practice', courseId: course });
    const view = await svc.startAttempt({ userId: id, unitId, competencyId, courseId: course });
    const items = await attemptItems(pw, view.attemptId);
    await svc.submitAttempt({ attemptId: view.attemptId, userId: id, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, right)])) });
  }

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = new FakePlatform();
    const tokens = addTokenEndpoint(fake, { toolJwks: () => pw.ctx.keys.publicJwks() });
    const members: FakeMember[] = [
      { user_id: 'user-teacher', roles: ['Instructor'], name: 'Ada Teacher' },
      { user_id: 'ta-1', roles: ['Instructor#TeachingAssistant'], name: 'Tomas Assistant' },
      { user_id: 'gone-1', roles: ['Learner'], name: 'Left Course', status: 'Inactive' },
      { user_id: 'eve', roles: ['Learner'], name: '=HYPERLINK("http://x") Eve' },
      ...learners(246),
    ];
    const nrps = addNrps(fake, { tokens, pageSize: 100, members });
    await fake.start();
    await registerFakePlatform(pw, fake);
    const claims = { [CLAIM.nrpsService]: { context_memberships_url: nrps.url, service_versions: ['2.0'] } };
    teacher = await launchAs(pw, fake, { role: 'teacher', claims });
    course = await courseRowId(pw, 'course-1');
    // The teacher launch reads the roster in the background: 250 members in three pages.
    for (let i = 0; i < 100 && (await pw.ctx.roster.listRoster(course)).length < 249; i++) await new Promise((r) => setTimeout(r, 100));
    unitId = await placeSampleUnit(pw);
    for (const sub of ['s-5', 's-7', 's-8']) await launchPerson(pw, fake, 'student', sub, `Student ${sub.slice(2)}`);
    await check('s-5', 'one-step', true);
    await check('s-7', 'one-step', false);
    await check('s-7', 'one-step', false, 11);
    // s-8 launched long ago and not since.
    await pw.ctx.db.query(`update enrollments set last_launch_at = now() - interval '30 days' where user_id = $1`, [await userId(pw, 's-8')]);
  }, 180_000);
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('lists everyone the LMS lists, 50 a page, with role, LMS status, last launch and unit progress', async () => {
    const res = await teacher.get('/teacher/class');
    expect(res.status).toBe(200);
    const text = decode(res.text);
    expect(text).toContain('Showing 1 to 50 of 250 people.');
    expect(text).toContain('Page 1 of 5');
    expect(text).toMatch(/<a href="\/teacher\/class\?session=[^"]*" aria-current="page">Class<\/a>/);
    expect(names(res.text)).toHaveLength(50);
    // Names sort by family name: "Ada Teacher" (no given/family from NRPS) sorts as "ada teacher".
    const s5 = /<th scope="row"><a [^>]*>Student 5<\/a><\/th>([\s\S]*?)<\/tr>/.exec(decode((await teacher.get('/teacher/class?q=student+5')).text))![1]!;
    expect(s5).toContain('<td>Student</td>');
    expect(s5).toContain('1 of 5 mastered');
    expect(s5).toMatch(/last activity \w/);
    const s6 = /<th scope="row"><a [^>]*>Student 6<\/a><\/th>([\s\S]*?)<\/tr>/.exec(decode((await teacher.get('/teacher/class?q=student+6')).text))![1]!;
    expect(s6).toContain('<span class="muted">never</span>');
    expect(s6).toContain('0 of 5 mastered');
    expect(s6).toContain('no activity yet');
  });

  it('shows roles (Learner wins), the LMS status, and no progress for staff', async () => {
    const all = decode((await teacher.get('/teacher/class?sort=role&filter=all')).text);
    expect(names(all).slice(0, 2)).toEqual(['Ada Teacher', 'Tomas Assistant']);
    const ta = /<th scope="row">Tomas Assistant<\/th>([\s\S]*?)<\/tr>/.exec(all)![1]!;
    expect(ta).toContain('Teaching assistant');
    expect(ta).toContain('not a student');
    const gone = decode((await teacher.get('/teacher/class?q=Left')).text);
    expect(gone).toMatch(/Left Course<\/a><\/th>\s*<td>Student<\/td>\s*<td><strong>Inactive<\/strong><\/td>/);
  });

  it('searches by name, in the database, with LIKE wildcards taken literally', async () => {
    const res = await teacher.get('/teacher/class?q=student+7');
    expect(names(res.text)).toEqual(
      ['Student 7', ...Array.from({ length: 10 }, (_, i) => `Student 7${i}`)].sort((a, b) => Number(a.slice(8)) - Number(b.slice(8))),
    );
    expect(decode(res.text)).toContain('Showing 1 to 11 of 11 people.');
    expect(decode((await teacher.get('/teacher/class?q=%25')).text)).toContain('Nobody matches these filters.');
  });

  it('filters: never launched, inactive for N days, needs attention, students only', async () => {
    const never = decode((await teacher.get('/teacher/class?filter=never')).text);
    expect(never).toContain('of 246 people.');
    const inactive = await teacher.get('/teacher/class?filter=inactive&days=14');
    expect(names(inactive.text)).toEqual(['Student 8']);
    expect(names((await teacher.get('/teacher/class?filter=inactive&days=60')).text)).toEqual([]);
    const attention = await teacher.get('/teacher/class?filter=attention');
    expect(names(attention.text)).toEqual(['Student 7']);
    expect(decode(attention.text)).toContain('Needs attention</span>');
    expect(decode((await teacher.get('/teacher/class?filter=learners')).text)).toContain('of 248 people.');
  });

  it('sorts by name either way and by last launch', async () => {
    expect(names((await teacher.get('/teacher/class?sort=-name')).text)[0]).toBe('Tomas Assistant');
    const byLaunch = names((await teacher.get('/teacher/class?sort=launch')).text);
    expect(byLaunch.slice(0, 4)).toEqual(['Student 7', 'Student 5', 'Ada Teacher', 'Student 8']);
    expect(names((await teacher.get('/teacher/class?sort=-launch&page=5')).text).slice(-4)).toEqual(['Student 8', 'Ada Teacher', 'Student 5', 'Student 7']);
  });

  it('pages keep the filters, and a page past the end shows the last one', async () => {
    const p2 = decode((await teacher.get('/teacher/class?filter=learners&page=2')).text);
    expect(p2).toContain('Showing 51 to 100 of 248 people.');
    expect(p2).toMatch(/href="\/teacher\/class\?session=[^"]+&filter=learners&days=14&sort=name&page=3" rel="next"/);
    const last = decode((await teacher.get('/teacher/class?page=99')).text);
    expect(last).toContain('Showing 201 to 250 of 250 people.');
    expect((await teacher.get('/teacher/class?page=abc&sort=nonsense&filter=evil')).status).toBe(200);
  });

  it('exports every matching member as CSV, with the formula guard', async () => {
    const res = await teacher.get('/teacher/class.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(251);
    expect(lines[0]).toBe('Name,Role,Status in the LMS,Last launch,Linear equations: mastered,Linear equations: last activity,Needs attention');
    expect(lines.find((l) => l.includes('Eve'))).toMatch(/^"'=HYPERLINK\(""http:\/\/x""\) Eve",Student,Active,never,0\/5,,$/);
    expect(lines.find((l) => l.startsWith('Student 7,'))).toMatch(/^Student 7,Student,Active,\d{4}-\d\d-\d\dT[^,]+,0\/5,\d{4}-[^,]+,Needs attention$/);
    const filtered = (await teacher.get('/teacher/class.csv?filter=never&q=student+1')).text.trim().split('\r\n');
    expect(filtered.length).toBe(1 + 111);
  });

  it('is for teachers of this course only', async () => {
    const student = await launchPerson(pw, fake, 'student', 's-9', 'Student 9');
    const res = await request(pw.app).get(`/teacher/class?session=${student.token}`).set('Accept', 'application/json');
    expect([res.status, errorCode(res)]).toEqual([403, 'teacher_only']);
    const other = await launchAs(pw, fake, { role: 'teacher', claims: { sub: 'other-teacher', [CLAIM.context]: { id: 'course-2', title: 'Other' } } });
    const page = decode((await other.get('/teacher/class')).text);
    expect(page).toContain('Showing 1 to 1 of 1 person.');
    expect(page).not.toContain('Student 5');
  });

  it('is linked from the launch page and the course home', async () => {
    expect(decode((await teacher.get('/lti/home')).text)).toMatch(/href="\/teacher\/class\?session=[^"]+">Class<\/a>/);
    expect(decode((await teacher.get('/teacher')).text)).toMatch(/href="\/teacher\/class\?session=[^"]+">See everyone in the class<\/a>/);
  });

  it('pages 5,000 members: filtering, sorting and paging run in the database', { timeout: 120_000 }, async () => {
    const other = await launchAs(pw, fake, { role: 'teacher', claims: { sub: 'big-teacher', [CLAIM.context]: { id: 'course-big', title: 'Big' } } });
    const big = await courseRowId(pw, 'course-big');
    const { rows } = await pw.ctx.db.query<{ platform_id: string }>(
      `select d.platform_id from courses c join deployments d on d.id = c.deployment_id where c.id = $1`,
      [big],
    );
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    await pw.ctx.db.query(
      `insert into users (id, platform_id, sub, name, given_name, family_name)
       select id, $2, 'big-' || n, 'Learner ' || n, 'Learner', n::text from unnest($1::uuid[]) with ordinality as t(id, n)`,
      [ids, rows[0]!.platform_id],
    );
    await pw.ctx.db.query(
      `insert into enrollments (course_id, user_id, roles, status, last_launch_at)
       select $1, id, array['${ROLE.learner}'], 'Active', case when n % 3 = 0 then now() - (n || ' hours')::interval end
       from unnest($2::uuid[]) with ordinality as t(id, n)`,
      [big, ids],
    );
    const timings: Record<string, number> = {};
    for (const q of ['', 'sort=-name&page=60', 'filter=never&page=40', 'filter=inactive&days=30&sort=launch', 'filter=attention', 'q=learner+49']) {
      const started = performance.now();
      const res = await other.get(`/teacher/class?${q}`);
      timings[q || 'first page'] = Math.round(performance.now() - started);
      expect(res.status).toBe(200);
      // One page of at most 50 rows, whatever the class's size: the paging runs in the database.
      expect(names(res.text).length).toBeLessThanOrEqual(50);
    }
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.info('Class page with 5,000 members (ms):', timings);
    const sorted = await other.get('/teacher/class?sort=-name&filter=learners');
    expect(names(sorted.text)[0]).toBe('Learner 999');
    expect(decode(sorted.text)).toContain('Showing 1 to 50 of 5,000 people.');
  });
});

describe('teacher: the Class page when names are not stored', () => {
  let pw: Pathwise;
  let fake: FakePlatform;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false }, privacy: { storeNames: false, storeEmails: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('shows pseudonyms, searchable by their code, never the LMS id', async () => {
    const teacher = await launchAs(pw, fake, { role: 'teacher' });
    await launchPerson(pw, fake, 'student', 'lms-id-123', 'Real Name');
    const id = await userId(pw, 'lms-id-123');
    const code = pseudonymCode(id);
    const page = decode((await teacher.get('/teacher/class')).text);
    expect(page).toContain(`Student ${code}`);
    expect(page).toContain('people appear as a student code');
    expect(page).not.toContain('Real Name');
    expect(page).not.toContain('lms-id-123');
    expect(names((await teacher.get(`/teacher/class?q=${code.toLowerCase()}`)).text)).toEqual([`Student ${code}`]);
    const csv = (await teacher.get('/teacher/class.csv')).text;
    expect(csv).toContain(`Student ${code}`);
    expect(csv).not.toContain('Real Name');
  });

  it('the dashboard and the student page show the same pseudonym as the class list, in the page language', async () => {
    const teacher = await launchAs(pw, fake, { role: 'teacher' });
    const unit = await placeSampleUnit(pw);
    const id = await userId(pw, 'lms-id-123');
    const code = pseudonymCode(id);
    const dashboard = decode((await teacher.get(`/teacher/dashboard?unit=${unit}`)).text);
    expect(dashboard).toContain(`Student ${code}`);
    expect(dashboard).not.toContain('Real Name');
    const student = decode((await teacher.get(`/teacher/students/${id}?unit=${unit}`)).text);
    expect(student).toContain(`Student ${code}`);
    const spanish = await launchAs(pw, fake, { role: 'teacher', claims: { [CLAIM.launchPresentation]: { locale: 'es' } } });
    expect(decode((await spanish.get(`/teacher/dashboard?unit=${unit}`)).text)).toContain(`Estudiante ${code}`);
  });
});
