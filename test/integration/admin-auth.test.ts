import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN, testConfig } from '../support/app.js';

describe('admin API authentication', () => {
  let pw: Pathwise;
  let off: Pathwise;
  beforeAll(async () => {
    pw = await createTestPathwise();
    // A second app without ADMIN_TOKEN on the same database (an embedded database costs seconds to open).
    // No grade worker there: only `pw` is closed, and it owns the database.
    off = await compose(testConfig({ adminToken: undefined, grades: { worker: false } }), { db: pw.ctx.db });
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('lets the configured bearer token in', async () => {
    const res = await request(pw.app).get('/admin/api/platforms').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body.platforms).toEqual([]);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['no header', undefined],
    ['a wrong token', `Bearer ${TEST_ADMIN_TOKEN}x`],
    ['a token prefix', `Bearer ${TEST_ADMIN_TOKEN.slice(0, 10)}`],
    ['another scheme', `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}`],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with 401 unauthorized and no detail', async (_label, header) => {
    const req = request(pw.app).post('/admin/api/keys/rotate');
    if (header !== undefined) req.set('Authorization', header);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN_TOKEN.slice(0, 8));
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses before routing, so unknown admin paths reveal nothing', async () => {
    const res = await request(pw.app).get('/admin/api/does-not-exist');
    expect(res.status).toBe(401);
  });

  it('does nothing when refused (no key is rotated)', async () => {
    const before = (await pw.ctx.keys.publicJwks()).keys.length;
    await request(pw.app).post('/admin/api/keys/rotate').set('Authorization', 'Bearer nope-nope-nope-nope');
    expect((await pw.ctx.keys.publicJwks()).keys.length).toBe(before);
  });

  it('is off without ADMIN_TOKEN and says how to turn it on', async () => {
    const res = await request(off.app).get('/admin/api/platforms').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('admin_api_disabled');
    expect(res.body.error.help).toContain('ADMIN_TOKEN');
  });
});
