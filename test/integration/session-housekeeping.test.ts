import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { launch, registerFakePlatform } from '../support/lti-flow.js';

const count = async (pw: Pathwise, table: string) => (await pw.ctx.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

describe('expired login states and sessions are purged; session pages are not cached', () => {
  let pw: Pathwise;
  let fake: FakePlatform;

  beforeAll(async () => {
    pw = await createTestPathwise({ grades: { worker: false } });
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('each GET /lti/login adds a login state; expired ones and expired sessions go at the next purge', async () => {
    const live = await launch(pw, fake, { role: 'teacher' });
    expect(live.sessionToken).toBeTruthy();
    for (let i = 0; i < 5; i++) {
      await request(pw.app)
        .get('/lti/login')
        .query({ iss: fake.issuer, login_hint: `h${i}`, target_link_uri: `${pw.ctx.config.publicUrl}/lti/launch`, client_id: fake.clientId });
    }
    const states = await count(pw, 'login_states');
    expect(states).toBeGreaterThanOrEqual(5);
    await launch(pw, fake, { role: 'student' });
    await pw.ctx.db.query(`update login_states set expires_at = now() - interval '2 days'`);
    await pw.ctx.db.query(
      `update sessions set expires_at = now() - interval '1 minute' where id <> (select id from sessions order by created_at desc limit 1)`,
    );
    expect(await count(pw, 'sessions')).toBe(2);

    await pw.purgeExpired();
    expect(await count(pw, 'login_states')).toBe(0);
    expect(await count(pw, 'sessions')).toBe(1);
  });

  it('idle admin sessions, spent tickets and wrong-token counts (with their address) go at the next purge', async () => {
    await pw.ctx.adminSessions.create({});
    await pw.ctx.db.query(`update admin_sessions set last_seen_at = now() - interval '31 minutes'`);
    const live = await pw.ctx.adminSessions.create({});
    await pw.ctx.adminSessions.recordFailure('192.0.2.200');
    await pw.ctx.adminSessions.recordFailure('192.0.2.201');
    await pw.ctx.db.query(`update admin_sign_in_failures set first_at = now() - interval '16 minutes' where ip = '192.0.2.200'`);
    await pw.purgeExpired();
    expect(await count(pw, 'admin_sessions')).toBe(1);
    expect(await pw.ctx.adminSessions.touch(live)).not.toBeNull();
    const { rows } = await pw.ctx.db.query<{ ip: string }>(`select ip from admin_sign_in_failures`);
    expect(rows.map((r) => r.ip)).toEqual(['192.0.2.201']);
  });

  it('Cache-Control: no-store on responses whose URL carries a session token, and on the launch redirect', async () => {
    const r = await launch(pw, fake, { role: 'teacher' });
    expect(r.response!.headers['cache-control']).toBe('no-store');
    expect(r.landing!.headers['cache-control']).toBe('no-store');
    for (const path of [`/teacher?session=${r.sessionToken}`, `/student/map?session=${r.sessionToken}`, '/teacher/dashboard?session=nope']) {
      expect((await request(pw.app).get(path)).headers['cache-control'], path).toBe('no-store');
    }
    expect((await request(pw.app).get('/health')).headers['cache-control']).not.toBe('no-store');
  });
});
