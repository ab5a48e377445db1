import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../shared/errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Guards the admin API with `Authorization: Bearer $ADMIN_TOKEN`. Tokens are compared as SHA-256
 * digests with timingSafeEqual, so neither the content nor the length leaks through timing.
 * With no ADMIN_TOKEN configured the API is off (404 admin_api_disabled). A wrong or missing
 * token gets 401 unauthorized and nothing else.
 */
export function adminAuth(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? digest(adminToken) : undefined;
  return (req, res, next) => {
    if (!expected) {
      next(
        new AppError('admin_api_disabled', 'The admin API is turned off.', {
          kind: 'not_found',
          help: 'Set the ADMIN_TOKEN environment variable (16 or more random characters) and restart Pathwise, then send it as "Authorization: Bearer <token>".',
        }),
      );
      return;
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pathwise-admin"');
      next(new AppError('unauthorized', 'Authentication required.', { kind: 'unauthenticated' }));
      return;
    }
    // Admin answers are never cached by a proxy or browser.
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
