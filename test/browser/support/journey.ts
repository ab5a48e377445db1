import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame } from 'playwright-core';
import type { Pathwise } from '../../../src/main.js';
import type { Item } from '../../../src/learning/items/item-schema.js';
import linearEquations from '../../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createTestPathwise } from '../../support/app.js';
import { answerFields } from '../../integration/student-support.js';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.js';
import type { FakeLms } from './fake-lms.js';

/** A port free on 127.0.0.1 right now (Pathwise's public URL must name it before it listens). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** What reached Pathwise from the browser: method, path and the Cookie header (if any). */
export interface SeenRequest {
  method: string;
  path: string;
  cookie?: string;
}

/** Pathwise listening on http://127.0.0.1:<port>, its public URL, with the grade outbox polling fast. */
export async function startPathwise(): Promise<{ pw: Pathwise; server: Server; base: string; seen: SeenRequest[] }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const pw = await createTestPathwise({ publicUrl: base, grades: { worker: true, pollIntervalMs: 100, baseDelayMs: 200 } });
  const seen: SeenRequest[] = [];
  // A plain HTTP server in front of the Express app records each request's Cookie header.
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', cookie: req.headers.cookie });
    void pw.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { pw, server, base, seen };
}

/**
 * Headless chromium with a real (persistent) profile whose cookie setting is chosen through the
 * profile preference `profile.cookie_controls_mode` (1 = "Block third-party cookies", 0 = allow),
 * the setting a user changes in chrome://settings/cookies. Command-line switches tried on
 * chromium 156 (--test-third-party-cookie-phaseout, --block-third-party-cookies, feature flags)
 * change nothing, so the preference is what the test relies on — and verifies with a probe.
 */
export async function launchProfile(thirdPartyCookies: 'block' | 'allow'): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-chromium-'));
  mkdirSync(join(dir, 'Default'));
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: thirdPartyCookies === 'block' ? 1 : 0 } }));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1024, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether a cookie set by a frame of another site (the LMS server reached as 127.0.0.1 inside its
 * own localhost page; SameSite=None; Secure) comes back on that frame's next request.
 */
export async function thirdPartyCookieKept(context: BrowserContext, lms: FakeLms): Promise<boolean> {
  const page = await context.newPage();
  try {
    await page.goto(`${lms.origin}/probe-page?src=${encodeURIComponent(lms.platform.url('/probe/set'))}`);
    const frame = page.frame({ name: 'probe' })!;
    await frame.waitForLoadState();
    await frame.goto(lms.platform.url('/probe/read'));
    return (await frame.textContent('body'))!.includes('probe=1');
  } finally {
    await page.close();
  }
}

const sampleItems = new Map<string, Item>(
  (linearEquations as unknown as { competencies: Array<{ check: { items: Item[] } }> }).competencies.flatMap((c) =>
    c.check.items.map((i) => [i.id, i] as const),
  ),
);

/**
 * Answers the check on the page, all right or all wrong. The page names its fields
 * `answer-<item id>`; the keys come from the sample unit JSON the course copied.
 */
export async function answerCheck(frame: Frame, right: boolean): Promise<void> {
  const names = [...new Set(await frame.locator('[name^="answer-"]').evaluateAll((els) => els.map((e) => e.getAttribute('name')!)))];
  const items = names.map((n) => {
    const item = sampleItems.get(n.slice('answer-'.length));
    if (!item) throw new Error(`no item ${n} in the sample unit`);
    return item;
  });
  for (const [name, value] of Object.entries(answerFields(items, right))) {
    const values = Array.isArray(value) ? value : [value];
    const first = frame.locator(`[name="${name}"]`).first();
    if ((await first.getAttribute('type')) === 'text') await first.fill(values[0]!);
    else for (const v of values) await frame.locator(`[name="${name}"][value="${v}"]`).check();
  }
}
