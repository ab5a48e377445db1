import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * Headers for an app that lives inside an LMS iframe: framing is allowed only for the registered
 * platforms' origins (CSP frame-ancestors, no X-Frame-Options: DENY), no Referer leaves the app
 * (session tokens may be in URLs), and no inline script runs unless it carries this response's nonce.
 */
export function securityHeaders(platformOrigins: () => Promise<string[]>): RequestHandler {
  return async (_req, res, next) => {
    try {
      const origins = (await platformOrigins()).join(' ');
      const nonce = randomBytes(16).toString('base64');
      res.locals.cspNonce = nonce;
      res.setHeader(
        'Content-Security-Policy',
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          "style-src 'self'",
          "img-src 'self' data:",
          "font-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          `form-action 'self' ${origins}`.trim(),
          `frame-ancestors 'self' ${origins}`.trim(),
        ].join('; '),
      );
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
