import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { answerFields, attemptIdFrom, attemptItems, launchAs, type StudentClient } from './student-support.js';

/**
 * Teacher-authored text reaches students: unit, competency, pathway and resource text, item
 * prompts, options and feedback. A teacher (or a stolen teacher session) authors script in each;
 * what the student's pages contain must stay text, and `javascript:` links are refused.
 */
const SCRIPT = '<script>alert("pw-xss")</script>';
const IMG = '<img src=x onerror=alert("pw-xss")>';
const SVG = '<svg onload=alert("pw-xss")>';
const LINK = '<a href="javascript:alert(\'pw-xss\')">click</a>';
const BREAKOUT = '" onmouseover="alert(\'pw-xss\')" x="';
const CLOSE = '</p></script><script>alert("pw-xss")</script>';
const TEMPLATE = '{{constructor.constructor("alert(1)")()}}';
const ALL = [SCRIPT, IMG, SVG, LINK, BREAKOUT, CLOSE, TEMPLATE].join(' ');
const hostile = (what: string) => `${what} ${SCRIPT}${SVG}`.slice(0, 190);

function hostileUnit(url = 'https://example.org/reading') {
  const item = (id: string) => ({
    id,
    type: 'single_choice',
    prompt: `Prompt ${ALL}`,
    options: [
      { id: 'a', text: `Right ${IMG}${SVG}`, feedback: `Option feedback ${ALL}` },
      { id: 'b', text: `Wrong ${LINK}${BREAKOUT}` },
    ],
    correctOptionId: 'a',
    feedback: { correct: `Correct ${ALL}`, incorrect: `Incorrect ${ALL}` },
  });
  return {
    schemaVersion: 1,
    key: 'hostile-unit',
    title: hostile('Unit'),
    description: `Unit description ${ALL}`,
    mastery: { method: 'highest', masteryThreshold: 0.8, approachingThreshold: 0.6 },
    competencies: [
      {
        id: 'c1',
        title: hostile('Competency'),
        description: `Competency description ${ALL}`,
        standard: { code: `STD ${SVG}`.slice(0, 100) },
        pathways: [
          {
            id: 'p1',
            title: hostile('Pathway'),
            description: `Pathway description ${ALL}`,
            modalities: ['read'],
            level: 'core',
            estimatedMinutes: 10,
            resources: [
              { type: 'text', title: hostile('Text'), body: `Body ${ALL}\n\nSecond paragraph ${CLOSE}` },
              { type: 'link', title: hostile('Link'), url },
              { type: 'video', title: hostile('Video'), url, captionsUrl: url },
              { type: 'practice', title: hostile('Practice'), items: [item('pr1')] },
            ],
          },
        ],
        check: { itemsPerAttempt: 2, passThreshold: 0.5, items: [item('i1'), item('i2')] },
      },
    ],
  };
}

/** What a page must never contain, whatever a teacher typed. */
function expectInert(html: string, page: string): void {
  // Only the app's own scripts: files under /assets, or JSON data blocks.
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    expect(/src="\/assets\/[\w./-]+"/.test(tag) || /type="application\/json"/.test(tag), `${page}: ${tag}`).toBe(true);
  }
  expect(html, `${page}: an event handler attribute`).not.toMatch(/<[a-z][^<>]*\son[a-z]+\s*=/i);
  expect(html, `${page}: a javascript: URL`).not.toMatch(/(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:/i);
  expect(html, `${page}: the raw payload`).not.toContain('alert("pw-xss")</script>');
  expect(html, `${page}: an svg from text`).not.toMatch(/<svg onload/i);
  expect(html, `${page}: an img from text`).not.toMatch(/<img src=x/i);
}

let pw: Pathwise;
let fake: FakePlatform;
let teacher: StudentClient;
let student: StudentClient;
let unitId: string;

