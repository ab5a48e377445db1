import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { compose, type Pathwise } from '../../src/main.js';
import pg from 'pg';
import { PLATFORMS_CHANNEL, PlatformOriginsCache } from '../../src/store/platform-origins.js';
import { PlatformRepository } from '../../src/store/platform-repository.js';
import { openServerDatabase } from '../../src/store/server-database.js';
import { migrate } from '../../src/store/migrate.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';

const directive = (csp: unknown, name: string): string[] =>
  (
    String(csp)
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? ''
  )
    .split(' ')
    .slice(1);

const platformInput = (host: string) => ({
  issuer: `https://${host}`,
  clientId: `client-${randomBytes(4).toString('hex')}`,
  name: null,
  productFamily: null,
  authLoginUrl: `https://${host}/auth`,
  authTokenUrl: `https://${host}/token`,
  authTokenAudience: null,
  jwksUrl: `https://${host}/jwks`,
  deploymentIds: ['d1'],
});

/** Polls until `check` passes (a NOTIFY arrives asynchronously) or the time is up. */
async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('frame-ancestors: registered origins, cached', () => {
  let pw: Pathwise;
  let canvas: FakePlatform;
  let moodle: FakePlatform;
  /** Every statement the app ran, in order. */
  const statements: string[] = [];
  beforeAll(async () => {
    const db = await createTestDatabase();
    const query = db.query.bind(db);
    pw = await compose(testConfig(), {
      db: { ...db, query: (sql: string, params?: unknown[]) => (statements.push(sql), query(sql, params)) } as typeof db,
    });
    canvas = await new FakePlatform().start();
    moodle = await new FakePlatform().start();
    await registerFakePlatform(pw, canvas);
    await registerFakePlatform(pw, moodle);
  });
  afterAll(async () => {
    await canvas?.stop();
    await moodle?.stop();
    await pw?.close();
  });

  it('answers page after page without reading the platforms table again', async () => {
    await request(pw.app).get('/health');
    const from = statements.length;
    for (let i = 0; i < 5; i++) {
      const res = await request(pw.app).get('/health');
      expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toEqual(expect.arrayContaining([canvas.issuer, moodle.issuer]));
    }
    expect(statements.slice(from).filter((sql) => /\bfrom platforms\b/.test(sql))).toEqual([]);
  });

  it('a platform registered by any writer (here straight in the database) frames Pathwise at once', async () => {
    await request(pw.app).get('/health');
    await new PlatformRepository(pw.ctx.db).create(platformInput('new-lms.example.edu'));
    const seen = await eventually(async () => {
      const res = await request(pw.app).get('/health');
      return directive(res.headers['content-security-policy'], 'frame-ancestors').includes('https://new-lms.example.edu');
    });
    expect(seen).toBe(true);
  });

  it("a session's pages may be framed by, and post to, its own platform only", async () => {
    const r = await launch(pw, canvas, {
      role: 'teacher',
      claims: (d) => ({
        [Object.keys(d).find((k) => k.endsWith('/launch_presentation'))!]: { locale: 'en', return_url: 'https://school.example.edu/courses/1' },
      }),
    });
    expect(r.landing!.status).toBe(200);
    const csp = r.landing!.headers['content-security-policy'];
    for (const name of ['frame-ancestors', 'form-action']) {
      const list = directive(csp, name);
      expect(list).toContain(canvas.issuer);
      // The LMS host the person came from (signed return_url), for an issuer that is not the LMS host.
      expect(list).toContain('https://school.example.edu');
      expect(list).not.toContain(moodle.issuer);
      expect(list).not.toContain('https://new-lms.example.edu');
    }
    // The CSP nonce of the page's scripts survives the narrowing.
    const nonce = /'nonce-([^']+)'/.exec(String(csp))?.[1];
    expect(nonce).toBeTruthy();
    if (r.landing!.text.includes('<script')) expect(r.landing!.text).toContain(`nonce="${nonce}"`);
  });

  it('pages without a session still allow every registered platform', async () => {
    const res = await request(pw.app).get('/');
    const list = directive(res.headers['content-security-policy'], 'frame-ancestors');
    expect(list).toEqual(expect.arrayContaining([canvas.issuer, moodle.issuer]));
  });
});

