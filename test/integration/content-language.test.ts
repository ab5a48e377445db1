import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { attemptIdFrom, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';

// WCAG 2.1 SC 3.1.2 Language of Parts: a unit's own words carry its language when the page speaks another.
const spanish = { [CLAIM.launchPresentation]: { locale: 'es-MX', document_target: 'iframe' } };
const count = (html: string, s: string) => html.split(s).length - 1;

describe('teacher-written content is marked with its own language on a page in another', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ana: StudentClient;
  let ben: StudentClient;
  let tere: StudentClient;
  let sampleId: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ana = await launchAs(pw, fake, { claims: { sub: 'user-ana', ...spanish } });
    ben = await launchAs(pw, fake, { claims: { sub: 'user-ben' } });
    tere = await launchAs(pw, fake, { role: 'teacher', claims: { sub: 'user-tere', ...spanish } });
    sampleId = await placeSampleUnit(pw); // "Linear equations", written in English ("language": "en")
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('an English unit on a Spanish student’s pages: titles, texts, pathways and questions say lang="en", the page stays es', async () => {
    const map = (await ana.get('/student/map')).text;
    expect(map).toContain('<html lang="es">');
    expect(map).toContain('<h1 id="map-title" lang="en">Linear equations</h1>');
    expect(map).toMatch(/<h3 lang="en"><a href="\/student\/competencies\/one-step\?[^"]*">/);
    expect(map).toMatch(/<text [^>]*class="graph-title" lang="en">/);
    // A Spanish sentence around an English title marks only the title.
    expect(map).toMatch(/Seguir con <span lang="en">[^<]+<\/span>/);

    const competency = (await ana.get('/student/competencies/one-step')).text;
    expect(competency).toMatch(/<h1 id="competency-title" lang="en">/);
    expect(competency).toMatch(/<label for="pathway-one-step-watch"><span lang="en">[^<]+<\/span>/);
    await ana.post('/student/competencies/one-step/pathway', { pathwayId: 'one-step-practice' });
    const chosen = (await ana.get('/student/competencies/one-step')).text;
    expect(chosen).toMatch(/<p lang="en">[^<]+<\/p>/);

    const attemptId = attemptIdFrom(await ana.post('/student/competencies/one-step/check'));
    const check = (await ana.get(`/student/attempts/${attemptId}`)).text;
    expect(check).toMatch(/<span class="item-number">Pregunta 1 de \d+\.<\/span> <span lang="en">/);
  });

  it('a Spanish teacher’s competency editor, preview and dashboard mark the English unit’s words', async () => {
    const editor = (await tere.get(`/teacher/units/${sampleId}/competencies/one-step`)).text;
    expect(editor).toMatch(/<h1>[^<]*<span lang="en">[^<]+<\/span>[^<]*<\/h1>/);
    expect(editor).toMatch(/<input type="text" id="c-title" name="title" value="[^"]+" required maxlength="200" lang="en">/);
    const preview = (await tere.get(`/teacher/units/${sampleId}/competencies/one-step/preview`)).text;
    expect(preview).toMatch(/<span lang="en">/);
    const dashboard = (await tere.get(`/teacher/dashboard?unit=${sampleId}`)).text;
    expect(dashboard).toMatch(/<th scope="col" lang="en">/);
  });

  it('the same unit on an English page has no marks beyond the page’s own', async () => {
    const map = (await ben.get('/student/map')).text;
    expect(map).toContain('<html lang="en">');
    expect(count(map, 'lang="en"')).toBe(1);
    expect(count((await ben.get('/student/competencies/one-step')).text, 'lang=')).toBe(1);
  });

  it('a unit a teacher imports without a language is in the teacher’s; the unit settings change it, and the marks follow', async () => {
    await tere.get('/teacher/units');
    const { language: _none, ...unlabelled } = linearEquations;
    const imported = await tere.post('/teacher/units/import', { json: JSON.stringify({ ...unlabelled, key: 'ecuaciones' }) });
    expect(imported.status).toBe(303);
    const { rows } = await pw.ctx.db.query<{ id: string; language: string }>(
      `select id, document->>'language' as language from units where document->>'key' = 'ecuaciones'`,
    );
    expect(rows[0]!.language).toBe('es');
    const unitId = rows[0]!.id;

    const editor = (await tere.get(`/teacher/units/${unitId}`)).text;
    expect(editor).toMatch(/<select id="unit-language" name="language" aria-describedby="language-help">/);
    expect(editor).toContain('<option value="es" selected lang="es">español</option>');
    expect(editor).toContain('<option value="en" lang="en">English</option>');
    expect(editor).toMatch(/<input type="text" id="unit-title" name="title" value="Linear equations" required maxlength="200">/);

    const settings = {
      title: 'Linear equations',
      description: 'In English after all.',
      method: 'average',
      masteryThreshold: '80',
      approachingThreshold: '60',
      scorePolicy: 'level_points',
    };
    const refused = await tere.post(`/teacher/units/${unitId}/settings`, { ...settings, language: 'not a language!' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('not a language tag such as en or es-MX');
    const saved = await tere.post(`/teacher/units/${unitId}/settings`, { ...settings, language: 'en' });
    expect(saved.status).toBe(303);
    const after = (await tere.get(`/teacher/units/${unitId}`)).text;
    expect(after).toContain('<option value="en" selected lang="en">English</option>');
    expect(after).toMatch(/<input type="text" id="unit-title" name="title" value="Linear equations" required maxlength="200" lang="en">/);
    expect(after).toMatch(/<textarea id="unit-description" name="description" rows="3" maxlength="4000" lang="en">In English after all\.<\/textarea>/);
    expect((await tere.get('/teacher/units')).text).toMatch(new RegExp(`<a href="/teacher/units/${unitId}\\?[^"]*" lang="en">Linear equations</a>`));
  });
});
