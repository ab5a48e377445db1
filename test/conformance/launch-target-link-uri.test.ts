import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { Pathwise } from '../../src/main.js';
import { CLAIM } from '../../src/lti/claims.js';
import { createTestPathwise } from '../support/app.js';
import { FakePlatform } from '../support/fake-platform.js';
import { expectLaunchRefused, launch, registerFakePlatform, type LaunchOptions } from '../support/lti-flow.js';

/**
 * The target_link_uri claim, https://www.imsglobal.org/spec/lti/v1p3/#target-link-uri : REQUIRED
 * in a resource link launch, one of Pathwise's own URLs (the rule the login applies), and kept in
 * the session when it differs from the login's. A deep linking request may leave it out.
 */
describe('LTI 1.3 launch: the target_link_uri claim', () => {
  let pw: Pathwise;
  let fake: FakePlatform;
  let launchUrl: string;
  beforeAll(async () => {
    pw = await createTestPathwise();
    fake = await new FakePlatform().start();
    await registerFakePlatform(pw, fake);
    launchUrl = `${pw.ctx.config.publicUrl}/lti/launch`;
  });
  afterAll(async () => {
    await fake?.stop();
    await pw?.close();
  });

  /** A launch refused before the POST (expectLaunchRefused), naming the claim in its JSON. */
  async function refused(opts: LaunchOptions, code: string) {
    const { error, es, en } = await expectLaunchRefused(pw, fake, opts, code);
    expect(error).toMatchObject({ code, claim: CLAIM.targetLinkUri });
    return { es, en };
  }

  it('the fake LMS signs the login’s target_link_uri into the claim, as Canvas and Moodle do, and the session keeps it', async () => {
    const r = await launch(pw, fake, { role: 'student' });
    expect(r.response!.status).toBe(303);
    expect(decodeJwt(r.idToken!)[CLAIM.targetLinkUri]).toBe(launchUrl);
    const s = await pw.ctx.launch.sessions.findByToken(r.sessionToken!);
    expect(s!.launch.targetLinkUri).toBe(launchUrl);
  });

  it('refuses a resource link launch without the claim: a page in English and Spanish, JSON with code and claim', async () => {
    const { es, en } = await refused({ claims: { [CLAIM.targetLinkUri]: undefined } }, 'missing_claim');
    expect(en.text).toContain(`The launch is missing the claim ${CLAIM.targetLinkUri}.`);
    expect(es.text).toContain(`Al inicio le falta el dato (claim) ${CLAIM.targetLinkUri}.`);
    expect(es.text).not.toContain('The launch is missing');
  });

  it('refuses an empty or non-string claim as missing', async () => {
    await refused({ claims: { [CLAIM.targetLinkUri]: '' } }, 'missing_claim');
    await refused({ claims: { [CLAIM.targetLinkUri]: 42 } }, 'missing_claim');
  });

  it('refuses a claim outside Pathwise (another origin, another scheme, not a URL) with invalid_target_link_uri', async () => {
    const { es, en } = await refused({ claims: { [CLAIM.targetLinkUri]: 'https://evil.example/lti/launch' } }, 'invalid_target_link_uri');
    expect(en.text).toContain('The launch points at a target outside Pathwise.');
    expect(es.text).toContain('El inicio apunta a un destino fuera de Pathwise.');
    const origin = new URL(pw.ctx.config.publicUrl);
    await refused({ claims: { [CLAIM.targetLinkUri]: `${origin.protocol}//${origin.hostname}:1/lti/launch` } }, 'invalid_target_link_uri');
    await refused({ claims: { [CLAIM.targetLinkUri]: 'javascript:alert(1)' } }, 'invalid_target_link_uri');
    await refused({ claims: { [CLAIM.targetLinkUri]: '/lti/launch' } }, 'invalid_target_link_uri');
  });

  it('a claim that differs from the login’s but is a Pathwise URL is accepted, and the session keeps the signed claim', async () => {
    const other = `${pw.ctx.config.publicUrl}/lti/launch?from=claim`;
    const r = await launch(pw, fake, { role: 'teacher', claims: { [CLAIM.targetLinkUri]: other } });
    expect(r.response!.status).toBe(303);
    expect(r.response!.headers.location).toMatch(/^\/lti\/home\?session=/);
    const s = await pw.ctx.launch.sessions.findByToken(r.sessionToken!);
    expect(s!.launch.targetLinkUri).toBe(other);
    // The login named the registered launch URL; the LMS's signed claim is what was kept.
    const state = await pw.ctx.launch.loginStates.find(r.state!);
    expect(state!.targetLinkUri).toBe(launchUrl);
  });

  it('a deep linking request works with the claim (Canvas, Moodle) and without it (the Deep Linking spec does not require it)', async () => {
    const withClaim = await launch(pw, fake, { role: 'teacher', messageType: 'deep_linking' });
    expect(decodeJwt(withClaim.idToken!)[CLAIM.targetLinkUri]).toBe(launchUrl);
    expect(withClaim.response!.headers.location).toMatch(/^\/lti\/deep-linking\?session=/);
    expect(withClaim.landing!.status).toBe(200);
    const without = await launch(pw, fake, { role: 'teacher', messageType: 'deep_linking', claims: { [CLAIM.targetLinkUri]: undefined } });
    expect(without.response!.headers.location).toMatch(/^\/lti\/deep-linking\?session=/);
    expect(without.landing!.text).toContain('<form method="post" action="/lti/deep-linking/response">');
  });

  it('a deep linking request whose claim points outside Pathwise is refused like a resource link launch', async () => {
    await refused({ role: 'teacher', messageType: 'deep_linking', claims: { [CLAIM.targetLinkUri]: 'https://evil.example/' } }, 'invalid_target_link_uri');
  });
});
