import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pathwise } from '../../src/main.js';
import { CLAIM, MESSAGE_TYPE } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { errorCode, expectLaunchRefused, launch, registerFakePlatform, type LaunchOptions } from '../support/lti-flow.js';

/**
 * The id_token cases a certification suite plays that the other launch tests leave out: claim
 * values at and past the spec's limits, anonymous vs empty `sub`, empty roles, no context, custom
 * values that are not strings, audience arrays and `nbf`. Every refusal: a status below 500, a
 * stable code in JSON, no session, the login left unused.
 */
describe('LTI 1.3 launch: certification cases', () => {
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

  const now = () => Math.floor(Date.now() / 1000);
  const long = 'x'.repeat(256);

  const refused = async (opts: LaunchOptions, code: string, status = 400) => (await expectLaunchRefused(pw, fake, opts, code, status)).error;
  const accepted = async (opts: LaunchOptions) => {
    const r = await launch(pw, fake, opts);
    expect(r.response!.status, r.response!.text).toBe(303);
    return r;
  };

  it('message_type and version: only LtiResourceLinkRequest / LtiDeepLinkingRequest at 1.3.0', async () => {
    await refused({ claims: { [CLAIM.messageType]: undefined } }, 'invalid_message_type');
    await refused({ claims: { [CLAIM.messageType]: MESSAGE_TYPE.deepLinkingResponse } }, 'invalid_message_type');
    await refused({ claims: { [CLAIM.messageType]: 'ltiresourcelinkrequest' } }, 'invalid_message_type');
    await refused({ claims: { [CLAIM.version]: undefined } }, 'invalid_version');
    await refused({ claims: { [CLAIM.version]: '1.3' } }, 'invalid_version');
  });

  it('deployment_id: present, a string of at most 255 characters (a longer one is not recorded as pending)', async () => {
    expect(await refused({ claims: { [CLAIM.deploymentId]: '' } }, 'missing_claim')).toMatchObject({ claim: CLAIM.deploymentId });
    expect(await refused({ claims: { [CLAIM.deploymentId]: long } }, 'invalid_claim')).toMatchObject({ claim: CLAIM.deploymentId });
    await refused({ claims: { [CLAIM.deploymentId]: 7 } }, 'invalid_claim');
    const platform = (await pw.ctx.launch.platforms.findByIssuer(fake.issuer))[0]!;
    expect(await pw.ctx.launch.platforms.findDeployment(platform.id, long)).toBeNull();
  });

  it('sub: absent or empty is an anonymous launch (refused: Pathwise keeps progress per person); not a string or over 255 is a broken claim', async () => {
    await refused({ claims: { sub: undefined } }, 'anonymous_launch', 403);
    await refused({ claims: { sub: '' } }, 'anonymous_launch', 403);
    expect(await refused({ claims: { sub: 12345 } }, 'invalid_claim')).toMatchObject({ claim: 'sub' });
    await refused({ claims: { sub: long } }, 'invalid_claim');
    await accepted({ claims: { sub: 'y'.repeat(255) } });
  });

  it('roles: missing is refused; an empty array is a launch with no role, which opens a session and a readable 403 page', async () => {
    expect(await refused({ claims: { [CLAIM.roles]: undefined } }, 'missing_claim')).toMatchObject({ claim: CLAIM.roles });
    await refused({ claims: { [CLAIM.roles]: ['ok', 3] } }, 'missing_claim');
    const r = await accepted({ claims: { [CLAIM.roles]: [] } });
    expect(r.landing!.status).toBe(403);
    expect(errorCode(r.landing!)).toBe('no_course_role');
  });

  it('context: optional in the spec; a resource link launch without it gets a readable page, not a 500', async () => {
    const student = await accepted({ role: 'student', claims: { [CLAIM.context]: undefined } });
    expect(student.landing!.status).toBeLessThan(500);
    expect(student.landing!.text).not.toMatch(/at \w+ \(|internal_error/);
    const teacher = await accepted({ role: 'teacher', claims: { [CLAIM.context]: undefined } });
    expect(teacher.landing!.status).toBeLessThan(500);
    expect(teacher.landing!.text).not.toContain('internal_error');
  });

  it('resource_link: id required, at most 255 characters', async () => {
    await refused({ claims: { [CLAIM.resourceLink]: undefined } }, 'missing_claim');
    await refused({ claims: { [CLAIM.resourceLink]: { id: '' } } }, 'missing_claim');
    expect(await refused({ claims: { [CLAIM.resourceLink]: { id: long } } }, 'invalid_claim')).toMatchObject({ claim: `${CLAIM.resourceLink} (id)` });
    await accepted({ claims: { [CLAIM.resourceLink]: { id: 'l'.repeat(255) } } });
  });

  it('custom: values that are not strings (numbers, objects, null) or a custom claim that is not an object do not break the launch', async () => {
    const odd = { pathwise_unit_id: 12, nested: { a: [1, 2] }, none: null, flag: true };
    for (const custom of [odd, 'not-an-object', ['a']]) {
      const teacher = await accepted({ role: 'teacher', claims: { [CLAIM.custom]: custom, [CLAIM.resourceLink]: { id: `custom-${typeof custom}` } } });
      expect(teacher.landing!.status).toBe(200);
      const student = await accepted({ role: 'student', claims: { [CLAIM.custom]: custom, [CLAIM.resourceLink]: { id: `custom-${typeof custom}` } } });
      expect(student.landing!.status).toBeLessThan(500);
    }
  });

  it('aud and azp: one audience may come as an array without azp; several need azp = our client id; azp must match when present', async () => {
    await accepted({ claims: { aud: [fake.clientId] } });
    await accepted({ claims: { aud: ['another-tool', fake.clientId], azp: fake.clientId } });
    await refused({ claims: { aud: [fake.clientId], azp: 'another-tool' } }, 'invalid_azp', 401);
    await refused({ claims: { aud: fake.clientId, azp: 'another-tool' } }, 'invalid_azp', 401);
    await refused({ claims: { aud: [fake.clientId, 5] } }, 'invalid_azp', 401);
    await refused({ claims: { aud: [] } }, 'invalid_audience', 401);
    await refused({ claims: { aud: undefined } }, 'invalid_audience', 401);
  });

  it('nbf in the future is refused (token_not_yet_valid); in the past or within the clock skew it is accepted', async () => {
    const error = await refused({ claims: { nbf: now() + 600 } }, 'token_not_yet_valid', 401);
    expect(error.message).toContain('clock');
    await refused({ claims: { nbf: 'soon' } }, 'token_not_yet_valid', 401);
    await accepted({ claims: { nbf: now() - 60 } });
    await accepted({ claims: { nbf: now() + 20 } });
  });

  it('exp and iat: both required numbers; exp in the past or iat in the future beyond the skew are refused', async () => {
    await refused({ claims: { exp: undefined } }, 'token_expired', 401);
    await refused({ claims: { exp: String(now() + 300) } }, 'token_expired', 401);
    await refused({ claims: { iat: undefined } }, 'invalid_iat', 401);
    await refused({ claims: { iat: now() + 600 } }, 'invalid_iat', 401);
    await refused({ claims: { exp: now() - 120 } }, 'token_expired', 401);
  });

  it('a Spanish browser reads a claim refusal in Spanish, with the claim named', async () => {
    const r = await launch(pw, fake, { submit: false, claims: { [CLAIM.resourceLink]: { id: long } } });
    const page = await r.repost({}, { 'Accept-Language': 'es-MX' });
    expect(errorCode(page)).toBe('invalid_claim');
    expect(page.text).toContain('El LMS envió un inicio con un valor que LTI 1.3 no permite');
    expect(page.text).toContain(`${CLAIM.resourceLink} (id)`);
    const nbf = await launch(pw, fake, { submit: false, claims: { nbf: now() + 600 } });
    expect((await nbf.repost({}, { 'Accept-Language': 'es' })).text).toContain('El inicio todavía no es válido');
  });
});
