import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { answerFor, courseRowId, decode, launchPerson, userId } from './teacher-support.js';

/** The method-fit rows of the unit settings page: name, accuracy, AUC and tags. */
function fitRows(html: string) {
  const table = /<table class="method-fit">([\s\S]*?)<\/table>/.exec(decode(html))?.[1] ?? '';
  return [...table.matchAll(/<tr><th scope="row">([^<]*)((?:<span class="tag">[^<]*<\/span>\s*)*)<\/th>\s*<td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map(
    (m) => ({
      method: m[1]!.trim(),
      tags: [...m[2]!.matchAll(/<span class="tag">([^<]*)<\/span>/g)].map((t) => t[1]),
      accuracy: m[3],
      auc: m[4],
    }),
  );
}

describe('teacher: how well each calculation method fits this class', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ada: StudentClient;
  let unitId: string;
  let course: string;

  /** One check of the simplify competency, all right or all wrong, `hours` after now (past any cool-down). */
  async function check(user: string, right: boolean, hours: number) {
    const svc = createLearningService(pw.ctx.db, { clock: () => new Date(Date.now() + hours * 3_600_000) });
    await svc.choosePathway({ userId: user, unitId, competencyId: 'simplify', pathwayId: 'simplify-read', courseId: course });
    const view = await svc.startAttempt({ userId: user, unitId, competencyId: 'simplify', courseId: course });
    const items = await attemptItems(pw, view.attemptId);
    await svc.submitAttempt({ attemptId: view.attemptId, userId: user, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, right)])) });
  }

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ada = await launchAs(pw, fake, { role: 'teacher' });
    unitId = await placeSampleUnit(pw);
    course = await courseRowId(pw, 'course-1');
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('says "not enough data yet" before the class has checks to learn from', async () => {
    const res = await ada.get(`/teacher/units/${unitId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('How well each method fits this class');
    expect(decode(res.text)).toContain(
      'Not enough data yet: the comparison needs 20 checks that follow an earlier check of the same student on the same competency, with some passed and some failed; this class has 0.',
    );
    expect(res.text).not.toContain('<table class="method-fit">');
  });

  it('with a class whose students turn around and stay turned, the most recent score fits best', async () => {
    // Each string is one student's checks in order: P passed (every answer right), F failed (every answer wrong).
    const patterns = ['FFFPPPP', 'PFFFF', 'FFFPPPP', 'PFFFF', 'FPPP', 'PPFF'];
    for (const [s, pattern] of patterns.entries()) {
      await launchPerson(pw, fake, 'student', `fit-${s}`, `Fit Student${s}`);
      const id = await userId(pw, `fit-${s}`);
      for (const [i, ch] of [...pattern].entries()) await check(id, ch === 'P', i);
    }
    const res = await ada.get(`/teacher/units/${unitId}`);
    const text = decode(res.text);
    expect(text).toContain('Predicting this course’s next checks: 26 checks, 12 of them passed');
    const rows = fitRows(res.text);
    expect(rows.map((r) => r.method)).toEqual([
      'Performance factors (predicted next answer)',
      'Decaying average',
      'Highest score',
      'Most recent score',
      'Average',
      'n mastery',
      'Bayesian Knowledge Tracing',
    ]);
    const best = rows.filter((r) => r.tags.includes('best fit'));
    expect(best.map((r) => r.method)).toEqual(['Most recent score']);
    // Latest misses only each student's turn: 20 of 26 calls right.
    expect(best[0]!.accuracy).toBe('76.9%');
    expect(rows.find((r) => r.method === 'Average')!.accuracy).toBe('46.2%');
    expect(rows.find((r) => r.tags.includes('in use'))!.method).toBe('Decaying average'); // the sample unit's method
  }, 120_000);

  it('counts this course’s active learners only: a teacher’s own tries do not move the figures', async () => {
    const me = await userId(pw, 'user-teacher');
    const before = fitRows((await ada.get(`/teacher/units/${unitId}`)).text);
    for (const [i, ok] of [false, true, true].entries()) await check(me, ok, 100 + i);
    expect(fitRows((await ada.get(`/teacher/units/${unitId}`)).text)).toEqual(before);
  });

  it('in Spanish, from the catalog, with the locale’s numbers', async () => {
    const es = await launchAs(pw, fake, { role: 'teacher', claims: { [CLAIM.launchPresentation]: { locale: 'es-MX', document_target: 'iframe' } } });
    const text = decode((await es.get(`/teacher/units/${unitId}`)).text);
    expect(text).toContain('Qué tan bien se ajusta cada método a esta clase');
    expect(text).toContain('26 pruebas, 12 de ellas aprobadas');
    expect(text).toContain('mejor ajuste');
    expect(text).toMatch(/76,9\s?%/);
  });
});