beforeAll(async () => {
  pw = await createTestPathwise({ grades: { worker: false } });
  fake = await new FakePlatform().start();
  await registerFakePlatform(pw, fake);
  teacher = await launchAs(pw, fake, { role: 'teacher', claims: { sub: 'xss-teacher' } });
  await teacher.get('/teacher/units');
  // The teacher imports the unit through the page's JSON import, as a person would.
  const imported = await teacher.post('/teacher/units/import', { json: JSON.stringify(hostileUnit()) });
  expect(imported.status, imported.text.slice(0, 500)).toBe(303);
  const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from units where document->>'key' = 'hostile-unit'`);
  unitId = rows[0]!.id;
  await pw.ctx.db.query(`update placements set unit_id = $1 where resource_link_id = 'link-1'`, [unitId]);
  student = await launchAs(pw, fake, { role: 'student', claims: { sub: 'xss-student' } });
}, 120_000);

afterAll(async () => {
  await fake?.stop();
  await pw?.close();
});

describe('teacher-authored script never runs in a student’s pages', () => {
  it('the landing page and unit map show the unit and competency text as text', async () => {
    for (const path of ['/lti/home', '/student', '/student/map']) {
      const res = await student.get(path);
      expect(res.status, path).toBeLessThan(400);
      if (res.status !== 200) continue;
      expectInert(res.text, path);
    }
    const map = await student.get('/student/map');
    expect(map.text).toContain('Competency &lt;script&gt;alert(&quot;pw-xss&quot;)&lt;/script&gt;');
  });

  it('the competency page shows pathway and resource text, practice prompts and links as text', async () => {
    const before = await student.get('/student/competencies/c1');
    expectInert(before.text, 'competency');
    expect((await student.post('/student/competencies/c1/pathway', { pathwayId: 'p1' })).status).toBe(303);
    const res = await student.get('/student/competencies/c1');
    expect(res.status).toBe(200);
    expectInert(res.text, 'competency with resources');
    expect(res.text).toContain('Body &lt;script&gt;alert(&quot;pw-xss&quot;)&lt;/script&gt;');
    expect(res.text).toContain('Prompt &lt;script&gt;');
    expect(res.text).toContain('&lt;svg onload&#x3D;alert(&quot;pw-xss&quot;)&gt;');
    // The outbound links are the https URL the teacher gave, opened without a referrer.
    expect(res.text).toMatch(/<a href="https:\/\/example\.org\/reading" target="_blank" rel="noopener noreferrer">/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('the mastery check and its result show prompts, options and feedback as text', async () => {
    const started = await student.post('/student/competencies/c1/check');
    const attemptId = attemptIdFrom(started);
    const check = await student.get(`/student/attempts/${attemptId}`);
    expect(check.status).toBe(200);
    expectInert(check.text, 'check');
    expect(check.text).toContain('Right &lt;img src&#x3D;x onerror&#x3D;');
    const items = await attemptItems(pw, attemptId);
    const submitted = await student.post(`/student/attempts/${attemptId}`, answerFields(items, false));
    expect(submitted.status).toBe(303);
    const result = await student.get(`/student/attempts/${attemptId}/result`);
    expect(result.status).toBe(200);
    expectInert(result.text, 'result');
    expect(result.text).toContain('Incorrect &lt;script&gt;');
  });

  it('the teacher’s own pages (editor, preview, class) keep the text inert too', async () => {
    for (const path of [
      `/teacher/units/${unitId}`,
      `/teacher/units/${unitId}/competencies/c1`,
      `/teacher/units/${unitId}/competencies/c1/preview`,
      '/teacher/class',
      '/teacher/dashboard',
      '/teacher',
    ]) {
      const res = await teacher.get(path);
      expect(res.status, path).toBe(200);
      expectInert(res.text, path);
    }
  });

  it('refuses javascript:, data: and vbscript: links in a unit, whichever way it is authored', async () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'java\tscript:alert(1)',
    ]) {
      const doc = { ...hostileUnit(url), key: 'hostile-links' };
      const res = await teacher.post('/teacher/units/import', { json: JSON.stringify(doc) });
      expect(res.status, url).toBe(400);
      const edit = await teacher.post(`/teacher/units/${unitId}/json`, { json: JSON.stringify({ ...hostileUnit(url) }) });
      expect(edit.status, url).toBe(400);
    }
    // Nothing of it was saved: every link of every unit is still an https URL.
    const { rows } = await pw.ctx.db.query<{ document: unknown }>(`select document from units`);
    const urls = JSON.stringify(rows).match(/"(url|captionsUrl)":"[^"]*"/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^"(url|captionsUrl)":"https:\/\//);
  });
});
