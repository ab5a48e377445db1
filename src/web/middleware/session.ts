import type { RequestHandler, Response } from 'express';
import { AppError } from '../../shared/errors.js';
import type { SessionRecord } from '../../store/session-repository.js';
import { resolveLocale } from '../i18n/index.js';
import type { AppContext } from '../context.js';
import { readCookieValues, setCookie } from './cookies.js';
import { limitFramingTo } from './security-headers.js';
import { originOf } from '../../store/platform-origins.js';

/** The session cookie; the same token also travels in `?session=` / a `session` form field (docs/sessions.md). */
export const SESSION_COOKIE = 'pw_session';
export const SESSION_PARAM = 'session';

declare module 'express-serve-static-core' {
  interface Request {
    launchSession?: SessionRecord;
  }
}

/** Sets the session cookie (partitioned on https); browsers that block it still have the URL token. */
export function setSessionCookie(res: Response, ctx: AppContext, token: string): void {
  setCookie(res, ctx.config.publicUrl, SESSION_COOKIE, token, ctx.config.session.ttlMinutes * 60);
}

const TOKEN = /^[\w-]{43}$/;
const isToken = (t: unknown): t is string => typeof t === 'string' && TOKEN.test(t);
// Same-name cookies a browser may send; more than this is not a browser.
const MAX_COOKIE_TRIES = 3;

/**
 * Who may frame a session's pages: its own platform's registered origins, and the origin of the
 * launch's signed `return_url` (the LMS host the person came from, e.g. school.instructure.com
 * when the issuer is canvas.instructure.com), https://www.imsglobal.org/spec/lti/v1p3/#launch-presentation-claim
 */
async function sessionFrameOrigins(ctx: AppContext, session: SessionRecord): Promise<string[]> {
  const origins = new Set(await ctx.platformOriginsFor(session.platformId));
  const presentation = session.launch.launchPresentation as { return_url?: unknown } | null | undefined;
  const returnOrigin = typeof presentation?.return_url === 'string' ? originOf(presentation.return_url) : null;
  if (returnOrigin && /^https?:/.test(returnOrigin)) origins.add(returnOrigin);
  return [...origins];
}

/**
 * Loads the launch session from the URL/form token (preferred: it names the launch of this frame)
 * or else the cookie. Unknown or expired → 401 session_expired. Views get `sessionToken` to carry it on.
 */
export function requireSession(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    try {
      const query = req.query[SESSION_PARAM];
      const body = (req.body as Record<string, unknown> | undefined)?.[SESSION_PARAM];
      const explicit = [query, body].find(isToken);
      let token: string | undefined;
      let session: SessionRecord | null = null;
      // Two pw_session cookies can arrive (partitioned and not): the first naming a live session wins.
      for (const candidate of explicit ? [explicit] : readCookieValues(req, SESSION_COOKIE).filter(isToken).slice(0, MAX_COOKIE_TRIES)) {
        token = candidate;
        session = await ctx.launch.sessions.findByToken(candidate);
        if (session) break;
      }
      if (!token || !session) {
        throw new AppError('session_expired', 'Your Pathwise session has ended.', {
          kind: 'unauthenticated',
          help: 'Open Pathwise again from your course in the LMS.',
        });
      }
      limitFramingTo(res, await sessionFrameOrigins(ctx, session));
      req.launchSession = session;
      res.locals.session = session;
      res.locals.sessionToken = token;
      res.locals.sessionQuery = `${SESSION_PARAM}=${encodeURIComponent(token)}`;
      res.locals.locale = resolveLocale(session.locale);
      next();
    } catch (err) {
      next(err);
    }
  };
}
