import { describe, expect, it } from 'vitest';
import { SCOPE } from '../../../../src/lti/claims.js';
import { canvasDeveloperKeyConfig } from '../../../../src/lti/registration/canvas-config.js';
import { TOOL_CONFIGURATION_CLAIM, clientRegistrationRequest, toolEndpoints } from '../../../../src/lti/registration/tool-configuration.js';

type Messages = Array<{ type: string; placements?: string[] }>;
const messagesOf = (body: Record<string, unknown>) => (body[TOOL_CONFIGURATION_CLAIM] as { messages: Messages }).messages;

describe('toolEndpoints', () => {
  it('derives every URL from PUBLIC_URL, with or without a trailing slash', () => {
    for (const base of ['https://pathwise.example.org', 'https://pathwise.example.org/']) {
      expect(toolEndpoints(base)).toEqual({
        loginUrl: 'https://pathwise.example.org/lti/login',
        redirectUrls: ['https://pathwise.example.org/lti/launch'],
        jwksUrl: 'https://pathwise.example.org/.well-known/jwks.json',
        domain: 'pathwise.example.org',
        targetLinkUri: 'https://pathwise.example.org/lti/launch',
        deepLinkingUrl: 'https://pathwise.example.org/lti/launch',
        canvasConfigUrl: 'https://pathwise.example.org/lti/config.json',
      });
    }
  });

  it('keeps a path prefix and a port', () => {
    const urls = toolEndpoints('https://school.example.org:8443/pathwise');
    expect(urls.loginUrl).toBe('https://school.example.org:8443/pathwise/lti/login');
    expect(urls.domain).toBe('school.example.org:8443');
  });
});

describe('clientRegistrationRequest', () => {
  it('asks for every scope and both message types when the platform says nothing', () => {
    const body = clientRegistrationRequest('https://p.example.org');
    expect(body.scope).toBe(Object.values(SCOPE).join(' '));
    expect(messagesOf(body).map((m) => m.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
    expect(body).not.toHaveProperty('logo_uri');
  });

  it('asks only for scopes and messages the platform supports', () => {
    const body = clientRegistrationRequest('https://p.example.org', {
      scopesSupported: ['openid', SCOPE.agsScore],
      messagesSupported: [{ type: 'LtiResourceLinkRequest' }],
    });
    expect(body.scope).toBe(SCOPE.agsScore);
    expect(messagesOf(body).map((m) => m.type)).toEqual(['LtiResourceLinkRequest']);
  });

  it('uses Canvas placement names and privacy level for Canvas only', () => {
    const canvas = clientRegistrationRequest('https://p.example.org', { productFamilyCode: 'canvas' });
    expect(messagesOf(canvas)[1]!.placements).toEqual(['link_selection', 'assignment_selection']);
    expect(canvas[TOOL_CONFIGURATION_CLAIM]).toHaveProperty(['https://canvas.instructure.com/lti/privacy_level'], 'public');
    const moodle = clientRegistrationRequest('https://p.example.org', { productFamilyCode: 'moodle' });
    expect(messagesOf(moodle)[1]!.placements).toEqual(['ContentArea']);
    expect(moodle[TOOL_CONFIGURATION_CLAIM]).not.toHaveProperty(['https://canvas.instructure.com/lti/privacy_level']);
  });
});

describe('canvasDeveloperKeyConfig', () => {
  it('points Canvas at the login, launch and JWKS URLs', () => {
    const config = canvasDeveloperKeyConfig('https://p.example.org');
    expect(config).toMatchObject({
      oidc_initiation_url: 'https://p.example.org/lti/login',
      target_link_uri: 'https://p.example.org/lti/launch',
      public_jwk_url: 'https://p.example.org/.well-known/jwks.json',
    });
    expect(JSON.stringify(config)).toContain('"domain":"p.example.org"');
  });
});
