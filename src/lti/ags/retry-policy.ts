import { AppError } from '../../shared/errors.js';
import type { PlatformRecord } from '../../store/platform-repository.js';

/** What the AGS client needs from ServiceTokens (src/lti/services/access-token.ts). */
export interface ServiceFetch {
  fetch(platform: PlatformRecord, scopes: readonly string[], url: string, init?: RequestInit): Promise<Response>;
}

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, base·2^(attempt−1))],
 * so many failed deliveries do not retry in lock-step. A Retry-After from the platform is a floor.
 */
export function retryDelay(attempt: number, opts: { baseDelayMs: number; maxDelayMs: number; retryAfterMs?: number; random?: () => number }): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.floor((opts.random ?? Math.random)() * cap);
  // A Retry-After longer than the cap is capped too: the score must arrive within one step of recovery.
  return Math.max(jitter, Math.min(opts.retryAfterMs ?? 0, opts.maxDelayMs));
}

/**
 * Temporary refusals, worth waiting out: 408, 429 and 5xx. Everything else is permanent: 400, a
 * 401/403 that survives a fresh token (ServiceTokens retries a 401 once with a new one), 404 (the
 * line item is gone) — they would fail again the same way.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A failed service call, as an AppError the outbox can classify (kind 'unavailable' = retry). */
export async function serviceError(res: Response, what: string): Promise<AppError> {
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  const host = (() => {
    try {
      return new URL(res.url).host;
    } catch {
      return 'the LMS';
    }
  })();
  const retryable = isRetryableStatus(res.status);
  return new AppError(
    retryable ? 'ags_unavailable' : 'ags_refused',
    `${what}: ${host} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? ` — ${text}` : ''}`,
    {
      kind: retryable ? 'unavailable' : 'invalid',
      details: { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) },
      // The catalog's text names the status only: the LMS's own words stay in the (English) message.
      params: { status: res.status },
    },
  );
}

/** Whether an error thrown while delivering is worth another attempt. */
export function isRetryableError(err: unknown): boolean {
  // A private address or a malformed URL will not heal by waiting.
  if (err instanceof AppError && err.code === 'platform_unreachable') {
    const reason = (err.details as { reason?: string } | undefined)?.reason;
    return reason !== 'address_refused' && reason !== 'bad_url';
  }
  if (err instanceof AppError) return err.kind === 'unavailable' || err.kind === 'rate_limited' || err.kind === 'internal';
  return true; // network failures, timeouts, a database hiccup: try again later
}

export function retryAfterOf(err: unknown): number | undefined {
  const details = err instanceof AppError ? (err.details as { retryAfterMs?: unknown } | undefined) : undefined;
  return typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
}
