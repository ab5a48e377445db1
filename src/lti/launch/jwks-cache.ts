import type { JWK } from 'jose';
import { AppError } from '../../shared/errors.js';

export interface JwksCacheOptions {
  timeoutMs: number;
  defaultMaxAgeSeconds: number;
  /** An unknown kid triggers at most one refetch per URL in this window. */
  minRefetchSeconds?: number;
  /** More keys than this and the set is refused (a key set is a handful of keys, not thousands). Default 50. */
  maxKeys?: number;
  /** The outbound client (main.ts passes LmsHttp, which caps the body size); tests pass a fake. */
  fetch?: (url: string, init: RequestInit & { timeoutMs?: number }) => Promise<Response>;
  now?: () => number;
}

interface Entry {
  keys: JWK[];
  fetchedAt: number;
  expiresAt: number;
}

/** Reads max-age (or s-maxage) from Cache-Control; no-store/no-cache mean "do not reuse". */
export function maxAgeSeconds(cacheControl: string | null, fallback: number): number {
  if (!cacheControl) return fallback;
  if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const m = /\b(?:s-maxage|max-age)\s*=\s*(\d+)/i.exec(cacheControl);
  return m ? Math.min(Number(m[1]), 86_400) : fallback;
}

/**
 * Platform key sets, cached per URL honouring Cache-Control, refetched once on an unknown kid
 * (key rotation, https://www.imsglobal.org/spec/security/v1p0/#h_key-set-url), fetched with a timeout.
 * Instance state only: main.ts makes one per process.
 */
export class PlatformJwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(private readonly options: JwksCacheOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The JWK for `kid`; throws jwks_unavailable or invalid_signature. */
  async findKey(url: string, kid: string): Promise<JWK> {
    let entry = this.entries.get(url);
    if (!entry || entry.expiresAt <= this.now()) entry = await this.load(url);
    let key = pick(entry.keys, kid);
    const minGap = (this.options.minRefetchSeconds ?? 5) * 1000;
    if (!key && this.now() - entry.fetchedAt >= minGap) {
      entry = await this.load(url);
      key = pick(entry.keys, kid);
    }
    if (!key) {
      throw new AppError('invalid_signature', 'The launch was signed with a key the platform does not publish.', {
        kind: 'unauthenticated',
        help: 'Try the launch again. If it keeps failing, ask your administrator to check the LMS key set URL.',
        params: { variant: 'unknown_key' },
      });
    }
    return key;
  }

  private load(url: string): Promise<Entry> {
    const running = this.inflight.get(url);
    if (running) return running;
    const p = this.fetchEntry(url).finally(() => this.inflight.delete(url));
    this.inflight.set(url, p);
    return p;
  }

  private async fetchEntry(url: string): Promise<Entry> {
    const doFetch = this.options.fetch ?? fetch;
    let body: unknown;
    let cacheControl: string | null = null;
    try {
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
        timeoutMs: this.options.timeoutMs,
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      cacheControl = res.headers.get('cache-control');
      body = await res.json();
    } catch (err) {
      throw new AppError('jwks_unavailable', 'The LMS key set could not be read, so the launch cannot be verified.', {
        kind: 'unavailable',
        help: 'Try again in a minute. If it keeps failing, ask your administrator to check the LMS key set URL.',
        cause: err,
      });
    }
    const keys = (body as { keys?: unknown })?.keys;
    if (!Array.isArray(keys)) {
      throw new AppError('jwks_unavailable', 'The LMS key set is not a JSON Web Key Set.', { kind: 'unavailable', params: { variant: 'not_a_key_set' } });
    }
    if (keys.length > (this.options.maxKeys ?? 50)) {
      throw new AppError('jwks_unavailable', 'The LMS key set holds far more keys than a key set should.', {
        kind: 'unavailable',
        params: { variant: 'too_many_keys' },
      });
    }
    const at = this.now();
    const entry = { keys: keys as JWK[], fetchedAt: at, expiresAt: at + maxAgeSeconds(cacheControl, this.options.defaultMaxAgeSeconds) * 1000 };
    this.entries.set(url, entry);
    return entry;
  }
}

function pick(keys: JWK[], kid: string): JWK | undefined {
  return keys.find((k) => k.kid === kid);
}
