import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('tool keys: JWKS and rotation', () => {
  let pw: Pathwise;
  const jwks = async () => (await request(pw.app).get('/.well-known/jwks.json')).body.keys as Array<Record<string, unknown>>;
  const kids = async () => (await jwks()).map((k) => k.kid);

  beforeAll(async () => {
    pw = await createTestPathwise();
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('serves the key made at start-up, public parts only, cached for minutes', async () => {
    const res = await request(pw.app).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=(\d{2,3})\b/);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers['cache-control'] as string)![1]);
    expect(maxAge).toBeGreaterThanOrEqual(60);
    expect(maxAge).toBeLessThanOrEqual(900);
    expect(res.body.keys).toHaveLength(1);
    const [key] = res.body.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(key.kid).toEqual(expect.any(String));
    for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
  });

  it('rotates: the new key is published before it signs, the old one stays for the grace period', async () => {
    const [oldKid] = await kids();
    const started = Date.now();
    const res = await request(pw.app).post('/admin/api/keys/rotate').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['activatesAt', 'kid', 'previousRetiresAt']);
    const { kid, activatesAt, previousRetiresAt } = res.body as { kid: string; activatesAt: string; previousRetiresAt: string };
    expect(kid).not.toBe(oldKid);
    const graceMs = Date.parse(previousRetiresAt) - Date.parse(activatesAt);
    expect(graceMs).toBe(pw.ctx.config.keys.rotationGraceHours * 3600_000);
    expect(Date.parse(activatesAt)).toBeGreaterThanOrEqual(started - 1000);

    // Published: both keys, public parts only.
    const published = await jwks();
    expect(published.map((k) => k.kid).sort()).toEqual([kid, oldKid].sort());
    for (const k of published) for (const member of PRIVATE_MEMBERS) expect(k).not.toHaveProperty(member);
    // The response never carries key material either.
    expect(JSON.stringify(res.body)).not.toMatch(/"(d|p|q|dp|dq|qi|n|e)"/);

    // It signs only once published (activation is now or later, and it is already in the JWKS).
    const signing = await pw.ctx.keys.signingKey();
    expect(published.map((k) => k.kid)).toContain(signing.kid);
  });

  it('drops the old key from the JWKS once its grace period is over', async () => {
    const current = (await pw.ctx.keys.signingKey()).kid;
    await pw.ctx.db.query(`update tool_keys set retires_at = now() - interval '1 minute' where kid <> $1`, [current]);
    expect(await kids()).toEqual([current]);
  });

  it('never writes a private key into the log of a rotation', async () => {
    const lines: string[] = [];
    const original = pw.ctx.logger;
    const { pino } = await import('pino');
    const capture = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    pw.ctx.logger = capture;
    try {
      // A fresh app so the request logger picks up the capturing logger.
      const { createApp } = await import('../../src/web/app.js');
      const app = createApp(pw.ctx);
      await request(app).post('/admin/api/keys/rotate').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(201);
    } finally {
      pw.ctx.logger = original;
    }
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    expect(all).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    expect(all).not.toContain(TEST_ADMIN_TOKEN);
  });
});
