import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';

// SAVE_SCREENSHOTS=1 writes the demo pages to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe.runIf(browserAvailable())('the demo LMS in chromium: the launch runs in its iframe, every page axe-clean', () => {
  let pw: Pathwise;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    pw = await createTestPathwise({ publicUrl: base, demo: { enabled: true }, grades: { worker: false } });
    await new Promise<void>((resolve) => {
      server = pw.app.listen(port, '127.0.0.1', () => resolve());
    });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await pw?.close();
  });

  async function axeClean(target: Page = page): Promise<void> {
    const violations = await runAxe(target);
    expect(violations, describeViolations(target.url(), violations)).toEqual([]);
  }

  it('home → "Open as student Ana" → Pathwise opens inside the demo course frame', async () => {
    await page.goto(`${base}/`);
    await axeClean();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/demo-home.png`, fullPage: true });
    await page.getByRole('link', { name: 'Open as student Ana' }).click();
    await page.waitForURL(/\/demo-lms\/course\?/);
    await axeClean();
    const frame = page.frameLocator('iframe.demo-frame');
    // The auto-post script sent the id_token; Pathwise validated it and shows the student's page.
    await expect
      .poll(
        async () =>
          frame
            .locator('main')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('Linear equations');
    const inner = page.frames().find((f) => f.url().includes('/lti/home') || f.url().includes('/student'));
    expect(inner?.url()).toBeTruthy();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/demo-course.png` });
  });

  it('the demo pages are axe-clean in Spanish and at 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/?lang=es`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await axeClean();
    await page.goto(`${base}/demo-lms/course?user=teacher&message=deep_linking&lang=es`);
    await axeClean();
  });
});
