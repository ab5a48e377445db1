import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { CLIENT_ASSERTION_TYPE, MEDIA_TYPE, SCOPE } from '../../src/lti/claims.js';
import type { FakePlatform } from './fake-platform.js';

/** The fake LMS's OAuth 2 token endpoint (POST /token) and what it saw. */
export interface FakeTokenEndpoint {
  /** Access tokens issued so far. */
  issued: number;
  /** expires_in sent with new tokens; change it between calls. */
  expiresIn: number;
  /** Verified client assertion payloads, oldest first. */
  assertions: JWTPayload[];
  /** Refused token requests: OAuth error code and why. */
  refusals: Array<{ error: string; reason: string }>;
  /** Revokes every token issued so far: the next service call with one gets a 401. */
  revokeAll(): void;
  /** True when `authorization` is `Bearer <live token>` that was granted `scope`. */
  allows(authorization: string | undefined, scope: string): boolean;
}

/**
 * Adds the client credentials token endpoint to a fake platform. It checks the client assertion
 * the way the Security Framework requires: signature with the tool's published keys, iss = sub =
 * client_id, aud = token URL, exp present, jti never seen before.
 * https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant
 */
export function addTokenEndpoint(
  fake: FakePlatform,
  options: { toolJwks: () => Promise<JSONWebKeySet>; expiresIn?: number; audience?: () => string },
): FakeTokenEndpoint {
  const live = new Map<string, { scopes: Set<string>; expiresAt: number }>();
  const seenJti = new Set<string>();
  const endpoint: FakeTokenEndpoint = {
    issued: 0,
    expiresIn: options.expiresIn ?? 3600,
    assertions: [],
    refusals: [],
    revokeAll: () => live.clear(),
    allows(authorization, scope) {
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
      const grant = token ? live.get(token) : undefined;
      return !!grant && grant.expiresAt > Date.now() && grant.scopes.has(scope);
    },
  };
  const refuse = (res: Response, error: string, reason: string) => {
    endpoint.refusals.push({ error, reason });
    res.status(error === 'invalid_client' ? 401 : 400).json({ error, error_description: reason });
  };
  fake.app.post('/token', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (body.grant_type !== 'client_credentials') return refuse(res, 'unsupported_grant_type', String(body.grant_type));
    if (body.client_assertion_type !== CLIENT_ASSERTION_TYPE) return refuse(res, 'invalid_request', 'client_assertion_type');
    let payload: JWTPayload;
    try {
      const jwks = createLocalJWKSet(await options.toolJwks());
      ({ payload } = await jwtVerify(body.client_assertion ?? '', jwks, {
        issuer: fake.clientId,
        subject: fake.clientId,
        audience: options.audience?.() ?? fake.authTokenUrl,
        requiredClaims: ['exp', 'iat', 'jti'],
        algorithms: ['RS256'],
      }));
    } catch (err) {
      return refuse(res, 'invalid_client', (err as Error).message);
    }
    if (seenJti.has(payload.jti!)) return refuse(res, 'invalid_client', 'jti replayed');
    seenJti.add(payload.jti!);
    endpoint.assertions.push(payload);
    const scopes = new Set((body.scope ?? '').split(' ').filter(Boolean));
    const token = `fake-at-${randomUUID()}`;
    live.set(token, { scopes, expiresAt: Date.now() + endpoint.expiresIn * 1000 });
    endpoint.issued += 1;
    res.json({ access_token: token, token_type: 'Bearer', expires_in: endpoint.expiresIn, scope: [...scopes].join(' ') });
  });
  return endpoint;
}

/** One NRPS member as a platform sends it, https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-container-media-type */
export interface FakeMember {
  user_id: string;
  roles: string[];
  status?: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  picture?: string;
}

export interface FakeNrps {
  /** The context_memberships_url to put in the launch claim. */
  url: string;
  /** Edit freely between syncs. */
  members: FakeMember[];
  pageSize: number;
  /** Page requests served (including refused ones). */
  requests: number;
}

/**
 * Adds an NRPS membership endpoint: pages of `pageSize` members with `Link: <…>; rel="next"` (and
 * rel="first"; rel="differences" on the last page),
 * 406 unless Accept names the membership container media type, 401 without a live token for
 * the contextmembership.readonly scope. https://www.imsglobal.org/spec/lti-nrps/v2p0/#limit-query-parameter
 */
export function addNrps(fake: FakePlatform, options: { tokens: FakeTokenEndpoint; members: FakeMember[]; pageSize?: number; contextId?: string }): FakeNrps {
  const path = `/nrps/${encodeURIComponent(options.contextId ?? 'course-1')}/memberships`;
  const nrps: FakeNrps = {
    get url() {
      return fake.url(path);
    },
    members: options.members,
    pageSize: options.pageSize ?? 100,
    requests: 0,
  };
  fake.app.get(path, (req: Request, res: Response) => {
    nrps.requests += 1;
    if (!options.tokens.allows(req.headers.authorization, SCOPE.nrpsContextMembershipReadOnly)) {
      res.status(401).json({ error: 'invalid_token' });
      return;
    }
    if (!String(req.headers.accept ?? '').includes(MEDIA_TYPE.membershipContainer)) {
      res.status(406).json({ error: 'not_acceptable' });
      return;
    }
    const page = Math.max(0, Number(req.query.page ?? 0) || 0);
    const start = page * nrps.pageSize;
    const slice = nrps.members.slice(start, start + nrps.pageSize);
    // Like Canvas: several links in one header; the last page names the changes since this read
    // (rel="differences", https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-differences),
    // which a full read must not follow as a next page.
    const links = [`<${fake.url(`${path}?page=0`)}>; rel="first"`];
    if (start + nrps.pageSize < nrps.members.length) links.unshift(`<${fake.url(`${path}?page=${page + 1}`)}>; rel="next"`);
    else links.push(`<${fake.url(`${path}?since=${Date.now()}`)}>; rel="differences"`);
    res.setHeader('Link', links.join(', '));
    res
      .type(MEDIA_TYPE.membershipContainer)
      .send(JSON.stringify({ id: nrps.url, context: { id: options.contextId ?? 'course-1', title: 'Course' }, members: slice }));
  });
  return nrps;
}
