import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { browserAvailable } from './support/browser.js';
import { FakeLms, type LmsLink } from './support/fake-lms.js';
import { answerCheck, launchProfile, startPathwise, thirdPartyCookieKept, type SeenRequest } from './support/journey.js';
import { PageAudit } from './support/page-audit.js';

// SAVE_SCREENSHOTS=1 writes Pathwise inside the LMS frame to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The whole issue in one browser: an LMS on another site (localhost) frames Pathwise (127.0.0.1)
 * with third-party cookies blocked; a teacher places a sample unit by deep linking, a student
 * fails a check, changes pathway, passes and reflects, the LMS gradebook receives the unit score,
 * and the teacher's dashboard shows the new level and the reflection. Axe runs on every page.
 */
describe.runIf(browserAvailable())('LMS journey in chromium: deep linking → student → grades → dashboard, third-party cookies blocked', () => {
  let pw: Pathwise;
  let server: Server;
  let base: string;
  let seen: SeenRequest[];
  let lms: FakeLms;
  let profile: Awaited<ReturnType<typeof launchProfile>>;
  let context: BrowserContext;
  let page: Page;
  let audit: PageAudit;
  let link: LmsLink;
  const launchPosts: string[] = [];
  const reflection = 'Building the expressions with tiles';
  /** The competency the student works on (the first open one on the map). */
  let competency = '';

  /** The Pathwise frame inside the LMS page. */
  const tool = (): Frame => page.frame({ name: 'pathwise' })!;

  /** Audits the tool's current page (axe) and optionally saves the LMS page with it. */
  async function check(shot?: string): Promise<void> {
    expect(tool().url()).not.toContain('/error');
    expect(await audit.audit(tool())).toEqual([]);
    if (SHOTS && shot) await page.screenshot({ path: `${SHOTS}/${shot}.png` });
  }

  /** Opens the LMS course page, which launches Pathwise in its frame, and waits for the landing page. */
  async function openInLms(url: string, landing: RegExp): Promise<void> {
    await page.goto(url);
    await tool().waitForURL(landing);
  }

  beforeAll(async () => {
    ({ pw, server, base, seen } = await startPathwise());
    lms = await new FakeLms(base).start(pw);
    profile = await launchProfile('block');
    context = profile.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    audit = new PageAudit(base);
    await audit.attach(context, page);
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url() === `${base}/lti/launch`) launchPosts.push(req.postData() ?? '');
    });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await profile?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await lms?.stop();
    await pw?.close();
  });

  it('the browser blocks third-party cookies (a probe cookie survives only in a profile that allows them)', async () => {
    const control = await launchProfile('allow');
    try {
      expect(await thirdPartyCookieKept(control.context, lms)).toBe(true);
    } finally {
      await control.close();
    }
    expect(await thirdPartyCookieKept(context, lms)).toBe(false);
  }, 60_000);

  it('teacher: deep linking in the LMS frame → picks the sample unit → the LMS verifies the response and creates the link', async () => {
    await openInLms(lms.coursePageUrl({ role: 'teacher', deepLinking: true }), /\/lti\/deep-linking\?/);
    await check('lms-deep-linking');
    await tool().getByLabel('Linear equations').check();
    await tool().getByRole('button', { name: 'Add to course' }).click();
    await tool().waitForURL(`${lms.origin}/deep-link-return`);
    expect(await tool().textContent('#lms-result')).toBe('Added to the course: Linear equations');

    expect(lms.deepLinkingResponses.map((r) => r.error)).toEqual([undefined]);
    const items = lms.deepLinkingResponses[0]!.payload![CLAIM.contentItems] as Array<{ title: string; url: string }>;
    expect(items.map((i) => [i.title, i.url])).toEqual([['Linear equations', `${base}/lti/launch`]]);
    expect(lms.links).toHaveLength(1);
    link = lms.links[0]!;
    const unitId = link.custom.pathwise_unit_id!;
    expect(unitId).toMatch(UUID);
    expect(link.lineItemId).toBeTruthy();
    // The sample was copied into the course (not placed as the shared library unit).
    const { rows } = await pw.ctx.db.query<{ title: string; courseId: string | null }>(`select title, course_id as "courseId" from units where id = $1`, [
      unitId,
    ]);
    expect(rows).toEqual([{ title: 'Linear equations', courseId: expect.stringMatching(UUID) }]);
  }, 60_000);

  it('student: recommended pathway → fails the check → another pathway → waits out the cool-down → passes → reflects', async () => {
    // A student's launch lands on the unit map itself, with its next step.
    await openInLms(lms.coursePageUrl({ role: 'student', link }), /\/student\/map\?/);
    await check('lms-unit-map');

    const first = tool().locator('ol.competency-list li.state-open h3 a').first();
    competency = (await first.textContent())!.trim();
    await first.click();
    await tool().waitForURL(/\/student\/competencies\/[^/?]+\?/);
    const competencyUrl = tool().url();
    await check();

    // The recommended pathway carries the "suggested" tag; choose it.
    const options = tool().locator('.pathway-option');
    const recommended = options.filter({ has: tool().locator('.tag', { hasText: 'suggested' }) });
    await expect.poll(() => recommended.count()).toBe(1);
    const recommendedId = await recommended.locator('input[name="pathwayId"]').getAttribute('value');
    await recommended.locator('input[name="pathwayId"]').check();
    await tool().getByRole('button', { name: 'Choose this pathway' }).click();
    await expect.poll(() => tool().getByRole('status').first().textContent()).toContain('Your pathway is saved');
    expect(await recommended.locator('.tag', { hasText: 'your choice' }).count()).toBe(1);
    await check();

    await tool()
      .getByRole('button', { name: /I’m ready/ })
      .click();
    await tool().waitForURL(/\/student\/attempts\/[0-9a-f-]{36}\?/);
    const failedAttempt = /attempts\/([0-9a-f-]{36})/.exec(tool().url())![1]!;
    await check();
    await answerCheck(tool(), false);
    await tool().getByRole('button', { name: 'Submit my answers' }).click();
    await tool().waitForURL(/\/result\?/);
    expect(await tool().locator('h1').textContent()).toBe(`Not yet: ${competency}`);
    await check();
    // The miss moved the level (not started → developing): the LMS gets a unit score for it.
    await expect.poll(() => lms.ags.scoresFor(link.lineItemId!, 'user-student').length, { timeout: 15_000 }).toBe(1);

    // Back on the competency, another pathway.
    await tool()
      .locator('#next-step')
      .getByRole('link', { name: new RegExp(competency) })
      .click();
    await tool().waitForURL(/\/student\/competencies\/[^/?]+\?/);
    await check();
    // Another pathway than the one just tried (after a miss the recommendation may move to it).
    const other = options.filter({ hasNot: tool().locator(`input[name="pathwayId"][value="${recommendedId}"]`) }).first();
    const otherId = await other.locator('input[name="pathwayId"]').getAttribute('value');
    expect(otherId).not.toBe(recommendedId);
    await other.locator('input[name="pathwayId"]').check();
    await tool().getByRole('button', { name: 'Choose this pathway' }).click();
    await expect.poll(() => other.locator('.tag', { hasText: 'your choice' }).count()).toBe(1);
    await check();

    // Too early: the cool-down refuses the next try. Then move the miss 11 minutes into the past.
    await tool()
      .getByRole('button', { name: /I’m ready/ })
      .click();
    await expect.poll(() => tool().locator('main').textContent()).toContain('attempt_cooling_down');
    await check();
    await pw.ctx.db.query(`update attempts set submitted_at = submitted_at - interval '11 minutes' where id = $1`, [failedAttempt]);
    await tool().goto(competencyUrl);
    await check();
    await tool()
      .getByRole('button', { name: /I’m ready/ })
      .click();
    await tool().waitForURL(/\/student\/attempts\/[0-9a-f-]{36}\?/);
    expect(tool().url()).not.toContain(failedAttempt);
    await check();
    await answerCheck(tool(), true);
    await tool().getByRole('button', { name: 'Submit my answers' }).click();
    await tool().waitForURL(/\/result\?/);
    expect(await tool().locator('h1').textContent()).toBe(`You passed the check on ${competency}`);
    await check();

    await tool().getByLabel('What helped you learn this? (optional)').fill(reflection);
    await tool().getByLabel(/^4 — /).check();
    await tool().getByRole('button', { name: 'Save my reflection' }).click();
    await expect.poll(() => tool().getByRole('status').first().textContent()).toContain('Your reflection is saved');
    await check();
  }, 120_000);

  it('the LMS gradebook receives the unit score for the student, in the column the deep linking response created', async () => {
    // The pass moved the level again (developing → approaching): a second unit score.
    await expect.poll(() => lms.ags.scoresFor(link.lineItemId!, 'user-student').length, { timeout: 15_000 }).toBe(2);
    const last = lms.ags.scoresFor(link.lineItemId!, 'user-student').at(-1)!;
    // Points per level (docs/learning.md): approaching earns ⅔ of one competency's fifth, so a
    // failed and then passed check does not read as 0.
    expect(last).toMatchObject({
      scoreGiven: 13.33,
      scoreMaximum: 100,
      activityProgress: 'InProgress',
      gradingProgress: 'FullyGraded',
      comment: '0 of 5 competencies mastered',
    });
    expect(lms.ags.lineItemPosts).toBe(0);
    expect(lms.ags.outOfOrder).toBe(0);
  });

  it('teacher: the class dashboard shows the student’s new level, the student page the reflection', async () => {
    await openInLms(lms.coursePageUrl({ role: 'teacher', link }), /\/lti\/home\?/);
    await check();
    await tool().getByRole('link', { name: 'Class dashboard' }).click();
    await tool().waitForURL(/\/teacher\/dashboard\?/);
    await check('lms-teacher-dashboard');
    // The cell in the student's row, under the competency's column.
    const level = await tool()
      .locator('table.mastery-grid')
      .evaluate((table, title) => {
        const column = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent!.trim() === title);
        const row = [...table.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')!.textContent!.includes('Sam Student'));
        return column < 0 || !row ? null : row.children[column]!.textContent!.trim();
      }, competency);
    expect(level).toBe('◑ Approaching');
    await tool().getByRole('link', { name: 'Sam Student' }).first().click();
    await tool().waitForURL(/\/teacher\/students\//);
    await check();
    expect(await tool().locator('section[aria-labelledby="reflections-title"]').textContent()).toContain(reflection);
  }, 60_000);

  it('every launch went through platform storage, no cookie ever reached Pathwise, and axe checked every page', () => {
    const puts = lms.storageLog.filter((e) => e.subject === 'lti.put_data');
    const gets = lms.storageLog.filter((e) => e.subject === 'lti.get_data');
    expect(puts).toHaveLength(3);
    expect(gets.map((g) => [g.key, g.value])).toEqual(puts.map((p) => [p.key, p.value]));
    expect(puts.every((p) => p.origin === base && p.key.startsWith('pathwise_proof_'))).toBe(true);
    // Each launch was posted twice: first by the LMS (no cookie, so Pathwise asked for the
    // proofs), then by Pathwise's own page with the proof it read back from platform storage.
    // Chromium's "block third-party cookies" also denies a third-party frame its web storage, so
    // the own-storage proof is empty here (it is what carries Moodle launches in WebKit, see
    // webkit-journeys.test.ts). Never the nonce.
    expect(launchPosts).toHaveLength(6);
    const posted = launchPosts.map((body) => new URLSearchParams(body));
    expect(posted.map((p) => p.get('lti_storage_proof'))).toEqual([null, puts[0]!.value, null, puts[1]!.value, null, puts[2]!.value]);
    expect(posted.map((p) => p.get('pw_own_proof'))).toEqual([null, '', null, '', null, '']);
    expect(posted.every((p) => !p.has('lti_storage_nonce'))).toBe(true);
    expect(seen.filter((r) => r.cookie)).toEqual([]);
    expect(audit.violations).toEqual([]);
    expect(audit.unaudited()).toEqual([]);
    // The pages that move on by themselves were audited too: 3 logins and 3 launches through
    // platform storage, and the deep linking auto-post.
    const paths = audit.audited.map((u) => new URL(u).pathname);
    expect(paths.filter((p) => p === '/lti/login')).toHaveLength(3);
    expect(paths.filter((p) => p === '/lti/launch')).toHaveLength(3);
    expect(paths.filter((p) => p === '/lti/deep-linking/response')).toHaveLength(1);
  });
});
