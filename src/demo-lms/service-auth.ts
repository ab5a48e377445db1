import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { CLIENT_ASSERTION_TYPE } from '../lti/claims.js';
import { DEMO_CLIENT_ID, type DemoUrls } from './demo-course.js';
import type { DemoKeys } from './demo-keys.js';
import { DEMO_SCOPES } from './id-token.js';

const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** An OAuth 2 error answer: RFC 6749 §5.2 (token endpoint) or RFC 6750 §3.1 (resource servers). */
export class DemoOAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/**
 * The demo LMS's authorization server: the client credentials grant with a JWT client assertion,
 * https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant .
 * The assertion is checked against Pathwise's public key set (read in-process: same server), and
 * the access token it issues is a JWT signed by the demo key, checked again by each service call.
 */
export class DemoServiceAuth {
  /** Assertion ids seen and when they expire: a jti MUST NOT be used twice. */
  private readonly seenJti = new Map<string, number>();

  constructor(
    private readonly keys: DemoKeys,
    private readonly toolJwks: () => Promise<{ keys: JWK[] }>,
    private readonly urls: DemoUrls,
  ) {}

  /** Answers a token request (form fields) with the token response body. */
  async issue(form: Record<string, unknown>): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
    if (form.grant_type !== 'client_credentials') throw new DemoOAuthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE || typeof form.client_assertion !== 'string') {
      throw new DemoOAuthError(400, 'invalid_request', 'A JWT client assertion is required.');
    }
    let jti: string;
    let exp: number;
    try {
      const { payload } = await jwtVerify(form.client_assertion, createLocalJWKSet(await this.toolJwks()), {
        issuer: DEMO_CLIENT_ID,
        subject: DEMO_CLIENT_ID,
        audience: this.urls.token,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: '10m',
      });
      jti = String(payload.jti);
      exp = payload.exp! * 1000;
    } catch {
      throw new DemoOAuthError(401, 'invalid_client', 'The client assertion could not be verified.');
    }
    this.forgetExpired();
    if (this.seenJti.has(jti)) throw new DemoOAuthError(401, 'invalid_client', 'The client assertion was already used.');
    this.seenJti.set(jti, exp);
    const requested = typeof form.scope === 'string' ? form.scope.split(' ').filter(Boolean) : [];
    const granted = requested.filter((s) => DEMO_SCOPES.includes(s));
    if (granted.length === 0) throw new DemoOAuthError(400, 'invalid_scope', 'None of the requested scopes is offered.');
    const { kid, key } = this.keys.signingKey();
    const scope = granted.join(' ');
    const accessToken = await new SignJWT({ scope })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .setIssuer(this.urls.issuer)
      .setAudience(`${this.urls.issuer}/services`)
      .setSubject(DEMO_CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
      .setJti(randomUUID())
      .sign(key);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, scope };
  }

  /** Checks `Authorization: Bearer …` for one of `scopes` (RFC 6750); throws DemoOAuthError. */
  async authorize(header: string | undefined, scopes: readonly string[]): Promise<void> {
    const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new DemoOAuthError(401, 'invalid_token', 'A bearer access token is required.');
    let granted: string[];
    try {
      const { payload } = await jwtVerify(token, this.keys.verifier(), {
        issuer: this.urls.issuer,
        audience: `${this.urls.issuer}/services`,
        algorithms: ['RS256'],
        typ: 'at+jwt',
      });
      granted = String(payload.scope ?? '').split(' ');
    } catch {
      throw new DemoOAuthError(401, 'invalid_token', 'The access token is not valid or has expired.');
    }
    if (!scopes.some((s) => granted.includes(s))) throw new DemoOAuthError(403, 'insufficient_scope', 'The access token does not allow this.');
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [jti, exp] of this.seenJti) if (exp < now) this.seenJti.delete(jti);
  }
}
