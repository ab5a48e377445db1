import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, launchAs, placeSampleUnit, type StudentClient } from './student-support.js';
import { answerFor, courseRowId, decode, launchPerson, userId } from './teacher-support.js';

const DAY = 86_400_000;

describe('teacher: heat map, progress over time and which pathways work, drawn on the server', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ada: StudentClient;
  let unitId: string;
  let course: string;
  const ids: Record<string, string> = {};

  /** One mastery check of `who`, all right or all wrong, `daysAgo` days ago. */
  async function check(who: string, competencyId: string, pathwayId: string, right: boolean, daysAgo: number) {
    const svc = createLearningService(pw.ctx.db, { clock: () => new Date(Date.now() - daysAgo * DAY) });
    await svc.choosePathway({ userId: ids[who]!, unitId, competencyId, pathwayId, courseId: course });
    const view = await svc.startAttempt({ userId: ids[who]!, unitId, competencyId, courseId: course });
    const items = await attemptItems(pw, view.attemptId);
    await svc.submitAttempt({ attemptId: view.attemptId, userId: ids[who]!, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, right)])) });
  }

  /** The rows of the grid table, in order: [name, ...levels]. */
  const gridRows = (html: string) =>
    [...html.matchAll(/<th scope="row"><a [^>]*>([^<]+)<\/a><\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
      m[1],
      ...[...m[2]!.matchAll(/<span class="level level-(\w+)">/g)].map((c) => c[1]),
    ]);
  /** The heat map's row labels, in order. */
  const heatNames = (html: string) =>
    [...(/<svg class="heat-map"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '').matchAll(/text-anchor="end" font-size="12">([^<]+)</g)].map((m) => m[1]);

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ada = await launchAs(pw, fake, { role: 'teacher' });
    for (const [sub, name] of [
      ['sam', 'Sam Student'],
      ['ria', 'Ria Lopez'],
      ['lee', 'Lee Chen'],
    ] as const) {
      await launchPerson(pw, fake, 'student', `user-${sub}`, name);
      ids[sub] = await userId(pw, `user-${sub}`);
    }
    unitId = await placeSampleUnit(pw);
    course = await courseRowId(pw, 'course-1');
    await check('sam', 'one-step', 'one-step-practice', true, 15);
    await check('lee', 'simplify', 'simplify-read', true, 8);
    await check('sam', 'simplify', 'simplify-read', true, 0);
    await check('ria', 'one-step', 'one-step-watch', false, 3);
    await check('ria', 'one-step', 'one-step-watch', false, 2);
    await check('lee', 'one-step', 'one-step-watch', false, 1);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('heat map: one square per student and competency, filled with the level pattern, in the table order', async () => {
    const text = decode((await ada.get(`/teacher/dashboard?unit=${unitId}`)).text);
    const svg = /<svg class="heat-map"[^>]*>/.exec(text)![0];
    expect(svg).toContain('role="img" aria-labelledby="heat-caption heat-desc"');
    // No style attribute anywhere in the charts: the page's CSP has no 'unsafe-inline' for styles.
    expect(/<svg class="heat-map"[\s\S]*?<\/svg>/.exec(text)![0]).not.toContain('style=');
    const cells = [...text.matchAll(/<rect class="heat-cell heat-(\w+)"[^>]*fill="url\(#pat-\1\)"/g)];
    expect(cells).toHaveLength(3 * 5);
    expect(text).toMatch(/<rect class="heat-cell heat-mastered"[^>]*><title>Sam Student · Solve one-step equations: Mastered<\/title>/);
    // The patterns are defined once on the page, for the heat map and the bars.
    expect(text.match(/<pattern id="pat-mastered"/g)).toHaveLength(1);
    expect(heatNames(text)).toEqual(['Lee Chen', 'Ria Lopez', 'Sam Student']);
    expect(gridRows(text).map((r) => r[0])).toEqual(['Lee Chen', 'Ria Lopez', 'Sam Student']);
  });

  it('sorts students by progress or by the level in one competency, and competencies by how often they are mastered', async () => {
    const most = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&order=most`)).text);
    expect(heatNames(most)).toEqual(['Sam Student', 'Lee Chen', 'Ria Lopez']);
    expect(gridRows(most).map((r) => r[0])).toEqual(['Sam Student', 'Lee Chen', 'Ria Lopez']);
    expect(most).toMatch(/<option value="most" selected>Most mastered first<\/option>/);
    const least = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&order=least`)).text);
    expect(heatNames(least)[0]).toBe('Ria Lopez');
    // Level in "Simplify": Lee and Sam mastered it (by name), Ria has not started.
    const bySimplify = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&order=level:simplify`)).text);
    expect(heatNames(bySimplify)).toEqual(['Lee Chen', 'Sam Student', 'Ria Lopez']);
    // Columns, least often mastered first: the three nobody mastered (in unit order), then "one-step" (one), "simplify" (two).
    const cols = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&cols=least`)).text);
    const headers = [...cols.matchAll(/<thead><tr><th scope="col">Student<\/th>((?:<th scope="col">[^<]+<\/th>)+)/g)][0]![1]!;
    const titles = [...headers.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'Solve two-step equations',
      'Variables on both sides',
      'Write and solve equations',
      'Solve one-step equations',
      'Simplify expressions',
      'Mastered',
    ]);
    const sam = gridRows(cols).find((r) => r[0] === 'Sam Student')!;
    expect(sam.slice(1)).toEqual(['not_started', 'not_started', 'not_started', 'mastered', 'mastered']);
    // An order naming no competency of the unit falls back to names.
    const odd = decode((await ada.get(`/teacher/dashboard?unit=${unitId}&order=level:nope&cols=sideways`)).text);
    expect(heatNames(odd)).toEqual(['Lee Chen', 'Ria Lopez', 'Sam Student']);
  });

  it('progress over time: competencies mastered per week for the class, with the numbers in a table', async () => {
    const text = decode((await ada.get(`/teacher/dashboard?unit=${unitId}`)).text);
    const section = /id="progress-title"[\s\S]*?<\/section>/.exec(text)![0];
    expect(section).toMatch(/<svg class="scaled-chart progress-chart"[^>]*role="img" aria-labelledby="progress-title progress-help"/);
    const rows = [...section.matchAll(/<tr><th scope="row">[^<]+<\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // Three first masteries (15, 8 and 0 days ago) in three different weeks, with the running total.
    expect(rows.reduce((n, r) => n + r[0]!, 0)).toBe(3);
    expect(rows.at(-1)).toEqual([1, 3]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(section.match(/fill="url\(#pat-weekly\)"/g)).toHaveLength(3);
  });

  it('per student on the student page: only their own masteries', async () => {
    const text = decode((await ada.get(`/teacher/students/${ids.sam}?unit=${unitId}`)).text);
    const section = /id="progress-title"[\s\S]*?<\/section>/.exec(text)![0];
    const rows = [...section.matchAll(/<tr><th scope="row">[^<]+<\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(rows.at(-1)).toEqual([1, 2]);
    const ria = decode((await ada.get(`/teacher/students/${ids.ria}?unit=${unitId}`)).text);
    expect(/id="progress-title"[\s\S]*?<\/section>/.exec(ria)![0]).toContain('No competency mastered yet.');
  });

  it('which pathways work: first-attempt pass rate with its count and a 95 % Wilson interval, drawn and tabled', async () => {
    const text = decode((await ada.get(`/teacher/dashboard?unit=${unitId}`)).text);
    const section = /id="pathways-title"[\s\S]*?<\/section>/.exec(text)![0];
    expect(section).toMatch(/<svg class="scaled-chart pathway-chart"[^>]*role="img" aria-labelledby="pathways-title pathways-desc"/);
    // Practice: 1 of 1 passed → 21%–100%; Watch: 0 of 2 (Ria's second check is not a first) → 0%–66%
    // (percentages as the page's locale writes them: English "21%", Spanish "21 %").
    expect(section).toMatch(/<td>1<\/td><td>1 \(100%\)<\/td><td>21%–100%<\/td>/);
    expect(section).toMatch(/<td>2<\/td><td>0 \(0%\)<\/td><td>0%–66%<\/td>/);
    expect(section).toContain(': 1 of 1 passed</text>');
    expect(section).toContain(': 0 of 2 passed</text>');
    expect(section.match(/<circle class="rate"/g)).toHaveLength(3);
  });
});
