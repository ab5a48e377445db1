import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { AppError, isAppError } from '../../shared/errors.js';
import { LmsHttp, lmsCallFailed } from '../http/lms-http.js';
import type { Logger } from '../../shared/logger.js';
import type { PlatformRecord } from '../../store/platform-repository.js';
import type { SigningKey } from '../keys/tool-keys.js';
import { CLIENT_ASSERTION_TYPE } from '../claims.js';

/** What ServiceTokens needs from the tool key set (ToolKeys satisfies it). */
export interface AssertionSigner {
  signingKey(): Promise<SigningKey>;
}

export interface ServiceTokenOptions {
  /** Time limit for one HTTP call (token request or service call). Default 10 s. */
  timeoutMs?: number;
  /** A cached token is replaced this long before it expires. Default 60 s. */
  refreshMarginSeconds?: number;
  /** Lifetime of the client assertion JWT. Default 300 s (short, as the Security Framework asks). */
  assertionLifetimeSeconds?: number;
  /** Used when the platform omits expires_in (RFC 6749 §5.1 makes it RECOMMENDED only). Default 300 s. */
  defaultExpiresInSeconds?: number;
  logger?: Logger;
  /** The one outbound client (limits, no redirects, no private addresses); a strict one by default. */
  http?: LmsHttp;
  /** Clock in ms; tests pass a fake. */
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** When the cache stops handing this token out (ms). */
  staleAt: number;
}

/** An unreachable platform (network error, timeout): retrying later may help. */
export function platformUnreachable(url: string, cause: unknown): AppError {
  if (isAppError(cause) && cause.code === 'platform_unreachable') return cause;
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  return lmsCallFailed(url, timedOut ? 'timeout' : 'network', cause);
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** Cache key: platform id + the sorted, de-duplicated scope set. */
export function scopeKey(platformId: string, scopes: readonly string[]): string {
  return `${platformId} ${[...new Set(scopes)].sort().join(' ')}`;
}

/**
 * Service access tokens: the OAuth 2 client credentials grant with a JWT client assertion
 * signed by the tool key, as per https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant
 * Tokens are cached per platform and scope set until shortly before they expire; concurrent
 * callers share one in-flight token request. Tokens are never logged.
 */
export class ServiceTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private readonly timeoutMs: number;
  private readonly marginMs: number;
  private readonly assertionLifetime: number;
  private readonly defaultExpiresIn: number;
  private readonly now: () => number;
  private readonly http: LmsHttp;
  /** Token requests sent since construction (for benchmarks and health figures). */
  tokensRequested = 0;

  constructor(
    private readonly keys: AssertionSigner,
    private readonly options: ServiceTokenOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
    this.assertionLifetime = options.assertionLifetimeSeconds ?? 300;
    this.defaultExpiresIn = options.defaultExpiresInSeconds ?? 300;
    this.now = options.now ?? Date.now;
    this.http = options.http ?? new LmsHttp({ timeoutMs: this.timeoutMs, maxBytes: 262_144, allowPrivateAddresses: false });
  }

  /** An access token for these scopes on this platform, from the cache when still fresh. */
  async get(platform: PlatformRecord, scopes: readonly string[]): Promise<string> {
    const key = scopeKey(platform.id, scopes);
    const hit = this.cache.get(key);
    if (hit && hit.staleAt > this.now()) return hit.token;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.request(platform, scopes)
        .then((fresh) => {
          this.cache.set(key, fresh);
          return fresh;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return (await pending).token;
  }

  /**
   * Forgets a cached token. With `token`, only when it is still the cached one, so that many
   * callers seeing a 401 for the same token cause one refresh, not many.
   */
  invalidate(platform: PlatformRecord, scopes: readonly string[], token?: string): void {
    const key = scopeKey(platform.id, scopes);
    if (token === undefined || this.cache.get(key)?.token === token) this.cache.delete(key);
  }

  /**
   * Calls a platform service with `Authorization: Bearer <token>`. On a 401 the token is
   * invalidated and the call is retried once with a new one (the platform may have revoked it
   * early). Returns the platform's Response whatever its status; network failures and timeouts
   * throw `platform_unreachable`. `init.body` must be re-sendable (a string or Buffer).
   */
  async fetch(platform: PlatformRecord, scopes: readonly string[], url: string, init: RequestInit = {}): Promise<Response> {
    let token = await this.get(platform, scopes);
    let res = await this.send(url, init, token);
    if (res.status === 401) {
      await res.body?.cancel();
      this.options.logger?.info({ platformId: platform.id, host: safeHost(url) }, 'service token refused; refreshing once');
      this.invalidate(platform, scopes, token);
      token = await this.get(platform, scopes);
      res = await this.send(url, init, token);
    }
    return res;
  }

  private async send(url: string, init: RequestInit, token: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await this.http.fetch(url, { ...init, headers, signal, timeoutMs: this.timeoutMs });
    } catch (err) {
      throw platformUnreachable(url, err);
    }
  }

  /** Builds the client assertion: iss = sub = client_id, aud = token endpoint (or declared audience), unique jti. */
  async clientAssertion(platform: PlatformRecord): Promise<string> {
    const { kid, alg, key } = await this.keys.signingKey();
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.authTokenAudience ?? platform.authTokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.assertionLifetime)
      .setJti(randomUUID())
      .sign(key);
  }

  private async request(platform: PlatformRecord, scopes: readonly string[]): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await this.clientAssertion(platform),
      scope: [...new Set(scopes)].sort().join(' '),
    });
    this.tokensRequested += 1;
    let res: Response;
    try {
      res = await this.http.fetch(platform.authTokenUrl, {
        timeoutMs: this.timeoutMs,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw platformUnreachable(platform.authTokenUrl, err);
    }
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    const accessToken = json?.access_token;
    if (!res.ok || typeof accessToken !== 'string' || accessToken === '') {
      // RFC 6749 §5.2 error codes (invalid_client, invalid_scope …) are safe to show; the body is not logged.
      const oauthError = typeof json?.error === 'string' ? json.error : undefined;
      this.options.logger?.warn({ platformId: platform.id, status: res.status, oauthError }, 'service token refused');
      throw new AppError('service_token_failed', 'The LMS refused to give Pathwise a service token.', {
        kind: 'unavailable',
        help:
          'Check that the registration in the LMS has the services enabled (grades, roster) and that its client id and ' +
          'token URL match the ones Pathwise has stored.',
        details: { status: res.status, oauthError },
      });
    }
    const expiresIn = Number(json?.expires_in);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : this.defaultExpiresIn) * 1000;
    // Never keep a token past half its life when the platform hands out very short ones.
    const staleAt = this.now() + lifetimeMs - Math.min(this.marginMs, lifetimeMs / 2);
    return { token: accessToken, staleAt };
  }
}
