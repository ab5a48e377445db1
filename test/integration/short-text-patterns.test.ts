import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { registerFakePlatform } from '../support/lti-flow.js';
import { launchAs, type StudentClient } from './student-support.js';
import { decode } from './teacher-support.js';

/** The sample unit under another key, with one more short-text item carrying `patterns`. */
function unitWith(key: string, patterns: string[]) {
  const doc = structuredClone(linearEquations) as { key: string; title: string; competencies: { id: string; check: { items: unknown[] } }[] };
  doc.key = key;
  doc.title = `Patterns ${key}`;
  doc.competencies[0]!.check.items.push({ id: 'typed', type: 'short_text', prompt: 'Type it', accept: ['b'], patterns });
  return { doc, competencyId: doc.competencies[0]!.id };
}

describe('short-text patterns: a teacher pattern cannot stop the server', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let ada: StudentClient;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    ada = await launchAs(pw, fake, { role: 'teacher' });
    await ada.get('/teacher/units');
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('(a+)+b is saved, a 500-character answer is scored in milliseconds, and /health stays fast meanwhile', async () => {
    const { doc, competencyId } = unitWith('hostile', ['(a+)+b']);
    const imported = await ada.post('/teacher/units/import', { json: JSON.stringify(doc) });
    expect(imported.status).toBe(303);
    const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from units where document->>'key' = 'hostile'`);
    const preview = `/teacher/units/${rows[0]!.id}/competencies/${competencyId}/preview`;
    await ada.get(`${preview}?item=typed`);
    const started = Date.now();
    const [scored, health] = await Promise.all([
      ada.post(preview, { item: 'typed', 'answer-typed': 'a'.repeat(500) }),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        const t = Date.now();
        const res = await request(pw.app).get('/health');
        return { res, ms: Date.now() - t };
      })(),
    ]);
    expect(scored.status).toBe(200);
    expect(health.res.status).toBe(200);
    // A backtracking engine needs about 2^500 steps here (8 s already at 31 characters).
    expect(Date.now() - started).toBeLessThan(3000);
    expect(health.ms).toBeLessThan(3000);
  });

  it('import refuses a pattern the linear engine cannot run, saying why', async () => {
    const { doc } = unitWith('backref', ['(\\w+) \\1']);
    const res = await ada.post('/teacher/units/import', { json: JSON.stringify(doc) });
    expect(res.status).toBe(400);
    const text = decode(res.text);
    expect(text).toMatch(/<code>competencies\.0\.check\.items\.\d+\.patterns\.0<\/code>: the pattern "\(\\w\+\) \\1" cannot be used/);
    expect(text).toContain('back-references');
    const { rows } = await pw.ctx.db.query(`select 1 from units where document->>'key' = 'backref'`);
    expect(rows).toHaveLength(0);
  });
});
