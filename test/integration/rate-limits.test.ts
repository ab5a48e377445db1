import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import { createTestPathwise, testConfig, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';

/** Low limits, so a flood is refused after a few failures; the window is long enough for the test. */
const LIMITS = { rateLimits: { enabled: true, windowSeconds: 300, login: 10, launch: 10, registration: 5, adminApi: 5 }, grades: { worker: false } };

/** Runs `n` jobs with at most `concurrency` at once. */
async function pool<T>(n: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

describe('rate limits: failures per address, shared in the database', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  beforeAll(async () => {
    pw = await createTestPathwise(LIMITS);
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  const failures = async () =>
    (await pw.ctx.db.query<{ bucket: string; key: string; failures: number }>(`select bucket, key, failures from rate_limit_failures order by bucket, key`))
      .rows;

  it('lets 300 students of one course in from one address, at 25 at a time, and counts nothing', async () => {
    const started = Date.now();
    const results = await pool(300, 25, (i) => launch(pw, fake, { claims: { sub: `nat-student-${i}` }, follow: false }));
    const statuses = results.map((r) => r.response?.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(300);
    expect(await failures()).toEqual([]);
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.log(`rate limits: 300 valid launches from one address in ${((Date.now() - started) / 1000).toFixed(1)} s, 0 refused`);
  }, 240_000);

  it('slows a flood of bogus login initiations from one address: 429 with Retry-After, a page and a JSON code', async () => {
    const flood = await pool(40, 10, (i) =>
      request(pw.app)
        .get('/lti/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .query({ iss: `https://lms${i}.unknown.example`, login_hint: 'x', target_link_uri: `${pw.ctx.config.publicUrl}/lti/launch` }),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const limited = flood.find((r) => r.status === 429)!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect(limited.type).toBe('text/html');
    expect(limited.text).toContain('Too many requests');
    expect(errorCode(limited)).toBe('rate_limited');
    // A program gets JSON with the stable code.
    const json = await request(pw.app)
      .get('/lti/login')
      .set('X-Forwarded-For', '203.0.113.7')
      .set('Accept', 'application/json')
      .query({ iss: 'https://x.example' });
    expect(json.status).toBe(429);
    expect(json.body.error.code).toBe('rate_limited');
    // Spanish readers get the page in Spanish.
    const es = await request(pw.app).get('/lti/login').set('X-Forwarded-For', '203.0.113.7').set('Accept-Language', 'es');
    expect(es.status).toBe(429);
    // Nothing else is slowed: another address still launches, and so does another door.
    const other = await launch(pw, fake, { claims: { sub: 'elsewhere' }, follow: false });
    expect(other.response?.status).toBe(303);
    // Counted per address; failures in flight when the limit was reached are counted too.
    const counted = (await failures()).filter((r) => r.bucket === 'login');
    expect(counted.map((r) => r.key)).toEqual(['203.0.113.7']);
    expect(counted[0]!.failures).toBeGreaterThan(10);
    expect(counted[0]!.failures).toBeLessThanOrEqual(20);
  });

  it('slows a flood of bad id_tokens from one address', async () => {
    const flood = await pool(25, 5, () =>
      request(pw.app).post('/lti/launch').set('X-Forwarded-For', '198.51.100.9').type('form').send({ id_token: 'not.a.jwt', state: 'nothing' }),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(statuses.filter((s) => s >= 400 && s < 429)).toHaveLength(10);
    // Refused before its body is read: even a body too large for the parser gets 429, not 413.
    const big = await request(pw.app)
      .post('/lti/launch')
      .set('X-Forwarded-For', '198.51.100.9')
      .type('form')
      .send({ id_token: 'a'.repeat(400_000) });
    expect(big.status).toBe(429);
  });

  it('slows wrong admin tokens, and then refuses even the right one from that address', async () => {
    const wrong = await pool(8, 2, () =>
      request(pw.app).get('/admin/api/platforms').set('X-Forwarded-For', '192.0.2.44').set('Authorization', 'Bearer wrong-token-wrong-token'),
    );
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(wrong[7]!.body.error.code).toBe('rate_limited');
    expect(Number(wrong[7]!.headers['retry-after'])).toBeGreaterThan(0);
    const right = await request(pw.app).get('/admin/api/platforms').set('X-Forwarded-For', '192.0.2.44').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(right.status).toBe(429);
    const elsewhere = await request(pw.app).get('/admin/api/platforms').set('X-Forwarded-For', '192.0.2.45').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(elsewhere.status).toBe(200);
    // A mistyped request with the right token is not a failure of the token.
    for (let i = 0; i < 8; i++) {
      const bad = await request(pw.app)
        .post('/admin/api/platforms')
        .set('X-Forwarded-For', '192.0.2.45')
        .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
        .send({ nonsense: i });
      expect(bad.status).toBe(400);
    }
  });

  it('slows guessed registration links', async () => {
    const guesses = await pool(8, 1, (i) =>
      request(pw.app)
        .get('/lti/register')
        .set('X-Forwarded-For', '192.0.2.80')
        .query({ invite: `guess-${i}`, openid_configuration: 'https://lms.example/openid' }),
    );
    expect(guesses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    expect(errorCode(guesses[7]!)).toBe('rate_limited');
  });

  it('counts failures across instances on the same database', async () => {
    const second = await compose(testConfig(LIMITS), { db: pw.ctx.db });
    const bogus = (app: typeof pw.app) => request(app).post('/lti/launch').set('X-Forwarded-For', '198.51.100.77').type('form').send({ id_token: 'x.y.z' });
    for (let i = 0; i < 6; i++) expect((await bogus(pw.app)).status).toBe(400);
    const onSecond = [];
    for (let i = 0; i < 5; i++) onSecond.push((await bogus(second.app)).status);
    // The 11th failure from the address is over the limit of 10, whichever instance it reaches.
    expect(onSecond).toEqual([400, 400, 400, 400, 429]);
    // second shares pw's database: stop its timers only, pw closes the database.
    await second.ctx.outbox.close();
  });
});

describe('rate limits: a window ends', () => {
  it('lets an address in again once its window has passed, and housekeeping deletes the old counts', async () => {
    const pw = await createTestPathwise({
      rateLimits: { enabled: true, windowSeconds: 2, login: 2, launch: 2, registration: 2, adminApi: 2 },
      grades: { worker: false },
    });
    try {
      const bogus = () => request(pw.app).get('/lti/login').query({ iss: 'https://nobody.example' });
      expect([(await bogus()).status, (await bogus()).status, (await bogus()).status]).toEqual([400, 400, 429]);
      await new Promise((r) => setTimeout(r, 3000));
      expect((await bogus()).status).toBe(400);
      await new Promise((r) => setTimeout(r, 2500));
      await pw.purgeExpired();
      expect((await pw.ctx.db.query(`select 1 from rate_limit_failures`)).rows).toHaveLength(0);
    } finally {
      await pw.close();
    }
  }, 30_000);
});
