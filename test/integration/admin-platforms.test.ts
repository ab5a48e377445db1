import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import { createTestPathwise, TEST_ADMIN_TOKEN } from '../support/app.js';

const AUTH = `Bearer ${TEST_ADMIN_TOKEN}`;

/** A manual registration body, with overrides. */
function buildPlatform(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: 'https://lms.example.edu',
    clientId: '10000000000042',
    authLoginUrl: 'https://lms.example.edu/api/lti/authorize_redirect',
    authTokenUrl: 'https://lms.example.edu/login/oauth2/token',
    jwksUrl: 'https://lms.example.edu/api/lti/security/jwks',
    deploymentIds: ['1:abc'],
    ...overrides,
  };
}

describe('admin API: manual registration, platforms, deployments, tool values', () => {
  let pw: Pathwise;
  const post = (body: unknown) =>
    request(pw.app)
      .post('/admin/api/platforms')
      .set('Authorization', AUTH)
      .send(body as object);

  beforeAll(async () => {
    pw = await createTestPathwise();
  });
  afterAll(async () => {
    await pw?.close();
  });

  it('registers a platform with its deployments, active', async () => {
    const res = await post(buildPlatform({ name: 'Example district', productFamily: 'canvas', deploymentIds: ['1:abc', '2:def'] }));
    expect(res.status).toBe(201);
    expect(res.body.platform).toMatchObject({ issuer: 'https://lms.example.edu', clientId: '10000000000042', name: 'Example district' });
    expect(res.body.platform.deployments.map((d: { deploymentId: string; status: string }) => [d.deploymentId, d.status])).toEqual([
      ['1:abc', 'active'],
      ['2:def', 'active'],
    ]);
    const stored = await pw.ctx.platforms.findByIssuerAndClient('https://lms.example.edu', '10000000000042');
    expect(stored?.productFamily).toBe('canvas');
  });

  it('refuses the same issuer and client id twice with 409 platform_exists', async () => {
    const res = await post(buildPlatform());
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('platform_exists');
    expect((await pw.ctx.platforms.list()).filter((p) => p.issuer === 'https://lms.example.edu')).toHaveLength(1);
  });

  it('lists every problem of a bad body by path', async () => {
    const res = await post({ issuer: 'not a url', clientId: '', authLoginUrl: 'ftp://x', deploymentIds: [], extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = (res.body.error.problems as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['issuer', 'clientId', 'authLoginUrl', 'authTokenUrl', 'jwksUrl', 'deploymentIds', '(body)']));
  });

  it('keeps the stable code and English words for an API client; a Spanish Accept-Language reads Spanish', async () => {
    const plain = await post({ issuer: 'not a url' });
    expect(plain.body.error.code).toBe('invalid_request');
    expect(plain.body.error.message).toMatch(/^The request has \d+ problems: issuer: /);
    expect(plain.body.error.help).toBe('Fix the listed fields and send the request again.');
    const spanish = await request(pw.app).post('/admin/api/platforms').set('Authorization', AUTH).set('Accept-Language', 'es').send({ issuer: 'not a url' });
    expect(spanish.body.error.code).toBe('invalid_request');
    expect(spanish.body.error.message).toMatch(/^La solicitud tiene \d+ problemas, en: issuer, /);
    expect(spanish.body.error.help).toBe('Corrige los campos indicados y envía la solicitud de nuevo.');
    expect(spanish.body.error.problems.length).toBeGreaterThan(1);
    const gone = await request(pw.app).post(`/admin/api/platforms/${randomUUID()}/disable`).set('Authorization', AUTH).set('Accept-Language', 'es-MX');
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'platform_not_found', message: 'No hay ninguna plataforma con ese ID.' });
    const off = await request(pw.app).get('/admin/api/platforms').set('Accept-Language', 'es');
    expect(off.status).toBe(401);
    expect(off.body.error).toMatchObject({ code: 'unauthorized', message: 'Hace falta autenticarse.' });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await request(pw.app).post('/admin/api/platforms').set('Authorization', AUTH).set('Content-Type', 'application/json').send('{nope');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_request');
  });

  it('approves a pending deployment in one call', async () => {
    const platform = (await pw.ctx.platforms.findByIssuerAndClient('https://lms.example.edu', '10000000000042'))!;
    const pending = await pw.ctx.platforms.addPendingDeployment(platform.id, '3:new-school');
    expect(pending.status).toBe('pending');
    const listed = await request(pw.app).get('/admin/api/platforms').set('Authorization', AUTH);
    const deployments = listed.body.platforms[0].deployments as Array<{ id: string; status: string }>;
    expect(deployments.find((d) => d.id === pending.id)?.status).toBe('pending');

    const res = await request(pw.app).post(`/admin/api/deployments/${pending.id}/approve`).set('Authorization', AUTH);
    expect(res.status).toBe(200);
    expect(res.body.deployment).toMatchObject({ id: pending.id, status: 'active' });
    expect((await pw.ctx.platforms.findDeployment(platform.id, '3:new-school'))?.status).toBe('active');
  });

  it('answers 404 deployment_not_found for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await request(pw.app).post(`/admin/api/deployments/${id}/approve`).set('Authorization', AUTH);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('deployment_not_found');
    }
  });

  it('allows framing by registered platforms', async () => {
    const res = await request(pw.app).get('/');
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'[^;]*https:\/\/lms\.example\.edu/);
  });

  it('gives the values to paste into an LMS form', async () => {
    const res = await request(pw.app).get('/admin/api/tool').set('Authorization', AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      loginUrl: 'http://127.0.0.1:3999/lti/login',
      redirectUrls: ['http://127.0.0.1:3999/lti/launch'],
      jwksUrl: 'http://127.0.0.1:3999/.well-known/jwks.json',
      domain: '127.0.0.1:3999',
      targetLinkUri: 'http://127.0.0.1:3999/lti/launch',
      deepLinkingUrl: 'http://127.0.0.1:3999/lti/launch',
      canvasConfigUrl: 'http://127.0.0.1:3999/lti/config.json',
    });
  });

  it('serves a Canvas developer key configuration', async () => {
    const res = await request(pw.app).get('/lti/config.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      oidc_initiation_url: 'http://127.0.0.1:3999/lti/login',
      target_link_uri: 'http://127.0.0.1:3999/lti/launch',
      public_jwk_url: 'http://127.0.0.1:3999/.well-known/jwks.json',
    });
    expect(res.body.scopes).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    expect(res.body.extensions[0].settings.placements[0].message_type).toBe('LtiDeepLinkingRequest');
  });
});
