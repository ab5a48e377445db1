import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createLearningService } from '../../src/store/learning-service.js';
import { addNrps, type FakeMember } from '../support/fake-services.js';
import { attemptItems } from '../integration/student-support.js';
import { answerFor, courseRowId, userId } from '../integration/teacher-support.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';
import { FakeLms, type LmsLink } from './support/fake-lms.js';
import { startPathwise } from './support/journey.js';

// SAVE_SCREENSHOTS=1 writes the Class page, the dashboard charts and the student page to docs/screenshots/.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;
const DAY = 86_400_000;
const WIDTHS = [360, 1280] as const;

const GIVEN = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Eli',
  'Fatima',
  'Gus',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tariq',
  'Uma',
  'Vera',
  'Wen',
  'Xavi',
  'Yara',
  'Zoe',
];
const FAMILY = ['Garcia', 'Nguyen', 'Okafor', 'Smith', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Novak', 'Ahmed'];
/** Student i of the roster: a unique name, sub s-i. */
const student = (i: number): FakeMember => {
  const given = GIVEN[i % GIVEN.length]!;
  const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
  return { user_id: `s-${i}`, roles: ['Learner'], name: `${given} ${family}`, given_name: given, family_name: family };
};

/**
 * The Class page with a roster of 250 that the fake LMS serves over NRPS (search, filters, sort,
 * paging), a student's launch in the LMS frame landing on the unit map, and the dashboard's and
 * student page's charts, in Chromium at 360 and 1280 px. Axe runs on every page; nothing may stick
 * out of the page sideways except inside a labelled region that scrolls.
 */
describe.runIf(browserAvailable())('Class page (250 from NRPS), direct student landing and charts in chromium at 360 and 1280 px', () => {
  let pw: Pathwise;
  let server: Server;
  let base: string;
  let lms: FakeLms;
  let browser: Browser;
  let page: Page;
  let link: LmsLink;
  let unitId: string;
  let teacherToken: string;
  const cspErrors: string[] = [];

  /** Axe, one h1, and nothing sticking out of the page (wide tables and charts scroll in their own region). */
  async function check(target: Page | Frame, name: string, width: number): Promise<void> {
    expect(target.url()).not.toContain('/error');
    expect(await target.locator('h1').count(), `${name} has one h1`).toBe(1);
    const violations = await runAxe(target);
    expect(violations, describeViolations(target.url(), violations)).toEqual([]);
    const overflow = await target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // On failure, name what sticks out (outside scroll containers) to make the fix obvious.
    const wide =
      overflow > 0
        ? await target.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 2 && !e.closest('.table-scroll'))
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)}`)
              .join(', '),
          )
        : '';
    expect(overflow, `${name} scrolls sideways at ${width} px: ${wide}`).toBeLessThanOrEqual(0);
    // Whatever is wider than its region can be scrolled there, by mouse, touch and keyboard.
    const clipped = await target.evaluate(() =>
      [...document.querySelectorAll('.table-scroll')]
        .filter(
          (el) =>
            el.scrollWidth > el.clientWidth &&
            !(getComputedStyle(el).overflowX === 'auto' && (el as HTMLElement).tabIndex === 0 && el.getAttribute('role') === 'region'),
        )
        .map((el) => el.className),
    );
    expect(clipped, `${name}: wide content that cannot be scrolled`).toEqual([]);
  }

  /** Saves the part of the page from `selector`'s top, at most `maxHeight` px tall, for the README. */
  async function shoot(selector: string, name: string, maxHeight = 1100): Promise<void> {
    if (!SHOTS) return;
    const r = await page
      .locator(selector)
      .first()
      .evaluate((el) => {
        const b = el.getBoundingClientRect();
        return { x: b.left + window.scrollX, y: b.top + window.scrollY, width: b.width, height: b.height };
      });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, clip: { ...r, height: Math.min(r.height, maxHeight) } });
  }

  /** One mastery check, all right or all wrong, `daysAgo` days ago. */
  async function work(sub: string, competencyId: string, pathwayId: string, right: boolean, daysAgo: number, courseId: string) {
    const svc = createLearningService(pw.ctx.db, { clock: () => new Date(Date.now() - daysAgo * DAY) });
    const id = await userId(pw, sub);
    await svc.choosePathway({ userId: id, unitId, competencyId, pathwayId, courseId });
    const view = await svc.startAttempt({ userId: id, unitId, competencyId, courseId });
    const items = await attemptItems(pw, view.attemptId);
    await svc.submitAttempt({ attemptId: view.attemptId, userId: id, answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, right)])) });
  }

  const tool = (): Frame => page.frame({ name: 'pathwise' })!;

  beforeAll(async () => {
    ({ pw, server, base } = await startPathwise());
    lms = await new FakeLms(base).start(pw);
    const members: FakeMember[] = [
      { user_id: 'user-teacher', roles: ['Instructor'], name: 'Ada Teacher', given_name: 'Ada', family_name: 'Teacher' },
      { user_id: 'ta-1', roles: ['Instructor#TeachingAssistant'], name: 'Tomas Assistant' },
      { user_id: 'gone-1', roles: ['Learner'], name: 'Left Course', status: 'Inactive' },
      ...Array.from({ length: 247 }, (_, i) => student(i)),
    ];
    const nrps = addNrps(lms.platform, { tokens: lms.tokens, pageSize: 100, members });
    const [unit] = await pw.ctx.learning.importUnits(linearEquations);
    unitId = unit!.id;
    link = { id: 'lms-link-1', title: 'Linear equations', custom: { pathwise_unit_id: unitId } };
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });

    // The teacher's launch in the LMS frame carries the NRPS claim: the roster of 250 is read in three pages.
    await page.goto(
      lms.coursePageUrl({ role: 'teacher', link, claims: { [CLAIM.nrpsService]: { context_memberships_url: nrps.url, service_versions: ['2.0'] } } }),
    );
    await tool().waitForURL(/\/lti\/home\?/);
    teacherToken = new URL(tool().url()).searchParams.get('session')!;
    const course = await courseRowId(pw, 'course-1');
    for (let i = 0; i < 200 && (await pw.ctx.roster.listRoster(course)).length < 250; i++) await new Promise((r) => setTimeout(r, 100));
    expect(nrps.requests).toBeGreaterThanOrEqual(3);

    // Some students' work over the last weeks, for the charts: first masteries spread over weeks,
    // pathways that work better than others, and two failed checks in a row (needs attention).
    const plan: [number, string, string, boolean, number][] = [];
    for (let i = 0; i < 24; i++) {
      const sub = i;
      plan.push([sub, 'simplify', i % 3 === 0 ? 'simplify-watch' : 'simplify-read', i % 4 !== 0, 40 - i]);
      if (i % 2 === 0) plan.push([sub, 'one-step', i % 4 === 0 ? 'one-step-watch' : 'one-step-practice', i % 8 !== 0, 24 - i]);
      // Two-step needs one-step mastered first.
      if ((i % 5 === 0 || i % 3 === 0) && i % 2 === 0 && i % 8 !== 0)
        plan.push([sub, 'two-step', i % 3 === 0 ? 'two-step-watch' : 'two-step-read', i !== 18, Math.max(0, 20 - i)]);
    }
    for (const [i, c, p, right, daysAgo] of plan) await work(`s-${i}`, c, p, right, daysAgo, course);
    await work('s-30', 'one-step', 'one-step-watch', false, 2, course);
    await work('s-30', 'one-step', 'one-step-watch', false, 1, course);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await lms?.stop();
    await pw?.close();
  });

  it('a student launch in the LMS frame lands on the unit map with its "Continue with …" step', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const me = student(40);
      await page.goto(
        lms.coursePageUrl({ role: 'student', link, claims: { sub: me.user_id, name: me.name, given_name: me.given_name, family_name: me.family_name } }),
      );
      await tool().waitForURL(/\/student\/map\?/);
      await expect
        .poll(() =>
          tool()
            .getByRole('link', { name: /^Continue with / })
            .count(),
        )
        .toBe(1);
      expect(await tool().getByRole('link', { name: 'Start page' }).count()).toBe(1);
      await check(tool(), 'student-landing-direct', width);
      if (SHOTS && width === 1280) await page.screenshot({ path: `${SHOTS}/lms-student-landing.png` });
    }
  }, 90_000);

  it('Class page: 250 members from NRPS, searched, filtered, sorted and paged', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/teacher/class?session=${teacherToken}`);
      await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Showing 1 to 50 of 250 people.');
      await check(page, 'teacher-class', width);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/teacher-class${width === 1280 ? '' : `-${width}`}.png` });

      await page.getByRole('navigation', { name: 'Pages of the member list' }).getByRole('link', { name: 'Next page' }).click();
      await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Showing 51 to 100 of 250 people.');
      await page.getByRole('link', { name: 'Page 5' }).click();
      await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Showing 201 to 250 of 250 people.');

      await page.getByLabel('Name', { exact: true }).fill('zoe');
      await page.getByRole('button', { name: 'Apply' }).click();
      // Zoe is student 25 + 26k: ten families, but only 247 students (Zoe ×9).
      await expect.poll(() => page.getByRole('status').first().innerText()).toContain('of 9 people.');
      await page.getByLabel('Sort by').selectOption('-name');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => page.locator('table.class-list tbody th').first().innerText()).toContain('Zoe Tanaka');

      await page.getByLabel('Name', { exact: true }).fill('');
      await page.getByLabel('Show').selectOption('attention');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => page.locator('table.class-list tbody th').allInnerTexts())
        .toEqual(expect.arrayContaining([expect.stringContaining('Eli Nguyen')]));
      expect(await page.locator('table.class-list tbody th', { hasText: 'Eli Nguyen' }).getByText('Needs attention').count()).toBe(1);

      await page.getByLabel('Show').selectOption('never');
      await page.getByRole('button', { name: 'Apply' }).click();
      // Everyone but the teacher and the student who launched above has never launched.
      await expect.poll(() => page.getByRole('status').first().innerText()).toContain('of 248 people.');
      await check(page, 'teacher-class-never', width);
    }
  }, 180_000);

  it('dashboard: heat map, level bars, progress per week and which pathways work, each with its table; no CSP refusal', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/teacher/dashboard?session=${teacherToken}&unit=${unitId}`);
      for (const chart of ['svg.heat-map', 'svg.level-chart', 'svg.progress-chart', 'svg.pathway-chart']) {
        const box = await page.locator(chart).boundingBox();
        expect(box, chart).not.toBeNull();
        expect(box!.width, `${chart} at ${width} px`).toBeGreaterThan(100);
        expect(box!.x, `${chart} starts inside the page`).toBeGreaterThanOrEqual(0);
      }
      // One page of 50 students of the 247 (as many as a page of the Class page).
      expect(await page.locator('svg.heat-map rect.heat-cell').count()).toBe(50 * 5);
      // Scaled charts fit the page; the heat map keeps its squares and scrolls in its labelled region.
      for (const chart of ['svg.progress-chart', 'svg.pathway-chart']) {
        const box = await page.locator(chart).boundingBox();
        expect(box!.x + box!.width, `${chart} fits at ${width} px`).toBeLessThanOrEqual(width);
      }
      await check(page, 'teacher-dashboard-charts', width);
      if (width === 1280) {
        await shoot('section[aria-labelledby="grid-title"]', 'teacher-heat-map');
        await shoot('section[aria-labelledby="spread-title"]', 'teacher-level-spread');
        await shoot('section[aria-labelledby="progress-title"]', 'teacher-progress');
        await shoot('section[aria-labelledby="pathways-title"]', 'teacher-pathways');
        // The same heat map in grey scale (a CSSOM filter, which the CSP allows): levels still differ by pattern.
        await page.evaluate(() => document.documentElement.style.setProperty('filter', 'grayscale(1)'));
        await shoot('section[aria-labelledby="grid-title"]', 'teacher-heat-map-grey', 700);
        await page.evaluate(() => document.documentElement.style.removeProperty('filter'));
      }

      // The heat map's pages by keyboard: from the table's last student, Tab reaches the page links.
      const pageOne = await page.locator('table.mastery-grid tbody th').allInnerTexts();
      await page.locator('table.mastery-grid tbody a').last().focus();
      const pager = page.getByRole('navigation', { name: 'Pages of the heat map and the table' });
      await page.keyboard.press('Tab');
      expect(await pager.getByRole('link', { name: 'Page 1' }).evaluate((a) => a === document.activeElement)).toBe(true);
      await page.keyboard.press('Tab');
      expect(await pager.getByRole('link', { name: 'Page 2' }).evaluate((a) => a === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/page=2/);
      expect(await page.getByText('This page: students 51–100.').count()).toBe(1);
      const pageTwo = await page.locator('table.mastery-grid tbody th').allInnerTexts();
      expect(pageTwo).toHaveLength(50);
      expect(pageTwo.filter((n) => pageOne.includes(n))).toEqual([]);
      expect(await page.locator('svg.heat-map text[text-anchor="end"]').first().textContent()).toBe(pageTwo[0]!.trim());
      await check(page, 'teacher-dashboard-page-2', width);

      await page.getByLabel('Order students by').selectOption('most');
      await page.getByLabel('Order competencies by').selectOption('least');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/order=most/);
      const [firstHeat, firstRow] = await Promise.all([
        page.locator('svg.heat-map text[text-anchor="end"]').first().textContent(),
        page.locator('table.mastery-grid tbody th').first().innerText(),
      ]);
      expect(firstRow.trim()).toBe(firstHeat);
      expect(await page.locator('table.mastery-grid thead th').nth(1).innerText()).toBe('Variables on both sides');
    }
    expect(cspErrors).toEqual([]);
  }, 180_000);

  it('student page: mastered per week for that student, with its table', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/teacher/dashboard?session=${teacherToken}&unit=${unitId}`);
      await page.locator('table.mastery-grid').getByRole('link', { name: 'Chloe Garcia' }).click();
      await page.waitForURL(/\/teacher\/students\//);
      const box = await page.locator('svg.progress-chart').boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.locator('#progress-caption').innerText()).toBe('Competencies mastered per week');
      await check(page, 'teacher-student-progress', width);
      if (width === 1280) await shoot('section[aria-labelledby="progress-title"]', 'teacher-student-progress');
    }
    expect(cspErrors).toEqual([]);
  }, 90_000);
});
