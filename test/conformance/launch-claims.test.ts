import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, launch, registerFakePlatform, type LaunchOptions } from '../support/lti-flow.js';

describe('LTI 1.3 launch: deployments, message claims and the platform key set', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await fake?.stop();
    await pw?.close();
  });

  const refusedWith = async (opts: LaunchOptions, code: string, f = fake) => {
    const before = await pw.ctx.launch.sessions.count();
    const r = await launch(pw, f, opts);
    expect(errorCode(r.response!)).toBe(code);
    expect(r.response!.status).toBeGreaterThanOrEqual(400);
    expect(await pw.ctx.launch.sessions.count()).toBe(before);
    return r.response!;
  };

  it('records an unknown deployment as pending and tells the teacher to ask their admin', async () => {
    const res = await refusedWith({ claims: { [CLAIM.deploymentId]: 'new-deployment' } }, 'unknown_deployment');
    expect(res.status).toBe(403);
    expect(res.text).toContain('administrator');
    const platform = (await pw.ctx.launch.platforms.findByIssuer(fake.issuer))[0]!;
    const pending = await pw.ctx.launch.platforms.findDeployment(platform.id, 'new-deployment');
    expect(pending?.status).toBe('pending');
    await refusedWith({ claims: { [CLAIM.deploymentId]: 'new-deployment' } }, 'deployment_pending');
    await pw.ctx.launch.platforms.approveDeployment(pending!.id);
    const ok = await launch(pw, fake, { claims: { [CLAIM.deploymentId]: 'new-deployment' } });
    expect(ok.response!.status).toBe(303);
  });

  it('refuses a missing deployment_id, unknown message type and anonymous launches', async () => {
    await refusedWith({ claims: { [CLAIM.deploymentId]: undefined } }, 'missing_claim');
    await refusedWith({ claims: { [CLAIM.messageType]: 'LtiSomethingElse' } }, 'invalid_message_type');
    const anon = await refusedWith({ claims: { sub: undefined } }, 'anonymous_launch');
    expect(anon.text).toContain('share the user identity');
  });

  it('names the missing claim: roles as an array, resource_link.id, deep linking settings', async () => {
    const roles = await refusedWith({ claims: { [CLAIM.roles]: 'Learner' } }, 'missing_claim');
    expect(roles.text).toContain(CLAIM.roles);
    const link = await refusedWith({ claims: { [CLAIM.resourceLink]: { title: 'no id' } } }, 'missing_claim');
    expect(link.text).toContain('resource_link (id)');
    await refusedWith({ messageType: 'deep_linking', claims: { [CLAIM.deepLinkingSettings]: undefined } }, 'missing_claim');
    const noReturn = await refusedWith(
      { messageType: 'deep_linking', claims: { [CLAIM.deepLinkingSettings]: { accept_types: ['ltiResourceLink'] } } },
      'missing_claim',
    );
    expect(noReturn.text).toContain('deep_link_return_url');
    await refusedWith({ messageType: 'deep_linking', claims: { [CLAIM.deepLinkingSettings]: { deep_link_return_url: fake.url('/r') } } }, 'missing_claim');
  });

  it('refetches the key set once for a new kid, but not more often than every few seconds', async () => {
    const f = await new FakePlatform().start();
    await registerFakePlatform(pw, f);
    expect((await launch(pw, f)).response!.status).toBe(303);
    expect(f.jwksRequests).toBe(1);
    // Cached (Cache-Control max-age=300): a second launch does not fetch.
    expect((await launch(pw, f)).response!.status).toBe(303);
    expect(f.jwksRequests).toBe(1);
    // An unknown kid right after a fetch: no refetch (throttled), refused.
    await refusedWith({ sign: { key: 'other', kid: 'unknown-kid' } }, 'invalid_signature', f);
    expect(f.jwksRequests).toBe(1);
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 10_000);
    await f.rotateKey();
    expect((await launch(pw, f)).response!.status).toBe(303);
    expect(f.jwksRequests).toBe(2);
    vi.restoreAllMocks();
    await f.stop();
  });

  it('honours Cache-Control: no-store by fetching every time', async () => {
    const f = await new FakePlatform().start();
    f.jwksCacheControl = 'no-store';
    await registerFakePlatform(pw, f);
    await launch(pw, f);
    await launch(pw, f);
    expect(f.jwksRequests).toBe(2);
    await f.stop();
  });

  it('refuses with jwks_unavailable when the key set fails or hangs past the timeout', async () => {
    const f = await new FakePlatform().start();
    f.app.get('/jwks-broken', (_req, res) => void res.status(500).send('down'));
    await registerFakePlatform(pw, f, { jwksUrl: f.url('/jwks-broken') });
    await refusedWith({}, 'jwks_unavailable', f);
    const g = await new FakePlatform().start();
    g.app.get('/jwks-hangs', () => undefined);
    await registerFakePlatform(pw, g, { jwksUrl: g.url('/jwks-hangs') });
    const started = Date.now();
    await refusedWith({}, 'jwks_unavailable', g);
    expect(Date.now() - started).toBeLessThan(5000);
    await f.stop();
    await g.stop();
  });

  it('refuses an OIDC error response from the platform', async () => {
    const r = await launch(pw, fake, { launchFields: { error: 'login_required' } });
    expect(errorCode(r.response!)).toBe('platform_refused_login');
  });

  it('remembers where the grades of the placement go (AGS endpoint claim), even without a line item', async () => {
    const lineitems = `${fake.issuer}/api/lti/courses/1/line_items`;
    const agsClaim = { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineitems };
    const r = await launch(pw, fake, { role: 'student', claims: { [CLAIM.agsEndpoint]: agsClaim } });
    expect(r.sessionToken).toBeTruthy();
    const { rows } = await pw.ctx.db.query<{ lineitems_url: string; lineitem_url: string | null }>(
      'select lineitems_url, lineitem_url from ags_endpoints where lineitems_url = $1',
      [lineitems],
    );
    expect(rows).toEqual([{ lineitems_url: lineitems, lineitem_url: null }]);
  });
});
