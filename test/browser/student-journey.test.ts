import { mkdirSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptItems, launchAs, placeSampleUnit } from '../integration/student-support.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';

// SAVE_SCREENSHOTS=1 writes the student pages to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;

describe.runIf(browserAvailable())('student pages in chromium at 360 px: axe finds no WCAG 2.1 AA violation', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  let token: string;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    token = (await launchAs(pw, fake)).token;
    await placeSampleUnit(pw);
    server = await new Promise<Server>((resolve) => {
      const s = pw.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await fake?.stop();
    await pw?.close();
  });

  /** Asserts the page has no axe violations and no horizontal scrolling at 360 px. */
  async function check(name: string): Promise<void> {
    expect(page.url()).not.toContain('/error');
    const violations = await runAxe(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/student-${name}.png`, fullPage: true });
  }

  it('map, competency, check, result, reflection and profile pass axe; the check works by keyboard', async () => {
    // The launch lands on the unit map (URL token only: the frame may have no cookies); the welcome
    // page stays in the student navigation.
    await page.goto(`${base}/lti/home?session=${token}&welcome=1`);
    await check('landing');
    await page.getByRole('link', { name: 'Unit map', exact: true }).click();
    await page.waitForURL(/\/student\/map\?/);
    expect(await page.locator('h1').count()).toBe(1);
    await check('map');

    // Keyboard: the first Tab reaches the skip link, with a visible focus outline.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { cls: el.className, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focus).toEqual({ cls: 'skip-link', outline: 'solid' });

    await page.getByRole('link', { name: 'Solve one-step equations' }).click();
    await check('competency');
    await page
      .getByLabel(/Practice one-step/i)
      .or(page.locator('input[name="pathwayId"]').last())
      .first()
      .check();
    await page.getByRole('button', { name: 'Choose this pathway' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your pathway is saved');
    await check('competency-chosen');

    await page.getByRole('button', { name: /I’m ready/ }).click();
    await page.waitForURL(/\/student\/attempts\/[0-9a-f-]{36}\?/);
    await check('check');
    const attemptId = /attempts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    // Answers survive a reload (kept in this browser by public/student-check.js).
    const firstText = page.locator('input[type="text"][name^="answer-"]').first();
    await firstText.fill('4242');
    await page.reload();
    expect(await page.locator('input[type="text"][name^="answer-"]').first().inputValue()).toBe('4242');
    const answers = answerFields(await attemptItems(pw, attemptId), true);
    for (const [name, value] of Object.entries(answers)) {
      const values = Array.isArray(value) ? value : [value];
      const first = page.locator(`[name="${name}"]`).first();
      if ((await first.getAttribute('type')) === 'text') await first.fill(values[0]!);
      else for (const v of values) await page.locator(`[name="${name}"][value="${v}"]`).check();
    }
    // Submit with the keyboard: focus the submit button and press Enter.
    await page.getByRole('button', { name: 'Submit my answers' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/result\?/);
    expect(await page.locator('h1').textContent()).toContain('You passed the check');
    await check('result');

    await page.getByLabel('What helped you learn this? (optional)').fill('Working through the practice set');
    await page.getByLabel(/^4 — /).check();
    await page.getByRole('button', { name: 'Save my reflection' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your reflection is saved');
    await check('result-reflected');

    await page.getByRole('link', { name: 'My profile' }).click();
    expect(await page.locator('body').textContent()).toContain('Working through the practice set');
    await check('profile');

    // A failed check: per-item feedback and the retry advice must pass axe as well.
    await page.getByRole('link', { name: 'Unit map' }).click();
    await page.getByRole('link', { name: 'Simplify expressions', exact: true }).click();
    await page.getByRole('button', { name: /I’m ready/ }).click();
    await page.waitForURL(/\/student\/attempts\/[0-9a-f-]{36}\?/);
    await page.getByRole('button', { name: 'Submit my answers' }).click();
    await page.waitForURL(/\/result\?/);
    expect(await page.locator('h1').textContent()).toContain('Not yet');
    await check('result-failed');
  }, 120_000);
});
