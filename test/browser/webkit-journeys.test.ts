import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import type { Item } from '../../src/learning/items/item-schema.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createTestPathwise } from '../support/app.js';
import { answerFields } from '../integration/student-support.js';
import { FakeLms, type LmsLink } from './support/fake-lms.js';
import { freePort, type SeenRequest } from './support/journey.js';
import { WebKitSession, webkitAvailable } from './support/webdriver.js';

// SAVE_SCREENSHOTS=1 writes the WebKit pages to docs/screenshots/ for the README.
const SHOTS = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : null;
const TOOL_FRAME = 'iframe[name="pathwise"]';

const sampleItems = new Map<string, Item>(
  (linearEquations as unknown as { competencies: Array<{ check: { items: Item[] } }> }).competencies.flatMap((c) =>
    c.check.items.map((i) => [i.id, i] as const),
  ),
);

/** Starts a server on 127.0.0.1:port and resolves once it listens. */
const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * Every school device: Pathwise inside the frame of an LMS on another site, in a real WebKit
 * (WebKitGTK's MiniBrowser driven over W3C WebDriver under xvfb: the engine of Safari and of every
 * iPad browser), at iPad widths. Pathwise is served over https (WebKit refuses Secure cookies over
 * http) with a certificate made here and named in webkitgtk:browserOptions.certificates; the LMS
 * is https://127.0.0.1, Pathwise https://localhost — two sites. WebKit lets such a frame set no
 * cookie at all, so these launches rest on the storage proofs (docs/sessions.md).
 */
