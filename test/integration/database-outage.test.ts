import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import { testConfig } from '../support/app.js';
import { createOutageDatabase, type OutageDatabase } from '../support/database-outage.js';

/**
 * The database goes away and comes back. Before: pages answered 500 with the generic error and
 * no hint when to come back. Now: 503 with Retry-After, a page that says what happened (JSON with
 * the stable code for programs), no stack or SQL, and recovery without a restart.
 */
/** A well-formed session token nobody holds: looking it up needs the database. */
const TOKEN = 'A'.repeat(43);

describe('database outage', () => {
  let outage: OutageDatabase;
  let pw: Pathwise;
  beforeAll(async () => {
    outage = await createOutageDatabase();
    pw = await compose(testConfig({ grades: { pollIntervalMs: 50 } }), { db: outage.db });
  });
  afterAll(async () => {
    await pw?.close();
    await outage?.close();
  });

  it('answers 503 with Retry-After while the database is away and recovers on its own', async () => {
    expect((await request(pw.app).get('/health')).status).toBe(200);
    await outage.down();
    const downSince = Date.now();

    const health = await request(pw.app).get('/health');
    expect(health.status).toBe(503);
    expect(Number(health.headers['retry-after'])).toBeGreaterThan(0);

    const page = await request(pw.app).get(`/teacher/grades?session=${TOKEN}`).set('Accept', 'text/html');
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('10');
    expect(page.text).toContain('cannot reach its database');
    expect(page.text).not.toMatch(/\n\s+at |select |ECONN|Connection terminated/i);

    const api = await request(pw.app).get(`/teacher/grades?session=${TOKEN}`).set('Accept', 'application/json');
    expect(api.status).toBe(503);
    expect(api.body.error.code).toBe('database_unavailable');

    // Stays down a while (the worker keeps polling meanwhile and must not crash the process).
    const outageMs = process.env.DATABASE_URL ? 10_000 : 500;
    await new Promise((r) => setTimeout(r, Math.max(0, outageMs - (Date.now() - downSince))));
    expect((await request(pw.app).get('/health')).status).toBe(503);
    await outage.up();

    let healthy = false;
    for (let i = 0; i < 50 && !healthy; i++) {
      healthy = (await request(pw.app).get('/health')).status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(true);
    const after = await request(pw.app).get(`/teacher/grades?session=${TOKEN}`).set('Accept', 'application/json');
    expect(after.status).toBe(401);
  }, 60_000);
});
