import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../shared/errors.js';

/** The hidden form field every POST form carries. */
export const CSRF_FIELD = '_csrf';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The per-session CSRF token: an HMAC of a fixed label keyed by the session token. A cross-site
 * page cannot compute it without the session token, and nothing has to be stored.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('pathwise-csrf-v1').digest('base64url');
}

/**
 * Put after requireSession: exposes `csrfToken` to views and, on every unsafe method, refuses a
 * request whose `_csrf` field does not match the session's token (403 csrf_failed). A session
 * token alone in the form is not enough, because the cookie may carry the session on a forged post.
 */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    const sessionToken = res.locals.sessionToken as string | undefined;
    if (!sessionToken) {
      next(new AppError('csrf_failed', 'This form has expired.', { kind: 'forbidden', help: 'Reload the page and try again.' }));
      return;
    }
    const expected = csrfTokenFor(sessionToken);
    res.locals.csrfToken = expected;
    if (SAFE.has(req.method)) {
      next();
      return;
    }
    const given = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(expected);
    const ok = a.length === b.length && timingSafeEqual(a, b);
    next(ok ? undefined : new AppError('csrf_failed', 'This form has expired.', { kind: 'forbidden', help: 'Reload the page and try again.' }));
  };
}
