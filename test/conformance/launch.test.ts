import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform } from '../support/lti-flow.js';
import { hashSessionToken } from '../../src/store/session-repository.js';

describe('LTI 1.3 launch: good flows', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  it('GET login sends the browser on to the platform with a full authentication request and a state cookie', async () => {
    const r = await launch(pw, fake, { role: 'teacher' });
    // A page, not a redirect: it keeps the own-storage proof before going on (browser-binding.test.ts).
    expect(r.login.status).toBe(200);
    const q = r.authUrl!.searchParams;
    expect(`${r.authUrl!.origin}${r.authUrl!.pathname}`).toBe(fake.authLoginUrl);
    expect(Object.fromEntries(q)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: fake.clientId,
      redirect_uri: `${pw.ctx.config.publicUrl}/lti/launch`,
      lti_message_hint: 'message-hint',
    });
    expect(q.get('state')).toMatch(/^[\w-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(String(r.login.headers['set-cookie'])).toMatch(/pw_state_[\w-]+=.*HttpOnly/);
  });

  it('a teacher lands on the course page with their role and the placement', async () => {
    const r = await launch(pw, fake, { role: 'teacher' });
    expect(r.response!.status).toBe(303);
    expect(r.response!.headers.location).toMatch(/^\/lti\/home\?session=[\w-]{43}$/);
    // An empty 303 (no negotiated "Redirecting to" body), with the security headers of any answer.
    expect(r.response!.headers['content-length']).toBe('0');
    expect(r.response!.text).toBe('');
    expect(r.response!.headers['content-security-policy']).toContain('frame-ancestors');
    expect(r.response!.headers['cache-control']).toBe('no-store');
    expect(r.response!.headers['x-request-id']).toMatch(/^[\da-f-]{36}$/);
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('Algebra I');
    expect(r.landing!.text).toContain('Instructor');
    expect(r.landing!.text).toContain('Unit 1: Linear equations');
    const { rows } = await pw.ctx.db.query<{ lineitem: string; roles: string[] }>(
      `select p.lineitem_url as lineitem, e.roles from placements p join enrollments e on e.course_id = p.course_id
       join users u on u.id = e.user_id where u.sub = 'user-teacher'`,
    );
    expect(rows[0]!.lineitem).toBe(fake.url('/ags/course-1/lineitems/1'));
    expect(rows[0]!.roles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']);
  });

  it('a student (POST login) lands on their own home, in their locale', async () => {
    const r = await launch(pw, fake, {
      role: 'student',
      loginMethod: 'POST',
      claims: { 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': { locale: 'es-MX' } },
    });
    expect(r.login.status).toBe(200);
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('Hola, Sam');
    expect(r.landing!.text).toContain('Algebra I');
    expect(r.landing!.text).toContain('lang="es"');
  });

  it('stores only the SHA-256 of the session token, and the session works by cookie alone', async () => {
    const r = await launch(pw, fake, { role: 'student', follow: false });
    const token = r.sessionToken!;
    const { rows } = await pw.ctx.db.query<{ id: string }>('select id from sessions where id = $1', [hashSessionToken(token)]);
    expect(rows).toHaveLength(1);
    expect((await pw.ctx.db.query('select 1 from sessions where id = $1', [token])).rowCount).toBe(0);
    expect(String(r.response!.headers['set-cookie'])).toContain('pw_session=');
    const byCookie = await request(pw.app).get('/lti/home').set('Cookie', `pw_session=${token}`);
    expect(byCookie.status).toBe(200);
  });

  it('two pw_session cookies (say a stale unpartitioned one and a fresh partitioned one): the one naming a live session wins', async () => {
    const r = await launch(pw, fake, { role: 'student', follow: false });
    const stale = 'x'.repeat(43);
    for (const cookie of [`pw_session=${stale}; pw_session=${r.sessionToken!}`, `pw_session=${r.sessionToken!}; pw_session=${stale}`]) {
      const res = await request(pw.app).get('/lti/home').set('Cookie', cookie);
      expect([cookie, res.status]).toEqual([cookie, 200]);
    }
    const none = await request(pw.app)
      .get('/lti/home')
      .set('Cookie', `pw_session=${stale}; pw_session=${'y'.repeat(43)}`);
    expect([none.status, errorCode(none)]).toEqual([401, 'session_expired']);
  });

  it('a deep linking request opens the content form and keeps its settings in the session', async () => {
    const r = await launch(pw, fake, { role: 'teacher', messageType: 'deep_linking' });
    expect(r.response!.headers.location).toMatch(/^\/lti\/deep-linking\?session=/);
    expect(r.landing!.status).toBe(200);
    expect(r.landing!.text).toContain('<form method="post" action="/lti/deep-linking/response">');
    const s = await pw.ctx.launch.sessions.findByToken(r.sessionToken!);
    expect(s!.launch.deepLinkingSettings).toMatchObject({ deep_link_return_url: fake.url('/deep-link-return'), data: 'opaque-platform-data' });
  });

  it('two concurrent submits of one id_token open exactly one session', async () => {
    const r = await launch(pw, fake, { role: 'student', submit: false });
    const before = await pw.ctx.launch.sessions.count();
    const results = await Promise.all([r.repost(), r.repost(), r.repost()]);
    expect(results.filter((x) => x.status === 303)).toHaveLength(1);
    expect(results.filter((x) => errorCode(x) === 'nonce_reused')).toHaveLength(2);
    expect(await pw.ctx.launch.sessions.count()).toBe(before + 1);
  });

  it('a replayed id_token opens no session (nonce_reused with the cookie, invalid_state without)', async () => {
    const r = await launch(pw, fake, { role: 'student', submit: false });
    expect((await r.repost()).status).toBe(303);
    const cookie = `pw_state_${r.state!.slice(0, 16)}=${r.state}`;
    const replay = await request(pw.app).post('/lti/launch').set('Cookie', cookie).type('form').send({ id_token: r.idToken!, state: r.state! });
    expect(errorCode(replay)).toBe('nonce_reused');
    expect(errorCode(await r.repost())).toBe('invalid_state');
  });

  it('rejects a landing page without a valid session', async () => {
    const res = await request(pw.app).get('/lti/home?session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('session_expired');
  });
});
