import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { signDeepLinkingResponse } from '../../../../src/lti/deep-linking/response.js';

async function key() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { signing: { kid: 'k1', alg: 'RS256' as const, key: privateKey }, publicKey, jwk: await exportJWK(publicKey) };
}

const base = { clientId: 'client-1', platformIssuer: 'https://lms.example', deploymentId: 'dep-1', contentItems: [] };

describe('signDeepLinkingResponse (https://www.imsglobal.org/spec/lti-dl/v2p0/#deep-linking-response-message)', () => {
  it('signs iss = client_id, aud = issuer, a fresh nonce, short exp, the LTI claims and the kid', async () => {
    const k = await key();
    const now = new Date();
    const jwt = await signDeepLinkingResponse({ ...base, data: { value: 'abc' }, msg: 'Added' }, k.signing);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, k.publicKey, { issuer: 'client-1', audience: 'https://lms.example', currentDate: now });
    expect(payload).toMatchObject({
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-1',
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [],
      'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'abc',
      'https://purl.imsglobal.org/spec/lti-dl/claim/msg': 'Added',
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    const other = await signDeepLinkingResponse(base, k.signing);
    const { payload: p2 } = await jwtVerify(other, k.publicKey);
    expect(p2.nonce).not.toBe(payload.nonce);
    expect('https://purl.imsglobal.org/spec/lti-dl/claim/data' in p2).toBe(false);
  });

  it('carries errormsg and errorlog', async () => {
    const k = await key();
    const jwt = await signDeepLinkingResponse({ ...base, errorMsg: 'No', errorLog: 'pathwise: x' }, k.signing);
    const { payload } = await jwtVerify(jwt, k.publicKey);
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/errormsg']).toBe('No');
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/errorlog']).toBe('pathwise: x');
  });
});
