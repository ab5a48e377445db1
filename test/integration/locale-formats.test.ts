import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { userId } from './teacher-support.js';

// Pages in Spanish write numbers, percentages, dates and counts the Spanish way: decimal commas,
// "63 %", "1 may 2030", "1 estudiante" / "2 estudiantes" — never "0.63", "63%" glued, ISO dates or "(s)".
const spanish = { [CLAIM.launchPresentation]: { locale: 'es-ES', document_target: 'iframe' } };
// The page's text, tags dropped and white space folded, but not the no-break space Spanish puts before "%".
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ');
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/;
const SPANISH_DAY = /\b\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}\b/;

let pw: Pathwise;
let fake: FakePlatform;
let ana: StudentClient;
let teacher: StudentClient;
let result = '';

beforeAll(async () => {
  pw = await createTestPathwise({ grades: { worker: false } });
  fake = await new FakePlatform().start();
  await registerFakePlatform(pw, fake);
  ana = await launchAs(pw, fake, { claims: { sub: 'user-ana', name: 'Ana Ruiz', given_name: 'Ana', ...spanish } });
  teacher = await launchAs(pw, fake, { role: 'teacher', claims: { sub: 'user-tere', ...spanish } });
  await placeSampleUnit(pw);
  // Ana answers 5 of the 8 questions of "one-step" right: 62.5 %, under the 80 % pass mark.
  await ana.get('/student/competencies/one-step');
  await ana.post('/student/competencies/one-step/pathway', { pathwayId: 'one-step-watch' });
  const attemptId = attemptIdFrom(await ana.post('/student/competencies/one-step/check'));
  const items = await attemptItems(pw, attemptId);
  const right = answerFields(items.slice(0, 5), true);
  const wrong = answerFields(items.slice(5), false);
  await ana.get(`/student/attempts/${attemptId}`);
  await ana.post(`/student/attempts/${attemptId}`, { ...right, ...wrong });
  result = text((await ana.get(`/student/attempts/${attemptId}/result`)).text);
  await ana.post('/student/competencies/one-step/help', { message: 'No entiendo los signos' });
  await ana.post('/student/goals', { text: 'Dominar la unidad', targetDate: '2030-05-01' });
}, 180_000);
afterAll(async () => {
  await fake?.stop();
  await pw?.close();
});

describe('pages in Spanish: numbers, percentages, dates and plurals the locale’s way', () => {
  it('the student’s competency page: a plural of questions, the pass mark as "80 %", the help request’s date', async () => {
    const page = text((await ana.get('/student/competencies/one-step')).text);
    expect(page).toContain('8 preguntas. Apruebas con un 80\u00a0% o más.');
    expect(page).toMatch(new RegExp(`Pediste ayuda el ${SPANISH_DAY.source}`));
    expect(page).not.toMatch(ISO_DAY);
  });

  it('the result: "5 de 8 respuestas", "63 %", the explanation with decimal commas', () => {
    expect(result).toContain('5 de 8 respuestas del todo correctas (63\u00a0%).');
    expect(result).toMatch(/media ponderada decreciente 0,63 < 0,80 \(cerca desde 0,60\) en 1 intento\b/);
    expect(result).not.toMatch(/\b0\.\d\d\b/);
  });

  it('the unit map counts competencies with the plural; the profile writes the goal’s date in Spanish', async () => {
    expect(text((await ana.get('/student/map')).text)).toContain('Has dominado 0 de 5 competencias.');
    const html = (await ana.get('/student/profile')).text;
    expect(html).toContain('<title>Mi perfil · Pathwise</title>');
    expect(text(html)).toContain('para el 1 may 2030');
  });

  it('a teacher’s refusals are in Spanish too: a student who is not in the course', async () => {
    const res = await teacher.get('/teacher/students/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(text(res.text)).toContain('Este estudiante no está en tu curso.');
    expect(text(res.text)).toContain('Vuelve al panel de la clase.');
    expect(res.text).not.toContain('This student is not in your course.');
  });

  it('the teacher’s student page: the attempt’s score as "63 %", the goal’s date, dates and decimals in Spanish', async () => {
    const anaId = await userId(pw, 'user-ana');
    const page = text((await teacher.get(`/teacher/students/${anaId}`)).text);
    expect(page).toMatch(/63\u00a0%/);
    expect(page).not.toMatch(/\b63%/);
    expect(page).toContain('para el 1 may 2030');
    expect(page).toMatch(SPANISH_DAY);
    expect(page).not.toMatch(ISO_DAY);
    expect(page).toContain('0,63');
    expect(page).not.toMatch(/\b0\.\d\d\b/);
  });

  it('the class dashboard: "1 estudiante" in the singular, the pathway’s first-try share as "0 %"', async () => {
    const page = text((await teacher.get('/teacher/dashboard')).text);
    expect(page).toContain('Se muestran 1 de 1 estudiante.');
    expect(page).toContain('para el único estudiante');
    expect(page).toMatch(/0 \(0\u00a0%\)/);
    expect(page).not.toContain('(s)');
  });

  it('a second student makes them plural', async () => {
    await launchAs(pw, fake, { claims: { sub: 'user-bea', name: 'Bea Gil', ...spanish } });
    const page = text((await teacher.get('/teacher/dashboard')).text);
    expect(page).toContain('Se muestran 2 de 2 estudiantes.');
    expect(page).toContain('para los 2 estudiantes');
  });
});
