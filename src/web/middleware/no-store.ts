import type { RequestHandler } from 'express';

/** Pages of a launch session: their URLs (or the redirects they answer with) carry its token. */
const SESSION_PAGES = /^\/(lti|teacher|student)(\/|$)/;

/**
 * `Cache-Control: no-store` on every response whose URL carries a session token (`?session=`),
 * and on the launch, teacher and student pages, whose links and redirects carry one: neither a
 * shared cache nor the browser's history may keep a page that opens someone's session.
 */
export function noStoreForSessions(): RequestHandler {
  return (req, res, next) => {
    if (req.query.session !== undefined || SESSION_PAGES.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
