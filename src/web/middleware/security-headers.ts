import { randomToken } from '../../shared/random.js';
import type { RequestHandler, Response } from 'express';

/** The CSP of a page that may be framed by, and post forms to, `origins` (besides itself). */
export function contentSecurityPolicy(nonce: string, origins: readonly string[]): string {
  const list = origins.join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${list}`.trim(),
    `frame-ancestors 'self' ${list}`.trim(),
  ].join('; ');
}

/**
 * Narrows frame-ancestors and form-action to `origins` once the request is known to belong to one
 * platform's launch (a session): a page of a Canvas launch cannot then be framed by another
 * registered LMS. Keeps this response's script nonce.
 */
export function limitFramingTo(res: Response, origins: readonly string[]): void {
  const nonce = res.locals.cspNonce as string | undefined;
  if (!nonce) return;
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, origins));
}

/**
 * Headers for an app that lives inside an LMS iframe: framing is allowed only for the registered
 * platforms' origins (CSP frame-ancestors, no X-Frame-Options: DENY), no Referer leaves the app
 * (session tokens may be in URLs), and no inline script runs unless it carries this response's nonce.
 * The origins come from a cache (PlatformOriginsCache), not from a query per request.
 */
export function securityHeaders(platformOrigins: () => Promise<string[]>): RequestHandler {
  return async (_req, res, next) => {
    try {
      const origins = await platformOrigins();
      const nonce = randomToken(16, 'base64');
      res.locals.cspNonce = nonce;
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, origins));
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
      next();
    } catch (err) {
      next(err);
    }
  };
}