describe.runIf(webkitAvailable())('WebKit journeys: Moodle-like, Canvas-like, deep linking, storage blocked', () => {
  let dir: string;
  let pw: Pathwise;
  let tool: Server;
  let toolServer: Server;
  let lmsServer: Server;
  let lms: FakeLms;
  let s: WebKitSession;
  let link: LmsLink;
  const seen: SeenRequest[] = [];
  const timings: Record<string, number> = {};

  async function shot(name: string): Promise<void> {
    if (SHOTS) writeFileSync(`${SHOTS}/${name}.png`, await s.screenshot());
  }

  /** Opens an LMS course page (which launches Pathwise in its frame) and waits in the frame for `landing`. */
  async function openInLms(url: string, landing: RegExp): Promise<void> {
    await s.frame(null);
    await s.navigate(url);
    await s.frame(TOOL_FRAME);
    await s.waitForLocation(landing);
  }

  /** Answers the check in the current frame, all right, by clicking and typing. */
  async function answerCheck(): Promise<void> {
    const names = [
      ...new Set(await s.run<string[]>('return Array.prototype.map.call(document.querySelectorAll(\'[name^="answer-"]\'), function (e) { return e.name; })')),
    ];
    const items = names.map((n) => sampleItems.get(n.slice('answer-'.length))!);
    expect(items.every(Boolean)).toBe(true);
    for (const [name, value] of Object.entries(answerFields(items, true))) {
      const type = await s.run<string>("return document.querySelector('[name=\"' + arguments[0] + '\"]').type", name);
      if (type === 'text') await s.type(`[name="${name}"]`, String(value));
      else for (const v of Array.isArray(value) ? value : [value]) await s.click(`[name="${name}"][value="${v}"]`);
    }
  }

  /** A student's journey in the frame, from the unit map a launch lands on: first open competency → pathway → check → passed. */
  async function studentPassesCheck(): Promise<string> {
    await s.click('ol.competency-list li.state-open h3 a');
    await s.waitForLocation(/\/student\/competencies\/[^/?]+\?/);
    const competency = (await s.text('h1')).trim();
    await s.click('.pathway-option input[name="pathwayId"]');
    await s.clickText('button', 'Choose this pathway');
    await s.until(async () => (await s.text('[role="status"]')).includes('Your pathway is saved'), 'the pathway to be saved');
    await s.clickText('button', 'I’m ready');
    await s.waitForLocation(/\/student\/attempts\/[0-9a-f-]{36}\?/);
    await answerCheck();
    await s.clickText('button', 'Submit my answers');
    await s.waitForLocation(/\/result\?/);
    return `${competency} → ${(await s.text('h1')).trim()}`;
  }

  /** Launch posts that reached Pathwise with a cookie (WebKit should send none from the frame). */
  const launchCookies = () => seen.filter((r) => r.path === '/lti/launch' && r.method === 'POST' && r.cookie);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pathwise-webkit-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    // One self-signed certificate for both sites, made now with Debian's openssl.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };

    const toolPort = await freePort();
    const toolBase = `https://localhost:${toolPort}`;
    pw = await createTestPathwise({ publicUrl: toolBase, grades: { worker: true, pollIntervalMs: 100, baseDelayMs: 200 } });
    // The TLS front the browser uses, recording each request's Cookie header.
    tool = createHttpsServer(tls, (req, res) => {
      seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, cookie: req.headers.cookie });
      void pw.app(req, res);
    });
    await listen(tool, toolPort);
    // Plain http for the LMS's own server-to-server calls (the tool's key set).
    const toolServerPort = await freePort();
    toolServer = createHttpServer((req, res) => void pw.app(req, res));
    await listen(toolServer, toolServerPort);

    const lmsPort = await freePort();
    lms = new FakeLms(toolBase, { browserOrigin: `https://127.0.0.1:${lmsPort}`, toolServerBase: `http://127.0.0.1:${toolServerPort}` });
    await lms.start(pw);
    lmsServer = createHttpsServer(tls, (req, res) => void lms.platform.app(req, res));
    await listen(lmsServer, lmsPort);

    s = await WebKitSession.start({
      certificates: [
        { host: 'localhost', certificateFile: cert },
        { host: '127.0.0.1', certificateFile: cert },
      ],
      width: 1024,
      height: 900,
    });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    process.stderr.write(`WebKit journey times (ms): ${JSON.stringify(timings)}\n`);
    await s?.quit();
    await close(tool);
    await close(toolServer);
    await close(lmsServer);
    await lms?.stop();
    await pw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('3. a teacher places a unit by deep linking in the frame of a Moodle-like LMS (no platform storage), on an iPad in landscape (1024 px)', async () => {
    const t0 = Date.now();
    await openInLms(lms.coursePageUrl({ role: 'teacher', deepLinking: true, platformStorage: false }), /\/lti\/deep-linking\?/);
    await shot('webkit-deep-linking');
    const choice = await s.run<string>(
      'var l = Array.prototype.find.call(document.querySelectorAll("label"), function (e) { return e.textContent.trim() === "Linear equations"; }); return l.htmlFor;',
    );
    await s.click(`[id="${choice}"]`);
    await s.clickText('button', 'Add to course');
    await s.waitForLocation(`${lms.origin}/deep-link-return`);
    expect(await s.text('#lms-result')).toBe('Added to the course: Linear equations');
    expect(lms.deepLinkingResponses.map((r) => r.error)).toEqual([undefined]);
    expect(lms.links).toHaveLength(1);
    link = lms.links[0]!;
    expect(link.lineItemId).toBeTruthy();
    expect(launchCookies()).toEqual([]);
    timings.deepLinking = Date.now() - t0;
  }, 180_000);

  it('1. Moodle-like (no platform storage), iPad in portrait (768 px): a student launches, chooses a pathway, passes a check by clicking and typing; the score reaches the LMS', async () => {
    const t0 = Date.now();
    await s.cmd('POST', '/window/rect', { width: 768, height: 1024 });
    const before = lms.storageLog.length;
    await openInLms(lms.coursePageUrl({ role: 'student', link, platformStorage: false }), /\/student\/map\?/);
    expect(await s.text('h1')).toBe('Linear equations');
    await shot('webkit-moodle-map');
    const result = await studentPassesCheck();
    expect(result).toMatch(/→ You passed the check on /);
    await shot('webkit-moodle-result');
    await expect.poll(() => lms.ags.scoresFor(link.lineItemId!, 'user-student').length, { timeout: 20_000 }).toBeGreaterThan(0);
    // No cookie came back from the frame, and there was no platform storage: the own-storage proof carried it.
    expect(launchCookies()).toEqual([]);
    expect(lms.storageLog.length).toBe(before);
    timings.moodle = Date.now() - t0;
  }, 240_000);

  it('2. Canvas-like (platform storage), iPad in landscape (1024 px): the same journey for another student', async () => {
    const t0 = Date.now();
    await s.cmd('POST', '/window/rect', { width: 1024, height: 900 });
    const claims = { sub: 'user-student-canvas', name: 'Casey Canvas', given_name: 'Casey', family_name: 'Canvas', email: 'casey@school.example' };
    await openInLms(lms.coursePageUrl({ role: 'student', link, claims }), /\/student\/map\?/);
    expect(await s.text('h1')).toBe('Linear equations');
    const result = await studentPassesCheck();
    expect(result).toMatch(/→ You passed the check on /);
    await shot('webkit-canvas-result');
    await expect.poll(() => lms.ags.scoresFor(link.lineItemId!, 'user-student-canvas').length, { timeout: 20_000 }).toBeGreaterThan(0);
    const puts = lms.storageLog.filter((e) => e.subject === 'lti.put_data');
    const gets = lms.storageLog.filter((e) => e.subject === 'lti.get_data');
    expect(puts.length).toBeGreaterThan(0);
    expect(gets.at(-1)!.value).toBe(puts.at(-1)!.value);
    expect(launchCookies()).toEqual([]);
    timings.canvas = Date.now() - t0;
  }, 240_000);

  it('4. storage blocked too: the frame offers a new tab, which lands the student on the same unit, and the frame says where they went', async () => {
    const t0 = Date.now();
    const claims = { sub: 'user-student-ipad', name: 'Ivy Pad', given_name: 'Ivy', family_name: 'Pad', email: 'ivy@school.example' };
    await openInLms(lms.coursePageUrl({ role: 'student', link, claims, platformStorage: false, storageBlocked: true }), /\/lti\/launch$/);
    await s.waitFor('#new-tab-link');
    await shot('webkit-new-tab-offer');
    const lmsWindow = await s.window();
    await s.click('#new-tab-link');
    let opened: string | undefined;
    await s.until(async () => (opened = (await s.windows()).find((h) => h !== lmsWindow)) !== undefined, 'a new tab');
    // The frame says where the student went.
    await s.until(async () => (await s.text('#new-tab-status')).includes('open in a new tab'), 'the frame to say so');
    await s.switchTo(opened!);
    // The same unit, in a tab of its own that says how to get back.
    await s.waitForLocation(/\/student\/map\?/);
    expect(await s.text('h1')).toBe('Linear equations');
    expect(await s.text('#new-tab-note')).toContain('Pathwise opened in its own tab');
    await shot('webkit-new-tab-map');
    await s.cmd('DELETE', '/window');
    await s.switchTo(lmsWindow);
    timings.newTab = Date.now() - t0;
  }, 240_000);
});
