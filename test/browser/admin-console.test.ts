import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, ROLE } from '../../src/lti/claims.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { attemptItems, placeSampleUnit } from '../integration/student-support.js';
import { answerFor, courseRowId, launchPerson, userId } from '../integration/teacher-support.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';
import { FakeLms } from './support/fake-lms.js';
import { freePort } from './support/journey.js';

// SAVE_SCREENSHOTS=1 writes the console pages to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;
const WIDTHS = [1280, 360] as const;

/**
 * The admin console as a district admin uses it, in Chromium: the operator signs in with the token
 * on the form and walks every page (platforms, approve/block, turn a platform off, registration
 * links and the per-LMS tabs, keys and rotation, usage charts, privacy inventory, retention dry run
 * and run, a student's export and deletion, the audit log with its filter and CSV) at 1280 and
 * 360 px, with axe on each; then an LMS administrator launches from their LMS and gets the console
 * limited to their own platform.
 */
describe.runIf(browserAvailable())('admin console in chromium at 1280 and 360 px: axe finds no WCAG 2.1 AA violation', () => {
  let pw: Pathwise;
  let server: Server;
  let base: string;
  let district: FakePlatform;
  let lms: FakeLms;
  let browser: Browser;
  let page: Page;
  let districtId: string;
  let lmsPlatformId: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    pw = await createTestPathwise({ publicUrl: base, grades: { worker: false } });
    server = await new Promise<Server>((resolve) => {
      const s = pw.app.listen(port, '127.0.0.1', () => resolve(s));
    });
    // The district's Canvas, with a teacher and a student who took a check, and a pending school.
    district = await new FakePlatform().start();
    districtId = (await registerFakePlatform(pw, district)).id;
    await pw.ctx.db.query(`update platforms set name = 'District Canvas', product_family = 'canvas' where id = $1`, [districtId]);
    await launchPerson(pw, district, 'teacher', 'd-teacher', 'Tess Teacher');
    await launchPerson(pw, district, 'student', 'd-student', 'Sam Student');
    const unitId = await placeSampleUnit(pw);
    const student = await userId(pw, 'd-student');
    const courseId = await courseRowId(pw, 'course-1');
    const view = await pw.ctx.learning.startAttempt({ userId: student, unitId, competencyId: 'one-step', courseId });
    const items = await attemptItems(pw, view.attemptId);
    await pw.ctx.learning.submitAttempt({
      attemptId: view.attemptId,
      userId: student,
      answers: Object.fromEntries(items.map((i) => [i.id, answerFor(i, true)])),
    });
    await pw.ctx.platforms.addPendingDeployment(districtId, 'school-2');
    // Grade sync health: a score sent, one waiting for two hours (the LMS refuses it), one failed.
    const {
      rows: [placement],
    } = await pw.ctx.db.query<{ id: string }>(`select id from placements limit 1`);
    for (const [sub, status, ago] of [
      ['d-student', 'sent', '1 day'],
      ['d-teacher', 'waiting', '2 hours'],
    ] as const) {
      await pw.ctx.db.query(
        `insert into grade_outbox (id, placement_id, user_id, score_given, score_maximum, activity_progress, grading_progress, score_timestamp, status, created_at, pending_since)
         values (gen_random_uuid(), $1, $2, 1, 5, 'InProgress', 'FullyGraded', now(), $3, now() - $4::interval, now() - $4::interval)
         on conflict (placement_id, user_id) do update set status = excluded.status, created_at = excluded.created_at, pending_since = excluded.pending_since`,
        [placement!.id, await userId(pw, sub), status, ago],
      );
    }
    // An old course, past the retention period, for the dry run.
    await launchPerson(pw, district, 'student', 'd-old-student', 'Olga Old', 'course-old');
    const oldCourse = await courseRowId(pw, 'course-old');
    await pw.ctx.db.query(`update courses set updated_at = now() - interval '500 days' where id = $1`, [oldCourse]);
    await pw.ctx.db.query(`update enrollments set last_launch_at = now() - interval '500 days' where course_id = $1`, [oldCourse]);
    // A second LMS, reached by the browser on another site, whose administrator launches later.
    lms = await new FakeLms(base).start(pw);
    lmsPlatformId = (await pw.ctx.platforms.list()).find((p) => p.issuer === lms.platform.issuer)!.id;
    await pw.ctx.db.query(`update platforms set name = 'Moodle of district B' where id = $1`, [lmsPlatformId]);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
    page.setDefaultTimeout(15_000);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await lms?.stop();
    await district?.stop();
    await pw?.close();
  });

  /** One h1, no error page, axe clean, nothing sticking out sideways; optionally a screenshot. */
  async function check(target: Page, name: string, shot = false): Promise<void> {
    expect(target.url()).not.toContain('/error');
    expect(await target.locator('h1').count(), `${name} has one h1`).toBe(1);
    const violations = await runAxe(target);
    expect(violations, describeViolations(target.url(), violations)).toEqual([]);
    const width = target.viewportSize()!.width;
    const overflow = await target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide =
      overflow > 0
        ? await target.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 2 && !e.closest('.table-scroll'))
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
              .join(', '),
          )
        : '';
    expect(overflow, `${name} scrolls sideways at ${width} px: ${wide}`).toBeLessThanOrEqual(0);
    // The privacy page's inventory is long: its picture shows the first screen.
    if (SHOTS && shot) await target.screenshot({ path: `${SHOTS}/admin-${name}${width === 360 ? '-360' : ''}.png`, fullPage: name !== 'privacy' });
  }

  const nav = (name: string) => page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name, exact: true });
  const notice = () => page.getByRole('status').first().textContent();

  it('signs in with the token typed into the form (a wrong token first says so)', async () => {
    await page.goto(`${base}/admin`);
    await page.waitForURL(/\/admin\/sign-in$/);
    await check(page, 'sign-in', true);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('wrong');
    await check(page, 'sign-in-wrong');
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/platforms$/);
    expect(page.url()).not.toContain(TEST_ADMIN_TOKEN);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'pw_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
  }, 60_000);

  it('platforms: lists deployments, approves and blocks a pending one, turns a platform off and on', async () => {
    await check(page, 'platforms', true);
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'District Canvas' }) });
    await expect.poll(() => card.getByText('Waiting for approval').count()).toBe(1);
    await card.getByRole('button', { name: /Approve.*school-2/ }).click();
    await page.waitForURL(/notice=approved/);
    expect(await notice()).toMatch(/approved/i);
    await check(page, 'platforms-approved');
    await card.getByRole('button', { name: /Block.*school-2/ }).click();
    await page.waitForURL(/notice=blocked/);
    expect(await card.locator('tr', { hasText: 'school-2' }).textContent()).toContain('Blocked');
    await card.getByRole('button', { name: 'Turn this platform off' }).click();
    await page.waitForURL(/notice=platform_off/);
    await check(page, 'platforms-off');
    const refused = await launch(pw, district, { role: 'student' });
    expect(refused.response?.status).toBe(403);
    await card.getByRole('button', { name: 'Turn this platform on again' }).click();
    await page.waitForURL(/notice=platform_on/);
    expect((await pw.ctx.platforms.findById(districtId))?.disabledAt).toBeNull();
  }, 60_000);

  it('registration: creates a link shown once, lists it, and shows each LMS on its own tab', async () => {
    await nav('Registration').click();
    await page.waitForURL(/\/admin\/registration$/);
    await page.getByRole('button', { name: 'Create a registration link' }).click();
    const link = await page.getByLabel('Your new registration link').inputValue();
    expect(link).toMatch(new RegExp(`^${base}/lti/register\\?invite=`));
    await check(page, 'registration', true);
    for (const [tab, field] of [
      ['Moodle', 'Public keyset'],
      ['Schoology', 'JWK Set URL'],
      ['Canvas', 'OpenID Connect Initiation Url'],
    ] as const) {
      await page.getByRole('navigation', { name: /LMS/ }).getByRole('link', { name: tab, exact: true }).click();
      await page.waitForURL(new RegExp(`lms=${tab.toLowerCase()}`));
      expect(await page.locator('#manual-title ~ dl').textContent()).toContain(field);
      await check(page, `registration-${tab.toLowerCase()}`, tab !== 'Canvas');
    }
    expect(await page.content()).toContain(`${base}/lti/config.json`);
  }, 60_000);

  it('keys: current key with dates, rotated with one button', async () => {
    await nav('Keys').click();
    await page.waitForURL(/\/admin\/keys$/);
    const before = await page.locator('tbody tr').count();
    await page.getByRole('button', { name: /Rotate/ }).click();
    await page.waitForURL(/notice=rotated/);
    expect(await page.locator('tbody tr').count()).toBe(before + 1);
    expect(await page.locator('tbody').textContent()).toContain('Previous (still published)');
    await check(page, 'keys', true);
  }, 60_000);

  it('usage: tables and two server-drawn SVG charts, no script from elsewhere', async () => {
    await nav('Usage').click();
    await page.waitForURL(/\/admin\/usage$/);
    expect(await page.locator('svg.admin-chart[role="img"]').count()).toBe(2);
    expect(await page.locator('svg.admin-chart rect.admin-chart-bar').count()).toBeGreaterThan(30);
    expect(await page.locator('script[src^="http"]').count()).toBe(0);
    expect(await page.getByRole('table', { name: /per course/ }).textContent()).toContain('District Canvas');
    // Algebra I: one student and one teacher active, one check taken, one competency mastered (a unit from the library counts in the course it is placed in).
    const algebra = await page
      .getByRole('table', { name: /per course/ })
      .locator('tr', { hasText: 'Algebra I' })
      .locator('td')
      .allTextContents();
    expect(algebra.slice(2).map((t) => t.trim())).toEqual(['1 / 1', '1 / 1', '2', '1', '1']);
    const health = await page.getByRole('table', { name: 'Scores per platform' }).locator('tbody tr').first().locator('td').allTextContents();
    expect(health.slice(0, 2).map(Number)).toEqual([1, 1]);
    expect(health[2]).toMatch(/^1 \(the oldest since /);
    await check(page, 'usage', true);
  }, 60_000);

  it('privacy: the inventory, the retention dry run then run, and a student exported and deleted', async () => {
    await nav('Privacy').click();
    await page.waitForURL(/\/admin\/privacy$/);
    expect(await page.getByRole('table', { name: /personal/i }).textContent()).toContain('users.email');
    const retention = page.locator('section', { has: page.getByRole('heading', { name: /Retention/ }) });
    expect(await retention.textContent()).toContain('course-old');
    await check(page, 'privacy', true);
    await retention.getByRole('button').click();
    await page.waitForURL(/notice=retention_done/);
    expect(await page.locator('section', { has: page.getByRole('heading', { name: /Retention/ }) }).textContent()).not.toContain('course-old');
    expect((await pw.ctx.db.query(`select 1 from users where sub = 'd-old-student'`)).rows).toHaveLength(0);

    const exportForm = page.locator('form[action="/admin/privacy/students/export"]');
    await exportForm.getByLabel('Platform').selectOption({ label: 'District Canvas' });
    await exportForm.getByLabel(/LMS user id/).fill('d-student');
    const [download] = await Promise.all([page.waitForEvent('download'), exportForm.getByRole('button').click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { sub: string; attempts: unknown[] };
    expect(exported.sub).toBe('d-student');
    expect(exported.attempts).toHaveLength(1);

    const deleteForm = page.locator('form[action="/admin/privacy/students/delete"]');
    await deleteForm.getByLabel('Platform').selectOption({ label: 'District Canvas' });
    await deleteForm.getByLabel(/LMS user id/).fill('d-student');
    await deleteForm.getByRole('checkbox').check();
    await deleteForm.getByRole('button').click();
    await page.waitForURL(/notice=student_deleted/);
    await check(page, 'privacy-deleted');
    expect((await pw.ctx.db.query(`select 1 from users where sub = 'd-student'`)).rows).toHaveLength(0);

    // Exporting the deleted student again: a readable page, not a stack trace.
    await exportForm.getByLabel('Platform').selectOption({ label: 'District Canvas' });
    await exportForm.getByLabel(/LMS user id/).fill('d-student');
    await exportForm.getByRole('button').click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBeTruthy();
    expect(await page.content()).toContain('user_not_found');
    await check(page, 'privacy-not-found');
  }, 90_000);

  it('audit log: every action above, filtered by action, and as CSV', async () => {
    await page.goto(`${base}/admin/audit`);
    const all = await page.locator('tbody').textContent();
    for (const action of [
      'admin.sign_in',
      'admin.sign_in_failed',
      'deployment.approved',
      'deployment.blocked',
      'platform.disabled',
      'platform.enabled',
      'registration.invite_created',
      'keys.rotated',
      'retention.run',
      'student.exported',
      'student.deleted',
    ]) {
      expect(all, action).toContain(action);
    }
    expect(all).not.toContain('d-student');
    expect(all).not.toContain('Sam Student');
    await check(page, 'audit', true);
    await page.getByLabel('Action').selectOption('keys.rotated');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/action=keys.rotated/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await check(page, 'audit-filtered');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /CSV/ }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^at,actor_kind/);
    expect(csv).toHaveLength(2);
  }, 60_000);

  it('every console page passes axe and fits at 360 px', async () => {
    await page.setViewportSize({ width: WIDTHS[1], height: 740 });
    for (const [path, name] of [
      ['/admin/platforms', 'platforms'],
      ['/admin/registration?lms=canvas', 'registration'],
      ['/admin/registration?lms=moodle', 'registration-moodle'],
      ['/admin/registration?lms=schoology', 'registration-schoology'],
      ['/admin/keys', 'keys'],
      ['/admin/usage', 'usage'],
      ['/admin/privacy', 'privacy'],
      ['/admin/audit', 'audit'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await check(page, name, name === 'platforms' || name === 'usage');
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/sign-in$/);
    await check(page, 'sign-in');
    await page.goto(`${base}/admin/platforms`);
    await page.waitForURL(/\/admin\/sign-in$/);
  }, 90_000);

  it('an LMS administrator launches from their LMS and gets the console for their own platform only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const lmsPage = await context.newPage();
      lmsPage.setDefaultTimeout(15_000);
      await lmsPage.goto(
        lms.coursePageUrl({
          role: 'teacher',
          link: { id: 'account-navigation', title: 'Pathwise', custom: {} },
          claims: { sub: 'b-admin', [CLAIM.roles]: [ROLE.institutionAdministrator], [CLAIM.context]: undefined },
        }),
      );
      const frame = lmsPage.frame({ name: 'pathwise' })!;
      // Four redirects through two sites, and up to two platform-storage exchanges (3 s each at
      // worst): on a loaded machine this can pass 15 s. A launch that stops says where it stopped.
      await frame.waitForURL(/\/lti\/home/, { timeout: 45_000 }).catch(async (err: unknown) => {
        const text = await frame
          .locator('body')
          .textContent({ timeout: 2000 })
          .catch(() => '');
        throw new Error(`the launch stopped at ${frame.url()}: ${(text ?? '').trim().slice(0, 300)}`, { cause: err });
      });
      const open = frame.getByRole('link', { name: /console/i });
      const [tab] = await Promise.all([context.waitForEvent('page'), open.click()]);
      await tab.waitForURL(/\/admin\/enter/);
      await check(tab, 'enter');
      await tab.getByRole('link', { name: /console/i }).click();
      await tab.waitForURL(/\/admin\/platforms$/);
      await check(tab, 'platforms-lms-admin', true);
      const text = await tab.locator('main').textContent();
      expect(text).toContain('Moodle of district B');
      expect(text).not.toContain('District Canvas');
      expect(await tab.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Keys' }).count()).toBe(0);
      for (const path of ['/admin/usage', '/admin/privacy', '/admin/audit', '/admin/registration']) {
        await tab.goto(`${base}${path}`);
        await check(tab, `lms-admin-${path.slice(7)}`);
        expect(await tab.locator('main').textContent()).not.toContain('District Canvas');
      }
      const keys = await tab.goto(`${base}/admin/keys`);
      expect(keys?.status()).toBe(403);
      await check(tab, 'lms-admin-keys-refused');
      const api = await tab.evaluate(async () => (await fetch('/admin/api/platforms')).json());
      expect((api as { platforms: { id: string }[] }).platforms.map((p) => p.id)).toEqual([lmsPlatformId]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
