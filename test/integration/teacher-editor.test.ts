import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import type { UnitDocument } from '../../src/learning/unit-schema.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { courseRowId, decode, launchPerson } from './teacher-support.js';

async function unitDoc(pw: Pathwise, id: string): Promise<{ doc: UnitDocument; version: number; courseId: string | null }> {
  const { rows } = await pw.ctx.db.query<{ doc: UnitDocument; version: number; courseId: string | null }>(
    `select document as doc, version, course_id as "courseId" from units where id = $1`,
    [id],
  );
  return rows[0]!;
}
const unitCount = async (pw: Pathwise) => (await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from units`)).rows[0]!.n;
const unitIdFrom = (location: string | undefined) => /\/teacher\/units\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

describe('teacher: course home and unit editor', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ada: StudentClient;
  let sam: StudentClient;
  let libraryUnit: string;
  let unitId: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ada = await launchAs(pw, fake, { role: 'teacher' });
    sam = await launchAs(pw, fake, { role: 'student' });
    libraryUnit = await placeSampleUnit(pw);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('the teacher landing leads to the course home', async () => {
    const r = await launch(pw, fake, { role: 'teacher' });
    expect(r.landing!.status).toBe(200);
    expect(decode(r.landing!.text)).toContain(`href="/teacher?session=${r.sessionToken}"`);
    expect(r.landing!.text).toContain('Open the course home');
  });

  it('course home: placed units, roster freshness, grade sync health with links', async () => {
    const res = await ada.get('/teacher');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Unit 1: Linear equations');
    expect(res.text).toMatch(/Linear equations <span class="muted">\(5 competencies, shared library unit\)/);
    expect(res.text).toContain('Students on the roster: 1.');
    expect(res.text).toContain('Sent to the gradebook: 0');
    expect(res.text).toContain('Failed: 0');
    expect(decode(res.text)).toContain(`/teacher/grades?session=${ada.token}`);
    expect(decode(res.text)).toContain(`/teacher/dashboard?session=${ada.token}&unit=${libraryUnit}`);
  });

  it('speaks Spanish when the launch asks for it: every string comes from the catalog', async () => {
    const es = await launchAs(pw, fake, { role: 'teacher', claims: { [CLAIM.launchPresentation]: { locale: 'es-MX', document_target: 'iframe' } } });
    for (const path of [
      '/teacher',
      '/teacher/units',
      `/teacher/units/${libraryUnit}`,
      `/teacher/units/${libraryUnit}/competencies/one-step`,
      '/teacher/dashboard',
      '/teacher/grades',
    ]) {
      const res = await es.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text).toContain('lang="es"');
      expect(res.text).toContain('Inicio del curso');
      expect(res.text, path).not.toMatch(/>[^<]*\bteacher\.[a-zA-Z]+\.[a-zA-Z_.]+/);
    }
  });

  it('a student session on teacher routes gets 403 teacher_only', async () => {
    for (const path of ['/teacher', '/teacher/units', '/teacher/dashboard', `/teacher/units/${libraryUnit}`, '/teacher/dashboard.csv']) {
      const res = await sam.get(path);
      expect([path, res.status, errorCode(res)]).toEqual([path, 403, 'teacher_only']);
    }
    await sam.get('/student/map');
    const post = await sam.post('/teacher/units/samples', { key: 'linear-equations' });
    expect([post.status, errorCode(post)]).toEqual([403, 'teacher_only']);
  });

  it('copies a sample unit into the course', async () => {
    await ada.get('/teacher/units');
    const res = await ada.post('/teacher/units/samples', { key: 'linear-equations' });
    expect(res.status).toBe(303);
    unitId = unitIdFrom(res.headers.location);
    const stored = await unitDoc(pw, unitId);
    expect(stored.courseId).toBe(await courseRowId(pw, 'course-1'));
    expect(stored.doc.key).toBe('linear-equations');
  });

  it('edits title and calculation method (with the decaying-average weight)', async () => {
    const page = await ada.get(`/teacher/units/${unitId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<label for="unit-weight">/);
    const res = await ada.post(`/teacher/units/${unitId}/settings`, {
      title: 'Linear equations (ours)',
      description: 'Our copy',
      method: 'decaying_average',
      weight: '0.7',
      masteryThreshold: '85',
      approachingThreshold: '60',
    });
    expect(res.status).toBe(303);
    const { doc } = await unitDoc(pw, unitId);
    expect(doc.title).toBe('Linear equations (ours)');
    expect(doc.mastery).toEqual({ method: 'decaying_average', weight: 0.7, masteryThreshold: 0.85, approachingThreshold: 0.6 });
  });

  it('lets the teacher pick the unit score policy per unit', async () => {
    const page = await ada.get(`/teacher/units/${unitId}`);
    expect(page.text).toMatch(/<label for="unit-score-policy">Unit score in the gradebook<\/label>/);
    expect(page.text).toMatch(/<option value="level_points" selected>Points per level<\/option>/);
    const form = { title: 'Linear equations (ours)', method: 'pfa', masteryThreshold: '85', approachingThreshold: '65' };
    expect((await ada.post(`/teacher/units/${unitId}/settings`, { ...form, scorePolicy: 'mastered_only' })).status).toBe(303);
    expect((await unitDoc(pw, unitId)).doc).toMatchObject({
      scorePolicy: 'mastered_only',
      mastery: { method: 'pfa', masteryThreshold: 0.85, approachingThreshold: 0.65 },
    });
    expect((await ada.get(`/teacher/units/${unitId}`)).text).toMatch(/<option value="mastered_only" selected>/);
    const bad = await ada.post(`/teacher/units/${unitId}/settings`, { ...form, scorePolicy: 'everything' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<code>scorePolicy</code>');
    expect((await unitDoc(pw, unitId)).doc.scorePolicy).toBe('mastered_only');
    expect(
      (
        await ada.post(`/teacher/units/${unitId}/settings`, {
          ...form,
          method: 'decaying_average',
          weight: '0.7',
          masteryThreshold: '85',
          approachingThreshold: '60',
          scorePolicy: 'level_points',
        })
      ).status,
    ).toBe(303);
  });

  it('refused edits list every problem with its path, and save nothing', async () => {
    const before = await unitDoc(pw, unitId);
    const bad = await ada.post(`/teacher/units/${unitId}/settings`, {
      title: '',
      method: 'decaying_average',
      weight: '0.2',
      masteryThreshold: '50',
      approachingThreshold: '70',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<code>title</code>');
    expect(bad.text).toContain('<code>mastery.weight</code>');
    expect(bad.text).toContain('<code>mastery.approachingThreshold</code>');
    expect(bad.text).toContain('value="0.2"');
    const cycle = await ada.post(`/teacher/units/${unitId}/competencies/one-step`, {
      title: 'One-step',
      prerequisites: ['two-step'],
      itemsPerAttempt: '8',
      passPercent: '80',
    });
    expect(cycle.status).toBe(400);
    expect(cycle.text).toMatch(/<code>competencies\.1\.prerequisites<\/code>: prerequisites form a cycle/);
    const resources = await ada.post(`/teacher/units/${unitId}/competencies/one-step/pathways/one-step-watch`, {
      title: 'Watch',
      modalities: 'watch',
      level: 'core',
      minutes: '10',
      resources: '[{"type": "link",',
    });
    expect(resources.status).toBe(400);
    expect(resources.text).toContain('<code>competencies.1.pathways.0.resources</code>: not valid JSON');
    expect(resources.text).toMatch(/<details class="teacher-edit" open>/);
    const after = await unitDoc(pw, unitId);
    expect(after.version).toBe(before.version);
    expect(after.doc).toEqual(before.doc);
  });

  it('a threshold typed as a fraction (0.8) is refused with "enter a percent, e.g. 80", in en and es; nothing saved', async () => {
    const before = await unitDoc(pw, unitId);
    const form = { title: before.doc.title, method: 'pfa', masteryThreshold: '0.8', approachingThreshold: '60' };
    const bad = await ada.post(`/teacher/units/${unitId}/settings`, form);
    expect(bad.status).toBe(400);
    expect(decode(bad.text)).toContain('<code>mastery.masteryThreshold</code>: “0.8” looks like a fraction: enter a percent, e.g. 80 for 80 %');
    expect(bad.text).toContain('value="0.8"');
    const high = await ada.post(`/teacher/units/${unitId}/settings`, { ...form, masteryThreshold: '85', approachingThreshold: '160' });
    expect(high.status).toBe(400);
    expect(decode(high.text)).toContain('<code>mastery.approachingThreshold</code>: “160” is not a percent from 0 to 100');
    const pass = await ada.post(`/teacher/units/${unitId}/competencies/one-step`, { title: 'One-step', itemsPerAttempt: '5', passPercent: '0,7' });
    expect(pass.status).toBe(400);
    expect(decode(pass.text)).toMatch(/<code>competencies\.\d+\.check\.passThreshold<\/code>: “0\.7” looks like a fraction/);
    const es = await launchAs(pw, fake, { role: 'teacher', claims: { [CLAIM.launchPresentation]: { locale: 'es-MX', document_target: 'iframe' } } });
    await es.get(`/teacher/units/${unitId}`);
    const esBad = await es.post(`/teacher/units/${unitId}/settings`, form);
    expect(esBad.status).toBe(400);
    expect(decode(esBad.text)).toContain('«0.8» parece una fracción: escriba un porcentaje, p. ej. 80 para el 80 %');
    const after = await unitDoc(pw, unitId);
    expect(after.version).toBe(before.version);
    expect(after.doc).toEqual(before.doc);
  });

  it('edits a competency, a pathway and an item; a bad answer number is refused with its path', async () => {
    const c = await ada.post(`/teacher/units/${unitId}/competencies/two-step`, {
      title: 'Two-step equations',
      description: 'Solve ax + b = c',
      standardCode: 'CCSS.MATH.8.EE.C.7',
      prerequisites: ['one-step', 'simplify'],
      itemsPerAttempt: '5',
      passPercent: '70',
    });
    expect(c.status).toBe(303);
    const p = await ada.post(`/teacher/units/${unitId}/competencies/one-step/pathways/one-step-watch`, {
      title: 'Watch and try',
      modalities: ['watch', 'practice'],
      level: 'foundation',
      minutes: '25',
      resources: '[{"type":"link","title":"Khan","url":"https://example.org/v"}]',
    });
    expect(p.status).toBe(303);
    const first = (await unitDoc(pw, unitId)).doc.competencies[1]!.check.items[0]!;
    const wrong = await ada.post(`/teacher/units/${unitId}/competencies/one-step/items/${first.id}`, {
      type: 'single_choice',
      prompt: 'x + 3 = 7. x = ?',
      choices: '3\n4\n5',
      answer: '7',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('<code>competencies.1.check.items.0.answer</code>');
    const ok = await ada.post(`/teacher/units/${unitId}/competencies/one-step/items/${first.id}`, {
      type: 'single_choice',
      prompt: 'x + 3 = 7. x = ?',
      choices: '3\n4\n5',
      answer: '2',
      feedbackCorrect: 'Yes, four.',
      feedbackIncorrect: 'Subtract 3 from both sides.',
    });
    expect(ok.status).toBe(303);
    const { doc } = await unitDoc(pw, unitId);
    const two = doc.competencies[2]!;
    expect([two.title, two.standard?.code, two.prerequisites, two.check.itemsPerAttempt, two.check.passThreshold]).toEqual([
      'Two-step equations',
      'CCSS.MATH.8.EE.C.7',
      ['one-step', 'simplify'],
      5,
      0.7,
    ]);
    expect(doc.competencies[1]!.pathways[0]).toMatchObject({
      title: 'Watch and try',
      modalities: ['watch', 'practice'],
      level: 'foundation',
      estimatedMinutes: 25,
    });
    const item = doc.competencies[1]!.check.items[0]!;
    expect(item.type).toBe('single_choice');
    if (item.type === 'single_choice') expect(item.options.find((o) => o.id === item.correctOptionId)?.text).toBe('4');
  });

  it('previews as a student without any answer key, and scores a try without recording it', async () => {
    const { doc } = await unitDoc(pw, unitId);
    const item = doc.competencies[1]!.check.items[0]!;
    const page = await ada.get(`/teacher/units/${unitId}/competencies/one-step/preview?item=${item.id}`);
    expect(page.status).toBe(200);
    expect(decode(page.text)).toContain('x + 3 = 7. x = ?');
    expect(page.text).not.toMatch(/Yes, four|Subtract 3|correctOptionId|Expected answer/);
    const whole = await ada.get(`/teacher/units/${unitId}/competencies/one-step/preview`);
    expect(whole.text.match(/<fieldset class="check-item/g)).toHaveLength(doc.competencies[1]!.check.items.length);
    expect(whole.text).not.toMatch(/"accept"|tolerance|correctOptionId/);
    if (item.type !== 'single_choice') throw new Error('expected a single choice item');
    const attempts = (await pw.ctx.db.query(`select 1 from attempts`)).rows.length;
    const tried = await ada.post(`/teacher/units/${unitId}/competencies/one-step/preview`, { item: item.id, [`answer-${item.id}`]: item.correctOptionId });
    expect(tried.status).toBe(200);
    expect(tried.text).toContain('Right.');
    expect(tried.text).toContain('Yes, four.');
    expect((await pw.ctx.db.query(`select 1 from attempts`)).rows.length).toBe(attempts);
  });

  it('adds and deletes a competency', async () => {
    const add = await ada.post(`/teacher/units/${unitId}/competencies`, { id: 'graphing', title: 'Graph a line' });
    expect(add.status).toBe(303);
    expect((await unitDoc(pw, unitId)).doc.competencies.map((c) => c.id)).toContain('graphing');
    const dup = await ada.post(`/teacher/units/${unitId}/competencies`, { id: 'graphing', title: 'Again' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('<code>competencies.6.id</code>: competency id &quot;graphing&quot; is used twice');
    const del = await ada.post(`/teacher/units/${unitId}/competencies/graphing/delete`);
    expect(del.status).toBe(303);
    expect((await unitDoc(pw, unitId)).doc.competencies.map((c) => c.id)).not.toContain('graphing');
  });

  it('a shared library unit is read-only here: 403 unit_read_only', async () => {
    const res = await ada.post(`/teacher/units/${libraryUnit}/settings`, {
      title: 'Mine now',
      method: 'latest',
      masteryThreshold: '80',
      approachingThreshold: '60',
    });
    expect([res.status, errorCode(res)]).toEqual([403, 'unit_read_only']);
  });

  it('import: bad JSON and invalid units list every problem; nothing is imported', async () => {
    const before = await unitCount(pw);
    const syntax = await ada.post('/teacher/units/import', { json: '{"schemaVersion": 1,' });
    expect(syntax.status).toBe(400);
    expect(syntax.text).toContain('<code>(root)</code>: not valid JSON');
    const exported = JSON.parse((await ada.get(`/teacher/units/${unitId}/export`)).text) as UnitDocument;
    const broken = structuredClone(exported) as unknown as { competencies: { prerequisites: string[]; title: string }[] };
    broken.competencies[0]!.title = '';
    broken.competencies[2]!.prerequisites = ['nowhere'];
    const invalid = await ada.post('/teacher/units/import', { json: JSON.stringify({ units: [exported, broken] }) });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<code>units.1.competencies.0.title</code>');
    expect(invalid.text).toContain('<code>units.1.competencies.2.prerequisites.0</code>: unknown prerequisite');
    expect(await unitCount(pw)).toBe(before);
  });

  it('export → import round-trips (a file upload too)', async () => {
    const exp = await ada.get(`/teacher/units/${unitId}/export`);
    expect(exp.status).toBe(200);
    expect(exp.headers['content-type']).toMatch(/application\/json/);
    expect(exp.headers['content-disposition']).toMatch(/attachment; filename="?linear-equations\.json/);
    const before = await unitCount(pw);
    const res = await request(pw.app)
      .post('/teacher/units/import')
      .field('session', ada.token)
      .field('_csrf', ada.csrf)
      .field('json', '')
      .attach('file', Buffer.from(exp.text), { filename: 'unit.json', contentType: 'application/json' });
    expect(res.status).toBe(303);
    expect(await unitCount(pw)).toBe(before + 1);
    const { rows } = await pw.ctx.db.query<{ doc: UnitDocument }>(`select document as doc from units order by created_at desc limit 1`);
    expect(rows[0]!.doc).toEqual(JSON.parse(exp.text));
  });

  it('upload: a part whose filename comes before its name is the file field; filename* and a charset are read', async () => {
    const exported = (await ada.get(`/teacher/units/${unitId}/export`)).text;
    const boundary = 'x-pathwise-boundary';
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    for (const disposition of ['form-data; filename="unit.json"; name="file"', `form-data; name="file"; filename*=UTF-8''unidad%20%C3%A1lgebra.json`]) {
      const before = await unitCount(pw);
      const body =
        part('Content-Disposition: form-data; name="session"', ada.token) +
        part('Content-Disposition: form-data; name="_csrf"', ada.csrf) +
        part(`Content-Disposition: ${disposition}\r\nContent-Type: application/json; charset=utf-8`, exported) +
        `--${boundary}--\r\n`;
      const res = await request(pw.app).post('/teacher/units/import').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(Buffer.from(body));
      expect([disposition, res.status]).toEqual([disposition, 303]);
      expect(await unitCount(pw)).toBe(before + 1);
    }
  });

  it('upload: an oversized file is refused with 413 upload_too_large, a cut-off body with 400 malformed_upload; nothing is imported', async () => {
    const before = await unitCount(pw);
    const big = await request(pw.app)
      .post('/teacher/units/import')
      .set('Accept', 'application/json')
      .field('session', ada.token)
      .field('_csrf', ada.csrf)
      .attach('file', Buffer.alloc(2 * 1024 * 1024 + 1, 0x20), { filename: 'unit.json', contentType: 'application/json' });
    expect([big.status, errorCode(big)]).toEqual([413, 'upload_too_large']);
    const cut = await request(pw.app)
      .post('/teacher/units/import')
      .set('Content-Type', 'multipart/form-data; boundary=b')
      .send('--b\r\nContent-Disposition: form-data; name="json"\r\n\r\n{');
    expect([cut.status, errorCode(cut)]).toEqual([400, 'malformed_upload']);
    expect(cut.text).not.toMatch(/at .*\.js:\d+/);
    const twoFiles = await request(pw.app)
      .post('/teacher/units/import')
      .set('Accept', 'application/json')
      .attach('file', Buffer.from('{}'), 'a.json')
      .attach('other', Buffer.from('{}'), 'b.json');
    expect([twoFiles.status, errorCode(twoFiles)]).toEqual([400, 'malformed_upload']);
    expect(await unitCount(pw)).toBe(before);
  });

  it('another course’s units are not found: ids in URLs and forms cannot cross courses', async () => {
    const other = await launchPerson(pw, fake, 'teacher', 'user-other-teacher', 'Oli Other', 'course-2');
    await other.get('/teacher/units');
    const copied = await other.post('/teacher/units/samples', { key: 'evaluating-sources' });
    const foreign = unitIdFrom(copied.headers.location);
    expect(foreign).not.toBe('');
    for (const path of [
      `/teacher/units/${foreign}`,
      `/teacher/units/${foreign}/export`,
      `/teacher/units/${foreign}/competencies/x/preview`,
      '/teacher/units/not-a-uuid',
      `/teacher/dashboard?unit=${foreign}`,
    ]) {
      const res = await ada.get(path);
      expect([path, res.status, errorCode(res)]).toEqual([path, 404, 'unit_not_found']);
    }
    const before = await unitDoc(pw, foreign);
    for (const path of [`/teacher/units/${foreign}/settings`, `/teacher/units/${foreign}/json`, `/teacher/units/${foreign}/copy`]) {
      const res = await ada.post(path, { title: 'Stolen', method: 'latest', masteryThreshold: '80', approachingThreshold: '60', json: '{}' });
      expect([path, res.status, errorCode(res)]).toEqual([path, 404, 'unit_not_found']);
    }
    expect((await unitDoc(pw, foreign)).version).toBe(before.version);
  });

  it('CSRF: a form without the session’s token is refused (403 csrf_failed) and saves nothing', async () => {
    const before = await unitDoc(pw, unitId);
    for (const csrf of ['', 'forged']) {
      const res = await ada.post(`/teacher/units/${unitId}/settings`, {
        _csrf: csrf,
        title: 'Forged',
        method: 'latest',
        masteryThreshold: '80',
        approachingThreshold: '60',
      });
      expect([res.status, errorCode(res)]).toEqual([403, 'csrf_failed']);
    }
    const imp = await request(pw.app).post('/teacher/units/import').field('session', ada.token).field('json', '{}');
    expect([imp.status, errorCode(imp)]).toEqual([403, 'csrf_failed']);
    expect((await unitDoc(pw, unitId)).version).toBe(before.version);
  });
});
