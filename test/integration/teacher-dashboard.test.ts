import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import type { Pathwise } from '../../src/main.js';
import { TeacherQueries } from '../../src/web/routes/teacher/queries.js';
import { classChecksOf } from '../../src/web/view-models/teacher-dashboard.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { ProfileRepository } from '../../src/store/profile-repository.js';
import { StudentWorkRepository } from '../../src/store/student-work-repository.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { answerFor, courseRowId, decode, launchPerson, userId } from './teacher-support.js';

describe('teacher: class dashboard, student page, overrides, CSV', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ada: StudentClient;
  let unitId: string;
  let course: string;
  const ids: Record<string, string> = {};

  /** One mastery check of `who` on a competency, all right or all wrong, at a given time (past the cool-down). */
  async function check(who: string, competencyId: string, pathwayId: string, right: boolean, minutesLater = 0) {
    const at = new Date(Date.now() + minutesLater * 60_000);
    const svc = createLearningService(pw.ctx.db, { clock: () => at });
    await svc.choosePathway({ userId: ids[who]!, unitId, competencyId, pathwayId, courseId: course });
    const view = await svc.startAttempt({ userId: ids[who]!, unitId, competencyId, courseId: course });
    const items = await attemptItems(pw, view.attemptId);
    return svc.submitAttempt({ attemptId: view.attemptId, userId: ids[who]!, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, right)])) });
  }

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ada = await launchAs(pw, fake, { role: 'teacher' });
    for (const [sub, name] of [
      ['sam', 'Sam Student'],
      ['ria', 'Ria Lopez'],
      ['lee', 'Lee Chen'],
      ['noor', 'Noor Haddad'],
      ['eve', '=HYPERLINK("http://x") Eve, "E"'],
    ] as const) {
      await launchPerson(pw, fake, 'student', `user-${sub}`, name);
      ids[sub] = await userId(pw, `user-${sub}`);
    }
    unitId = await placeSampleUnit(pw);
    course = await courseRowId(pw, 'course-1');
    await check('sam', 'one-step', 'one-step-practice', true);
    await check('ria', 'one-step', 'one-step-watch', false);
    await check('ria', 'one-step', 'one-step-watch', false, 11);
    await check('lee', 'one-step', 'one-step-watch', false);
    await check('eve', 'simplify', 'simplify-read', true);
    await new StudentWorkRepository(pw.ctx.db).askForHelp({
      userId: ids.ria!,
      courseId: course,
      unitId,
      competencyId: 'one-step',
      message: 'I keep mixing up the signs',
    });
    const profiles = new ProfileRepository(pw.ctx.db);
    await profiles.addReflection(
      ids.sam!,
      { unitId, competencyId: 'one-step', attemptId: null, whatHelped: 'The practice set with hints', confidence: 4 },
      course,
    );
    await profiles.addGoal(ids.sam!, { text: 'Master the unit before the test', targetDate: '2030-05-01', status: 'active' }, course);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('grid: roster × competencies, levels by text and symbol, in a table with header scopes', async () => {
    const res = await ada.get('/teacher/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<table class="mastery-grid">\s*<caption>/);
    expect(res.text).toContain('<th scope="col">Solve one-step equations');
    const samRow = /<th scope="row"><a [^>]*>Sam Student<\/a><\/th>([\s\S]*?)<\/tr>/.exec(res.text)![1]!;
    expect(samRow).toContain('<span class="level level-mastered"><span aria-hidden="true">●</span> Mastered');
    const riaRow = /<th scope="row"><a [^>]*>Ria Lopez<\/a><\/th>([\s\S]*?)<\/tr>/.exec(res.text)![1]!;
    expect(riaRow).toContain('Developing');
    expect(res.text).toContain('Showing 5 of 5 students.');
  });

  it('draws how the class is spread over the levels: SVG bars with patterns, and the numbers in a table', async () => {
    const text = decode((await ada.get('/teacher/dashboard')).text);
    expect(text).toMatch(/<svg class="level-chart"[^>]*role="img" aria-labelledby="spread-title spread-desc"/);
    expect(text).toContain('<pattern id="pat-developing"');
    expect(text).toMatch(/<rect class="seg seg-mastered" [^>]*fill="url\(#pat-mastered\)"/);
    const oneStep = /<tr><th scope="row">Solve one-step equations<\/th>((?:<td>\d+<\/td>){4})<\/tr>/.exec(text)![1]!;
    // 5 students: Sam mastered it, Ria and Lee are developing, the others have not started.
    expect([...oneStep.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([2, 2, 0, 1]);
  });

  it('filters by level, competency and name', async () => {
    const mastered = await ada.get('/teacher/dashboard?level=mastered&competency=one-step');
    expect(mastered.text).toContain('Sam Student');
    expect(mastered.text).not.toMatch(/<th scope="row"><a [^>]*>Ria Lopez/);
    expect(mastered.text).toContain('Showing 1 of 5 students.');
    const byName = await ada.get('/teacher/dashboard?q=ria');
    expect(byName.text).toContain('Showing 1 of 5 students.');
    expect(byName.text).toMatch(/<th scope="row"><a [^>]*>Ria Lopez/);
  });

  it('needs attention, small groups and which pathways work', async () => {
    const text = decode((await ada.get('/teacher/dashboard')).text);
    const attention = /id="attention-title"[\s\S]*?<\/section>/.exec(text)![0];
    expect(attention).toMatch(/Ria Lopez<\/a> — failed the last two checks: Solve one-step/);
    expect(attention).toMatch(/Ria Lopez<\/a> — asked for help: Solve one-step[^<]*\(“I keep mixing up the signs”\)/);
    expect(attention).toMatch(/Noor Haddad<\/a> — has not started/);
    expect(attention).not.toMatch(/Sam Student<\/a> — has not started/);
    const groups = /id="groups-title"[\s\S]*?<\/section>/.exec(text)![0];
    expect(groups).toMatch(/<strong>Solve one-step[^<]*<\/strong>: <a [^>]*>Ria Lopez<\/a>, <a [^>]*>Lee Chen<\/a>|Lee Chen<\/a>, <a [^>]*>Ria Lopez/);
    const pathways = /id="pathways-title"[\s\S]*?<\/section>/.exec(text)![0];
    expect(pathways).toMatch(/<th scope="row">[^<]+<\/th><td>1<\/td><td>1 \(100%\)<\/td>/);
    expect(pathways).toMatch(/<th scope="row">[^<]+<\/th><td>2<\/td><td>0 \(0%\)<\/td>/);
  });

  it('student page: levels, attempts, history, reflections, goals, help and a link to grade sync', async () => {
    const sam = decode((await ada.get(`/teacher/students/${ids.sam}?unit=${unitId}`)).text);
    expect(sam).toContain('Student: Sam Student');
    expect(sam).toContain('The practice set with hints');
    expect(sam).toContain('Master the unit before the test');
    expect(sam).toMatch(/passed · 100%/);
    expect(sam).toMatch(/Mastered \(mastery check\)/);
    expect(sam).toContain(`/teacher/grades?session=${ada.token}`);
    const ria = decode((await ada.get(`/teacher/students/${ids.ria}`)).text);
    expect(ria.match(/not passed/g)?.length).toBeGreaterThanOrEqual(2);
    expect(ria).toContain('I keep mixing up the signs');
  });

  it('overrides a level with a reason (audited), shows it in the grid, and withdraws it', async () => {
    const empty = await ada.post(`/teacher/students/${ids.ria}/override`, { unit: unitId, competency: 'one-step', level: 'mastered', reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Give a reason for the override');
    const res = await ada.post(`/teacher/students/${ids.ria}/override`, {
      unit: unitId,
      competency: 'one-step',
      level: 'mastered',
      reason: 'Solved three at the board',
    });
    expect(res.status).toBe(303);
    const teacherId = await userId(pw, 'user-teacher');
    const { rows } = await pw.ctx.db.query<{ reason: string; createdBy: string; levelBefore: string; levelAfter: string; createdByName: string }>(
      `select reason, created_by as "createdBy", level_before as "levelBefore", level_after as "levelAfter", created_by_name as "createdByName" from mastery_overrides where user_id = $1`,
      [ids.ria],
    );
    expect(rows).toEqual([
      { reason: 'Solved three at the board', createdBy: teacherId, levelBefore: 'developing', levelAfter: 'mastered', createdByName: 'Ada Teacher' },
    ]);
    const grid = await ada.get('/teacher/dashboard?q=ria');
    expect(grid.text).toContain('Mastered<span aria-hidden="true"> ✎</span><span class="teacher-sr-only"> (set by a teacher)</span>');
    const page = await ada.get(`/teacher/students/${ids.ria}`);
    expect(decode(page.text)).toContain('Developing → Mastered: “Solved three at the board” (Ada Teacher)');
    const withdrawn = await ada.post(`/teacher/students/${ids.ria}/withdraw`, { unit: unitId, competency: 'one-step' });
    expect(withdrawn.status).toBe(303);
    const after = await pw.ctx.db.query<{ withdrawnBy: string }>(`select withdrawn_by as "withdrawnBy" from mastery_overrides where user_id = $1`, [ids.ria]);
    expect(after.rows[0]!.withdrawnBy).toBe(teacherId);
    const lv = await pw.ctx.db.query<{ level: string }>(`select level from mastery_current where user_id = $1 and competency_id = 'one-step'`, [ids.ria]);
    expect(lv.rows[0]!.level).toBe('developing');
  });

  it('an override for a student the LMS lists as not active is saved, and the page says the grade waits until they are active', async () => {
    await pw.ctx.db.query(`update enrollments set status = 'Inactive' where user_id = $1`, [ids.ria]);
    try {
      const before = await ada.get(`/teacher/students/${ids.ria}`);
      expect(decode(before.text)).toContain('The LMS lists this student as not active in the course.');
      const res = await ada.post(`/teacher/students/${ids.ria}/override`, {
        unit: unitId,
        competency: 'one-step',
        level: 'mastered',
        reason: 'Finished at home',
      });
      expect(res.status).toBe(303);
      const page = await ada.get(res.headers.location!.replace(/^https?:\/\/[^/]+/, ''));
      expect(decode(page.text)).toContain('their grade is kept and sent to the gradebook when they are active again');
      expect(decode(page.text)).toContain('“Finished at home”');
      const withdrawn = await ada.post(`/teacher/students/${ids.ria}/withdraw`, { unit: unitId, competency: 'one-step' });
      expect(withdrawn.status).toBe(303);
    } finally {
      await pw.ctx.db.query(`update enrollments set status = 'Active' where user_id = $1`, [ids.ria]);
    }
    const active = await ada.get(`/teacher/students/${ids.ria}`);
    expect(decode(active.text)).not.toContain('not active in the course');
  });

  it('CSV export: quoted cells and no formulas', async () => {
    const res = await request(pw.app).get(`/teacher/dashboard.csv?session=${ada.token}&unit=${unitId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?linear-equations-mastery\.csv/);
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^Student,Simplify[^,]*,Solve one-step[^,]*,.*,Mastered$/);
    expect(lines).toContain(`"'=HYPERLINK(""http://x"") Eve, ""E""",Mastered,Not started,Not started,Not started,Not started,1/5`);
    expect(lines.some((l) => /^Sam Student,Not started,Mastered,/.test(l))).toBe(true);
  });

  it('crossing lines: another course’s student or unit is not found; a student session is refused', async () => {
    const outsider = await launchPerson(pw, fake, 'student', 'user-outsider', 'Out Sider', 'course-9');
    const outsiderId = await userId(pw, 'user-outsider');
    for (const path of [`/teacher/students/${outsiderId}`, '/teacher/students/not-a-uuid']) {
      const res = await ada.get(path);
      expect([path, res.status, errorCode(res)]).toEqual([path, 404, 'student_not_found']);
    }
    const over = await ada.post(`/teacher/students/${outsiderId}/override`, {
      unit: unitId,
      competency: 'one-step',
      level: 'mastered',
      reason: 'Crossing the line',
    });
    expect([over.status, errorCode(over)]).toEqual([404, 'student_not_found']);
    const badCompetency = await ada.post(`/teacher/students/${ids.sam}/override`, {
      unit: unitId,
      competency: 'nope',
      level: 'mastered',
      reason: 'No such thing',
    });
    expect([badCompetency.status, errorCode(badCompetency)]).toEqual([404, 'competency_not_found']);
    const otherTeacher = await launchPerson(pw, fake, 'teacher', 'user-t9', 'Tia Nine', 'course-9');
    const peek = await otherTeacher.get(`/teacher/students/${ids.sam}`);
    expect([peek.status, errorCode(peek)]).toEqual([404, 'student_not_found']);
    const csv = await otherTeacher.get(`/teacher/dashboard.csv?unit=${unitId}`);
    expect([csv.status, errorCode(csv)]).toEqual([404, 'unit_not_found']);
    await outsider.get('/student/map');
    const asStudent = await outsider.post(`/teacher/students/${ids.sam}/override`, {
      unit: unitId,
      competency: 'one-step',
      level: 'mastered',
      reason: 'I am a student',
    });
    expect([asStudent.status, errorCode(asStudent)]).toEqual([403, 'teacher_only']);
    const count = await pw.ctx.db.query(`select 1 from mastery_overrides where user_id = $1`, [ids.sam]);
    expect(count.rows).toHaveLength(0);
  });

  it('CSRF: an override without the session’s form token is refused', async () => {
    const res = await ada.post(`/teacher/students/${ids.sam}/override`, {
      _csrf: 'forged',
      unit: unitId,
      competency: 'one-step',
      level: 'developing',
      reason: 'Forged request',
    });
    expect([res.status, errorCode(res)]).toEqual([403, 'csrf_failed']);
    const cookieOnly = await request(pw.app)
      .post(`/teacher/students/${ids.sam}/override`)
      .type('form')
      .send({ session: ada.token, unit: unitId, competency: 'one-step', level: 'developing', reason: 'No token' });
    expect([cookieOnly.status, errorCode(cookieOnly)]).toEqual([403, 'csrf_failed']);
    expect((await pw.ctx.db.query(`select 1 from mastery_overrides where user_id = $1`, [ids.sam])).rows).toHaveLength(0);
  });

  it('the checks aggregated in the database match the same figures computed from every attempt', async () => {
    // Two more failures and a later pass, so the last two, the first failure and the first check differ.
    await check('lee', 'one-step', 'one-step-practice', false, 22);
    await check('lee', 'one-step', 'one-step-practice', true, 33);
    await check('noor', 'simplify', 'simplify-read', false, 44);
    const queries = new TeacherQueries(pw.ctx.db);
    const learners = Object.values(ids).filter((id) => id !== ids.eve);
    const fromDb = await queries.classChecks(unitId, course, learners);
    const reference = classChecksOf(await queries.attempts(unitId, course), learners);
    const sortedBy = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sortedBy(fromDb.failedTwice)).toEqual(sortedBy(reference.failedTwice));
    expect(fromDb.failedOnce).toEqual(reference.failedOnce);
    expect(sortedBy(fromDb.firstChecks)).toEqual(sortedBy(reference.firstChecks));
    expect(fromDb.failedTwice.map((f) => f.userId)).toEqual([ids.ria]);
    expect(fromDb.failedOnce.map((f) => f.userId)).toEqual([ids.ria, ids.lee, ids.noor]);
  });

  it('pages the heat map and its table, 50 students a page, with the filters kept; in English and Spanish', async () => {
    const platform = (await pw.ctx.db.query<{ id: string }>(`select platform_id as id from users where id = $1`, [ids.sam])).rows[0]!.id;
    const pupils = Array.from({ length: 120 }, () => randomUUID());
    await pw.ctx.db.query(
      `insert into users (id, platform_id, sub, name) select id, $2, 'pupil-' || n, 'Pupil ' || lpad(n::text, 3, '0')
       from unnest($1::uuid[]) with ordinality as t(id, n)`,
      [pupils, platform],
    );
    await pw.ctx.db.query(
      `insert into enrollments (course_id, user_id, roles, status) select $1, id, array['${ROLE.learner}'], 'Active' from unnest($2::uuid[]) as t(id)`,
      [course, pupils],
    );
    const gridOf = (html: string) => /<table class="mastery-grid">[\s\S]*?<\/table>/.exec(html)![0];
    const rowNames = (html: string) => [...gridOf(html).matchAll(/<th scope="row"><a [^>]*>([^<]+)<\/a><\/th>/g)].map((m) => m[1]!);
    const heatNames = (html: string) =>
      [.../<svg class="heat-map"[\s\S]*?<\/svg>/.exec(html)![0].matchAll(/<text class="chart-text"[^>]*text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map(
        (m) => m[1]!,
      );
    const first = decode((await ada.get(`/teacher/dashboard?unit=${unitId}`)).text);
    expect(first).toContain('Showing 125 of 125 students. This page: students 1–50.');
    expect(rowNames(first)).toHaveLength(50);
    expect(heatNames(first)).toHaveLength(50);
    const nav = /<nav class="pager" aria-label="Pages of the heat map and the table">[\s\S]*?<\/nav>/.exec(first)![0];
    expect(nav).toContain('Page 1 of 3');
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(nav)![1]!;
    expect(next).toContain(`unit=${unitId}`);
    expect(next).toContain('page=2');
    const second = decode((await request(pw.app).get(next)).text);
    expect(second).toContain('This page: students 51–100.');
    const pageOne = rowNames(first);
    const pageTwo = rowNames(second);
    expect(pageTwo).toHaveLength(50);
    expect(heatNames(second)).toEqual(pageTwo.map((n) => (n.length > 22 ? `${n.slice(0, 21)}…` : n)));
    // The next students in the same order: page 2 starts where page 1 ended.
    const last = await ada.get(`/teacher/dashboard?unit=${unitId}&page=3`);
    const pageThree = rowNames(decode(last.text));
    expect(pageThree).toHaveLength(25);
    const all = [...pageOne, ...pageTwo, ...pageThree];
    expect(new Set(all).size).toBe(125);
    const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    expect(all.filter((n) => n.startsWith('Pupil'))).toEqual(Array.from({ length: 120 }, (_, i) => `Pupil ${String(i + 1).padStart(3, '0')}`));
    expect(byName.compare(pageOne.at(-1)!, pageTwo[0]!)).toBeLessThan(0);
    // A page past the end shows the last one; a filter keeps to its students and the links keep the filter.
    expect(decode((await ada.get(`/teacher/dashboard?unit=${unitId}&page=99`)).text)).toContain('This page: students 101–125.');
    const filtered = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&q=pupil+0&page=2`)).text);
    expect(filtered).toContain('Showing 99 of 125 students. This page: students 51–99.');
    expect(/<a href="([^"]+)" rel="prev">/.exec(filtered)![1]).toContain('q=pupil+0');
    // The level chart stays the whole class's: 125 students, not a page of them.
    expect(first).toMatch(/125 students/);
    const spanishTeacher = await launchAs(pw, fake, {
      role: 'teacher',
      claims: { [CLAIM.launchPresentation]: { locale: 'es-ES', document_target: 'iframe' } },
    });
    const es = decode((await spanishTeacher.get(`/teacher/dashboard?unit=${unitId}&page=2`)).text);
    expect(es).toContain('En esta página: estudiantes 51–100.');
    expect(es).toContain('aria-label="Páginas del mapa de calor y de la tabla"');
    expect(es).toContain('Página 2 de 3');
    expect(es).toMatch(/rel="next">Página siguiente<\/a>/);
  });
});
