import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, pageData, registerFakePlatform } from '../support/lti-flow.js';

const unescape = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const STORAGE = { storageTarget: 'post_message_forwarding', cookies: false } as const;

/**
 * Binding a login to the browser (docs/sessions.md): one check accepting the state cookie, a
 * proof kept in the tool's own web storage, or a separate proof kept in LTI platform storage;
 * never the nonce, which is inside the id_token. Without any of them, a new-tab restart.
 */
describe('LTI launch: binding the login to the browser without cookies', () => {
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

  const sessions = () => pw.ctx.launch.sessions.count();

  it('the login page keeps a fresh own-storage proof and a separate platform-storage proof, neither of them the nonce, and never sends them to the LMS', async () => {
    const r = await launch(pw, fake, { ...STORAGE, submit: false });
    expect(r.login.status).toBe(200);
    expect(r.login.headers['cache-control']).toBe('no-store');
    expect(r.login.text).toContain('src="/assets/browser-binding.js"');
    const put = pageData(r.login.text, 'lti-storage-data') as Record<
      string,
      { key: string; value: string; subject?: string; target?: string; origin?: string }
    >;
    expect(put.mode).toBe('put');
    expect(put.own!.key).toBe(`pathwise_proof_${r.state}`);
    expect(put.platform).toMatchObject({ subject: 'lti.put_data', target: 'post_message_forwarding', origin: fake.issuer, key: put.own!.key });
    const values = [put.own!.value, put.platform!.value];
    expect(values.every((v) => /^[\w-]{43}$/.test(v))).toBe(true);
    expect(new Set([...values, r.nonce, r.state]).size).toBe(4);
    for (const v of values) expect(r.authUrl!.toString()).not.toContain(v);
    // Only hashes are stored.
    const { rows } = await pw.ctx.db.query<Record<string, string>>(`select own_proof_hash, platform_proof_hash from login_states where state = $1`, [r.state]);
    expect(Object.values(rows[0]!)).not.toContain(values[0]);
    expect(Object.values(rows[0]!)).not.toContain(values[1]);
    // Without a storage target there is no platform proof, but still the own-storage one.
    const plain = await launch(pw, fake, { submit: false });
    expect(pageData(plain.login.text, 'lti-storage-data')).toMatchObject({ platform: null, own: { key: `pathwise_proof_${plain.state}` } });
  });

  it('a launch without the cookie gets the page that reads both proofs back, and re-posts with either one', async () => {
    const r = await launch(pw, fake, STORAGE);
    expect(r.response!.status).toBe(200);
    expect(r.response!.headers['set-cookie']).toBeUndefined();
    const get = pageData(r.response!.text, 'lti-storage-data');
    expect(get).toMatchObject({
      mode: 'get',
      own: { key: `pathwise_proof_${r.state}` },
      platform: { subject: 'lti.get_data', key: `pathwise_proof_${r.state}` },
    });
    expect(r.response!.text).toContain('name="pw_own_proof"');
    expect(r.response!.text).toContain('name="lti_storage_proof"');
    const byPlatform = await r.repost({ lti_storage_proof: r.platformProof!, pw_bind: '1' });
    expect(byPlatform.status).toBe(303);

    const own = await launch(pw, fake, { cookies: false });
    expect(pageData(own.response!.text, 'lti-storage-data')).toMatchObject({ mode: 'get', platform: null });
    const byOwn = await own.repost({ pw_own_proof: own.ownProof!, pw_bind: '1' });
    expect(byOwn.status).toBe(303);
    expect(byOwn.headers.location).toMatch(/^\/lti\/home\?session=/);
  });

  it('refuses the nonce as a proof: an id_token holder cannot open its session in another browser (POST without cookie, lti_storage_nonce = the token’s nonce)', async () => {
    const r = await launch(pw, fake, { ...STORAGE, submit: false });
    const before = await sessions();
    const stolen = await request(pw.app).post('/lti/launch').type('form').send({ id_token: r.idToken!, state: r.state!, lti_storage_nonce: r.nonce! });
    expect(errorCode(stolen)).toBe('invalid_state');
    expect(stolen.headers.location).toBeUndefined();
    // Nor in the new proof fields.
    for (const field of ['lti_storage_proof', 'pw_own_proof']) {
      const res = await request(pw.app)
        .post('/lti/launch')
        .type('form')
        .send({ id_token: r.idToken!, state: r.state!, [field]: r.nonce!, pw_bind: '1' });
      expect(errorCode(res)).toBe('invalid_state');
    }
    expect(await sessions()).toBe(before);
    // The browser that started the login still can, once.
    expect((await r.repost({ pw_own_proof: r.ownProof!, pw_bind: '1' })).status).toBe(303);
    expect(errorCode(await r.repost({ pw_own_proof: r.ownProof!, pw_bind: '1' }))).toBe('nonce_reused');
  });

  it('refuses a wrong proof even next to a right one, and one login’s proof for another login', async () => {
    const a = await launch(pw, fake, { ...STORAGE, submit: false });
    const b = await launch(pw, fake, { ...STORAGE, submit: false });
    expect(errorCode(await a.repost({ pw_own_proof: a.ownProof!, lti_storage_proof: 'x'.repeat(43) }))).toBe('invalid_state');
    expect(errorCode(await a.repost({ pw_own_proof: b.ownProof! }))).toBe('invalid_state');
    expect(errorCode(await a.repost({ lti_storage_proof: b.platformProof! }))).toBe('invalid_state');
    // A cookie of the right name with another value is refused too.
    const cookie = `pw_state_${a.state!.slice(0, 16)}=${b.state}`;
    const res = await request(pw.app)
      .post('/lti/launch')
      .set('Cookie', cookie)
      .type('form')
      .send({ id_token: a.idToken!, state: a.state!, pw_own_proof: a.ownProof! });
    expect(errorCode(res)).toBe('invalid_state');
  });

  it('no storage at all: offers the launch in a new tab, which restarts the login top-level once and lands on the same link', async () => {
    const r = await launch(pw, fake, { ...STORAGE, role: 'student' });
    const none = await r.repost({ pw_bind: '1' });
    expect(none.status).toBe(200);
    expect(none.headers['cache-control']).toBe('no-store');
    const href = /id="new-tab-link" href="([^"]+)" target="_blank" rel="noopener"/.exec(none.text)?.[1];
    expect(href).toBeDefined();
    expect(unescape(href!)).toMatch(/^\/lti\/relaunch\?token=[\w-]{43}$/);
    expect(none.text).toContain('Open Pathwise in a new tab');
    expect(none.text).toContain('src="/assets/new-tab.js"');

    // The new tab: a fresh login with the same hints (no storage target: it is top-level).
    const tab = request.agent(pw.app);
    const login = await tab.get(unescape(href!));
    expect(login.status).toBe(200);
    const data = pageData(login.text, 'lti-storage-data') as { next: string; platform: unknown };
    expect(data.platform).toBeNull();
    const auth = new URL(data.next);
    expect(auth.searchParams.get('login_hint')).toBe(r.authUrl!.searchParams.get('login_hint'));
    expect(auth.searchParams.get('lti_message_hint')).toBe('message-hint');
    expect(auth.searchParams.get('state')).not.toBe(r.state);
    const html = await (await fetch(auth)).text();
    const idToken = /name="id_token" value="([^"]*)"/.exec(html)![1]!;
    const landed = await tab
      .post('/lti/launch')
      .type('form')
      .send({ id_token: idToken, state: auth.searchParams.get('state')! });
    expect(landed.status).toBe(303);
    const token = new URL(String(landed.headers.location), 'http://x').searchParams.get('session')!;
    const session = await pw.ctx.launch.sessions.findByToken(token);
    expect(session!.launch).toMatchObject({ openedInNewTab: true, resourceLink: { id: 'link-1' } });

    // Single use: the link does not work twice, and the frame's login cannot be restarted again.
    expect(errorCode(await request(pw.app).get(unescape(href!)))).toBe('restart_expired');
    expect(errorCode(await r.repost({ pw_bind: '1' }))).toBe('invalid_state');
    expect(errorCode(await request(pw.app).get('/lti/relaunch?token=nope'))).toBe('restart_expired');
  });

  it('the new-tab link expires after a few minutes', async () => {
    const r = await launch(pw, fake, STORAGE);
    const none = await r.repost({ pw_bind: '1' });
    const href = unescape(/id="new-tab-link" href="([^"]+)"/.exec(none.text)![1]!);
    await pw.ctx.db.query(`update login_states set restart_expires_at = now() - interval '1 second' where state = $1`, [r.state]);
    const res = await request(pw.app).get(href);
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('restart_expired');
  });
});
