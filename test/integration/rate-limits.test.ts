import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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

/** A 429 as the limiter answers it: the stable code, and Retry-After within the window. */
function expectRateLimited(res: request.Response, windowSeconds = LIMITS.rateLimits.windowSeconds): void {
  expect(res.status).toBe(429);
  expect(errorCode(res)).toBe('rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
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

  // No time limit of its own worth the name: on a loaded 2-core machine 300 launches take minutes.
  it('lets 300 students of one course in from one address, at 25 at a time, and counts nothing', async () => {
    const started = Date.now();
    const results = await pool(300, 25, (i) => launch(pw, fake, { claims: { sub: `nat-student-${i}` }, follow: false }));
    const statuses = results.map((r) => r.response?.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(300);
    expect(await failures()).toEqual([]);
    // eslint-disable-next-line no-console -- the measured figures belong in the test output
    console.log(`rate limits: 300 valid launches from one address in ${((Date.now() - started) / 1000).toFixed(1)} s, 0 refused`);
    // The address still has its whole allowance of failures: the successes used none of it, and
    // its failures are counted from the first (the limit itself is the flood tests' below).
    const bogus = () => request(pw.app).post('/lti/launch').type('form').send({ id_token: 'not.a.jwt', state: 'nothing' });
    for (let i = 0; i < LIMITS.rateLimits.launch; i++) expect((await bogus()).status).toBe(400);
    expect((await failures()).map((r) => [r.bucket, r.failures])).toEqual([['launch', LIMITS.rateLimits.launch]]);
  }, 900_000);

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
    // Two at a time, which of them is refused first depends on the scheduler; how many does not:
    // exactly the limit's 5 failures are answered, every one after them is refused.
    const unauthorised = wrong.filter((r) => r.status === 401);
    const limited = wrong.filter((r) => r.status === 429);
    expect(unauthorised).toHaveLength(5);
    expect(limited).toHaveLength(3);
    for (const r of unauthorised) expect(r.body.error.code).not.toBe('rate_limited');
    for (const r of limited) expectRateLimited(r);
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
    // One at a time: each guess is counted before the next is sent, so the sixth is the first refused.
    expect(guesses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    for (const r of guesses.slice(5)) expectRateLimited(r);
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
  afterEach(() => vi.useRealTimers());

  it('lets an address in again once its window has passed, and housekeeping deletes the old counts', async () => {
    const windowSeconds = 300;
    const pw = await createTestPathwise({
      rateLimits: { enabled: true, windowSeconds, login: 2, launch: 2, registration: 2, adminApi: 2 },
      grades: { worker: false },
    });
    // The window passes without waiting for it: the counts' window start (the database's clock)
    // and this process's clock (its memory of refused addresses) both move on by more than it.
    const passWindow = async () => {
      await pw.ctx.db.query(`update rate_limit_failures set window_start = window_start - make_interval(secs => $1)`, [windowSeconds + 1]);
      if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + (windowSeconds + 1) * 1000);
    };
    try {
      const bogus = () => request(pw.app).get('/lti/login').query({ iss: 'https://nobody.example' });
      expect((await bogus()).status).toBe(400);
      expect((await bogus()).status).toBe(400);
      expectRateLimited(await bogus(), windowSeconds);
      // Still refused within the window, without being counted again.
      expectRateLimited(await bogus(), windowSeconds);
      const counted = async () => (await pw.ctx.db.query<{ failures: number }>(`select failures from rate_limit_failures`)).rows.map((r) => Number(r.failures));
      expect(await counted()).toEqual([3]);
      await passWindow();
      expect((await bogus()).status).toBe(400);
      expect(await counted()).toEqual([1]);
      // Housekeeping keeps the current window's count and deletes it once that window has passed.
      await pw.purgeExpired();
      expect((await pw.ctx.db.query(`select 1 from rate_limit_failures`)).rows).toHaveLength(1);
      await passWindow();
      await pw.purgeExpired();
      expect((await pw.ctx.db.query(`select 1 from rate_limit_failures`)).rows).toHaveLength(0);
    } finally {
      vi.useRealTimers();
      await pw.close();
    }
  }, 120_000);
});
