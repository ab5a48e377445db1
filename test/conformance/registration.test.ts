import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { SCOPE } from '../../src/lti/claims.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { addDynamicRegistration, type FakeDynamicRegistration } from '../support/fake-registration.js';

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/**
 * LTI Dynamic Registration 1.0 end to end against a fake LMS,
 * https://www.imsglobal.org/spec/lti-dr/v1p0/
 */
describe('dynamic registration', () => {
  let pw: Pathwise;
  const fakes: FakePlatform[] = [];

  async function newFake(options: Parameters<typeof addDynamicRegistration>[1] = {}): Promise<{ fake: FakePlatform; dr: FakeDynamicRegistration }> {
    const fake = new FakePlatform();
    const dr = addDynamicRegistration(fake, options);
    await fake.start();
    fakes.push(fake);
    return { fake, dr };
  }

  async function newInvite(): Promise<string> {
    const res = await request(pw.app).post('/admin/api/registration-invites').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(res.status).toBe(201);
    return new URL(res.body.url).searchParams.get('invite')!;
  }

  function open(invite: string | undefined, dr?: FakeDynamicRegistration, token?: string) {
    const query: Record<string, string> = {};
    if (invite !== undefined) query.invite = invite;
    if (dr) {
      query.openid_configuration = dr.openidConfigurationUrl;
      query.registration_token = token ?? dr.registrationToken;
    }
    return request(pw.app).get('/lti/register').query(query).set('Accept', 'text/html');
  }

  beforeAll(async () => {
    pw = await createTestPathwise();
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.stop()));
    await pw?.close();
  });

  it('creates a one-time link that expires, storing only a hash of its token', async () => {
    const res = await request(pw.app).post('/admin/api/registration-invites').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(res.status).toBe(201);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:3999/lti/register');
    const token = url.searchParams.get('invite')!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const { rows } = await pw.ctx.db.query<{ token_hash: string }>('select token_hash from registration_invites');
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
  });

  it('registers a Moodle-like platform: the posted registration, the stored platform, the close page', async () => {
    const { fake, dr } = await newFake({ productFamily: 'moodle' });
    const invite = await newInvite();
    const res = await open(invite, dr);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<script src="/assets/registration-close.js"');
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors https:/);

    // What Pathwise sent, https://www.imsglobal.org/spec/lti-dr/v1p0/#tool-client-registration-request
    expect(dr.authorizations.at(-1)).toBe(`Bearer ${dr.registrationToken}`);
    const sent = dr.registrations.at(-1)!;
    expect(sent).toMatchObject({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: 'http://127.0.0.1:3999/lti/login',
      redirect_uris: ['http://127.0.0.1:3999/lti/launch'],
      client_name: 'Pathwise',
      jwks_uri: 'http://127.0.0.1:3999/.well-known/jwks.json',
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect((sent.scope as string).split(' ').sort()).toEqual(
      [SCOPE.agsLineItem, SCOPE.agsLineItemReadOnly, SCOPE.agsResultReadOnly, SCOPE.agsScore, SCOPE.nrpsContextMembershipReadOnly].sort(),
    );
    const toolConfig = sent[TOOL_CONFIGURATION] as Record<string, unknown>;
    expect(toolConfig).toMatchObject({ domain: '127.0.0.1:3999', target_link_uri: 'http://127.0.0.1:3999/lti/launch' });
    expect(toolConfig.claims).toEqual(expect.arrayContaining(['iss', 'sub', 'name', 'given_name', 'family_name', 'email']));
    const messages = toolConfig.messages as Array<{ type: string; placements?: string[] }>;
    expect(messages.map((m) => m.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
    expect(messages[1]!.placements?.length).toBeGreaterThan(0);

    // What Pathwise stored.
    const platform = await pw.ctx.platforms.findByIssuerAndClient(fake.issuer, dr.clientId);
    expect(platform).toMatchObject({
      authLoginUrl: fake.authLoginUrl,
      authTokenUrl: fake.authTokenUrl,
      jwksUrl: fake.jwksUrl,
      productFamily: 'moodle',
    });
    expect((await pw.ctx.platforms.findDeployment(platform!.id, dr.deploymentId!))?.status).toBe('active');
    const listed = await request(pw.app).get('/admin/api/platforms').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    const entry = (listed.body.platforms as Array<{ issuer: string; deployments: Array<{ deploymentId: string }> }>).find((p) => p.issuer === fake.issuer);
    expect(entry?.deployments.map((d) => d.deploymentId)).toEqual([dr.deploymentId]);
    // Audited: who (the LMS administrator, by address), which platform, what.
    const [audited] = await pw.ctx.privacy.audit.list({ action: 'registration.dynamic', platformId: platform!.id });
    expect(audited).toMatchObject({ actorKind: 'lms_admin', target: fake.issuer, details: { deploymentId: dr.deploymentId, productFamily: 'moodle' } });
    expect(audited!.ip).toBeTruthy();

    // The link is spent.
    const again = await open(invite, dr);
    expect(again.status).toBe(409);
    expect(again.text).toContain('invite_used');
    expect(dr.registrations).toHaveLength(1);
  });

  it('passes the authorization server on as the token audience (Canvas)', async () => {
    const { fake, dr } = await newFake({ productFamily: 'canvas', authorizationServer: 'https://sso.example.com/login/oauth2/token' });
    const res = await open(await newInvite(), dr);
    expect(res.status).toBe(200);
    const platform = await pw.ctx.platforms.findByIssuerAndClient(fake.issuer, dr.clientId);
    expect(platform).toMatchObject({ productFamily: 'canvas', authTokenAudience: 'https://sso.example.com/login/oauth2/token' });
    const placements = (dr.registrations[0]![TOOL_CONFIGURATION] as { messages: Array<{ placements?: string[] }> }).messages[1]!.placements;
    expect(placements).toContain('link_selection');
  });

  it('stores a platform that returned no deployment id; its first launch then shows up as pending', async () => {
    const { fake, dr } = await newFake({ deploymentId: null });
    const res = await open(await newInvite(), dr);
    expect(res.status).toBe(200);
    const listed = (await pw.ctx.platforms.list()).find((p) => p.issuer === fake.issuer);
    expect(listed?.deployments).toEqual([]);
  });

  it('refuses an unknown or missing invite with a page, without calling the platform', async () => {
    const { dr } = await newFake();
    for (const invite of ['no-such-invite', undefined]) {
      const res = await open(invite, dr);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('invalid_invite');
    }
    expect(dr.authorizations).toHaveLength(0);
  });

  it('refuses an expired invite', async () => {
    const { dr } = await newFake();
    const invite = await newInvite();
    await pw.ctx.db.query(`update registration_invites set expires_at = now() - interval '1 second' where used_at is null`);
    const res = await open(invite, dr);
    expect(res.status).toBe(403);
    expect(res.text).toContain('invite_expired');
    expect(dr.registrations).toHaveLength(0);
  });

  it('refuses a configuration whose issuer does not match its URL, and keeps the invite', async () => {
    const { fake, dr } = await newFake();
    dr.wrongIssuer = true;
    const invite = await newInvite();
    const res = await open(invite, dr);
    expect(res.status).toBe(400);
    expect(res.text).toContain('issuer_mismatch');
    expect(dr.authorizations).toHaveLength(0);
    expect(await pw.ctx.platforms.findByIssuer('https://evil.example.org')).toEqual([]);

    dr.wrongIssuer = false;
    const retry = await open(invite, dr);
    expect(retry.status).toBe(200);
    expect(await pw.ctx.platforms.findByIssuerAndClient(fake.issuer, dr.clientId)).not.toBeNull();
  });

  it('reports platform failures with a code and keeps the invite for a retry', async () => {
    const { fake, dr } = await newFake();
    const invite = await newInvite();

    dr.configurationDown = true;
    const down = await open(invite, dr);
    expect(down.status).toBe(503);
    expect(down.text).toContain('platform_unreachable');
    dr.configurationDown = false;

    dr.omitFields = ['registration_endpoint'];
    const incomplete = await open(invite, dr);
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).toContain('invalid_platform_configuration');
    dr.omitFields = [];

    dr.rejectRegistration = true;
    const rejected = await open(invite, dr);
    expect(rejected.status).toBe(400);
    expect(rejected.text).toContain('registration_rejected');
    dr.rejectRegistration = false;

    const badToken = await open(invite, dr, 'wrong-registration-token');
    expect(badToken.text).toContain('registration_rejected');

    const unreachable = await request(pw.app)
      .get('/lti/register')
      .query({ invite, openid_configuration: 'http://127.0.0.1:1/.well-known/openid-configuration' })
      .set('Accept', 'text/html');
    expect(unreachable.status).toBe(503);
    expect(unreachable.text).toContain('platform_unreachable');

    expect(await pw.ctx.platforms.findByIssuer(fake.issuer)).toEqual([]);
    const ok = await open(invite, dr);
    expect(ok.status).toBe(200);
    expect(await pw.ctx.platforms.findByIssuer(fake.issuer)).toHaveLength(1);
  });

  it('does not echo the LMS error text, and counts failed attempts against the invite until it is used up', async () => {
    const { fake, dr } = await newFake();
    const invite = await newInvite();
    dr.rejectRegistration = true;
    const rejected = await open(invite, dr);
    expect(rejected.text).toContain('registration_rejected');
    expect(rejected.text).toContain('invalid_client_metadata');
    expect(rejected.text).not.toContain('the fake refuses this registration');
    dr.rejectRegistration = false;
    dr.configurationDown = true;
    for (let i = 1; i < 10; i++) expect((await open(invite, dr)).status).toBe(503);
    dr.configurationDown = false;
    const configurationReads = dr.authorizations.length;
    const exhausted = await open(invite, dr);
    expect(exhausted.status).toBe(403);
    expect(exhausted.text).toContain('invite_exhausted');
    expect(exhausted.text).toContain('failed too many times');
    expect(dr.authorizations).toHaveLength(configurationReads);
    expect(await pw.ctx.platforms.findByIssuer(fake.issuer)).toEqual([]);
  });

  it('refuses a non-loopback http configuration URL without fetching it', async () => {
    const res = await request(pw.app)
      .get('/lti/register')
      .query({ invite: await newInvite(), openid_configuration: 'http://lms.example.org/.well-known/openid-configuration' })
      .set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.text).toContain('insecure_platform_url');
  });

  it('lets only one of two concurrent uses of an invite register', async () => {
    const a = await newFake();
    const b = await newFake();
    const invite = await newInvite();
    const results = await Promise.all([open(invite, a.dr), open(invite, b.dr)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const registered = [
      await pw.ctx.platforms.findByIssuerAndClient(a.fake.issuer, a.dr.clientId),
      await pw.ctx.platforms.findByIssuerAndClient(b.fake.issuer, b.dr.clientId),
    ].filter(Boolean);
    expect(registered).toHaveLength(1);
    const { rows } = await pw.ctx.db.query<{ platformId: string }>(
      `select platform_id as "platformId" from registration_invites where used_at is not null and platform_id = $1`,
      [registered[0]!.id],
    );
    expect(rows).toHaveLength(1);
  });
});
