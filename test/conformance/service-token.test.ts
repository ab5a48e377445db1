import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { MEDIA_TYPE, SCOPE } from '../../src/lti/claims.js';
import { ToolKeys } from '../../src/lti/keys/tool-keys.js';
import { ServiceTokens } from '../../src/lti/services/access-token.js';
import type { Database } from '../../src/store/database.js';
import { PlatformRepository, type PlatformRecord } from '../../src/store/platform-repository.js';
import { createTestDatabase } from '../support/database.js';
import { FakePlatform } from '../support/fake-platform.js';
import { addNrps, addTokenEndpoint, type FakeNrps, type FakeTokenEndpoint } from '../support/fake-services.js';
import { testLmsHttp } from '../support/lms-http.js';

const NRPS = [SCOPE.nrpsContextMembershipReadOnly];
const ACCEPT = { headers: { Accept: MEDIA_TYPE.membershipContainer } };

describe('service tokens (client credentials with a JWT assertion)', () => {
  let db: Database;
  let keys: ToolKeys;
  let fake: FakePlatform;
  let tokenEndpoint: FakeTokenEndpoint;
  let nrps: FakeNrps;
  let platform: PlatformRecord;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = new ToolKeys(db, { rotationGraceHours: 1 });
    await keys.ensureKey();
    fake = new FakePlatform();
    tokenEndpoint = addTokenEndpoint(fake, { toolJwks: () => keys.publicJwks() });
    nrps = addNrps(fake, { tokens: tokenEndpoint, members: [{ user_id: 'u1', roles: ['Learner'] }] });
    await fake.start();
    platform = await new PlatformRepository(db).create({ ...fake.registration(), name: null, productFamily: null, authTokenAudience: null });
  });
  afterAll(async () => {
    await fake?.stop();
    await db?.close();
  });

  it('signs an assertion the platform accepts: iss = sub = client_id, aud = token URL, short exp, kid', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    const assertion = await tokens.clientAssertion(platform);
    expect(decodeProtectedHeader(assertion).kid).toBe((await keys.signingKey()).kid);
    await tokens.get(platform, NRPS);
    const claims = tokenEndpoint.assertions.at(-1)!;
    expect(claims).toMatchObject({ iss: fake.clientId, sub: fake.clientId, aud: fake.authTokenUrl });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);
    const again = await tokens.clientAssertion(platform);
    expect(JSON.parse(Buffer.from(again.split('.')[1]!, 'base64url').toString()).jti).not.toBe(claims.jti);
  });

  it('uses the declared authorization server audience when the platform has one', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    const assertion = await tokens.clientAssertion({ ...platform, authTokenAudience: 'https://lms.example/auth' });
    expect(JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()).aud).toBe('https://lms.example/auth');
  });

  it('reuses one token for 100 calls, and for concurrent callers', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    const before = tokenEndpoint.issued;
    await Promise.all(Array.from({ length: 10 }, () => tokens.get(platform, NRPS)));
    for (let i = 0; i < 90; i++) expect((await tokens.fetch(platform, NRPS, nrps.url, ACCEPT)).status).toBe(200);
    expect(tokenEndpoint.issued - before).toBe(1);
    expect(tokens.tokensRequested).toBe(1);
  });

  it('caches per sorted scope set', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    const before = tokenEndpoint.issued;
    await tokens.get(platform, [SCOPE.agsScore, SCOPE.agsLineItem]);
    await tokens.get(platform, [SCOPE.agsLineItem, SCOPE.agsScore]);
    await tokens.get(platform, NRPS);
    expect(tokenEndpoint.issued - before).toBe(2);
  });

  it('refreshes exactly once on a 401, even for concurrent callers', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    await tokens.get(platform, NRPS);
    const before = tokenEndpoint.issued;
    tokenEndpoint.revokeAll();
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens.fetch(platform, NRPS, nrps.url, ACCEPT)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(tokenEndpoint.issued - before).toBe(1);
  });

  it('gives up after one retry when the platform keeps answering 401', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    const before = nrps.requests;
    const res = await tokens.fetch(platform, [SCOPE.agsScore], nrps.url, ACCEPT); // token lacks the NRPS scope
    expect(res.status).toBe(401);
    expect(nrps.requests - before).toBe(2);
  });

  it('asks for a new token shortly before the old one expires', async () => {
    let clock = Date.now();
    const tokens = new ServiceTokens(keys, { now: () => clock, http: testLmsHttp() });
    tokenEndpoint.expiresIn = 600;
    const first = await tokens.get(platform, NRPS);
    clock += 500_000;
    expect(await tokens.get(platform, NRPS)).toBe(first);
    clock += 50_000; // 550 s: inside the 60 s margin
    expect(await tokens.get(platform, NRPS)).not.toBe(first);
    tokenEndpoint.expiresIn = 3600;
  });

  it('maps a refused assertion to service_token_failed', async () => {
    const tokens = new ServiceTokens(keys, { http: testLmsHttp() });
    await expect(tokens.get({ ...platform, clientId: 'someone-else' }, NRPS)).rejects.toMatchObject({
      code: 'service_token_failed',
      details: { status: 401, oauthError: 'invalid_client' },
    });
  });

  it('maps an unreachable token endpoint to platform_unreachable', async () => {
    const tokens = new ServiceTokens(keys, { timeoutMs: 500, http: testLmsHttp() });
    await expect(tokens.get({ ...platform, id: 'other', authTokenUrl: 'http://127.0.0.1:9/token' }, NRPS)).rejects.toMatchObject({
      code: 'platform_unreachable',
    });
  });
});
