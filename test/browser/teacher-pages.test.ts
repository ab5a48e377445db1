import { mkdirSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { createLearningService } from '../../src/store/learning-service.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, launchAs, placeSampleUnit } from '../integration/student-support.js';
import { answerFor, courseRowId, userId } from '../integration/teacher-support.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';

// SAVE_SCREENSHOTS=1 writes the teacher pages to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;

describe.runIf(browserAvailable())('teacher pages in chromium at 360 px: axe finds no WCAG 2.1 AA violation', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  let token: string;
  let libraryUnit: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    token = (await launchAs(pw, fake, { role: 'teacher' })).token;
    await launchAs(pw, fake, { role: 'student' });
    libraryUnit = await placeSampleUnit(pw);
    // One student's check, so the grid, the pathways table and the student page have data.
    const student = await userId(pw, 'user-student');
    const courseId = await courseRowId(pw, 'course-1');
    await pw.ctx.learning.choosePathway({ userId: student, unitId: libraryUnit, competencyId: 'one-step', pathwayId: 'one-step-practice', courseId });
    const view = await pw.ctx.learning.startAttempt({ userId: student, unitId: libraryUnit, competencyId: 'one-step', courseId });
    const items = await attemptItems(pw, view.attemptId);
    await pw.ctx.learning.submitAttempt({
      attemptId: view.attemptId,
      userId: student,
      answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, false)])),
    });
    server = await new Promise<Server>((resolve) => {
      const s = pw.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    // Generous: under CI's load (three passes, two workers on two cores) a page answers in seconds, not ms.
    page.setDefaultTimeout(30_000);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await fake?.stop();
    await pw?.close();
  });

  async function check(name: string): Promise<void> {
    expect(page.url()).not.toContain('/error');
    expect(await page.locator('h1').count(), `${name} has one h1`).toBe(1);
    const violations = await runAxe(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // On failure, name what sticks out (outside scroll containers) to make the fix obvious.
    const wide =
      overflow > 0
        ? await page.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 2 && !e.closest('.table-scroll'))
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
              .join(', '),
          )
        : '';
    expect(overflow, `${name} scrolls sideways at 360 px: ${wide}`).toBeLessThanOrEqual(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/teacher-${name}.png`, fullPage: true });
  }

  it('course home, units, editor, competency, preview, dashboard and student page pass axe', async () => {
    await page.goto(`${base}/lti/home?session=${token}`);
    await page.getByRole('link', { name: 'Open the course home' }).click();
    await page.waitForURL(/\/teacher\?/);
    await check('home');

    await page.getByRole('navigation').getByRole('link', { name: 'Units' }).click();
    await page.waitForURL(/\/teacher\/units\?/);
    await check('units');
    await page.getByRole('button', { name: /Copy into this course Linear equations/ }).click();
    await page.waitForURL(/\/teacher\/units\/[0-9a-f-]{36}\?/);
    expect(await page.getByRole('status').textContent()).toContain('Copied into your course');
    await check('editor');

    // A refused save shows its problems (with paths) and passes axe too.
    await page.getByLabel('Approaching at (%)').fill('90');
    await page.getByRole('button', { name: 'Save' }).first().click();
    expect(await page.getByRole('alert').textContent()).toContain('mastery.approachingThreshold');
    await check('editor-problems');

    await page.getByRole('link', { name: 'Solve one-step equations', exact: true }).click();
    await page.waitForURL(/\/competencies\/one-step\?/);
    await page
      .locator('details.teacher-edit')
      .first()
      .evaluate((d) => d.setAttribute('open', ''));
    await check('competency');
    await page.getByRole('link', { name: 'Preview the question bank as a student' }).click();
    await page.getByRole('button', { name: 'Check my answers' }).waitFor();
    await check('preview');
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.locator('#preview-result').waitFor();
    await check('preview-scored');

    await page.getByRole('navigation').getByRole('link', { name: 'Class dashboard' }).click();
    await page.waitForURL(/\/teacher\/dashboard\?/);
    await page.getByLabel('Unit').selectOption(libraryUnit);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`unit=${libraryUnit}`));
    expect(await page.locator('table.mastery-grid th[scope="row"]').count()).toBe(1);
    await check('dashboard');
    await page.getByRole('link', { name: 'Sam Student' }).first().click();
    await page.waitForURL(/\/teacher\/students\//);
    await check('student');
  }, 120_000);

  it('at iPad widths (1024 and 768 px) nothing is clipped: the dashboard grid scrolls in its own labelled region, with a cue', async () => {
    for (const width of [1024, 768]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/teacher/dashboard?session=${token}&unit=${libraryUnit}`);
      // The page itself never scrolls sideways; the grid does, inside its region.
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(pageOverflow, `page overflow at ${width} px`).toBeLessThanOrEqual(0);
      // The grid's own region, named by the grid's heading.
      const region = page.locator('div.table-scroll[role="region"][aria-labelledby="grid-title"]');
      await expect.poll(() => region.count()).toBe(1);
      const sizes = await region.evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.clientWidth,
        overflowX: getComputedStyle(el).overflowX,
        tabIndex: el.tabIndex,
      }));
      expect(sizes.overflowX).toBe('auto');
      expect(sizes.tabIndex).toBe(0);
      const cue = page.locator('#grid-scroll-cue');
      if (sizes.scroll > sizes.client) {
        // Wider than the screen: the cue shows and describes the region; the student column stays in view.
        expect(await cue.isVisible(), `scroll cue at ${width} px`).toBe(true);
        expect(await region.getAttribute('aria-describedby')).toBe('grid-scroll-cue');
        await region.evaluate((el) => (el.scrollLeft = el.scrollWidth));
        const nameCell = page.locator('table.mastery-grid tbody th').first();
        const [cell, box] = await Promise.all([nameCell.boundingBox(), region.boundingBox()]);
        expect(cell!.x).toBeGreaterThanOrEqual(box!.x - 1);
      } else {
        expect(await cue.isVisible()).toBe(false);
      }
      const violations = await runAxe(page);
      expect(violations, describeViolations(page.url(), violations)).toEqual([]);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/teacher-dashboard-${width}.png` });
    }
    // At 768 px the five competencies of the sample do not fit: the case the cue is for.
    expect(await page.locator('#grid-scroll-cue').isVisible()).toBe(true);
  }, 60_000);

  it('the unit page’s method-fit table (once the class has enough checks) passes axe at 360 px', async () => {
    const student = await userId(pw, 'user-student');
    const courseId = await courseRowId(pw, 'course-1');
    for (let i = 0; i < 22; i++) {
      // A check an hour apart (past the cool-down): passed and failed in turn.
      const svc = createLearningService(pw.ctx.db, { clock: () => new Date(Date.now() + i * 3_600_000) });
      await svc.choosePathway({ userId: student, unitId: libraryUnit, competencyId: 'simplify', pathwayId: 'simplify-read', courseId });
      const view = await svc.startAttempt({ userId: student, unitId: libraryUnit, competencyId: 'simplify', courseId });
      const items = await attemptItems(pw, view.attemptId);
      await svc.submitAttempt({
        attemptId: view.attemptId,
        userId: student,
        answers: Object.fromEntries(items.map((it) => [it.id, answerFor(it, i % 2 === 0)])),
      });
    }
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/teacher/units/${libraryUnit}?session=${token}`);
    expect(await page.locator('table.method-fit tbody tr').count()).toBe(7);
    await check('unit-fit');
  }, 60_000);

  it('the new-tab offer (a frame that keeps nothing for Pathwise) passes axe, and its link says where the student went', async () => {
    await page.setViewportSize({ width: 768, height: 900 });
    const r = await launch(pw, fake, { role: 'student', cookies: false, submit: false });
    await page.goto(`${base}/health`);
    // What the launch page's script posts when it found no proof: the offer.
    await page.evaluate(
      (fields) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/lti/launch';
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      },
      { id_token: r.idToken!, state: r.state!, pw_bind: '1' },
    );
    await page.waitForURL(/\/lti\/launch$/);
    expect(await page.locator('h1').textContent()).toBe('Open Pathwise in a new tab');
    const violations = await runAxe(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open Pathwise in a new tab' }).click()]);
    await tab.close();
    expect(await page.getByRole('status').textContent()).toContain('open in a new tab');
  }, 60_000);
});
