import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { browserAvailable, describeViolations, launchBrowser, runAxe } from './support/browser.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `npm start` as a newcomer runs it (PUBLIC_URL = http://localhost:PORT), opened at 127.0.0.1. */
describe.runIf(browserAvailable())('the demo opened at 127.0.0.1 while PUBLIC_URL is localhost, in chromium', () => {
  let pw: Pathwise;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    pw = await createTestPathwise({ publicUrl: `http://localhost:${port}`, demo: { enabled: true }, grades: { worker: false } });
    await new Promise<void>((resolve) => {
      server = pw.app.listen(port, '127.0.0.1', () => resolve());
    });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await pw?.close();
  });

  it('moves once to localhost with a note, and the student launch then works inside the frame', async () => {
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(new URL(page.url()).host).toBe(`localhost:${port}`);
    await expect.poll(() => page.getByRole('status').innerText()).toContain(`You opened the demo at 127.0.0.1:${port}`);
    const violations = await runAxe(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
    await page.getByRole('link', { name: 'Open as student Ana' }).click();
    await page.waitForURL(/\/demo-lms\/course\?/);
    const frame = page.frameLocator('iframe.demo-frame');
    await expect
      .poll(
        async () =>
          frame
            .locator('main')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toContain('Linear equations');
  }, 60_000);
});
