import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Response } from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform, type LaunchOptions } from '../support/lti-flow.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Re-signs the same claims with another header (alg none or HMAC), as an attacker would. */
const resign = (alg: 'none' | 'HS256') => (token: string) => {
  const [, payload] = token.split('.');
  const head = `${b64({ alg, typ: 'JWT' })}.${payload}`;
  return alg === 'none' ? `${head}.` : `${head}.${createHmac('sha256', 'secret').update(head).digest('base64url')}`;
};

describe('LTI 1.3 launch: every rule refuses with its code and opens no session', () => {
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

  async function refused(res: Response | undefined, code: string): Promise<void> {
    expect(res, 'the flow stopped before this step').toBeDefined();
    expect(errorCode(res!)).toBe(code);
    expect(res!.status).toBeGreaterThanOrEqual(400);
    expect(res!.status).toBeLessThan(code === 'jwks_unavailable' ? 600 : 500);
    expect(String(res!.headers['set-cookie'] ?? '')).not.toContain('pw_session=');
    expect(res!.text).not.toContain('eyJ'); // no token echoed back
  }
  const launchRefused = async (opts: LaunchOptions, code: string) => {
    const before = await pw.ctx.launch.sessions.count();
    const r = await launch(pw, fake, opts);
    await refused(r.response, code);
    expect(await pw.ctx.launch.sessions.count()).toBe(before);
    return r;
  };

  describe('login initiation', () => {
    it('refuses an unknown issuer', async () => {
      await refused((await launch(pw, fake, { loginParams: { iss: 'https://lms.unknown.example' } })).login, 'unknown_platform');
    });
    it('refuses an unknown client id', async () => {
      await refused((await launch(pw, fake, { loginParams: { client_id: 'nobody' } })).login, 'unknown_platform');
    });
    it('refuses a missing login_hint', async () => {
      await refused((await launch(pw, fake, { loginParams: { login_hint: undefined } })).login, 'missing_login_hint');
    });
    it('refuses a missing target_link_uri', async () => {
      await refused((await launch(pw, fake, { loginParams: { target_link_uri: undefined } })).login, 'missing_target_link_uri');
    });
    it('refuses a target_link_uri outside Pathwise', async () => {
      await refused((await launch(pw, fake, { loginParams: { target_link_uri: 'https://evil.example/' } })).login, 'invalid_target_link_uri');
    });
    it('refuses an issuer with several registrations when client_id is missing', async () => {
      const other = await new FakePlatform().start();
      await registerFakePlatform(pw, other);
      await registerFakePlatform(pw, other, { clientId: 'second-client' });
      await refused((await launch(pw, other, { loginParams: { client_id: undefined } })).login, 'ambiguous_platform');
      await other.stop();
    });
  });

  describe('id_token', () => {
    it('refuses a 1 MB body with a page', async () => {
      const res = await request(pw.app)
        .post('/lti/launch')
        .type('form')
        .send({ id_token: 'a'.repeat(1024 * 1024), state: 'x' });
      expect(res.status).toBe(413);
      await refused(res, 'request_too_large');
    });
    it('refuses garbage (JSON for API clients, with a request id)', async () => {
      const res = await request(pw.app).post('/lti/launch').set('Accept', 'application/json').type('form').send({ id_token: 'not.a.jwt!', state: 'x' });
      await refused(res, 'invalid_token');
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
      await refused(await request(pw.app).post('/lti/launch').type('form').send({ id_token: 'e30.e30.', state: 'x' }), 'invalid_algorithm');
      await refused(await request(pw.app).post('/lti/launch').type('form').send({ state: 'x' }), 'invalid_token');
    });
    it('refuses alg none and HMAC', async () => {
      await launchRefused({ tamper: resign('none') }, 'invalid_algorithm');
      await launchRefused({ tamper: resign('HS256') }, 'invalid_algorithm');
    });
    it('refuses an unregistered issuer', async () => {
      await launchRefused({ claims: { iss: 'https://lms.unknown.example' } }, 'unknown_platform');
    });
    it('refuses an audience without our client id', async () => {
      await launchRefused({ claims: { aud: 'another-tool' } }, 'invalid_audience');
    });
    it('requires azp equal to our client id when there are several audiences', async () => {
      await launchRefused({ claims: { aud: [fake.clientId, 'another-tool'] } }, 'invalid_azp');
      await launchRefused({ claims: { aud: [fake.clientId, 'another-tool'], azp: 'another-tool' } }, 'invalid_azp');
      const ok = await launch(pw, fake, { claims: { aud: [fake.clientId, 'another-tool'], azp: fake.clientId } });
      expect(ok.response!.status).toBe(303);
    });
    it('refuses a signature by a key the platform does not publish', async () => {
      await launchRefused({ sign: { key: 'other' } }, 'invalid_signature');
      await launchRefused({ tamper: (t) => t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA') }, 'invalid_signature');
    });
    it('refuses a token whose header names no kid, even when the platform publishes one key (certification: "No KID Sent in JWT header")', async () => {
      expect((await (await fetch(fake.jwksUrl)).json()).keys).toHaveLength(1);
      const r = await launchRefused({ sign: { kid: null } }, 'missing_kid');
      expect(r.response!.status).toBe(401);
      expect(r.response!.text).toContain('did not say which of its keys signed this launch');
    });
    it('refuses an expired token and one issued in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      await launchRefused({ claims: { exp: now - 120 } }, 'token_expired');
      await launchRefused({ claims: { iat: now + 600 } }, 'invalid_iat');
      const skewed = await launch(pw, fake, { claims: { iat: now + 20, exp: now - 20 } });
      expect(skewed.response!.status).toBe(303);
    });
    it('refuses a nonce other than the one issued with this state', async () => {
      await launchRefused({ claims: { nonce: 'some-other-nonce' } }, 'invalid_nonce');
    });
    it('refuses a state not bound to this browser', async () => {
      await launchRefused({ cookies: false, launchFields: { pw_own_proof: 'not-the-proof' } }, 'invalid_state');
      await launchRefused({ launchFields: { state: 'forged-state' } }, 'invalid_state');
    });
    it('refuses a login that expired', async () => {
      const r = await launch(pw, fake, { submit: false });
      await pw.ctx.db.query(`update login_states set expires_at = now() - interval '1 second' where state = $1`, [r.state]);
      await refused(await r.repost(), 'login_expired');
    });
    it('explains a refusal in the browser’s language when no session names one: all Spanish, not a Spanish title over English text', async () => {
      const garbage = await request(pw.app)
        .post('/lti/launch')
        .set('Accept-Language', 'es-ES,es;q=0.9')
        .type('form')
        .send({ id_token: 'not.a.jwt!', state: 'x' });
      await refused(garbage, 'invalid_token');
      expect(garbage.text).toContain('<html lang="es">');
      expect(garbage.text).toContain('El inicio no traía un id_token legible.');
      expect(garbage.text).toContain('Vuelve a tu curso y abre Pathwise de nuevo.');
      expect(garbage.text).not.toContain('Go back to your course');
      const r = await launch(pw, fake, {});
      const replayed = await request(pw.app).post('/lti/launch').set('Accept-Language', 'es').type('form').send({ id_token: r.idToken!, state: r.state! });
      expect(replayed.text).toContain('<html lang="es">');
      expect(replayed.text).not.toMatch(/This launch|The login|Go back/);
      const big = await request(pw.app)
        .post('/lti/launch')
        .set('Accept-Language', 'es')
        .type('form')
        .send({ id_token: 'a'.repeat(1024 * 1024), state: 'x' });
      expect(big.status).toBe(413);
      expect(big.text).toContain('<title>Esta solicitud es demasiado grande · Pathwise</title>');
      expect(big.text).toContain('El cuerpo de la solicitud es demasiado grande.');
    });
    it('refuses a version other than 1.3.0', async () => {
      await launchRefused({ claims: { [CLAIM.version]: '1.1' } }, 'invalid_version');
    });
  });
});
