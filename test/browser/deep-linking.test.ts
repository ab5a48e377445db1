import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';
import { deepLinkingLaunch, verifyWithToolJwks } from '../support/deep-linking-flow.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';

describe.runIf(browserAvailable())('deep linking pages in chromium: axe-clean, and the response reaches the LMS', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const returned: string[] = [];

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    // The fake LMS's deep_link_return_url: records the JWT the tool's page posts.
    fake.app.post('/deep-link-return', (req, res) => {
      returned.push(String((req.body as Record<string, unknown>).JWT));
      res.type('html').send('<!doctype html><title>LMS</title><p>received</p>');
    });
    server = await new Promise<Server>((resolve) => {
      const s = pw.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await fake?.stop();
    await pw?.close();
  });

  async function axeClean(): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
  }

  it('picker → choose a sample → the static script posts the signed response to the LMS', async () => {
    const dl = await deepLinkingLaunch(pw, fake);
    await page.goto(`${base}/lti/deep-linking?session=${dl.session}`);
    await axeClean();
    await page.getByLabel('Linear equations').check();
    await Promise.all([page.waitForURL(fake.url('/deep-link-return')), page.getByRole('button', { name: 'Add to course' }).click()]);
    expect(returned).toHaveLength(1);
    const { payload } = await verifyWithToolJwks(pw, fake, returned[0]!);
    const items = payload[CLAIM.contentItems] as Array<{ title: string }>;
    expect(items.map((i) => i.title)).toEqual(['Linear equations']);
  });

  it('the error page, the placement picker and the not-ready page pass axe', async () => {
    const refused = await deepLinkingLaunch(pw, fake, { accept_types: ['link'] });
    await page.goto(`${base}/lti/deep-linking?session=${refused.session}`);
    await axeClean();
    const teacher = await launch(pw, fake, { role: 'teacher', claims: { [CLAIM.resourceLink]: { id: 'unplaced', title: 'Unit 2' } } });
    await page.goto(`${base}/lti/home?session=${teacher.sessionToken}`);
    expect(await page.locator('form[action="/lti/placement"]').count()).toBe(1);
    await axeClean();
    const student = await launch(pw, fake, { role: 'student', claims: { [CLAIM.resourceLink]: { id: 'unplaced', title: 'Unit 2' } } });
    await page.goto(`${base}/lti/home?session=${student.sessionToken}`);
    expect(await page.locator('h1').textContent()).toBe('This activity is not ready yet');
    await axeClean();
  });
});