describe.skipIf(!process.env.DATABASE_URL)('frame-ancestors across instances (PostgreSQL server)', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const caches: PlatformOriginsCache[] = [];
  const dbs: Array<Awaited<ReturnType<typeof openServerDatabase>>> = [];
  beforeAll(async () => {
    const admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
    for (let i = 0; i < 2; i++) dbs.push(await openServerDatabase(url, { schema, max: 2 }));
    await migrate(dbs[0]!);
    for (const db of dbs) {
      const cache = new PlatformOriginsCache(db);
      await cache.start();
      caches.push(cache);
    }
  });
  afterAll(async () => {
    for (const c of caches) await c.close();
    for (const db of dbs) await db.close();
    const admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });

  it('a registration on one instance reaches the other instance without waiting for expiry', async () => {
    expect(await caches[1]!.all()).not.toContain('https://second.example.edu');
    await new PlatformRepository(dbs[0]!).create(platformInput('second.example.edu'));
    expect(await eventually(async () => (await caches[1]!.all()).includes('https://second.example.edu'))).toBe(true);
  });

  it('a deployment approved or blocked on one instance is seen so by the other at once (launch deployment check)', async () => {
    const a = new PlatformRepository(dbs[0]!, caches[0]);
    const b = new PlatformRepository(dbs[1]!, caches[1]);
    const platform = await a.create(platformInput('third.example.edu'));
    const pending = await a.addPendingDeployment(platform.id, 'school-2');
    // B's repository reads the database when its copy lacks a deployment; its copy gets the new
    // one when A's NOTIFY arrives, which may be a moment after the insert.
    expect(await b.findDeployment(platform.id, 'school-2')).toMatchObject({ status: 'pending' });
    expect(await eventually(async () => (await caches[1]!.deployment(platform.id, 'school-2'))?.status === 'pending')).toBe(true);
    // B now answers from its copy; A's approval must reach it through NOTIFY, not by expiry.
    await a.approveDeployment(pending.id);
    expect(await eventually(async () => (await caches[1]!.deployment(platform.id, 'school-2'))?.status === 'active')).toBe(true);
    await a.blockDeployment(pending.id);
    expect(await eventually(async () => (await caches[1]!.deployment(platform.id, 'school-2'))?.status === 'blocked')).toBe(true);
  });

  it("another schema's registration on the same server does not empty this schema's copy", async () => {
    // Another Pathwise database as a schema of the same PostgreSQL database: its NOTIFY reaches every listener.
    const other = `t_${randomBytes(6).toString('hex')}`;
    const admin = await openServerDatabase(url, { max: 1 });
    await admin.exec(`create schema ${other}`);
    await admin.close();
    const otherDb = await openServerDatabase(url, { schema: other, max: 1 });
    let loads = 0;
    const counted = {
      ...dbs[1]!,
      query: (sql: string, params?: unknown[]) => {
        if (/\bfrom platforms\b/.test(sql)) loads += 1;
        return dbs[1]!.query(sql, params);
      },
    } as (typeof dbs)[number];
    const cache = new PlatformOriginsCache(counted);
    await cache.start();
    const raw = new pg.Client({ connectionString: url });
    try {
      await migrate(otherDb);
      await cache.all();
      expect(loads).toBe(1);
      await raw.connect();
      const heard = new Promise<string>((resolve) => raw.on('notification', (msg) => resolve(msg.payload ?? '')));
      await raw.query(`listen ${PLATFORMS_CHANNEL}`);
      await new PlatformRepository(otherDb).create(platformInput('elsewhere.example.edu'));
      expect(await heard).toBe(other);
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 30));
        await cache.all();
      }
      expect(loads).toBe(1);
      await new PlatformRepository(dbs[0]!).create(platformInput('own.example.edu'));
      expect(await eventually(async () => (await cache.all()).includes('https://own.example.edu'))).toBe(true);
      expect(loads).toBe(2);
    } finally {
      await raw.end().catch(() => {});
      await cache.close();
      await otherDb.close();
      const cleanup = await openServerDatabase(url, { max: 1 });
      await cleanup.exec(`drop schema ${other} cascade`);
      await cleanup.close();
    }
  });
});
